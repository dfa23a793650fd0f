import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKnowledge } from '../../../src/core/knowledge/loader.ts';
import { DEFAULT_KNOWLEDGE_DIR } from '../../../src/core/knowledge/paths.ts';
import { SearchIndex } from '../../../src/core/search/index.ts';
import { evaluate, parseEvalFile, passageOf } from '../../../src/core/search/eval.ts';

let index: SearchIndex;
beforeAll(() => {
  index = new SearchIndex(loadKnowledge(DEFAULT_KNOWLEDGE_DIR).sections);
});

const top = (q: string) => index.search(q, { limit: 3 })[0];

describe('ranking on real questions', () => {
  it.each([
    ['RPO가 뭐야', '복구 목표'],
    ['what is pilot light', '파일럿 라이트'],
    ['웜 스탠바이는 언제 써?', '웜 스탠바이'],
    ['재해복구를 자동화하는 단계', '5단계'],
    ['그래비톤', 'Graviton'],
    ['graviotn', 'Graviton'],
    ['스텐바이', '웜 스탠바이'],
    ['what swag did you get at the expo', '기념품'],
    ['TANGO의 클라우드 전환 목표', '클라우드 전환 목표'],
  ])('%s → a section about %s', (question, expected) => {
    const best = top(question);
    // About it: named in its heading, or the subject of its text.
    expect(`${best?.citation}\n${best?.section.text}`).toContain(expected);
  });

  it('finds a compound whether or not it is spaced', () => {
    const spaced = index.search('재해 복구', { limit: 3 }).map((h) => h.section.noteId);
    const joined = index.search('재해복구', { limit: 3 }).map((h) => h.section.noteId);
    expect(spaced[0]).toBe(joined[0]);
  });

  it('answers English questions over Korean notes', () => {
    expect(top('disaster types')?.section.text).toMatch(/자연재해/);
    expect(top('wide column store')?.section.text).toMatch(/Keyspaces/);
  });

  it('marks unrelated questions as weak matches', () => {
    for (const q of ['피자 레시피 알려줘', 'kubernetes operator', 'weather tomorrow']) {
      const best = top(q);
      expect(best === undefined || best.coverage <= 0.5, q).toBe(true);
    }
  });

  it('scopes search to tagged notes', () => {
    const hits = index.search('비용', { tags: ['dr'], limit: 5 });
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.section.tags.includes('dr'))).toBe(true);
  });

  it('cuts a huge query instead of working on all of it', () => {
    expect(() => index.search('재해복구 '.repeat(5000))).not.toThrow();
  });

  it('meets the quality bar on the shared dev set', () => {
    const file = fileURLToPath(new URL('../../../../shared/eval/dev.jsonl', import.meta.url));
    let content: string;
    try {
      content = readFileSync(file, 'utf8');
    } catch {
      return; // The dev set lives beside the repository; without it there is nothing to measure.
    }
    const report = evaluate(parseEvalFile(content, file), (q) => index.search(q, { limit: 5 }).map((hit) => passageOf(hit)));
    expect(report.hitAt3).toBeGreaterThanOrEqual(0.95);
    expect(report.hitAt1).toBeGreaterThanOrEqual(0.85);
  });
});
