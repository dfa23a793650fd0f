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

  it('drops a request for a short answer, which no passage has to hold', () => {
    expect(cleanQuestion('what is AWS Backup in one line')).toBe('what is AWS Backup');
    expect(cleanQuestion('파일럿 라이트 한줄로 설명해줘')).toBe('파일럿 라이트 설명해줘');
    expect(cleanQuestion('RPO 간단히')).toBe('RPO');
    expect(cleanQuestion('간단히')).toBe('간단히');
    expect(cleanQuestion('how long was the lunch line')).toBe('how long was the lunch line');
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
