import type { Section } from '../knowledge/types.ts';
import { matchTerms } from './tokenizer.ts';
import type { WeightedPiece } from './index.ts';

/** Lines, and the sentences of longer lines; list items stay whole. */
export function units(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\n+/)) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (/^([-*•]|\d+[.)])\s/.test(trimmed)) {
      out.push(trimmed);
      continue;
    }
    // A sentence ends at . ! ? followed by a space; "e.g. x" and "Node.js" do not end one.
    const sentences = trimmed.split(/(?<=[^\s.]{2}[.!?])\s+(?=[\p{Lu}\p{Script=Hangul}\d"'(「])/u);
    out.push(...sentences.map((s) => s.trim()).filter(Boolean));
  }
  return out;
}

/** Units a mask of 32 bits tells apart; a longer text's further units count as one with its 32nd. */
const MAX_UNITS = 32;
/** A section's runs of units: its text, its English rendering, its listed questions. */
const RUNS = 3;
const ALL_UNITS = -1;
/** Not a row: what a phrase of no words stands for. */
const ALL_ROWS = -1;

/**
 * A section's units in runs (its text in each language, its listed questions), each run of at most 32 units: for each
 * term, which units of each run hold it, as bits; one lookup of the term serves every run.
 */
interface SectionUnits {
  rows: Map<string, number>;
  /** `RUNS` masks per row. */
  masks: Int32Array;
  /** Units in each of the `RUNS` runs. */
  runs: number[];
}

/** Sections whose units are kept: those of the shipped notes many times over; a larger corpus recomputes the rarer ones. */
const CACHED_SECTIONS = 4096;

/**
 * How much of a question one sentence, bullet or listed question of a section holds, by the weight of the question's
 * pieces (as `coverage` weighs a whole section). A passage that answers holds the question's words together; an
 * overview holds them scattered over sentences about other things. Each sentence is read with the section's headings,
 * which say what it is about.
 */
export class UnitCoverage {
  private readonly sections = new Map<Section, SectionUnits>();
  /** Scratch space between calls (queries run one at a time), per run: each unit's weight held, its bigrams of one piece found, the units holding one piece. */
  private readonly weights = new Float64Array(RUNS * MAX_UNITS);
  private readonly grams = new Uint16Array(RUNS * MAX_UNITS);
  private readonly held = new Int32Array(RUNS);
  private readonly phrase = new Int32Array(RUNS);

  best(section: Section, pieces: readonly WeightedPiece[]): number {
    const asked = askedOf(pieces);
    if (asked.total === 0) return 0;
    const known = this.unitsOf(section);
    const { weights, held } = this;
    weights.fill(0);
    for (const piece of asked.pieces) {
      this.hold(known, piece);
      for (let run = 0; run < RUNS; run++) {
        for (let bits = held[run]!; bits !== 0; bits &= bits - 1) weights[run * MAX_UNITS + lowestUnit(bits)]! += piece.weight;
      }
    }
    let best = 0;
    for (const weight of weights) best = Math.max(best, weight);
    return best / asked.total;
  }

  /** Sets `held` to the units of each run that answer `piece`, as `answersPiece` tells for a whole passage. */
  private hold({ rows, masks, runs }: SectionUnits, piece: AskedPiece): void {
    const { held, phrase, grams } = this;
    held.fill(0);
    for (const word of piece.words) {
      const row = rows.get(word);
      if (row !== undefined) for (let run = 0; run < RUNS; run++) held[run]! |= masks[row * RUNS + run]!;
    }
    for (const words of piece.phrases) {
      // Like `answersPiece`, a phrase of no words is always held.
      const first = words.length === 0 ? ALL_ROWS : rows.get(words[0]!);
      if (first === undefined) continue;
      if (first === ALL_ROWS) {
        held.fill(ALL_UNITS);
        continue;
      }
      for (let run = 0; run < RUNS; run++) phrase[run] = masks[first * RUNS + run]!;
      for (let i = 1; i < words.length; i++) {
        const row = rows.get(words[i]!);
        if (row === undefined) {
          phrase.fill(0);
          break;
        }
        for (let run = 0; run < RUNS; run++) phrase[run]! &= masks[row * RUNS + run]!;
      }
      for (let run = 0; run < RUNS; run++) held[run]! |= phrase[run]!;
    }
    if (piece.grams.length === 0) return;
    grams.fill(0);
    for (const gram of piece.grams) {
      const row = rows.get(gram);
      if (row === undefined) continue;
      for (let run = 0; run < RUNS; run++) {
        for (let bits = masks[row * RUNS + run]!; bits !== 0; bits &= bits - 1) grams[run * MAX_UNITS + lowestUnit(bits)]! += 1;
      }
    }
    for (let run = 0; run < RUNS; run++) {
      for (let unit = 0; unit < runs[run]!; unit++) if (grams[run * MAX_UNITS + unit]! * 2 >= piece.gramSpan) held[run]! |= 1 << unit;
    }
  }

  /** Splits the sections into units ahead of the first question, a section per step, when the cache holds them all. */
  *prepare(sections: readonly Section[]): Generator<void, void, undefined> {
    if (sections.length > CACHED_SECTIONS) return;
    for (const section of sections) {
      yield;
      this.unitsOf(section);
    }
  }

  private unitsOf(section: Section): SectionUnits {
    let known = this.sections.get(section);
    if (known) {
      // Most recently used last, so the oldest is evicted first.
      this.sections.delete(section);
    } else {
      known = sectionUnits([
        { texts: units(section.text), heading: section.headingPath.join(' ') },
        { texts: units(section.textEn ?? ''), heading: section.headingPathEn.join(' ') },
        { texts: section.questions ?? [], heading: '' },
      ]);
      if (this.sections.size >= CACHED_SECTIONS) this.sections.delete(this.sections.keys().next().value!);
    }
    this.sections.set(section, known);
    return known;
  }
}

/** A question piece as the unit weighing reads it: its words as an array, not a set. */
interface AskedPiece {
  words: string[];
  phrases: string[][];
  grams: string[];
  gramSpan: number;
  weight: number;
}

/** The question's pieces read once per question, not once per section weighed. */
const askedPieces = new WeakMap<readonly WeightedPiece[], { pieces: AskedPiece[]; total: number }>();

function askedOf(pieces: readonly WeightedPiece[]): { pieces: AskedPiece[]; total: number } {
  let asked = askedPieces.get(pieces);
  if (!asked) {
    let total = 0;
    for (const piece of pieces) total += piece.weight;
    asked = {
      total,
      pieces: pieces.map(({ words, phrases, grams, gramSpan, weight }) => ({ words: [...words], phrases, grams, gramSpan, weight })),
    };
    askedPieces.set(pieces, asked);
  }
  return asked;
}

/** Runs of units, each read with its heading: a term of the heading is held by every unit of its run. */
function sectionUnits(runs: { texts: string[]; heading: string }[]): SectionUnits {
  const rows = new Map<string, number>();
  const held: number[] = [];
  const mark = (term: string, run: number, bits: number) => {
    let row = rows.get(term);
    if (row === undefined) {
      row = rows.size;
      rows.set(term, row);
      for (let i = 0; i < RUNS; i++) held.push(0);
    }
    held[row * RUNS + run]! |= bits;
  };
  runs.forEach(({ texts, heading }, run) => {
    texts.forEach((text, i) => {
      const bit = 1 << Math.min(i, MAX_UNITS - 1);
      for (const term of matchTerms(text)) mark(term, run, bit);
    });
    const every = texts.length >= MAX_UNITS ? ALL_UNITS : (1 << texts.length) - 1;
    if (every !== 0) for (const term of matchTerms(heading)) mark(term, run, every);
  });
  return { rows, masks: Int32Array.from(held), runs: runs.map(({ texts }) => Math.min(texts.length, MAX_UNITS)) };
}

/** The number of the lowest unit a mask holds. */
function lowestUnit(mask: number): number {
  return 31 - Math.clz32(mask & -mask);
}
