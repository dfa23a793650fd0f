import { describe, expect, it } from 'vitest';
import { cleanQuestion, questionLanguage } from '../../../src/core/search/question.ts';

describe('cleanQuestion', () => {
  it('drops mention markup of both platforms, wherever it stands', () => {
    expect(cleanQuestion('@everyone RPO가 뭐야')).toBe('RPO가 뭐야');
    expect(cleanQuestion('<!channel> <@U123ABC> what is pilot light <@&42>')).toBe('what is pilot light');
    expect(cleanQuestion('<@!1234567890> @summit-bot 점심 어디서 먹어?')).toBe('점심 어디서 먹어?');
  });

  it('keeps what only looks like a mention inside a word', () => {
    expect(cleanQuestion('mail team@example.com about DR')).toBe('mail team@example.com about DR');
  });
});

describe('questionLanguage', () => {
  it('reads Hangul as Korean, English sentences as English, and leaves a bare name undecided', () => {
    expect(questionLanguage('RPO가 뭐야')).toBe('ko');
    expect(questionLanguage('TANGO 클라우드 전환 목표')).toBe('ko');
    expect(questionLanguage('what is pilot light')).toBe('en');
    expect(questionLanguage('AWS Backup supported resource types')).toBe('en');
    expect(questionLanguage('graviton')).toBeUndefined();
    expect(questionLanguage('🙂 15:20')).toBeUndefined();
  });
});
