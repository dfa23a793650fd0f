import type { Locale } from '../i18n.ts';
import { textIn, type Section } from '../knowledge/types.ts';
import { answersPiece, matchesAsPrefix, type WeightedPiece } from '../search/index.ts';
import { matchTerms, wordTerms } from '../search/tokenizer.ts';
import { units } from '../search/units.ts';

/**
 * The sentences or bullets of a passage that answer a question: each unit of the passage is scored
 * by the information of the question words it holds (the same weights as search coverage).
 */
export interface Focus {
  /** The answering units, in the passage's order. */
  units: string[];
  /** The share of the question's information (by weight) that these units, read with the heading, hold: 0..1. */
  share: number;
}

/** Units shorter than this are labels ("- 유연성", "Reliability") and take the next unit with them. */
const LABEL_LENGTH = 24;
const MAX_UNITS = 2;
const PREFERRED_BOOST = 1.5;

/** A section's units in one language, with their terms, split and tokenized once per section. */
interface PassageUnits {
  units: string[];
  terms: Set<string>[];
  headingTerms: Set<string>;
  /** The heading's word terms, to tell whether it names the question's subject. */
  headingWords: string[];
}

const cache = new WeakMap<Section, Partial<Record<Locale, PassageUnits>>>();

function passageUnits(section: Section, lang: Locale): PassageUnits {
  const languages = cache.get(section) ?? {};
  let passage = languages[lang];
  if (!passage) {
    const heading = section.headingPath.at(-1) ?? '';
    const split = units(textIn(section, lang));
    passage = { units: split, terms: split.map(matchTerms), headingTerms: matchTerms(heading), headingWords: [...new Set(wordTerms(heading))] };
    languages[lang] = passage;
    cache.set(section, languages);
  }
  return passage;
}

const wholeSections = new WeakMap<Section, Set<string>>();

/** Every term of a section's headings and text in both languages, found once per section (sections are never changed, only replaced). */
export function sectionTerms(section: Section): Set<string> {
  let terms = wholeSections.get(section);
  if (!terms) {
    terms = matchTerms(`${section.headingPath.join(' ')}\n${section.text}\n${section.textEn ?? ''}`);
    wholeSections.set(section, terms);
  }
  return terms;
}

/** Latin question words of five letters or more match as prefixes, as they do in search (migrat… → migration). */
function prefixMatch(piece: WeightedPiece, terms: Set<string>): boolean {
  for (const word of piece.words) {
    if (!matchesAsPrefix(word)) continue;
    for (const term of terms) if (term.length > word.length && term.startsWith(word)) return true;
  }
  return false;
}

function answers(piece: WeightedPiece, terms: Set<string>): boolean {
  return answersPiece(piece, terms) || prefixMatch(piece, terms);
}

/**
 * Whether the heading names what the question asks about: most of its words are the question's
 * ("what is pilot light" and "파일럿 라이트 (Pilot Light)", not "RPO" and "복구 목표 RTO와 RPO 설명").
 */
function headingIsSubject(headingWords: string[], pieces: WeightedPiece[]): boolean {
  if (headingWords.length === 0) return false;
  const asked = headingWords.filter((term) => pieces.some((piece) => piece.words.has(term)));
  return asked.length * 2 >= headingWords.length;
}

/**
 * `lead` with the section's first unit that states `evidence` beside its best unit, when none of the lead does:
 * "where is the keynote" is led by the sentence naming the keynote (its time), and the next one names the 3rd
 * floor without repeating "keynote".
 */
export function withStatement(lead: string[], section: Section, lang: Locale, evidence: RegExp): string[] {
  if (lead.some((unit) => evidence.test(unit))) return lead;
  const all = passageUnits(section, lang).units;
  const stating = all.find((unit) => evidence.test(unit));
  if (stating === undefined) return lead;
  const first = lead[0];
  return first === undefined ? [stating] : [first, stating].sort((a, b) => all.indexOf(a) - all.indexOf(b));
}

/** Whether one sentence or bullet of the section, in `lang`, both answers `piece` and states `evidence` ("42 sessions"). */
export function statesAbout(section: Section, lang: Locale, piece: WeightedPiece, evidence: RegExp): boolean {
  const passage = passageUnits(section, lang);
  return passage.units.some((unit, order) => evidence.test(unit) && answers(piece, passage.terms[order]!));
}

/**
 * The units of the section, in `lang`, that answer the question. When the heading names the
 * question's subject, the section's first sentence is about that subject ("Pilot Light" → "A strategy
 * that keeps…") and holds the heading's words too. `prefer`: what the kind of answer asked for looks like.
 */
export function focus(section: Section, lang: Locale, pieces: WeightedPiece[], prefer?: RegExp): Focus {
  const passage = passageUnits(section, lang);
  const topic = headingIsSubject(passage.headingWords, pieces);
  const scored = passage.units.map((unit, order) => {
    const covered = new Set(pieces.filter((piece) => answers(piece, passage.terms[order]!) || (order === 0 && topic && answers(piece, passage.headingTerms))));
    let weight = 0;
    for (const piece of covered) weight += piece.weight;
    // A unit that states the kind of answer asked for ("how many" → a count) comes before one that only names the topic.
    if (prefer && weight > 0 && prefer.test(unit)) weight *= PREFERRED_BOOST;
    return { unit, order, weight, covered };
  });
  const ranked = scored.filter((s) => s.weight > 0).sort((a, b) => b.weight - a.weight || a.order - b.order);
  const best = ranked[0];
  const held = (chosen: { covered: Set<WeightedPiece> }[]) => {
    let total = 0;
    let weight = 0;
    for (const piece of pieces) {
      total += piece.weight;
      if (answers(piece, passage.headingTerms) || chosen.some((unit) => unit.covered.has(piece))) weight += piece.weight;
    }
    return total === 0 ? 0 : weight / total;
  };
  if (!best) return { units: passage.units.slice(0, 1), share: held([]) };

  const chosen = [best];
  const next = scored[best.order + 1];
  if (best.unit.length < LABEL_LENGTH && next) chosen.push(next);
  else {
    // A second unit when it answers a question word the first does not.
    const complement = ranked.find((s) => s !== best && [...s.covered].some((piece) => !best.covered.has(piece)));
    if (complement) chosen.push(complement);
  }
  const picked = chosen.slice(0, MAX_UNITS).sort((a, b) => a.order - b.order);
  return { units: picked.map((s) => s.unit), share: held(picked) };
}
