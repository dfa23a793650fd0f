import MiniSearch from 'minisearch';
import { performance } from 'node:perf_hooks';
import type { Section } from '../src/core/knowledge/types.ts';
import { SearchIndex } from '../src/core/search/index.ts';
import { Knowledge } from '../src/core/knowledge/knowledge.ts';
import { answer } from '../src/core/commands/ask.ts';
import type { KnowledgeBase } from '../src/core/knowledge/types.ts';

export interface SearchFigures {
  buildMs: number;
  p50: number;
  p99: number;
  heapMb: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function heapMb(): number {
  globalThis.gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

const WARM_UP_ROUNDS = 3;

function timeQueries(run: (q: string) => unknown, queries: string[], rounds: number): { p50: number; p99: number } {
  // Steady state, as in a long-running bot: a few rounds first so the JIT has compiled the hot paths.
  for (let r = 0; r < WARM_UP_ROUNDS; r++) for (const q of queries) run(q);
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of queries) {
      const start = performance.now();
      run(q);
      times.push(performance.now() - start);
    }
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** Our index: Korean-aware tokenizer, glossary, speller, bigrams. */
export function benchOurs(sections: Section[], queries: string[], rounds: number): SearchFigures {
  const before = heapMb();
  const start = performance.now();
  const index = new SearchIndex(sections);
  const buildMs = performance.now() - start;
  const timing = timeQueries((q) => index.search(q, { limit: 5 }), queries, rounds);
  return { buildMs, ...timing, heapMb: heapMb() - before };
}

/**
 * What `/ask` runs for a question, beyond the search: the answer-or-refuse decision, the answering
 * sentences and the reply, over the same real questions in Korean and English.
 */
export function benchAnswers(base: KnowledgeBase, queries: string[], rounds: number): { p50: number; p99: number } {
  const knowledge = new Knowledge(base);
  return timeQueries((q) => answer(knowledge, { question: q, locale: 'ko', command: 'ask' }), queries, rounds);
}

/** MiniSearch with its default options over the same sections, as the baseline. */
export function benchDefault(sections: Section[], queries: string[], rounds: number): SearchFigures {
  const before = heapMb();
  const start = performance.now();
  const mini = new MiniSearch<{ id: string; title: string; heading: string; text: string }>({ fields: ['title', 'heading', 'text'] });
  mini.addAll(sections.map((s) => ({ id: s.id, title: s.noteTitle, heading: s.headingPath.join(' '), text: s.text })));
  const buildMs = performance.now() - start;
  const timing = timeQueries((q) => mini.search(q).slice(0, 5), queries, rounds);
  return { buildMs, ...timing, heapMb: heapMb() - before };
}
