import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SlackPoster } from '../../src/adapters/slack/poster.ts';
import { DiscordPoster } from '../../src/adapters/discord/poster.ts';
import { createBot } from '../../src/core/bot.ts';
import { createCommands } from '../../src/core/commands/index.ts';
import { toPlainText } from '../../src/core/reply.ts';
import { StoreSubscriptionService } from '../../src/core/tips/subscription-service.ts';
import { TipScheduler } from '../../src/core/tips/scheduler.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { startFakeDiscord, type FakeDiscord } from '../doubles/fake-discord.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../doubles/fake-slack.ts';
import { shippedKnowledge } from '../helpers.ts';
import { FakeClock, tempDir } from '../store/fixtures.ts';

/**
 * The daily tip end to end: subscribed through the bot's `/tip subscribe`, posted by the scheduler
 * through each adapter's real client (Slack WebClient, discord.js REST) to the local fakes.
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
