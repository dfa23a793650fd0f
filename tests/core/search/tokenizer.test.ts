import { describe, expect, it } from 'vitest';
import { hangulBigrams, stripParticle, wordTerms } from '../../../src/core/search/tokenizer.ts';

describe('wordTerms', () => {
  it('keeps the whole Korean word and adds its particle-stripped stem', () => {
    expect(wordTerms('재해복구를')).toEqual(['재해복구를', '재해복구']);
    expect(wordTerms('전략은')).toEqual(['전략은', '전략']);
    expect(wordTerms('웜은')).toContain('웜');
  });

  it('splits mixed tokens at the script boundary and drops the bare particle', () => {
    expect(wordTerms('TANGO의 목표')).toEqual(['tango', '목표']);
    expect(wordTerms('S3로 전환')).toEqual(['s3', '전환']);
  });

  it('lower-cases English, stems it and drops question words', () => {
    expect(wordTerms('What are the DR Strategies?')).toEqual(['dr', 'strategi']);
    expect(wordTerms('decided')).toEqual(wordTerms('deciding'));
    expect(wordTerms('migration')).toEqual(wordTerms('migrate'));
    expect(wordTerms('RPO가 뭐야')).toEqual(['rpo']);
    expect(wordTerms('연사 누구누구임 어따 씀')).toEqual(['연사', '씀']);
  });

  it('keeps dotted names whole and in parts', () => {
    expect(wordTerms('Node.js로')).toEqual(['node.js', 'node', 'js']);
  });

  it('normalizes full-width letters and removes zero-width characters', () => {
    expect(wordTerms('ＡＷＳ\u200B백업')).toEqual(['aws', '백업']);
  });

  it('drops letters standing alone, as chat writes laughter and "go" (ㅋㅋ, ㅠㅠ, ㄱㄱ), but not the syllables they make', () => {
    expect(wordTerms('ㅋㅋㅋ 점심 ㄱㄱ ㅠㅠ')).toEqual(['점심']);
    expect(wordTerms('\u1100\u1161\u11A8')).toEqual(['각']);
  });

  it('never throws on odd input', () => {
    for (const input of ['', '   ', '🙂🙂', '\uD800', 'a'.repeat(10_000), 'مرحبا بالعالم', '<!channel> @everyone']) {
      expect(() => wordTerms(input)).not.toThrow();
    }
  });
});

describe('stripParticle', () => {
  it('strips the longest ending and refuses to leave nothing', () => {
    expect(stripParticle('백업에서는')).toBe('백업');
    expect(stripParticle('마이그레이션으로')).toBe('마이그레이션');
    expect(stripParticle('는')).toBeUndefined();
  });

  it('strips 하다 and 되다 as chat conjugates them on a noun, leaving the noun', () => {
    for (const [word, noun] of [['추적할수', '추적'], ['이관하려면', '이관'], ['구성돼', '구성'], ['절감했다고', '절감'], ['운영한대', '운영'], ['복구하면', '복구']]) {
      expect(stripParticle(word!), word).toBe(noun);
    }
  });

  it('strips the contracted particles of chat: 엔 (에는) even after one syllable, 에선 (에서는), 해선 (하여서는)', () => {
    for (const [word, noun] of [['전엔', '전'], ['쪽에선', '쪽'], ['부스에선', '부스'], ['관련해선', '관련']]) expect(stripParticle(word!), word).toBe(noun);
  });

  it('keeps 된, 돼 and 됨 standing alone as words, not dropped like a bare particle', () => {
    expect(wordTerms('구성 됨')).toEqual(['구성', '됨']);
  });
});

describe('hangulBigrams', () => {
  it('lets 복구 and 재해 복구 meet 재해복구 through shared bigrams', () => {
    const compound = new Set(hangulBigrams('재해복구를'));
    expect(hangulBigrams('복구').every((g) => compound.has(g))).toBe(true);
    expect(hangulBigrams('재해 복구').every((g) => compound.has(g))).toBe(true);
  });

  it('ignores Latin words', () => {
    expect(hangulBigrams('disaster recovery')).toEqual([]);
  });
});

describe('compounds and labels', () => {
  it('indexes a hyphenated compound joined and in parts', () => {
    expect(wordTerms('키-밸류 데이터')).toEqual(expect.arrayContaining(['키밸류', '밸류']));
    expect(wordTerms('multi-site')).toEqual(expect.arrayContaining(['multisit', 'multi', 'site']));
  });

  it('joins a label and its small number into one term', () => {
    expect(wordTerms('Day 1이랑 Session 3')).toEqual(expect.arrayContaining(['day1', 'session3']));
  });

  it('drops particles left alone by a split, and keeps two-syllable nouns ending in 이 whole', () => {
    expect(wordTerms('AWS에서')).toEqual(['aws']);
    expect(wordTerms('데이')).toEqual(['데이']);
  });
});
