import { describe, expect, it } from 'vitest';
import { editDistance, Speller } from '../../../src/core/search/spelling.ts';

describe('editDistance', () => {
  it('counts an adjacent swap as one edit', () => {
    expect(editDistance('graviotn', 'graviton')).toBe(1);
    expect(editDistance('스텐바이', '스탠바이')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
  });

  it('stops at the limit', () => {
    expect(editDistance('aaaaaaaa', 'bbbbbbbb', 2)).toBe(2);
  });
});

describe('Speller', () => {
  const speller = new Speller();
  for (const word of ['graviton', 'database', 'database', 'database', '스탠바이', 'backup']) speller.add(word);

  it('corrects an unknown word one edit away, preferring the more frequent of equals', () => {
    expect(speller.correct('graviotn')).toBe('graviton');
    expect(speller.correct('스텐바이')).toBe('스탠바이');
  });

  it('leaves known, short and far-off words alone', () => {
    expect(speller.correct('graviton')).toBeUndefined();
    expect(speller.correct('bakup')).toBe('backup');
    expect(speller.correct('dr')).toBeUndefined();
    expect(speller.correct('kubernetes')).toBeUndefined();
  });
});

describe('short English stems', () => {
  const speller = new Speller();
  for (const word of ['recap', 'recap', 'backup']) speller.add(word);

  it('are not "fixed" into another word by one changed letter', () => {
    expect(speller.correct('recip')).toBeUndefined();
    expect(speller.correct('bakup')).toBe('backup');
    expect(speller.correct('rceap')).toBe('recap');
  });

  it('are not shortened into another word: the stemmer writes party as parti, which is no typo of part', () => {
    const notes = new Speller();
    notes.add('part');
    expect(notes.correct('parti')).toBeUndefined();
  });
});
