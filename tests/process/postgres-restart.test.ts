/**
 * The bot process on a PostgreSQL server that restarts while commands that need the store keep
 * arriving: nothing is lost, the bot reconnects, and /healthz says when the store cannot take writes.
 * This test has a server of its own, so restarting it disturbs no other test.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postSigned, slashCommandBody, startFakeSlackApi, type FakeSlackApi } from '../doubles/fake-slack.ts';
import { freePort, waitHealthy } from '../doubles/net.ts';
import { sleep, until } from '../helpers.ts';
import { createTestDatabase, startTestPostgres, type TestPostgres } from '../support/postgres.ts';
import { spawnBot, type BotProcess } from './bot-process.ts';

const SECRET = 'restart-secret';

let server: TestPostgres;
let slack: FakeSlackApi;
let bot: BotProcess;
let port: number;
let databaseUrl: string;

beforeAll(async () => {
  [server, slack, port] = await Promise.all([startTestPostgres(), startFakeSlackApi({ pingIntervalMs: 0 }), freePort()]);
  databaseUrl = await createTestDatabase(server.adminUrl);
  bot = spawnBot({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl, PORT: String(port), DATABASE_URL: databaseUrl });
  await waitHealthy(port, { child: bot.child, timeoutMs: 30_000 });
}, 60_000);

afterAll(async () => {
  await bot?.stop('SIGKILL');
  bot?.cleanup();
  await slack?.close();
  await server?.destroy();
});

const health = () => fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(5_000) }).then((r) => r.status, () => 0);

describe('the PostgreSQL store across a database restart under load', () => {
  it('answers every command sent before, during and after the restart, and reports the outage on /healthz', async () => {
    const url = `http://127.0.0.1:${port}/slack/events`;
    const acks: number[] = [];
    let sent = 0;
    let loading = true;
    // 20 subscriptions a second, each to its own channel, each a write to the store.
    const load = (async () => {
      while (loading) {
        const i = sent++;
        const body = slashCommandBody({ command: '/tip', text: 'subscribe 09:00', channel_id: `CRESTART${i}`, response_url: slack.responseUrl(`restart-${i}`) });
        void postSigned(url, body, { contentType: 'application/x-www-form-urlencoded', secret: SECRET }).then(
          (result) => acks.push(result.status),
          () => acks.push(0),
        );
        await sleep(50);
      }
    })();

    await sleep(1_500);
    const sentBeforeStop = sent;
    await server.stop();
    await until(async () => (await health()) === 503, 10_000, '/healthz to report the store down');
    await sleep(1_500);
    const sentWhileDown = sent - sentBeforeStop;
    await server.start();
    await until(async () => (await health()) === 200, 20_000, '/healthz to recover');
    await sleep(1_500);
    loading = false;
    await load;

    await until(() => acks.length === sent, 15_000, 'every ack');
    expect(acks.every((status) => status === 200)).toBe(true);
    const answers = () => slack.responses.filter((post) => post.id.startsWith('restart-'));
    await until(() => answers().length >= sent, 30_000, 'an answer to every command');
    expect(answers()).toHaveLength(sent);
    // Every answer is the subscription, none a failure note: the store waited for the database.
    expect(answers().filter((post) => !JSON.stringify(post.body).includes('09:00'))).toEqual([]);

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const { rows } = await db.query<{ count: number }>(`SELECT count(*)::integer AS count FROM subscriptions WHERE target LIKE 'slack:CRESTART%'`);
      expect(rows[0]?.count).toBe(sent);
    } finally {
      await db.end();
    }
    // Commands really arrived while the database was down.
    expect(sentWhileDown).toBeGreaterThanOrEqual(5);
  }, 90_000);
});
