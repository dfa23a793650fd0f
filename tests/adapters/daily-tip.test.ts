import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { SlackPoster } from '../../src/adapters/slack/poster.ts';
import { DiscordPoster } from '../../src/adapters/discord/poster.ts';
import { createBot } from '../../src/core/bot.ts';
import { createCommands } from '../../src/core/commands/index.ts';
import type { Clock } from '../../src/core/ports.ts';
import { toPlainText } from '../../src/core/reply.ts';
import { isSettled, type Store } from '../../src/core/store.ts';
import { StoreSubscriptionService } from '../../src/core/tips/subscription-service.ts';
import { TipScheduler } from '../../src/core/tips/scheduler.ts';
import { openPostgresStore } from '../../src/store/postgres.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { DiscordErrors, startFakeDiscord, type FakeDiscord } from '../doubles/fake-discord.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../doubles/fake-slack.ts';
import { shippedKnowledge, sleep, until } from '../helpers.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { FakeClock, tempDir } from '../store/fixtures.ts';

/**
 * The daily tip end to end: subscribed through the bot's `/tip subscribe`, posted by the scheduler
 * through each adapter's real client (Slack WebClient, discord.js REST) to the local fakes; and exactly
 * once when the chat API is slow or refuses, on SQLite and PostgreSQL: the fakes take a post and answer
 * only after the client has given up, or refuse it for good.
 */
let slack: FakeSlackApi;
let discord: FakeDiscord;
const logger = pino({ level: 'silent' });

beforeAll(async () => {
  slack = await startFakeSlackApi();
  discord = await startFakeDiscord();
});
afterAll(async () => {
  await slack.close();
  await discord.close();
});

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  slack.reset();
  discord.clearFailures();
  discord.channelMessages.clear();
});

function world(dataDir: string, clock: FakeClock) {
  const store = openSqliteStore(dataDir);
  const subscriptions = new StoreSubscriptionService(store, clock);
  const bot = createBot({ commands: createCommands(), knowledge: shippedKnowledge, clock, locale: 'ko', timeZone: 'Asia/Seoul', subscriptions });
  const scheduler = new TipScheduler({
    store,
    clock,
    posters: [
      new SlackPoster({ botToken: 'xoxb-test', apiUrl: slack.apiUrl, locale: 'ko', logger }),
      new DiscordPoster({ token: discord.token, apiUrl: discord.restUrl, locale: 'ko' }),
    ],
    knowledge: shippedKnowledge,
    logger,
    locale: 'ko',
  });
  cleanups.push(() => store.close());
  return { store, bot, scheduler };
}

const ask = async (bot: ReturnType<typeof world>['bot'], target: string, text: string) =>
  toPlainText(await bot.handle({ command: 'tip', text, user: { id: 'U1' }, target, platform: target.startsWith('slack') ? 'slack' : 'discord' }));

const slackPosts = (channel: string) => slack.callsTo('chat.postMessage').filter((c) => c.ok && c.body.channel === channel);
const discordPosts = () => discord.requests.filter((r) => r.method === 'POST' && r.path === `/channels/${discord.channelId}/messages`);

describe('daily tip through Slack and Discord', () => {
  it('posts once per local day at the set time to both platforms, and not again after a restart', async () => {
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    const clock = new FakeClock('2026-05-04T08:00:00+09:00');
    const first = world(dir, clock);
    expect(await ask(first.bot, 'slack:C0DAILY1', 'subscribe 09:00 Asia/Seoul')).toContain('09:00');
    expect(await ask(first.bot, `discord:${discord.channelId}`, 'subscribe 09:00 Asia/Seoul')).toContain('09:00');

    await first.scheduler.tick();
    expect(slackPosts('C0DAILY1')).toHaveLength(0);

    clock.set('2026-05-04T09:00:30+09:00');
    await first.scheduler.tick();
    await first.scheduler.idle();
    expect(slackPosts('C0DAILY1')).toHaveLength(1);
    expect(discordPosts()).toHaveLength(1);
    expect(JSON.stringify(slackPosts('C0DAILY1')[0]!.body)).toContain('오늘의 써밋 팁');
    expect(discordPosts()[0]!.body).toMatchObject({ allowed_mentions: { parse: [] } });

    // A restart mid-day: a new process on the same store finds the day already posted.
    await first.store.close();
    clock.set('2026-05-04T13:00:00+09:00');
    const second = world(dir, clock);
    expect(await ask(second.bot, 'slack:C0DAILY1', 'schedule')).toContain('09:00');
    await second.scheduler.tick();
    await second.scheduler.idle();
    expect(slackPosts('C0DAILY1')).toHaveLength(1);
    expect(discordPosts()).toHaveLength(1);

    // The next local day brings the next tip, a different one.
    clock.set('2026-05-05T09:01:00+09:00');
    await second.scheduler.tick();
    await second.scheduler.idle();
    const posts = slackPosts('C0DAILY1');
    expect(posts).toHaveLength(2);
    expect(JSON.stringify(posts[1]!.body.blocks)).not.toBe(JSON.stringify(posts[0]!.body.blocks));
    expect(discordPosts()).toHaveLength(2);
  });

  it('pauses a channel Slack says is gone and says why in /tip schedule', async () => {
    const { dir, remove } = tempDir();
    cleanups.push(remove);
    const clock = new FakeClock('2026-05-04T10:00:00+09:00');
    const { bot, scheduler } = world(dir, clock);
    await ask(bot, 'slack:C0GONE', 'subscribe 11:00');
    slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    clock.set('2026-05-04T11:00:10+09:00');
    await scheduler.tick();
    await scheduler.idle();
    expect(await ask(bot, 'slack:C0GONE', 'schedule')).toContain('channel_not_found');
    clock.set('2026-05-05T11:00:10+09:00');
    await scheduler.tick();
    await scheduler.idle();
    expect(slackPosts('C0GONE')).toHaveLength(0);
  });
});

/** The posters give up after this; the fakes answer the posts they took only after LATE_MS. */
const CLIENT_TIMEOUT_MS = 300;
const LATE_MS = 1_500;
const DATE = '2026-05-04';
/** 09:00:30 in Seoul on DATE: the 09:00 posts are due. */
const DUE = Date.parse('2026-05-04T09:00:30+09:00');

const stores: [string, () => Promise<Store>][] = [
  [
    'SQLite',
    async () => {
      const temp = tempDir();
      cleanups.push(temp.remove);
      return openSqliteStore(temp.dir);
    },
  ],
  ['PostgreSQL', async () => openPostgresStore(await createTestDatabase(inject('postgresAdminUrl')))],
];

describe.each(stores)('daily tips on %s against a slow or refusing chat API', (_name, openStore) => {
  /** The real clock moved to DUE, so retries (real timers) and the store's retry times agree. */
  function dueClock(): Clock {
    const offset = DUE - Date.now();
    return { now: () => new Date(Date.now() + offset) };
  }

  async function world(targets: string[]) {
    const store = await openStore();
    cleanups.push(() => store.close());
    const clock = dueClock();
    for (const target of targets) {
      await store.upsertSubscription({ target, time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false }, new Date(DUE - 86_400_000));
    }
    const slackPoster = new SlackPoster({ botToken: 'xoxb-test', apiUrl: slack.apiUrl, locale: 'ko', logger, timeoutMs: CLIENT_TIMEOUT_MS });
    const discordPoster = new DiscordPoster({ token: discord.token, apiUrl: discord.restUrl, locale: 'ko', timeoutMs: CLIENT_TIMEOUT_MS });
    cleanups.push(() => discordPoster.close());
    const scheduler = new TipScheduler({
      store,
      clock,
      posters: [slackPoster, discordPoster],
      knowledge: shippedKnowledge,
      logger,
      retry: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 400 },
    });
    cleanups.push(() => scheduler.stop());
    /** Ticks once, then waits until every target's day needs nothing more (retries run on timers meanwhile). */
    const runDay = async () => {
      await scheduler.tick();
      await until(async () => (await Promise.all(targets.map((t) => store.postState(t, DATE)))).every(isSettled), 20_000, 'every day settled');
      // A copy would come from a retry still pending: give any a chance to show.
      await sleep(LATE_MS);
      await scheduler.idle();
    };
    const seenBefore = discord.requests.length;
    /** This test's POSTs of channel messages to the fake Discord. */
    const discordPosts = () => discord.requests.slice(seenBefore).filter((r) => r.method === 'POST' && r.route === '/channels/:channelId/messages');
    return { store, scheduler, runDay, discordPosts };
  }

  const discordTarget = () => `discord:${discord.channelId}`;
  const discordMessages = () => discord.channelMessages.get(discord.channelId) ?? [];

  it('posts exactly once per channel-day when every post is answered after the client timeout', async () => {
    const targets = ['slack:C0SLOW1', 'slack:C0SLOW2', discordTarget()];
    const { store, runDay, discordPosts } = await world(targets);
    slack.acceptThen('chat.postMessage', { answerAfterMs: LATE_MS }, 50);
    discord.acceptThen('POST /channels/:id/messages', { answerAfterMs: LATE_MS }, 50);
    await runDay();

    for (const channel of ['C0SLOW1', 'C0SLOW2']) {
      const messages = slack.messagesIn(channel);
      expect(messages).toHaveLength(1);
      // Slack: the second attempt looked the key up in the channel's history and recorded the message it found.
      expect(await store.postState(`slack:${channel}`, DATE)).toMatchObject({ status: 'posted', messageId: messages[0]!.ts, maybePosted: true, attempts: 2 });
      expect(slack.callsTo('chat.postMessage').filter((call) => call.body.channel === channel)).toHaveLength(1);
    }
    expect(slack.callsTo('conversations.history').every((call) => call.body.include_all_metadata === 'true')).toBe(true);

    // Discord: every attempt carried the same nonce, and Discord handed back the first message each time, too late
    // for the client: one message, and the day given up as maybe posted rather than posted twice.
    expect(discordMessages()).toHaveLength(1);
    const posts = discordPosts();
    expect(posts).toHaveLength(5);
    expect(new Set(posts.map((r) => (r.body as { nonce?: unknown }).nonce)).size).toBe(1);
    expect(await store.postState(discordTarget(), DATE)).toMatchObject({ status: 'failed', retryable: false, maybePosted: true, attempts: 5 });
  }, 40_000);

  it('Discord answering in time again: the retry gets the first message back and records it', async () => {
    const { store, runDay } = await world([discordTarget()]);
    discord.acceptThen('POST /channels/:id/messages', { answerAfterMs: LATE_MS }, 2);
    await runDay();
    expect(discordMessages()).toHaveLength(1);
    expect(await store.postState(discordTarget(), DATE)).toMatchObject({ status: 'posted', messageId: discordMessages()[0]!.id, attempts: 3 });
  }, 40_000);

  it('posts nothing more while Slack cannot be asked in time either, and gives the day up as maybe posted', async () => {
    const { store, runDay } = await world(['slack:C0SLOW3']);
    slack.acceptThen('chat.postMessage', { answerAfterMs: LATE_MS }, 50);
    slack.failNext('conversations.history', { delayMs: LATE_MS, times: 50 });
    await runDay();
    expect(slack.messagesIn('C0SLOW3')).toHaveLength(1);
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(await store.postState('slack:C0SLOW3', DATE)).toMatchObject({ status: 'failed', retryable: false, maybePosted: true, attempts: 5 });
  }, 40_000);

  it('a definite refusal is not retried: the subscription pauses with its reason', async () => {
    const targets = ['slack:C0GONE', discordTarget()];
    const { store, runDay, discordPosts } = await world(targets);
    slack.failNext('chat.postMessage', { error: 'channel_not_found' });
    discord.failNext('POST /channels/:id/messages', DiscordErrors.unknownChannel);
    await runDay();
    expect(slack.callsTo('chat.postMessage')).toHaveLength(1);
    expect(slack.callsTo('conversations.history')).toHaveLength(0);
    expect(discordPosts()).toHaveLength(1);
    expect(await store.postState('slack:C0GONE', DATE)).toMatchObject({ status: 'failed', retryable: false, maybePosted: false, attempts: 1 });
    expect(await store.getSubscription('slack:C0GONE')).toMatchObject({ pausedReason: 'slack: channel_not_found', pausedRefusal: { reason: 'not-found' } });
    expect((await store.getSubscription(discordTarget()))?.pausedReason).toMatch(/^discord: HTTP 404 code 10003/);
    expect((await store.getSubscription(discordTarget()))?.pausedRefusal).toEqual({ reason: 'not-found' });
    expect(await store.listActiveSubscriptions()).toEqual([]);
  }, 40_000);
});
