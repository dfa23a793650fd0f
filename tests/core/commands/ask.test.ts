import { describe, expect, it } from 'vitest';
import { run, testBot } from '../../helpers.ts';

describe('/ask', () => {
  const bot = testBot();

  it('answers with the best passage and cites its note and file', async () => {
    const { reply, text } = await run(bot, 'ask', 'RPO가 뭐야');
    expect(reply.isError).toBeUndefined();
    expect(text).toContain('RPO');
    const citation = reply.blocks.find((b) => b.type === 'citation');
    expect(citation?.type === 'citation' && citation.citations[0]?.source).toBe('sessions/multi-region-dr.md');
    expect(reply.visibility).toBe('private');
    expect(reply.blocks.some((b) => b.type === 'actions')).toBe(true);
  });

  it('answers a greeting or a thanks in kind, in its language, without searching the notes or offering feedback', async () => {
    const hello = await run(bot, 'ask', '안녕하세요~');
    expect(hello.reply.isError).toBeUndefined();
    expect(hello.text).toContain('물어보세요');
    expect(hello.text).toContain('/ask RPO가 뭐야');
    expect(hello.reply.answer).toBeUndefined();
    const thanks = await run(bot, 'ask', 'thanks a lot!');
    expect(thanks.text).toContain('You are welcome');
    expect(thanks.reply.answer).toBeUndefined();
    // A thanks that asks something is a question.
    expect((await run(bot, 'ask', 'thanks! what is RPO')).text).toContain('Recovery');
  });

  it('answers an English question in English; a short passage is shown whole', async () => {
    const { reply, text } = await run(bot, 'ask', 'how early should I queue for a popular session');
    const firstText = reply.blocks.find((b) => b.type === 'text');
    expect(firstText?.type === 'text' && firstText.text).toMatch(/^Between sessions .* at least 10 minutes early/s);
    expect(text).toContain('Breaks & Queueing');
    expect(text).not.toMatch(/\p{Script=Hangul}{2,}.*쉬는 시간/u);
    expect(reply.locale).toBe('en');
  });

  it('leads a long passage with the sentences that answer, and offers the rest behind "more"', async () => {
    const { reply } = await run(bot, 'ask', 'TANGO에서 클라우드로 옮기는 기능은?');
    const firstText = reply.blocks.find((b) => b.type === 'text');
    expect(firstText?.type === 'text' && firstText.text).toContain('O(Operation)·I(Inventory)·P(Platform)가 클라우드 전환 대상');
    expect(firstText?.type === 'text' && firstText.text).not.toContain('장비관리');
    const buttons = reply.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : []));
    expect(buttons).toContainEqual({ kind: 'more', label: '더 보기', command: '/ask TANGO에서 클라우드로 옮기는 기능은? full=true' });
    const whole = await run(bot, 'ask', 'TANGO에서 클라우드로 옮기는 기능은? full=true');
    expect(whole.text).toContain('장비관리');
    expect(whole.reply.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : [])).map((a) => a.kind)).toEqual(['share']);
  });

  it('answers a Korean question in Korean, whatever the bot locale', async () => {
    const { text } = await run(testBot({ locale: 'en' }), 'ask', '인기 세션은 몇 분 전에 줄 서야 해?');
    expect(text).toContain('10분');
  });

  it('ignores mention markup before a question', async () => {
    const plain = await run(bot, 'ask', 'RPO가 뭐야');
    const mentioned = await run(bot, 'ask', '@everyone RPO가 뭐야');
    expect(mentioned.text).toBe(plain.text.replace('RPO가 뭐야', 'RPO가 뭐야'));
    expect(mentioned.reply.isError).toBeUndefined();
  });

  it('refuses gibberish instead of showing a passage', async () => {
    for (const q of ['가가가가가가', 'asdf qwer', 'ㅋㅋㅋㅋ']) {
      const { reply } = await run(bot, 'ask', q);
      expect(reply.isError).toBe(true);
    }
  });

  it('says so, and suggests commands and notes, when nothing matches well', async () => {
    const { reply, text } = await run(bot, 'ask', '피자 레시피 알려줘');
    expect(reply.isError).toBe(true);
    expect(text).toContain('찾지 못했습니다');
    expect(text).toContain('/session');
  });

  it('says the notes do not name a session\'s speakers when asked who gave it', async () => {
    const korean = await run(bot, 'ask', '다이나모DB 세션 연사 누구야');
    expect(korean.text).toContain('"갤럭시 규모의 서비스를 위한 Amazon DynamoDB의 역할과 비용 최적화 방법" 세션의 연사가 적혀 있지 않습니다');
    expect(korean.text).not.toContain('찾지 못했습니다');
    const english = await run(bot, 'ask', 'who presented the DynamoDB session');
    expect(english.text).toContain('The notes do not say who presented "The Role of Amazon DynamoDB in Galaxy-Scale Services');
  });

  it('says the notes do not record a detail they are known to lack, and names the topic they do cover', async () => {
    const korean = await run(bot, 'ask', 'DR 데모 때 DR 리전은 어디 썼어? 도쿄?');
    expect(korean.reply.isError).toBe(true);
    expect(korean.text).toMatch(/노트에는 ".*"에 답하는 내용이 적혀 있지 않습니다\. 가까운 주제는 .*Multi-Region DR|재해복구/);
    const english = await run(bot, 'ask', 'which AWS regions did the DR demo use?');
    expect(english.text).toMatch(/The notes do not record the answer to ".*"\. The closest topic they cover is /);
    expect(english.text).not.toContain('could not find');
  });

  it('asks for a question when there is none', async () => {
    const { reply, text } = await run(bot, 'ask', '   ');
    expect(reply.isError).toBe(true);
    expect(text).toContain('/ask');
  });

  it('answers publicly on request', async () => {
    const { reply } = await run(bot, 'ask', 'public=true 그래비톤');
    expect(reply.visibility).toBe('public');
  });

  it('stays friendly on huge, emoji and mixed-script input', async () => {
    for (const q of ['🙂'.repeat(3000), '재해복구 disaster 復旧 🙂 <!channel>', 'x'.repeat(100_000), '\u0000\u202E']) {
      const { text } = await run(bot, 'ask', q);
      expect(text.length).toBeGreaterThan(0);
      expect(text.length).toBeLessThan(4000);
    }
  });

  it('uses English UI strings with BOT_LOCALE=en while knowledge stays Korean', async () => {
    const { text } = await run(testBot({ locale: 'en' }), 'ask', 'pizza recipe');
    expect(text).toContain('I could not find');
  });
});

describe('unknown commands', () => {
  it('point to /help', async () => {
    const { reply, text } = await run(testBot(), 'nope');
    expect(reply.isError).toBe(true);
    expect(text).toContain('/help');
  });
});
