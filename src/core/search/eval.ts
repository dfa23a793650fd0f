import type { SearchHit } from './index.ts';

export interface EvalCase {
  q: string;
  /** Every group must be matched by at least one of its alternatives (case-insensitive). */
  expect: string[][];
}

export interface EvalOutcome {
  q: string;
  /** 1-based rank of the first hit within the results, or 0 when none hits. */
  rank: number;
  top: string[];
}

export interface EvalReport {
  total: number;
  hitAt1: number;
  hitAt3: number;
  mrrAt5: number;
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
    const record = value as { q?: unknown; expect?: unknown };
    const groupsOk =
      Array.isArray(record.expect) &&
      record.expect.every((g) => Array.isArray(g) && g.every((alt) => typeof alt === 'string'));
    if (typeof record.q !== 'string' || !groupsOk) {
      throw new Error(`${file}:${index + 1}: expected {"q": string, "expect": string[][]}`);
    }
    cases.push({ q: record.q, expect: record.expect as string[][] });
  });
  return cases;
}

export function isHit(hit: SearchHit, expect: string[][]): boolean {
  const haystack = `${hit.section.noteTitle}\n${hit.section.headingPath.join(' ')}\n${hit.section.text}`.toLowerCase();
  return expect.every((group) => group.some((alt) => haystack.includes(alt.toLowerCase())));
}

export function evaluate(cases: EvalCase[], search: (q: string) => SearchHit[]): EvalReport {
  const outcomes = cases.map((c) => {
    const hits = search(c.q).slice(0, 5);
    const index = hits.findIndex((h) => isHit(h, c.expect));
    return { q: c.q, rank: index + 1, top: hits.slice(0, 3).map((h) => h.citation) };
  });
  const total = outcomes.length || 1;
  return {
    total: outcomes.length,
    hitAt1: outcomes.filter((o) => o.rank === 1).length / total,
    hitAt3: outcomes.filter((o) => o.rank >= 1 && o.rank <= 3).length / total,
    mrrAt5: outcomes.reduce((sum, o) => sum + (o.rank > 0 ? 1 / o.rank : 0), 0) / total,
    outcomes,
  };
}
