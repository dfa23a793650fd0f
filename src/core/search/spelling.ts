import { isHangul } from './tokenizer.ts';

/**
 * Corrects words the index has never seen to the closest word it has (graviotn → graviton,
 * 스텐바이 → 스탠바이). Only unknown words are looked at, and only words of the same length
 * give or take the allowed edits, so the cost stays small on large corpora.
 */
export class Speller {
  private readonly counts = new Map<string, number>();
  private byLength: Map<number, string[]> | undefined;

  add(term: string): void {
    this.counts.set(term, (this.counts.get(term) ?? 0) + 1);
    this.byLength = undefined;
  }

  has(term: string): boolean {
    return this.counts.has(term);
  }

  /** How many edits a word of this script and length may be away from its correction. */
  static allowedEdits(term: string): number {
    if (isHangul(term)) return term.length >= 3 ? 1 : 0;
    if (/\d/.test(term)) return 0;
    return term.length >= 8 ? 2 : term.length >= 5 ? 1 : 0;
  }

  correct(term: string): string | undefined {
    const edits = Speller.allowedEdits(term);
    if (edits === 0 || this.counts.has(term)) return undefined;
    this.byLength ??= this.bucket();
    let best: string | undefined;
    let bestDistance = edits + 1;
    let bestCount = 0;
    for (let length = term.length - edits; length <= term.length + edits; length++) {
      for (const candidate of this.byLength.get(length) ?? []) {
        if (isHangul(candidate) !== isHangul(term)) continue;
        // The limit is one past the best so far, so a tie is measured exactly, not cut off.
        const distance = editDistance(term, candidate, bestDistance + 1);
        const count = this.counts.get(candidate) ?? 0;
        if (distance < bestDistance || (distance === bestDistance && count > bestCount)) {
          best = candidate;
          bestDistance = distance;
          bestCount = count;
        }
      }
    }
    return bestDistance <= edits ? best : undefined;
  }

  private bucket(): Map<number, string[]> {
    const buckets = new Map<number, string[]>();
    for (const term of this.counts.keys()) {
      const list = buckets.get(term.length) ?? [];
      list.push(term);
      buckets.set(term.length, list);
    }
    return buckets;
  }
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
