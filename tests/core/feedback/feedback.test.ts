import { describe, expect, it } from 'vitest';
import { createBot, type Bot } from '../../../src/core/bot.ts';
import { createCommands } from '../../../src/core/commands/index.ts';
import type { CommandRequest } from '../../../src/core/commands/types.ts';
import { FeedbackService, feedbackSalt, RATABLE_MS, SALT_SETTING } from '../../../src/core/feedback/service.ts';
import type { Action, Reply } from '../../../src/core/reply.ts';
import { toPlainText } from '../../../src/core/reply.ts';
import type { Store } from '../../../src/core/store.ts';
import { MemoryStore } from '../../../src/store/memory.ts';
import { FakeClock } from '../../store/fixtures.ts';
import { shippedKnowledge } from '../../helpers.ts';

const DAY = 24 * 60 * 60_000;
const REFUSED_QUESTION = '회사 주차장 정기권은 어디서 신청해';

interface Harness {
  bot: Bot;
  store: MemoryStore;
  clock: FakeClock;
  feedback?: FeedbackService;
  ask(line: string, who?: Partial<CommandRequest>): Promise<Reply>;
}

function harness(options: { feedback?: boolean; store?: Store; retentionDays?: number } = {}): Harness {
  const store = new MemoryStore();
  const clock = new FakeClock('2026-05-04T01:00:00Z');
  const feedback =
    options.feedback === false
      ? undefined
      : new FeedbackService({ store: options.store ?? store, clock, salt: 'test-salt-0123456789', retentionMs: (options.retentionDays ?? 90) * DAY });
  const bot = createBot({ commands: createCommands(), knowledge: shippedKnowledge, clock, locale: 'ko', timeZone: 'Asia/Seoul', ...(feedback ? { feedback } : {}) });
  const ask = (line: string, who: Partial<CommandRequest> = {}) => {
    const [, command = '', text = ''] = /^\/(\S+)\s*(.*)$/.exec(line) ?? [];
    return bot.handle({ command, text, user: { id: 'U1' }, target: 'slack:C1', platform: 'slack', ...who });
  };
  return { bot, store, clock, ...(feedback ? { feedback } : {}), ask };
}

const feedbackActions = (reply: Reply): Action[] => reply.blocks.flatMap((b) => (b.type === 'actions' ? b.actions.filter((a) => a.kind === 'feedback') : []));

describe('feedback on answers', () => {
  it('puts 👍/👎 after the share button of an answer, carrying one answer id, and records nothing until a vote', async () => {
    const { ask, store } = harness();
    const reply = await ask('/ask RPO가 뭐야');
    const row = reply.blocks.find((b) => b.type === 'actions');
    // ("more" comes after share when the passage is long.)
    expect(row?.type === 'actions' && row.actions.map((a) => a.kind).filter((kind) => kind !== 'more')).toEqual(['share', 'feedback', 'feedback']);
    const [good, bad] = feedbackActions(reply);
    expect(good?.label).toBe('👍 도움이 됐어요');
    expect(bad?.label).toBe('👎 아쉬워요');
    expect(good?.command).toMatch(/^\/feedback good [A-Za-z0-9_-]{12}$/);
    expect(bad?.command).toBe(good?.command.replace('good', 'bad'));
    expect(await store.feedbackSince(new Date(0))).toEqual([]);
  });

  it('labels the buttons in the answer’s language and offers them on /dr questions, not on the strategy table or advice', async () => {
    const { ask } = harness();
    expect(feedbackActions(await ask('/ask what is pilot light')).map((a) => a.label)).toEqual(['👍 Helpful', '👎 Not helpful']);
    expect(feedbackActions(await ask('/dr 파일럿 라이트가 뭐야'))).toHaveLength(2);
    expect(feedbackActions(await ask('/dr'))).toEqual([]);
    expect(feedbackActions(await ask('/dr rto=4h rpo=15m'))).toEqual([]);
    expect(feedbackActions(await ask('/session 3'))).toEqual([]);
  });

  it('records a vote with the question, the citation shown and the time; a second vote changes it, the same one changes nothing', async () => {
    const { ask, store, clock } = harness();
    const answer = await ask('/ask RPO가 뭐야');
    const [good, bad] = feedbackActions(answer);
    const recorded = await ask(good!.command);
    expect(toPlainText(recorded)).toContain('도움이 됐다고 기록했습니다');
    expect(toPlainText(recorded)).toContain('질문: RPO가 뭐야');
    expect(recorded.visibility).toBe('private');

    clock.advance(60_000);
    expect(toPlainText(await ask(good!.command))).toContain('이미 이 답변을 👍(으)로 평가하셨습니다');
    expect(toPlainText(await ask(bad!.command))).toContain('평가를 👎(으)로 바꿨습니다');
    const citation = answer.blocks.find((b) => b.type === 'citation');
    expect(await store.feedbackSince(new Date(0))).toEqual([
      {
        kind: 'vote',
        vote: 'bad',
        platform: 'slack',
        command: 'ask',
        question: 'RPO가 뭐야',
        language: 'ko',
        citation: citation?.type === 'citation' ? citation.citations[0]!.label : '',
        source: 'sessions/multi-region-dr.md',
        at: clock.now(),
      },
    ]);
  });

  it('keeps one vote per person per answer: another user’s vote is a second record, the same user on another platform too', async () => {
    const { ask, store } = harness();
    const [good] = feedbackActions(await ask('/ask RPO가 뭐야'));
    await ask(good!.command);
    await ask(good!.command, { user: { id: 'U2' } });
    await ask(good!.command, { platform: 'discord', target: 'discord:1' });
    expect(await store.feedbackSince(new Date(0))).toHaveLength(3);
  });

  it('never stores a user id: the voter is an HMAC of platform and id under the salt', async () => {
    const { feedback } = harness();
    const voter = feedback!.voter({ platform: 'slack', user: { id: 'U0SECRETUSER' } });
    expect(voter).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(voter).not.toContain('U0SECRETUSER');
    expect(feedback!.voter({ platform: 'discord', user: { id: 'U0SECRETUSER' } })).not.toBe(voter);
    const other = new FeedbackService({ store: new MemoryStore(), clock: new FakeClock('2026-05-04T00:00:00Z'), salt: 'another-salt-0123456', retentionMs: DAY });
    expect(other.voter({ platform: 'slack', user: { id: 'U0SECRETUSER' } })).not.toBe(voter);
  });

  it('/feedback good|bad without an id rates the asker’s last answer in the conversation', async () => {
    const { ask, store } = harness();
    await ask('/ask RPO가 뭐야');
    await ask('/ask 그래비톤');
    expect(toPlainText(await ask('/feedback bad'))).toContain('질문: 그래비톤');
    expect(toPlainText(await ask('/feedback 👍🏻'))).toContain('평가를 👍(으)로 바꿨습니다');
    // Someone else, or the same person elsewhere, has no last answer there.
    expect((await ask('/feedback good', { user: { id: 'U2' } })).isError).toBe(true);
    expect(toPlainText(await ask('/feedback good', { target: 'slack:C2' }))).toContain('평가할 답변을 찾지 못했습니다');
    expect((await store.feedbackSince(new Date(0))).map((r) => [r.question, r.vote])).toEqual([['그래비톤', 'good']]);
  });

  it('records a declined question without the asker, with no buttons; /feedback then says it is already recorded', async () => {
    const { ask, store, clock } = harness();
    const refused = await ask(`/ask ${REFUSED_QUESTION}`);
    expect(refused.isError).toBe(true);
    expect(feedbackActions(refused)).toEqual([]);
    const records = await store.feedbackSince(new Date(0));
    expect(records).toEqual([{ kind: 'unanswered', platform: 'slack', command: 'ask', question: REFUSED_QUESTION, language: 'ko', at: clock.now() }]);
    expect(JSON.stringify(records)).not.toContain('U1');
    expect(toPlainText(await ask('/feedback bad'))).toContain('이미 노트 작성자에게 전달되도록 기록되었습니다');
    expect(await store.feedbackSince(new Date(0))).toHaveLength(1);
  });

  it('an answer can be rated for a month; after that the button says it cannot find it', async () => {
    const { ask, clock } = harness();
    const [good] = feedbackActions(await ask('/ask RPO가 뭐야'));
    clock.advance(RATABLE_MS);
    const late = await ask(good!.command);
    expect(late.isError).toBe(true);
    expect(toPlainText(late)).toContain('평가할 답변을 찾지 못했습니다');
  });

  it('deletes votes and declined questions past the retention', async () => {
    const { ask, store, clock, feedback } = harness({ retentionDays: 7 });
    const [good] = feedbackActions(await ask('/ask RPO가 뭐야'));
    await ask(good!.command);
    await ask(`/ask ${REFUSED_QUESTION}`);
    clock.advance(6 * DAY);
    await ask('/ask 완전히 무관한 질문 하나 더 해볼게');
    expect(await feedback!.purge()).toBe(0);
    clock.advance(2 * DAY);
    expect(await feedback!.purge()).toBe(2);
    expect((await store.feedbackSince(new Date(0))).map((r) => r.question)).toEqual(['완전히 무관한 질문 하나 더 해볼게']);
  });

  it('turned off: no buttons, nothing recorded, /feedback says so, /help does not offer it', async () => {
    const { ask, store } = harness({ feedback: false });
    expect(feedbackActions(await ask('/ask RPO가 뭐야'))).toEqual([]);
    await ask(`/ask ${REFUSED_QUESTION}`);
    const off = await ask('/feedback good');
    expect(off.isError).toBe(true);
    expect(toPlainText(off)).toContain('FEEDBACK=off');
    expect(await store.feedbackSince(new Date(0))).toEqual([]);
    expect(toPlainText(await ask('/help'))).not.toContain('👍/👎');
    expect(toPlainText(await harness().ask('/help'))).toContain('👍/👎 버튼');
  });

  it('a rating it cannot read is a usage error naming the choices', async () => {
    const { ask } = harness();
    for (const line of ['/feedback', '/feedback great', '/feedback good not-an-id', '/feedback good abcdefghijkl extra']) {
      const reply = await ask(line);
      expect(reply.isError, line).toBe(true);
      expect(toPlainText(reply), line).toMatch(/\/feedback good|rating/);
    }
  });

  it('answers without buttons when the store cannot keep the answer, instead of failing', async () => {
    class DownStore extends MemoryStore {
      override putValue(): Promise<void> {
        return Promise.reject(new Error('database is down'));
      }
      override recordUnanswered(): Promise<void> {
        return Promise.reject(new Error('database is down'));
      }
    }
    const { ask } = harness({ store: new DownStore() });
    const reply = await ask('/ask RPO가 뭐야');
    expect(reply.isError).toBeUndefined();
    expect(toPlainText(reply)).toContain('RPO');
    expect(feedbackActions(reply)).toEqual([]);
    expect((await ask(`/ask ${REFUSED_QUESTION}`)).isError).toBe(true);
  });

  it('does not hold an answer for a store that does not answer: after the wait it goes out without buttons', async () => {
    class HangingStore extends MemoryStore {
      override putValue(): Promise<void> {
        return new Promise(() => {});
      }
    }
    const store = new HangingStore();
    const clock = new FakeClock('2026-05-04T01:00:00Z');
    const feedback = new FeedbackService({ store, clock, salt: 'test-salt-0123456789', retentionMs: DAY, storeWaitMs: 50 });
    const bot = createBot({ commands: createCommands(), knowledge: shippedKnowledge, clock, locale: 'ko', timeZone: 'Asia/Seoul', feedback });
    const started = Date.now();
    const reply = await bot.handle({ command: 'ask', text: 'RPO가 뭐야', user: { id: 'U1' }, target: 'slack:C1', platform: 'slack' });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(toPlainText(reply)).toContain('RPO');
    expect(feedbackActions(reply)).toEqual([]);
  });

  it('keeps one salt per store: generated once, then the same for every process; a configured one wins', async () => {
    const store = new MemoryStore();
    const first = await feedbackSalt(store);
    expect(first.length).toBeGreaterThanOrEqual(40);
    expect(await feedbackSalt(store)).toBe(first);
    expect(await store.settingOrInit(SALT_SETTING, 'x')).toBe(first);
    expect(await feedbackSalt(store, 'configured-salt-123456')).toBe('configured-salt-123456');
  });

  it('suggests the two ratings while typing', () => {
    const { bot } = harness();
    expect(bot.suggest('feedback', 'rating', '')).toEqual([
      { label: '👍 good', value: 'good' },
      { label: '👎 bad', value: 'bad' },
    ]);
    expect(bot.suggest('feedback', 'rating', 'b')).toEqual([{ label: '👎 bad', value: 'bad' }]);
  });
});
