/**
 * The daily tip exactly once across a crash, with the real process (`node --import tsx src/main.ts`): the bot
 * is SIGKILLed right after Slack and Discord took its posts but before it could record them; after a restart
 * and the lease, it finds the Slack posts by their key and gets the Discord one back by its nonce, and posts
 * nothing twice. On the embedded SQLite store and on PostgreSQL.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, inject, it } from 'vitest';
import type { Store } from '../../src/core/store.ts';
import { openPostgresStore } from '../../src/store/postgres.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { startFakeDiscord } from '../doubles/fake-discord.ts';
import { startFakeSlackApi } from '../doubles/fake-slack.ts';
import { freePort, waitHealthy } from '../doubles/net.ts';
import { sleep, until } from '../helpers.ts';
import { tempDir } from '../store/fixtures.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { spawnBot, type BotProcess } from './bot-process.ts';

const LEASE_SECONDS = 6;
const SLACK_CHANNELS = ['CKILLED1', 'CKILLED2'];
/** The posts are taken at once and answered only after the bot is long dead. */
const NEVER_MS = 120_000;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Where the store is, for the bot's environment and for the test to read it. */
interface StoreSetup {
  env: Record<string, string>;
  open(): Promise<Store>;
}

const stores: [string, () => Promise<StoreSetup>][] = [
  [
    'SQLite',
    async () => {
      const temp = tempDir();
      cleanups.push(temp.remove);
      return { env: { DATA_DIR: temp.dir }, open: async () => openSqliteStore(temp.dir) };
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const url = await createTestDatabase(inject('postgresAdminUrl'));
      return { env: { DATABASE_URL: url }, open: () => openPostgresStore(url) };
    },
  ],
];

describe.each(stores)('the real process on %s, SIGKILLed right after the platforms took its daily tips', (_name, setUp) => {
  it('posts exactly once per channel after a restart and the lease', async () => {
    const slack = await startFakeSlackApi({ pingIntervalMs: 0 });
    const discord = await startFakeDiscord();
    cleanups.push(() => slack.close(), () => discord.close());
    const setup = await setUp();
    const store = await setup.open();
    cleanups.push(() => store.close());

    const targets = [...SLACK_CHANNELS.map((c) => `slack:${c}`), `discord:${discord.channelId}`];
    // Owed a post today already: 00:00 UTC has passed, and they were made two days ago.
    for (const target of targets) {
      await store.upsertSubscription({ target, time: '00:00', timeZone: 'UTC', weekdaysOnly: false }, new Date(Date.now() - 2 * 86_400_000));
    }
    const today = new Date().toISOString().slice(0, 10);

    const { publicKey } = generateKeyPairSync('ed25519');
    const env = {
      ...setup.env,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'kill-secret',
      SLACK_API_URL: slack.apiUrl,
      DISCORD_TOKEN: discord.token,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.restUrl,
      DISCORD_PUBLIC_KEY: Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('hex'),
      TIP_LEASE_SECONDS: String(LEASE_SECONDS),
      TIP_CHECK_SECONDS: '1',
    };
    const start = async (): Promise<BotProcess> => {
      const port = await freePort();
      const bot = spawnBot({ ...env, PORT: String(port) });
      cleanups.push(bot.cleanup, () => bot.stop('SIGKILL'));
      try {
        await waitHealthy(port, { child: bot.child, timeoutMs: 30_000 });
      } catch (error) {
        throw new Error(`${(error as Error).message}\n${bot.stderr()}`);
      }
      return bot;
    };

    slack.acceptThen('chat.postMessage', { answerAfterMs: NEVER_MS }, SLACK_CHANNELS.length);
    discord.acceptThen('POST /channels/:id/messages', { answerAfterMs: NEVER_MS });
    const discordMessages = () => discord.channelMessages.get(discord.channelId) ?? [];
    const taken = () => SLACK_CHANNELS.every((c) => slack.messagesIn(c).length === 1) && discordMessages().length === 1;

    const first = await start();
    await until(taken, 20_000, 'Slack and Discord to take every post of the first process');
    await first.stop('SIGKILL');
    // Killed while waiting for the answers: nothing recorded, every claim still held.
    const held = await Promise.all(targets.map((t) => store.postState(t, today)));
    expect(held.map((state) => state?.status)).toEqual(targets.map(() => 'claimed'));

    const second = await start();
    const settled = async () => (await Promise.all(targets.map((t) => store.postState(t, today)))).every((state) => state?.status === 'posted');
    await until(settled, (LEASE_SECONDS + 20) * 1000, 'the restarted process to settle every day after the lease');
    // A copy would come within a check or two.
    await sleep(2_000);

    for (const channel of SLACK_CHANNELS) {
      const messages = slack.messagesIn(channel);
      expect(messages).toHaveLength(1);
      expect(await store.postState(`slack:${channel}`, today)).toMatchObject({ status: 'posted', messageId: messages[0]!.ts, attempts: 2, maybePosted: true });
    }
    // The restarted process looked the Slack posts up instead of sending them again.
    expect(slack.callsTo('conversations.history').length).toBeGreaterThanOrEqual(SLACK_CHANNELS.length);
    expect(slack.callsTo('chat.postMessage').filter((call) => call.ok)).toHaveLength(0);
    // Discord: the second process sent the post again with the same nonce and got the first message back.
    expect(discordMessages()).toHaveLength(1);
    const discordPosts = discord.requests.filter((r) => r.method === 'POST' && r.route === '/channels/:channelId/messages');
    expect(discordPosts).toHaveLength(2);
    expect((discordPosts[1]!.body as { nonce?: unknown }).nonce).toBe((discordPosts[0]!.body as { nonce?: unknown }).nonce);
    expect(await store.postState(`discord:${discord.channelId}`, today)).toMatchObject({ status: 'posted', messageId: discordMessages()[0]!.id, attempts: 2 });
    await second.stop();
  }, 90_000);
});
