/**
 * Which tip to show: the tip of the day (the same for everyone all local day, every tip once
 * before any repeats), a random one, or the best one for a topic. Pure functions.
 */
import { hangulBigrams, normalize, wordTerms } from '../search/tokenizer.ts';

/** What topic matching needs from a tip entry (`Knowledge.tips` items fit). */
export interface HasTip {
  tip: { text: string; text_en?: string | undefined; topics: string[] };
}

const MS_PER_DAY = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' });
    } catch {
      // An unknown zone name is a configuration mistake; UTC keeps the tip rotating meanwhile.
      formatter = new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', year: 'numeric', month: 'numeric', day: 'numeric' });
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Days since 1970-01-01 of the local calendar date of `date` in `timeZone`. */
export function dayNumber(date: Date, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return Math.round(Date.UTC(part('year'), part('month') - 1, part('day')) / MS_PER_DAY);
}

/** mulberry32: a tiny deterministic PRNG, good enough to shuffle a few dozen tips. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function shuffled(n: number, cycle: number): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  const random = mulberry32(Math.imul(cycle ^ 0x5bd1e995, 0x9e3779b1) ^ 0x2545f491);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/**
 * The order of the tips in one cycle of `n` days. With three or more tips, the first of a cycle
 * is swapped with the second when it would repeat the previous cycle's last tip (that swap never
 * touches a last position, so the rule does not cascade). Two tips simply alternate.
 */
export function cycleOrder(n: number, cycle: number): number[] {
  if (n <= 2) return Array.from({ length: n }, (_, i) => i);
  const order = shuffled(n, cycle);
  const previousLast = shuffled(n, cycle - 1)[n - 1];
  if (order[0] === previousLast) [order[0], order[1]] = [order[1]!, order[0]!];
  return order;
}

/** The tip of the local day in `timeZone`: the same for everyone, each tip once per cycle. */
export function tipOfTheDay<T>(tips: readonly T[], date: Date, timeZone: string): T | undefined {
  const n = tips.length;
  if (n === 0) return undefined;
  const day = dayNumber(date, timeZone);
  const cycle = Math.floor(day / n);
  const position = day - cycle * n;
  return tips[cycleOrder(n, cycle)[position]!];
}

export function randomTip<T>(tips: readonly T[], random: () => number = Math.random): T | undefined {
  if (tips.length === 0) return undefined;
  const index = Math.min(tips.length - 1, Math.max(0, Math.floor(random() * tips.length)));
  return tips[index];
}

/** `needle` inside `hay`; a Latin needle must stand as a whole word ("dr" is not in "address"). */
function containsPhrase(hay: string, needle: string): boolean {
  const at = hay.indexOf(needle);
  if (at < 0) return false;
  if (!/[a-z0-9]/.test(needle)) return true;
  const escaped = needle.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^a-z0-9])${escaped}([^a-z0-9]|$)`).test(hay);
}

function termSet(text: string): Set<string> {
  return new Set(wordTerms(text));
}

/** How well `topic` fits one tip; 0 when it does not. */
export function topicScore(entry: HasTip, topic: string): number {
  const query = normalize(topic).trim().replace(/\s+/g, ' ');
  if (!/[\p{L}\p{N}]/u.test(query)) return 0;
  const queryTerms = [...termSet(query)];
  const queryGrams = [...new Set(hangulBigrams(query))];
  let score = 0;

  const topics = entry.tip.topics.map((t) => normalize(t).trim());
  for (const t of topics) {
    if (t === query) score += 10;
    else if (query.length >= 2 && t.length >= 2 && (containsPhrase(t, query) || containsPhrase(query, t))) score += 4;
  }

  const topicTerms = termSet(entry.tip.topics.join(' \n '));
  const textTerms = termSet(entry.tip.text_en ? `${entry.tip.text} \n ${entry.tip.text_en}` : entry.tip.text);
  for (const term of queryTerms) {
    if (topicTerms.has(term)) score += 3;
    else if (textTerms.has(term)) score += 1.5;
  }

  if (queryGrams.length > 0) {
    const tipGrams = new Set(hangulBigrams(`${entry.tip.topics.join(' ')} ${entry.tip.text}`));
    const shared = queryGrams.filter((g) => tipGrams.has(g)).length;
    // Bigrams only count when most of the word is there: one shared syllable pair is noise.
    if (shared / queryGrams.length >= 0.5) score += shared / queryGrams.length;
  }
  return score;
}

/** The tip that best fits a topic (Korean or English), or undefined when none does. */
export function bestTipFor<T extends HasTip>(tips: readonly T[], topic: string): T | undefined {
  let best: T | undefined;
  let bestScore = 0;
  for (const entry of tips) {
    const score = topicScore(entry, topic);
    if (score > bestScore) {
      best = entry;
      bestScore = score;
    }
  }
  return best;
}
