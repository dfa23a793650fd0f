import { describe, expect, it } from 'vitest';
import { expandQuery, Glossary } from '../../../src/core/search/glossary.ts';
import { pieces, stemLatin } from '../../../src/core/search/tokenizer.ts';

const glossary = new Glossary();
const expansionOf = (question: string) => expandQuery(pieces(question), glossary);

describe('expandQuery', () => {
  it('adds the synonyms of a term both ways', () => {
    expect(expansionOf('재해복구 전략').words).toContain(stemLatin('disaster'));
    expect(expansionOf('disaster recovery').words).toContain('재해복구');
    expect(expansionOf('where did the summit take place').words).toEqual(expect.arrayContaining([stemLatin('held'), '열렸']));
    expect(expansionOf('키노트 실물로 보려면').words).toContain('오프라인');
  });

  it('reads a kind as the things of that kind, and a thing as itself', () => {
    const byKind = expansionOf('which processor');
    expect(byKind.words).toContain('graviton');
    expect(byKind.synonyms.get('processor')).toContainEqual([stemLatin('graviton')]);
    expect(expansionOf('통신사 부스').words).toEqual(expect.arrayContaining(['skt', 'telecom']));
    expect(expansionOf('graviton tips').words).not.toContain(stemLatin('processor'));
    expect(expansionOf('skt booth').words).not.toContain(stemLatin('telco'));
  });
});
