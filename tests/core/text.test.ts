import { describe, expect, it } from 'vitest';
import { cut } from '../../src/core/commands/ask.ts';
import { clip } from '../../src/core/text.ts';

describe('clip', () => {
  it('never leaves half of an emoji at the cut', () => {
    const value = `${'a'.repeat(8)}😀😀😀`;
    for (let max = 2; max < value.length; max++) {
      const out = clip(value, max);
      expect(out.length).toBeLessThanOrEqual(max);
      expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    }
  });
});

describe('cut (passages in replies)', () => {
  it('ends a shortened passage at a word, with the "shortened" note, within the limit', () => {
    const passage = '재해 복구 전략은 RTO와 RPO 목표에 따라 고릅니다. '.repeat(10);
    const out = cut(passage, 100, 'ko');
    expect(out.length).toBeLessThanOrEqual(100);
    expect(out).toMatch(/…\n\(내용이 길어 일부만 표시했습니다\)$/);
    expect(passage.startsWith(out.split('…')[0]!)).toBe(true);
    expect(out.split('…')[0]!.endsWith(' ')).toBe(false);
  });

  it('leaves a short passage alone', () => {
    expect(cut('RPO는 데이터 손실 허용 시간', 100, 'en')).toBe('RPO는 데이터 손실 허용 시간');
  });
});
