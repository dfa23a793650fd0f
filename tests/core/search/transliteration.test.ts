import { describe, expect, it } from 'vitest';
import { hangulKeys, latinKeys, letterReadings } from '../../../src/core/search/transliteration.ts';
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

  it('reads an acronym spelled by letter names as its letters when the notes use them, not as the sounds of other words', () => {
    const notes = new Speller();
    for (const [word, term] of [['stats', 'stat'], ['cdc', 'cdc']] as const) {
      notes.addWritten(word, term);
      notes.add(term);
    }
    expect(notes.transliterate('씨디씨')).toEqual(['cdc']);
    const withoutCdc = new Speller();
    withoutCdc.addWritten('stats', 'stat');
    withoutCdc.add('stat');
    // Three consonants alone (S T S) say too little to read 씨디씨 as stats.
    expect(withoutCdc.transliterate('씨디씨')).toEqual([]);
  });

  it('does not read a word by three consonants alone, nor a two-syllable word by its sounds: those match English words by chance', () => {
    const notes = new Speller();
    for (const [word, term] of [['receive', 'receiv'], ['badge', 'badg'], ['began', 'began'], ['region', 'region'], ['redis', 'redi']] as const) notes.addWritten(word, term);
    // 레시피 (recipe) shares only L S P with receive, 부탁 (a favour) only P T K with badge.
    expect(notes.transliterate('레시피')).toEqual([]);
    expect(notes.transliterate('부탁')).toEqual([]);
    // 비건 (vegan) sounds like "began", vowels and all, but two-syllable words are mostly native ones.
    expect(notes.transliterate('비건')).toEqual([]);
    expect(notes.transliterate('월간')).toEqual([]);
    // Three syllables that sound the same still read as the English word.
    expect(notes.transliterate('레디스')).toEqual(['redi']);
  });
});

describe('Speller.transliterate: names that start with an acronym', () => {
  it('reads the acronym by its letter names and the rest by its sounds (에스케이텔레콤 = SK Telecom, 엘지유플 = LG …)', () => {
    const notes = new Speller();
    for (const [word, term] of [['sk', 'sk'], ['telecom', 'telecom'], ['lg', 'lg']] as const) {
      notes.addWritten(word, term);
      notes.add(term);
    }
    expect(notes.transliterate('에스케이텔레콤')).toEqual(['sk', 'telecom']);
    expect(notes.transliterate('엘지유플')).toEqual(['lg']);
    expect(notes.transliterate('에스케이')).toEqual(['sk']);
  });
});

describe('letterReadings', () => {
  it('reads a spelling by letter and digit names, however the names split', () => {
    expect(letterReadings('씨티오')).toEqual(['cto']);
    expect(letterReadings('이씨투')).toEqual(['ec2']);
    expect(letterReadings('에이치에이')).toEqual(['ha']);
    expect(letterReadings('엘지')).toEqual(['lg']);
  });

  it('reads nothing from a word that is not all letter names, or says fewer than two letters', () => {
    expect(letterReadings('씨디씨네')).toEqual([]);
    expect(letterReadings('원투')).toEqual([]);
    expect(letterReadings('씨')).toEqual([]);
  });
});
