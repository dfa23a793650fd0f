import { describe, expect, it } from 'vitest';
import { cleanQuestion, questionLanguage, smallTalk } from '../../../src/core/search/question.ts';

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
    expect(cleanQuestion('summarize the keynote in a few lines')).toBe('summarize the keynote');
    expect(cleanQuestion('explain RTO in 2 sentences')).toBe('explain RTO');
    expect(cleanQuestion('DR 세션 세 줄로 요약해줘')).toBe('DR 세션 요약해줘');
    expect(cleanQuestion('aws backup 한줄요약 ㄱㄱ')).toBe('aws backup 요약 ㄱㄱ');
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

describe('smallTalk', () => {
  it('tells a message that only greets or thanks, and which', () => {
    const courtesies = { '안녕하세요~': 'greeting', 'hi there': 'greeting', 'hi, thanks so much!!': 'thanks', '고마워요!! 덕분에 살았음': 'thanks', '감사합니다 🙏': 'thanks' };
    for (const [message, kind] of Object.entries(courtesies)) expect(smallTalk(message), message).toBe(kind);
  });

  it('leaves anything that asks or names a topic to search, and a filler alone too', () => {
    for (const message of ['hi what is RPO', 'thank you for the badge tip', '안녕 점심 어디서 받아?', 'a lot', '🙏']) expect(smallTalk(message), message).toBeUndefined();
  });
});
