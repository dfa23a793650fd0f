/** The bot's own words follow the request's locale (or BOT_LOCALE), never mixing the two languages. */
import { describe, expect, it } from 'vitest';
import { createBot } from '../../src/core/bot.ts';
import { createCommands } from '../../src/core/commands/index.ts';
import type { CommandRequest } from '../../src/core/commands/types.ts';
import type { Locale } from '../../src/core/i18n.ts';
import type { SessionNote } from '../../src/core/knowledge/knowledge.ts';
import { toPlainText } from '../../src/core/reply.ts';
import { StoreSubscriptionService } from '../../src/core/tips/subscription-service.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { fixedClock, shippedKnowledge, testBot } from '../helpers.ts';

const HANGUL = /[\u3131-\u318e\uac00-\ud7a3]/;

async function say(locale: Locale | undefined, command: string, text = '', botLocale: Locale = 'ko'): Promise<string> {
  const request: CommandRequest = { command, text, user: { id: 'U1' }, target: 'discord:1', platform: 'discord', ...(locale ? { locale } : {}) };
  return toPlainText(await testBot({ locale: botLocale }).handle(request));
}

describe('per-request locale', () => {
  it('a request without a locale gets the bot’s; one with a locale gets its own', async () => {
    expect(await say(undefined, 'help')).toContain('쓸 수 있는 명령');
    expect(await say(undefined, 'help', '', 'en')).toContain('Commands');
    expect(await say('en', 'help')).toContain('Commands');
    expect(await say('ko', 'help', '', 'en')).toContain('쓸 수 있는 명령');
    expect(await say('en', 'nope')).toContain('Unknown command: /nope');
  });

  it('an empty /ask names the missing question in the user’s language only', async () => {
    const ko = await say('ko', 'ask');
    expect(ko).toContain('꼭 입력해야 합니다: 질문');
    expect(ko).toContain('/ask <질문>');
    expect(ko).not.toMatch(/question|[<[][^>\]]*\|/);
    const en = await say('en', 'ask');
    expect(en).toContain('Required: question');
    expect(en).toContain('/ask <question>');
    expect(en.split('\n').filter((line) => !line.startsWith('Examples')).join('\n')).not.toMatch(HANGUL);
  });

  it('/help shows usage placeholders and option names in one language', async () => {
    const en = await say('en', 'help', 'tip');
    expect(en).toContain('/tip <topic>');
    expect(en).toContain('/tip subscribe [HH:MM] [time zone] [weekdays]');
    expect(en).toContain('<topic>: ');
    expect(en).not.toContain('주제');
    const ko = await say('ko', 'help', 'tip');
    expect(ko).toContain('/tip <주제>');
    expect(ko).toContain('[시간대]');
    expect(ko).toContain('<주제>: ');
    expect(ko).not.toMatch(/<topic>|time zone/);
    const list = await say('en', 'help');
    expect(list).toContain('/ask <question>: Find the answer');
    expect(list).not.toContain('질문');
  });

  it('the Day 2 schedule offers a "details" button per session, in the user’s language', async () => {
    const bot = testBot();
    const reply = await bot.handle({ command: 'session', text: '', user: { id: 'U1' }, target: 'shell:local', platform: 'shell', locale: 'en' });
    const details = reply.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : [])).filter((a) => a.kind === 'more');
    expect(details.length).toBe(shippedKnowledge().sessions.length);
    expect(details[0]).toEqual({ kind: 'more', label: 'Session 1 details', command: '/session 1' });
    for (const action of details) {
      const record = toPlainText(await bot.handle({ command: 'session', text: action.command.replace('/session ', ''), user: { id: 'U1' }, target: 'shell:local', platform: 'shell' }));
      expect(record).toContain(`Session ${action.command.split(' ')[1]}`);
    }
  });
});

describe('surfaces: starter prompts and subscription summaries', () => {
  it('offers at most four prompts from the notes, each a command line the bot answers', async () => {
    const bot = testBot();
    for (const locale of ['ko', 'en'] as const) {
      const prompts = bot.prompts(locale);
      expect(prompts.length).toBeGreaterThan(0);
      expect(prompts.length).toBeLessThanOrEqual(4);
      const titles = prompts.map((p) => p.title);
      expect(titles).toContain(locale === 'ko' ? 'Day 2 세션 일정' : 'Day 2 sessions');
      const sessionTitle = (s: SessionNote) => (locale === 'en' ? (s.meta.title_en ?? s.meta.title) : s.meta.title);
      expect(titles.some((title) => shippedKnowledge().sessions.some((s) => sessionTitle(s).startsWith(title.replace(/…$/, ''))))).toBe(true);
      if (locale === 'en') expect(titles.join(' ')).not.toMatch(/[\uac00-\ud7a3]/);
      for (const prompt of prompts) {
        expect(prompt.title.length).toBeLessThanOrEqual(75);
        expect(prompt.message.startsWith('/')).toBe(true);
        const [command = '', ...rest] = prompt.message.slice(1).split(' ');
        const reply = await bot.handle({ command, text: rest.join(' '), user: { id: 'U1' }, target: 'slack:D1', platform: 'slack' });
        expect(reply.isError, prompt.message).toBeUndefined();
      }
    }
  });

  it('sums up one platform’s subscriptions, paused ones flagged; none without a store', async () => {
    const clock = fixedClock('2026-05-04T01:00:00Z');
    const store = new MemoryStore();
    const subscriptions = new StoreSubscriptionService(store, clock);
    await subscriptions.subscribe('slack:C1', { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false });
    await subscriptions.subscribe('slack:C2', { time: '18:00', timeZone: 'Asia/Seoul', weekdaysOnly: true });
    await subscriptions.subscribe('discord:7', { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false });
    await store.pauseSubscription('slack:C2', 'slack: not_in_channel', clock.now());
    const bot = createBot({ commands: createCommands(), knowledge: shippedKnowledge, clock, locale: 'ko', timeZone: 'Asia/Seoul', subscriptions });
    const summaries = await bot.subscriptionSummaries('slack', 'en');
    expect(summaries.map((s) => [s.target, s.paused])).toEqual([
      ['slack:C1', false],
      ['slack:C2', true],
    ]);
    expect(summaries[0]?.line).toBe('Every day 09:00 Asia/Seoul · Next post: tomorrow, 2026-05-05 (Tue) 09:00 Asia/Seoul');
    expect(summaries[1]?.line).toContain('Posting is paused: slack: not_in_channel');
    expect((await bot.subscriptionSummaries('slack'))[0]?.line).toContain('매일 09:00');
    expect(await testBot().subscriptionSummaries('slack')).toEqual([]);
  });
});
