import { citationOf, type SearchHit } from './index.ts';
import type { Locale } from '../i18n.ts';
import { headingPathIn, textIn, titleIn } from '../knowledge/types.ts';

/**
 * One question of a quality set. Answerable: every `expect` group must be matched by at least one of
 * its alternatives (case-insensitive) in a passage. Unanswerable (`"answerable": false`): the notes do
 * not hold the answer, and the right reply is an honest refusal.
 */
export interface EvalCase {
  q: string;
  expect: string[][];
  answerable: boolean;
}

export interface EvalOutcome {
  q: string;
  answerable: boolean;
  /** 1-based rank of the first passage that answers, or 0 when none does (always 0 when unanswerable). */
  rank: number;
  /** How many passages were shown (0: the question was refused). */
  shown: number;
  top: string[];
}

export interface EvalReport {
  /** Answerable questions. */
  total: number;
  hitAt1: number;
  hitAt3: number;
  mrrAt5: number;
  /** Share of answerable questions that got an answer at all (right or wrong). */
  answeredRate: number;
  /** Unanswerable questions, and the share of them refused. */
  unanswerable: number;
  refusedRate: number;
  outcomes: EvalOutcome[];
}

/** Parses a JSONL eval file; a bad line is reported with its number. */
export function parseEvalFile(content: string, file: string): EvalCase[] {
  const cases: EvalCase[] = [];
  content.split(/\r?\n/).forEach((line, index) => {
    if (!line.trim()) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new Error(`${file}:${index + 1}: not valid JSON`);
    }
    const record = value as { q?: unknown; expect?: unknown; answerable?: unknown };
    const unanswerable = record.answerable === false;
    const groupsOk =
      Array.isArray(record.expect) &&
      record.expect.every((g) => Array.isArray(g) && g.every((alt) => typeof alt === 'string'));
    if (typeof record.q !== 'string' || (!unanswerable && !groupsOk)) {
      throw new Error(`${file}:${index + 1}: expected {"q": string, "expect": string[][]} or {"q": string, "answerable": false}`);
    }
    cases.push({ q: record.q, expect: unanswerable ? [] : (record.expect as string[][]), answerable: !unanswerable });
  });
  return cases;
}

/** A passage as a reader sees it: its citation, and its words (note title, headings and text). */
export interface Passage {
  label: string;
  text: string;
}

/** The passage as shown in `lang`. */
export function passageOf(hit: SearchHit, lang: Locale = 'ko'): Passage {
  const { section } = hit;
  return { label: citationOf(section, lang), text: `${titleIn(section, lang)}\n${headingPathIn(section, lang).join(' ')}\n${textIn(section, lang)}` };
}

export function isHit(passage: string, expect: string[][]): boolean {
  const haystack = passage.toLowerCase();
  return expect.every((group) => group.some((alt) => haystack.includes(alt.toLowerCase())));
}

/**
 * Scores `answer`, which returns the passages shown for a question, best first, and none when it
 * refuses. Pass the ranked search results instead to score ranking alone.
 */
export function evaluate(cases: EvalCase[], answer: (q: string) => Passage[]): EvalReport {
  const outcomes = cases.map((c): EvalOutcome => {
    const passages = answer(c.q).slice(0, 5);
    const index = c.answerable ? passages.findIndex((p) => isHit(p.text, c.expect)) : -1;
    return { q: c.q, answerable: c.answerable, rank: index + 1, shown: passages.length, top: passages.slice(0, 3).map((p) => p.label) };
  });
  const answerable = outcomes.filter((o) => o.answerable);
  const unanswerable = outcomes.filter((o) => !o.answerable);
  const share = (items: EvalOutcome[], test: (o: EvalOutcome) => boolean) => (items.length === 0 ? 0 : items.filter(test).length / items.length);
  return {
    total: answerable.length,
    hitAt1: share(answerable, (o) => o.rank === 1),
    hitAt3: share(answerable, (o) => o.rank >= 1 && o.rank <= 3),
    mrrAt5: answerable.length === 0 ? 0 : answerable.reduce((sum, o) => sum + (o.rank > 0 ? 1 / o.rank : 0), 0) / answerable.length,
    answeredRate: share(answerable, (o) => o.shown > 0),
    unanswerable: unanswerable.length,
    refusedRate: share(unanswerable, (o) => o.shown === 0),
    outcomes,
  };
}
