import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../../src/core/knowledge/loader.ts';
import { DEFAULT_KNOWLEDGE_DIR } from '../../../src/core/knowledge/paths.ts';
import type { Section } from '../../../src/core/knowledge/types.ts';
import { SearchEngine } from '../../../src/core/search/engine.ts';
import { parseEvalFile } from '../../../src/core/search/eval.ts';
import { DEFAULT_TUNING, SearchIndex } from '../../../src/core/search/index.ts';
import { topicKnowledge } from '../../helpers.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const shipped = loadKnowledge(DEFAULT_KNOWLEDGE_DIR).sections;
const questions = parseEvalFile(readFileSync(join(ROOT, 'tests/fixtures/eval/holdout.jsonl'), 'utf8'), 'holdout.jsonl').map((c) => c.q);
const bm25 = DEFAULT_TUNING.bm25;

/**
 * What a search answers: every hit's score and coverage (rounded: an engine changed step by step sums its field
 * lengths in another order) and which sections they are. Sections with equal scores come in the order they were
 * indexed, which a change alters, as any build order would: they are compared as a set, and the lowest score's
 * sections not at all, since the limit may cut that tie anywhere.
 */
function answers(index: SearchIndex): { q: string; scores: string[]; above: string[] }[] {
  return [...questions, 'graviotn', '그래비톤', '다이나모디비', 'zorblaxite'].map((q) => {
    const hits = index.search(q, { limit: 8 }).map((hit) => ({ id: hit.section.id, score: hit.score.toFixed(6), coverage: hit.coverage.toFixed(6) }));
    const lowest = hits.at(-1)?.score;
    return {
      q,
      scores: hits.map((hit) => `${hit.score} ${hit.coverage}`),
      above: hits.filter((hit) => hit.score !== lowest).map((hit) => `${hit.score} ${hit.id}`).sort(),
    };
  });
}

/** The shipped sections as an earlier version of the notes: some notes missing, some sections with other text, a note that is gone now. */
function earlierVersion(sections: Section[]): Section[] {
  const gone: Section = { ...sections[0]!, id: 'old-note/intro', noteId: 'old-note', text: 'zorblaxite 는 이제 없는 노트의 단어 graviton backup' };
  return [
    gone,
    ...sections
      .filter((section) => section.noteId !== 'keynote')
      .map((section, i) => (i % 5 === 0 ? { ...section, text: `${section.text} zorblaxite 예전 문장 migration standby` } : section)),
  ];
}

describe('SearchEngine', () => {
  it('changed section by section (removed, changed, added) answers as a fresh build of the same sections does, statistics included', async () => {
    const engine = SearchEngine.build(earlierVersion(shipped), bm25);
    expect(await engine.changeInSlices(shipped)).toBe(true);
    const fresh = SearchEngine.build(shipped, bm25);

    expect(answers(new SearchIndex(shipped, { engine }))).toEqual(answers(new SearchIndex(shipped, { engine: fresh })));
    const changed = engine.state();
    const built = fresh.state();
    expect(changed.fieldFrequency).toEqual(built.fieldFrequency);
    expect(changed.sectionFrequency).toEqual(built.sectionFrequency);
    expect(changed.speller.counts).toEqual(built.speller.counts);
    expect(changed.speller.written).toEqual(built.speller.written);
    expect(changed.documentCount).toBe(shipped.length);
    expect(engine.frequency('zorblaxite')).toBe(0);
  });

  it('a copy answers as the original does, and changing the copy leaves the original as it was', async () => {
    const original = SearchEngine.build(shipped, bm25);
    const before = answers(new SearchIndex(shipped, { engine: original }));
    const copy = await original.copyInSlices();
    expect(copy).toBeDefined();
    expect(answers(new SearchIndex(shipped, { engine: copy! }))).toEqual(before);

    const later = earlierVersion(shipped);
    await copy!.changeInSlices(later);
    expect(answers(new SearchIndex(shipped, { engine: original }))).toEqual(before);
    expect(new SearchIndex(later, { engine: copy! }).search('zorblaxite').length).toBeGreaterThan(0);
    expect(new SearchIndex(shipped, { engine: original }).search('zorblaxite')).toEqual([]);
  });

  it('re-indexes only sections whose indexed text changed; one parsed again with the same text is cited where it is now', async () => {
    const engine = SearchEngine.build(shipped, bm25);
    // The notes parsed again after an edit: new objects throughout, lines moved, one section's text changed.
    const edited = shipped.map((section, i) => ({ ...section, line: section.line + 3, ...(i === 7 ? { text: `${section.text} zorblaxite` } : {}) }));
    let steps = 0;
    for (const _ of engine.changesTo(edited)) steps++;
    // One step to take the changed section out, one to put it back: nothing else was indexed again.
    expect(steps).toBe(2);

    const fresh = SearchEngine.build(edited, bm25);
    expect(answers(new SearchIndex(edited, { engine }))).toEqual(answers(new SearchIndex(edited, { engine: fresh })));
    const [hit] = new SearchIndex(edited, { engine }).search('zorblaxite');
    expect(hit?.section).toBe(edited[7]);
    expect(new SearchIndex(edited, { engine }).search(shipped[3]!.heading)[0]?.section.line).toBe(shipped[3]!.line + 3);
  });

  it('learns spellings from what the notes write, not from the questions they list, which it still searches', () => {
    const lunch = (written: string) =>
      topicKnowledge('lunch', '점심', ['## 점심 (Lunch)', '점심은 런치박스로 나온다.', ':::en', written, ':::', ':::questions', '- was the lunch partly vegan?', ':::']);
    const wordsIn = (knowledge: ReturnType<typeof lunch>, question: string) => knowledge.index.analyze(question).pieces.flatMap((piece) => [...piece.words]);
    const plain = lunch('Lunch comes as a lunch box.');
    // "party" is not a typo of a listed question's "partly".
    expect(wordsIn(plain, 'was there a party')).not.toContain('partli');
    expect(plain.index.search('partly').map((hit) => hit.section.heading)).toEqual(['점심 (Lunch)']);
    // Nor is a word only a listed question uses a typo of one the notes write ("partly" of "party").
    expect(wordsIn(lunch('Lunch comes as a lunch box; there is no party.'), 'partly')).toEqual(['partli']);
  });

  it('refuses a state that does not hold the sections it is to serve', () => {
    const state = SearchEngine.build(shipped.slice(1), bm25).state();
    expect(() => SearchEngine.fromState(state, shipped, bm25)).toThrow(/is not in the index/);
    expect(() => SearchEngine.fromState(SearchEngine.build(shipped, bm25).state(), shipped.slice(1), bm25)).toThrow(/sections the notes do not have/);
  });
});
