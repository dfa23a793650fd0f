import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SearchResult } from 'minisearch';
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../../src/core/knowledge/loader.ts';
import { DEFAULT_KNOWLEDGE_DIR } from '../../../src/core/knowledge/paths.ts';
import { SearchEngine } from '../../../src/core/search/engine.ts';
import { parseEvalFile } from '../../../src/core/search/eval.ts';
import { DEFAULT_TUNING, SearchIndex } from '../../../src/core/search/index.ts';
import type { TermGroup } from '../../../src/core/search/ranking.ts';
import { isHangul } from '../../../src/core/search/tokenizer.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const sections = loadKnowledge(DEFAULT_KNOWLEDGE_DIR).sections;
const { bm25, fieldBoost } = DEFAULT_TUNING;
const engine = SearchEngine.build(sections, bm25);
const index = new SearchIndex(sections, { engine });
const questions = [
  ...parseEvalFile(readFileSync(join(ROOT, 'tests/fixtures/eval/holdout.jsonl'), 'utf8'), 'holdout.jsonl').map((c) => c.q),
  // Prefixes of longer terms (migrat…), unknown words, a word that is also a bigram.
  'migrating databases to aurora',
  'zorblaxite replicat',
  'gravit hetero backgr questi',
  '복구 재해복구 복구',
];

/** Groups as SearchIndex makes them, without its choice of terms: every word and bigram, some twice. */
function groupsOf(question: string): TermGroup[] {
  const { words, grams } = index.analyze(question);
  const groups: TermGroup[] = [
    {
      terms: [...words, ...words.slice(0, 1)],
      fields: ['title', 'headings', 'keywords', 'text'],
      boost: (term) => (term.length > 4 ? 1 : 0.3),
      prefix: (term) => !isHangul(term) && term.length >= 5 && engine.frequency(term) === 0,
    },
    { terms: [...grams, ...words.filter(isHangul)], fields: ['grams'], boost: (term) => (grams.includes(term) ? 0.25 : 0.075) },
  ];
  return groups.filter((group) => group.terms.length > 0);
}

/** Own and inherited query terms from MiniSearch's `match`, as the search read them before it ranked by itself. */
function miniMatched(result: SearchResult): { own: string[]; inherited: string[] } {
  const ownForms = Object.keys(result.match).filter((form) => result.match[form]!.some((field) => field !== 'title' && field !== 'keywords'));
  const own = result.queryTerms.filter((term) => ownForms.some((form) => form.startsWith(term)));
  return { own: own.sort(), inherited: result.queryTerms.filter((term) => !own.includes(term)).sort() };
}

describe('Bm25Ranker', () => {
  it.each([undefined, (id: string) => id.startsWith('dr')])('scores, orders and splits matched terms exactly as MiniSearch does (filter: %s)', (allowed) => {
    for (const question of questions) {
      const groups = groupsOf(question);
      const expected = engine.mini
        .search(
          { combineWith: 'OR', queries: groups.map((group) => ({ queries: [group.terms.join(' ')], fields: [...group.fields], prefix: group.prefix ?? false, boostTerm: group.boost })) },
          { boost: fieldBoost, bm25, tokenize: (text) => text.split(' '), processTerm: (term) => term, filter: allowed && ((result) => allowed(String(result.id))) },
        )
        .slice(0, 40);
      const ranking = engine.ranker().rank(groups, fieldBoost, 40, allowed);
      expect(ranking.ids, question).toEqual(expected.map((result) => result.id));
      expect(ranking.scores, question).toEqual(expected.map((result) => result.score));
      const terms = [...new Set(groups.flatMap((group) => group.terms))];
      ranking.matched.forEach((matched, i) => {
        const split = { own: terms.filter((term) => matched.own.has(term)).sort(), inherited: terms.filter((term) => matched.inherited.has(term)).sort() };
        expect(split, question).toEqual(miniMatched(expected[i]!));
      });
    }
  });

  it('a query that fails half-way leaves nothing behind for the next', () => {
    const groups = groupsOf('재해복구 전략');
    const before = engine.ranker().rank(groups, fieldBoost, 40);
    let calls = 0;
    const failing = (id: string) => {
      if (++calls > 3) throw new Error(`filter failed at ${id}`);
      return true;
    };
    expect(() => engine.ranker().rank(groups, fieldBoost, 40, failing)).toThrow('filter failed');
    expect(engine.ranker().rank(groups, fieldBoost, 40).scores).toEqual(before.scores);
  });

  it('is made anew when the engine changes, sized to its sections', () => {
    const changing = SearchEngine.build(sections.slice(0, 10), bm25);
    const before = changing.ranker();
    for (const _ of changing.changesTo(sections.slice(0, 20)));
    expect(changing.ranker()).not.toBe(before);
    expect(changing.ranker().rank(groupsOf('재해복구 전략'), fieldBoost, 40).ids.length).toBeGreaterThan(0);
  });
});
