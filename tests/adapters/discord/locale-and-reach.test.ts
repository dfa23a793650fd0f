/**
 * End to end over the fake Discord: UI strings follow each interaction's `locale` (Korean for `ko`, English
 * otherwise), and `/tip subscribe` is refused where the interaction's `app_permissions` say the bot could not post.
 */
import { Locale, PermissionFlagsBits } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../../src/adapters/discord/client.ts';
import { createBot } from '../../../src/core/bot.ts';
import { createCommands } from '../../../src/core/commands/index.ts';
import { systemClock } from '../../../src/core/ports.ts';
import { StoreSubscriptionService } from '../../../src/core/tips/subscription-service.ts';
import { MemoryStore } from '../../../src/store/memory.ts';
import { startFakeDiscord, type ChatInputInteractionInput, type FakeDiscord } from '../../doubles/fake-discord.ts';
import { capturingLogger, shippedKnowledge, until } from '../../helpers.ts';
import { callbackBody, shownText, type MessageData } from './support.ts';

const HANGUL = /[\u3131-\u318e\uac00-\ud7a3]/;
/** What the user sees, buttons included. */
const shown = (data: MessageData | undefined): string =>
  [shownText(data), ...(data?.components ?? []).flatMap((row) => row.components.map((c) => c.label ?? ''))].join('\n');

let fake: FakeDiscord;
let adapter: DiscordAdapter;
let store: MemoryStore;

beforeAll(async () => {
  fake = await startFakeDiscord();
  store = new MemoryStore();
  // As in src/app.ts: /tip subscribe asks the running adapter's Poster before saving.
  const subscriptions = new StoreSubscriptionService(store, systemClock, (platform) => (platform === 'discord' ? adapter.poster : undefined));
  const bot = createBot({ commands: createCommands(), knowledge: shippedKnowledge, clock: systemClock, locale: 'ko', timeZone: 'Asia/Seoul', subscriptions });
  adapter = createDiscordAdapter({ config: { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.restUrl }, bot, store, logger: capturingLogger().logger, readyTimeoutMs: 8000 });
  await adapter.start();
});

afterAll(async () => {
  await adapter?.stop();
  await fake?.close();
});

async function answer(input: ChatInputInteractionInput): Promise<MessageData | undefined> {
  const payload = fake.sendInteraction(fake.chatInputInteraction(input));
  const callback = await fake.waitForInteractionCallback(payload.id, 8000);
  await until(() => adapter.inFlight() === 0, 8000, 'answers in flight');
  return callbackBody(callback).data;
}

describe('per-user language on Discord (the bot’s own locale is Korean)', () => {
  it('locale en-US → English UI strings only; ko → Korean', async () => {
    const english = shown(await answer({ name: 'help', locale: Locale.EnglishUS }));
    expect(english).toContain('Commands');
    expect(english).toContain('/ask <question>: Find the answer to a question in the summit notes');
    expect(english).not.toMatch(HANGUL);
    const korean = shown(await answer({ name: 'help', locale: Locale.Korean }));
    expect(korean).toContain('쓸 수 있는 명령');
    expect(korean).toContain('/ask <질문>');
    expect(korean).not.toMatch(/Commands|question/);
  });

  it('another locale (fr) gets English; the schedule’s buttons and footer follow it too', async () => {
    const french = shown(await answer({ name: 'session', locale: Locale.French }));
    expect(french).toContain('Day 2 sessions');
    expect(french).toContain('Session 1 details');
    expect(french).toContain('Share to channel');
    expect(french).toContain('Source: ');
    const korean = shown(await answer({ name: 'session', locale: Locale.Korean }));
    expect(korean).toContain('Day 2 세션 일정');
    expect(korean).toContain('세션 1 자세히');
    expect(korean).toContain('출처: ');
  });
});

describe('/tip subscribe on Discord checks the bot’s permissions in the channel', () => {
  const withoutSend = (PermissionFlagsBits.ViewChannel | PermissionFlagsBits.UseApplicationCommands | PermissionFlagsBits.ReadMessageHistory).toString();

  it('without Send Messages and Embed Links: refused, naming them in the user’s language; nothing saved', async () => {
    const english = shown(await answer({ name: 'tip', options: { topic: 'subscribe 09:00' }, appPermissions: withoutSend, locale: Locale.EnglishGB }));
    expect(english).toContain('I lack permissions I need in this channel: Send Messages, Embed Links.');
    const korean = shown(await answer({ name: 'tip', options: { topic: 'subscribe 09:00' }, appPermissions: withoutSend, locale: Locale.Korean }));
    expect(korean).toContain('필요한 권한이 없습니다: 메시지 보내기, 링크 첨부.');
    expect(await store.getSubscription(`discord:${fake.channelId}`)).toBeUndefined();
  });

  it('with them (the bot role’s permissions): saved, and the reply speaks the user’s language', async () => {
    const reply = shown(await answer({ name: 'tip', options: { topic: 'subscribe weekdays 07:30' }, locale: Locale.EnglishUS }));
    expect(reply).toContain('This channel will get a summit tip every weekday (Mon–Fri).');
    expect(reply).not.toMatch(HANGUL);
    expect(await store.getSubscription(`discord:${fake.channelId}`)).toMatchObject({ time: '07:30', weekdaysOnly: true });
  });
});
