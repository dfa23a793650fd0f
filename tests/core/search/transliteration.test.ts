import { describe, expect, it } from 'vitest';
import { hangulKeys, latinKeys } from '../../../src/core/search/transliteration.ts';
import { Speller } from '../../../src/core/search/spelling.ts';

describe('sound keys', () => {
  it.each([
    ['그래비톤', 'graviton'],
    ['슬레이브', 'slave'],
    ['마이그레이션', 'migration'],
    ['클라우드포메이션', 'cloudformation'],
    ['서버리스', 'serverless'],
    ['테라폼', 'terraform'],
  ])('%s sounds like %s, vowels and all', (korean, english) => {
    expect(hangulKeys(korean)?.fine).toBe(latinKeys(english)?.fine);
  });

  it('keeps the consonants alone for spellings that sound letters out', () => {
    expect(hangulKeys('다이나모디비')?.fine).not.toBe(latinKeys('dynamodb')?.fine);
    expect(hangulKeys('다이나모디비')?.coarse).toBe(latinKeys('dynamodb')?.coarse);
  });
});

describe('Speller.transliterate', () => {
  const speller = new Speller();
  for (const [word, term] of [['self', 'self'], ['solve', 'solv'], ['slave', 'slave'], ['dynamodb', 'dynamodb']] as const) speller.addWritten(word, term);

  it('prefers the word that sounds the same to one that only shares its consonants', () => {
    expect(speller.transliterate('슬레이브')).toEqual(['slave']);
  });

  it('falls back to the consonants, and knows nothing it was not given', () => {
    expect(speller.transliterate('다이나모디비')).toEqual(['dynamodb']);
    expect(speller.transliterate('포스트그레스')).toEqual([]);
  });
});
