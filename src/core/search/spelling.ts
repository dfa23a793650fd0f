import { isHangul } from './tokenizer.ts';
import { runToEnd } from '../slices.ts';
import { hangulKeys, latinKeys, letterReadings, MIN_CONSONANTS_ONLY_KEY_LENGTH, MIN_KEY_LENGTH, MIN_SOUNDED_SYLLABLES } from './transliteration.ts';

/**
 * Corrects words the index has never seen to the closest word it has (graviotn → graviton,
 * 스텐바이 → 스탠바이): one substitution, insertion, deletion or swap of neighbours. Candidates come
 * from a symmetric-delete table (every word with one letter removed), so a lookup costs a few map
 * reads whatever the size of the vocabulary; the table is built on the first correction.
 */
const MAX_TARGETS = 30_000;
/** A Korean spelling stands for at most this many English words with the same consonants (슬레이브: slave, self). */
const MAX_TRANSLITERATIONS = 3;
/** Syllables a name keeps after its leading acronym (유플 in 엘지유플): fewer, and a word with a particle would pass. */
const MIN_NAME_REST = 2;

/** What a speller learned from the notes: a search engine copies it and a snapshot keeps it. */
export interface SpellerState {
  counts: Map<string, number>;
  written: Map<string, Map<string, number>>;
}

export class Speller {
  private readonly counts: Map<string, number>;
  /**
   * The correction table: for each word with one letter removed, the target words it comes from. Targets are
   * the words written at least `threshold` times, the threshold being the lowest that keeps them within
   * MAX_TARGETS: on a large corpus a typo is far more likely to be of a common word, and the table stays a
   * bounded size; words of equal count are all in or all out, whatever order the notes were indexed in.
   */
  private table: { deletes: Map<string, string[]>; targets: Set<string>; threshold: number; wordsByCount: Map<number, number> } | undefined;
  /** Correctable words whose count changed since the table was last brought up to date (see `prepare`). */
  private readonly touched = new Set<string>();
  /**
   * For each sound key (fine and coarse), the index terms of the English words with that key and how often
   * each was written (see `transliterate`). Counted rather than kept in order of arrival, so that removing a
   * section's words (an incremental re-index) leaves the speller as a build without that section would.
   */
  private readonly termsByKey: Map<string, Map<string, number>>;

  /** A speller that takes `state` over (not a copy): the caller hands it maps no one else changes. */
  constructor(state?: SpellerState) {
    this.counts = state?.counts ?? new Map();
    this.termsByKey = state?.written ?? new Map();
  }

  /** The speller's own maps, not copies. */
  state(): SpellerState {
    return { counts: this.counts, written: this.termsByKey };
  }

  /**
   * `term` was written once more, or (`by` = -1) a section that wrote it once was removed. The correction table
   * keeps serving as it was; `prepare` brings it up to date (a search engine does so before it serves).
   */
  add(term: string, by: 1 | -1 = 1): void {
    const before = this.counts.get(term) ?? 0;
    const count = before + by;
    if (count > 0) this.counts.set(term, count);
    else this.counts.delete(term);
    if (!this.table || !Speller.correctable(term)) return;
    const { wordsByCount } = this.table;
    if (before > 0) bump(wordsByCount, before, -1);
    if (count > 0) bump(wordsByCount, count, 1);
    this.touched.add(term);
  }

  /** Adds `term` to the table as a target, or takes it out. */
  private static index(deletes: Map<string, string[]>, term: string, by: 1 | -1): void {
    for (const variant of oneDeletion(term)) {
      const list = deletes.get(variant);
      if (by === 1) {
        if (list) list.push(term);
        else deletes.set(variant, [term]);
      } else if (list) {
        const rest = list.filter((known) => known !== term);
        if (rest.length > 0) deletes.set(variant, rest);
        else deletes.delete(variant);
      }
    }
  }

  has(term: string): boolean {
    return this.counts.has(term);
  }

  /** Hangul words of three syllables or more, Latin words of five letters or more, no digits. */
  static correctable(term: string): boolean {
    if (/\d/.test(term)) return false;
    return isHangul(term) ? term.length >= 3 : term.length >= 5;
  }

  /**
   * Latin words arrive as stems (recipe → recip), and a five-letter stem is one substituted letter
   * away from too many others (recap): such short stems are fixed only by a letter added or swapped. Nor by
   * one dropped: the stemmer writes a final y as i (party → parti), and parti is not a typo of part.
   */
  private static plausible(term: string, candidate: string): boolean {
    if (isHangul(term) || term.length > 5) return true;
    if (candidate.length < term.length) return false;
    if (term.length !== candidate.length) return true;
    const differ = [...term].flatMap((char, i) => (char === candidate[i] ? [] : [i]));
    return differ.length === 2 && differ[1] === differ[0]! + 1;
  }

  correct(term: string): string | undefined {
    if (!Speller.correctable(term) || this.counts.has(term)) return undefined;
    if (!this.table) runToEnd(this.prepare());
    const deletes = this.table?.deletes ?? new Map<string, string[]>();
    const candidates = new Set<string>(deletes.get(term) ?? []);
    for (const variant of oneDeletion(term)) {
      if (this.counts.has(variant)) candidates.add(variant);
      for (const known of deletes.get(variant) ?? []) candidates.add(known);
    }
    let best: string | undefined;
    let bestCount = 0;
    for (const candidate of candidates) {
      if (isHangul(candidate) !== isHangul(term) || editDistance(term, candidate, 2) > 1 || !Speller.plausible(term, candidate)) continue;
      const count = this.counts.get(candidate) ?? 0;
      // Equal counts go alphabetically: the same fix whatever order the table lists its words in.
      if (count > bestCount || (count === bestCount && best !== undefined && candidate < best)) {
        best = candidate;
        bestCount = count;
      }
    }
    return best;
  }

  /**
   * The English words a Korean spelling may stand for (그래비톤 → graviton, 씨디씨 → cdc), as index terms: an
   * acronym said by letter names, else a name starting with one, else the words that sound the same with their
   * vowels, else those with the same consonants (다이나모디비 → dynamodb). Keys are taken from English words as
   * written (`addWritten`), since stems cut the endings a Korean spelling keeps (마이그레이션 ~ migration, not migrat).
   */
  transliterate(term: string): string[] {
    // An acronym said letter by letter (씨디씨) is read as the letters, when the notes use them.
    const acronyms = letterReadings(term).filter((letters) => this.counts.has(letters));
    if (acronyms.length > 0) return acronyms.slice(0, MAX_TRANSLITERATIONS);
    const named = this.acronymFirst(term);
    if (named.length > 0) return named;
    return term.length >= MIN_SOUNDED_SYLLABLES ? this.soundsOf(term) : [];
  }

  /**
   * A name that starts with an acronym said by letter names (에스케이텔레콤 = SK Telecom, 엘지유플 = LG U+): the
   * acronym's letters, and what the rest sounds like when the notes use it.
   */
  private acronymFirst(term: string): string[] {
    for (let end = term.length - MIN_NAME_REST; end >= 2; end--) {
      const letters = letterReadings(term.slice(0, end)).find((reading) => this.counts.has(reading));
      if (letters) return [letters, ...this.soundsOf(term.slice(end))].slice(0, MAX_TRANSLITERATIONS);
    }
    return [];
  }

  /** The English words that sound like `term`, with their vowels or else by their consonants alone. */
  private soundsOf(term: string): string[] {
    const keys = hangulKeys(term);
    if (!keys || keys.coarse.length < MIN_KEY_LENGTH) return [];
    const byConsonants = keys.coarse.length >= MIN_CONSONANTS_ONLY_KEY_LENGTH ? this.termsByKey.get(`coarse:${keys.coarse}`) : undefined;
    const terms = this.termsByKey.get(`fine:${keys.fine}`) ?? byConsonants;
    if (!terms) return [];
    // The most written first, then alphabetical: the same answer whatever order the notes were indexed in.
    return [...terms]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, MAX_TRANSLITERATIONS)
      .map(([written]) => written);
  }

  /** An English word as written in the notes, and the index term it became (`by` = -1: a section that wrote it was removed). */
  addWritten(word: string, term: string, by: 1 | -1 = 1): void {
    const keys = latinKeys(word);
    if (!keys || keys.coarse.length < MIN_KEY_LENGTH) return;
    for (const key of [`fine:${keys.fine}`, `coarse:${keys.coarse}`]) {
      const terms = this.termsByKey.get(key) ?? new Map<string, number>();
      const count = (terms.get(term) ?? 0) + by;
      if (count > 0) terms.set(term, count);
      else terms.delete(term);
      if (terms.size > 0) this.termsByKey.set(key, terms);
      else this.termsByKey.delete(key);
    }
  }

  /**
   * Builds the correction table, or brings it up to date with the words whose count changed, a step at a time:
   * the first correction does it at once, and a search engine does it in slices before it serves.
   */
  *prepare(): Generator<void, void, undefined> {
    const table = this.table;
    if (table && this.touched.size === 0) return;
    if (table && thresholdOf(table.wordsByCount) === table.threshold) {
      // The same threshold: only the words whose count changed can come in or go out. A one-note edit at
      // 10k sections touches a few thousand words, where building the table again means 100k.
      let step = 0;
      for (const word of this.touched) {
        const wanted = (this.counts.get(word) ?? 0) >= table.threshold;
        if (wanted !== table.targets.has(word)) {
          Speller.index(table.deletes, word, wanted ? 1 : -1);
          if (wanted) table.targets.add(word);
          else table.targets.delete(word);
        }
        if (++step % 256 === 0) yield;
      }
      this.touched.clear();
      return;
    }
    // Built again, a step at a time: counting words by count first (sorting 100k words at once would hold the
    // event loop for a tenth of a second), then indexing the targets. Nothing adds to the speller meanwhile
    // (a search engine prepares it between changes), so the table is up to date when it is swapped in.
    const wordsByCount = new Map<number, number>();
    let step = 0;
    for (const [known, count] of this.counts) {
      if (Speller.correctable(known)) bump(wordsByCount, count, 1);
      if (++step % 2000 === 0) yield;
    }
    const threshold = thresholdOf(wordsByCount);
    const deletes = new Map<string, string[]>();
    const targets = new Set<string>();
    for (const [known, count] of this.counts) {
      if (count >= threshold && Speller.correctable(known)) {
        Speller.index(deletes, known, 1);
        targets.add(known);
        yield;
      } else if (++step % 2000 === 0) yield;
    }
    this.table = { deletes, targets, threshold, wordsByCount };
    this.touched.clear();
  }
}

/** The lowest count whose words, with all more frequent ones, stay within MAX_TARGETS (Infinity: none do). */
function thresholdOf(wordsByCount: Map<number, number>): number {
  let threshold = Infinity;
  let total = 0;
  for (const count of [...wordsByCount.keys()].sort((a, b) => b - a)) {
    total += wordsByCount.get(count)!;
    if (total > MAX_TARGETS) break;
    threshold = count;
  }
  return threshold;
}

function bump(counts: Map<number, number>, key: number, by: 1 | -1): void {
  const next = (counts.get(key) ?? 0) + by;
  if (next > 0) counts.set(key, next);
  else counts.delete(key);
}

function oneDeletion(term: string): Set<string> {
  const variants = new Set<string>();
  for (let i = 0; i < term.length; i++) variants.add(term.slice(0, i) + term.slice(i + 1));
  return variants;
}

/**
 * Optimal string alignment distance (Levenshtein plus adjacent swaps, so "otn" → "ton" is one edit),
 * giving up as soon as it cannot beat `limit`.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let previous2: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, previous2[j - 2]! + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin >= limit) return limit;
    previous2 = previous;
    previous = current;
  }
  return previous[b.length]!;
}
