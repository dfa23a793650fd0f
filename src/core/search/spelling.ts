import { isHangul } from './tokenizer.ts';
import { hangulKeys, latinKeys, MIN_KEY_LENGTH } from './transliteration.ts';

/**
 * Corrects words the index has never seen to the closest word it has (graviotn → graviton,
 * 스텐바이 → 스탠바이): one substitution, insertion, deletion or swap of neighbours. Candidates come
 * from a symmetric-delete table (every word with one letter removed), so a lookup costs a few map
 * reads whatever the size of the vocabulary; the table is built on the first correction.
 */
const MAX_TARGETS = 30_000;
/** A Korean spelling stands for at most this many English words with the same consonants (슬레이브: slave, self). */
const MAX_TRANSLITERATIONS = 3;

/** What a speller learned from the notes: a search engine copies it and a snapshot keeps it. */
export interface SpellerState {
  counts: Map<string, number>;
  written: Map<string, Map<string, number>>;
}

export class Speller {
  private readonly counts: Map<string, number>;
  /** The correction table: for each word with one letter removed, the target words it comes from. */
  private deletes: Map<string, string[]> | undefined;
  /** How many target words the table holds, and whether the MAX_TARGETS cap left words out of it. */
  private targets = { count: 0, capped: false };
  /** The table no longer matches the counts (see `add`); it serves until `prepare` has built the new one. */
  private stale = false;
  /** Counts changes, so a table built over several slices knows whether the counts moved meanwhile. */
  private changes = 0;
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

  /** `term` was written once more, or (`by` = -1) a section that wrote it once was removed. */
  add(term: string, by: 1 | -1 = 1): void {
    const before = this.counts.get(term) ?? 0;
    const count = before + by;
    if (count > 0) this.counts.set(term, count);
    else this.counts.delete(term);
    this.changes += 1;
    if (!this.deletes || !Speller.correctable(term) || (before > 0 && count > 0 && !this.targets.capped)) return;
    // Without the cap every correctable word is a target, and the table follows a word coming or going exactly.
    // With it, which words are targets depends on every count: the table is marked stale, keeps serving, and
    // `prepare` builds the new one (a search engine does so in slices, after a reload).
    if (this.targets.capped || (count > 0 && this.targets.count >= MAX_TARGETS)) this.stale = true;
    else {
      const by = count > 0 ? 1 : -1;
      this.targets.count += by;
      Speller.index(this.deletes, term, by);
    }
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
   * away from too many others (recap): such short stems are fixed only by a letter added, dropped or swapped.
   */
  private static plausible(term: string, candidate: string): boolean {
    if (isHangul(term) || term.length > 5 || term.length !== candidate.length) return true;
    const differ = [...term].flatMap((char, i) => (char === candidate[i] ? [] : [i]));
    return differ.length === 2 && differ[1] === differ[0]! + 1;
  }

  correct(term: string): string | undefined {
    if (!Speller.correctable(term) || this.counts.has(term)) return undefined;
    if (!this.deletes) for (const _ of this.prepare());
    const deletes = this.deletes ?? new Map<string, string[]>();
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
   * The English words a Korean spelling may stand for (그래비톤 → graviton), as index terms: those
   * that sound the same with their vowels, else those with the same consonants (다이나모디비 → dynamodb).
   * Keys are taken from English words as written (`addWritten`), since stems cut the endings a Korean
   * spelling keeps (마이그레이션 ~ migration, not migrat).
   */
  transliterate(term: string): string[] {
    const keys = hangulKeys(term);
    if (!keys || keys.coarse.length < MIN_KEY_LENGTH) return [];
    const terms = this.termsByKey.get(`fine:${keys.fine}`) ?? this.termsByKey.get(`coarse:${keys.coarse}`);
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
   * Builds the correction table (a step per word), unless it is built: the first correction does it at once,
   * and a search engine does it in slices before it serves, so no answer waits for it after a reload.
   */
  *prepare(): Generator<void, void, undefined> {
    if (this.deletes && !this.stale) return;
    const changesBefore = this.changes;
    const deletes = new Map<string, string[]>();
    // On a large corpus only the most frequent words are correction targets: a typo is far more
    // likely to be of a common word, and the table stays a bounded size. Words of equal count are all in
    // or all out, so the targets do not depend on the order the notes were indexed in.
    // Words are grouped by count a step at a time: a sort of 100k words at once would hold the event loop for
    // a tenth of a second.
    const byCount = new Map<number, string[]>();
    let correctable = 0;
    for (const [known, count] of this.counts) {
      if (!Speller.correctable(known)) continue;
      correctable += 1;
      const group = byCount.get(count);
      if (group) group.push(known);
      else byCount.set(count, [known]);
      if (correctable % 1000 === 0) yield;
    }
    const capped = correctable > MAX_TARGETS;
    const targets: string[] = [];
    for (const count of [...byCount.keys()].sort((a, b) => b - a)) {
      const group = byCount.get(count)!;
      // Whole groups only: the group the cap would cut through is left out rather than cut by some order.
      if (targets.length + group.length > MAX_TARGETS) break;
      targets.push(...group);
      yield;
    }
    for (const known of targets) {
      Speller.index(deletes, known, 1);
      yield;
    }
    this.deletes = deletes;
    this.targets = { count: targets.length, capped };
    // Counts that moved while the table was built in slices make it stale at once.
    this.stale = this.changes !== changesBefore;
  }
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
