/**
 * Two real bot processes in Slack HTTP mode on one PostgreSQL, behind a round-robin proxy on loopback:
 * what "several replicas" must hold. Slack is the local fake; PostgreSQL is the run's real server.
 * The tests run in order and share the replicas, as a deployment would live through them.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { eventCallbackBody, postSigned, slashCommandBody, startFakeSlackApi, type FakeSlackApi } from '../doubles/fake-slack.ts';
import { freePort, waitHealthy } from '../doubles/net.ts';
import { startProxy, type TestProxy } from '../doubles/proxy.ts';
import { sleep, until } from '../helpers.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { spawnBot, type BotProcess } from './bot-process.ts';

const SECRET = 'replica-secret';
const LEASE_SECONDS = 5;
const FORM = 'application/x-www-form-urlencoded';

interface Replica {
  bot: BotProcess;
  port: number;
  url: string;
}

let slack: FakeSlackApi;
let databaseUrl: string;
let db: pg.Client;
let proxy: TestProxy | undefined;
let replicas: Replica[] = [];
const everyBot: BotProcess[] = [];

async function startReplica(apiUrl = slack.apiUrl): Promise<Replica> {
  const port = await freePort();
  const bot = spawnBot({
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: apiUrl,
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    TIP_LEASE_SECONDS: String(LEASE_SECONDS),
    TIP_CHECK_SECONDS: '1',
  });
  everyBot.push(bot);
  try {
    await waitHealthy(port, { child: bot.child, timeoutMs: 30_000 });
  } catch (error) {
    throw new Error(`${(error as Error).message}\n${bot.stderr()}`);
  }
  return { bot, port, url: `http://127.0.0.1:${port}/slack/events` };
}

/** Both replicas, and the proxy in front of them. */
async function startBoth(): Promise<void> {
  replicas = await Promise.all([startReplica(), startReplica()]);
  await proxy?.close();
  proxy = await startProxy(replicas.map((r) => `http://127.0.0.1:${r.port}`));
}

async function stopAll(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  await Promise.all(replicas.map((r) => r.bot.stop(signal)));
  replicas = [];
}

/** Subscriptions owed a post today already: 00:00 UTC has passed, and they were made two days ago. */
async function subscribeDueToday(targets: string[]): Promise<void> {
  const since = new Date(Date.now() - 2 * 86_400_000);
  for (const target of targets) {
    await db.query(`INSERT INTO subscriptions (target, time, time_zone, weekdays_only, since) VALUES ($1, '00:00', 'UTC', false, $2)`, [target, since]);
  }
}

const postsTo = (channel: string) => slack.callsTo('chat.postMessage').filter((call) => call.ok && call.body.channel === channel);

beforeAll(async () => {
  slack = await startFakeSlackApi({ pingIntervalMs: 0, waitTimeoutMs: 30_000 });
  databaseUrl = await createTestDatabase(inject('postgresAdminUrl'));
  await startBoth();
  db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
}, 60_000);

afterAll(async () => {
  await Promise.all(everyBot.map((bot) => bot.stop('SIGKILL')));
  for (const bot of everyBot) bot.cleanup();
  await db?.end();
  await proxy?.close();
  await slack?.close();
});

describe('two replicas on one PostgreSQL behind a round-robin proxy', () => {
  it('answers each event once, though every delivery and its retries reach both replicas', async () => {
    const [a, b] = replicas as [Replica, Replica];
    const mentions = Array.from({ length: 20 }, (_, i) => ({ ts: `1770000000.${String(100 + i).padStart(6, '0')}`, eventId: `EvREPLICA${i}` }));
    const deliveries = mentions.flatMap(({ ts, eventId }, i) => {
      const body = eventCallbackBody({ type: 'app_mention', channel: 'C0GENERAL', user: 'U0HUMAN01', text: '<@U0FAKEBOT> /session 14:20', ts }, eventId);
      // The first delivery goes to one replica, Slack's retries to the other and through the proxy.
      const [first, second] = i % 2 ? [a, b] : [b, a];
      return [
        postSigned(first.url, body, { contentType: 'application/json', secret: SECRET }),
        postSigned(second.url, body, { contentType: 'application/json', secret: SECRET, headers: { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' } }),
        postSigned(`${proxy!.url}/slack/events`, body, { contentType: 'application/json', secret: SECRET, headers: { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' } }),
      ];
    });
    // One DM message that arrives as two events (different event ids, same channel:ts), one at each replica.
    const dm = { channel: 'D0DIRECT', user: 'U0HUMAN01', text: '/dr', ts: '1770000001.000100' };
    deliveries.push(
      postSigned(a.url, eventCallbackBody({ type: 'app_mention', ...dm }, 'EvDM1'), { contentType: 'application/json', secret: SECRET }),
      postSigned(b.url, eventCallbackBody({ type: 'message', channel_type: 'im', ...dm }, 'EvDM2'), { contentType: 'application/json', secret: SECRET }),
    );
    const results = await Promise.all(deliveries);
    expect(results.map((r) => r.status).every((status) => status === 200)).toBe(true);

    const threads = new Set(mentions.map((m) => m.ts));
    const answers = () => slack.callsTo('chat.postMessage').filter((call) => threads.has(String(call.body.thread_ts)));
    await until(() => answers().length >= mentions.length && postsTo('D0DIRECT').length >= 1, 20_000, 'an answer to every mention');
    // Late duplicates would come within the answer time of the slower replica.
    await sleep(1_500);
    expect(answers()).toHaveLength(mentions.length);
    expect(new Set(answers().map((call) => call.body.thread_ts)).size).toBe(mentions.length);
    expect(postsTo('D0DIRECT')).toHaveLength(1);
  }, 60_000);

  it('acks and answers 500 slash commands spread over both replicas', async () => {
    const commands = ['/session 14:20', '/dr rto=4h rpo=15m', '/help', '/ask RPO가 뭐야', '/tip'];
    const total = 500;
    const acks: number[] = [];
    let nextIndex = 0;
    // 50 in flight at a time, as a busy workspace would send them.
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        for (let i = nextIndex++; i < total; i = nextIndex++) {
          const line = commands[i % commands.length]!;
          const [command, ...text] = line.split(' ');
          const body = slashCommandBody({ command: command!, text: text.join(' '), response_url: slack.responseUrl(`burst-${i}`) });
          const result = await postSigned(`${proxy!.url}/slack/events`, body, { contentType: FORM, secret: SECRET });
          acks.push(result.status);
        }
      }),
    );
    expect(acks).toHaveLength(total);
    expect(acks.every((status) => status === 200)).toBe(true);
    expect(proxy!.forwarded.every((count) => count >= total / 4)).toBe(true);

    const answered = () => new Set(slack.responses.filter((post) => post.id.startsWith('burst-')).map((post) => post.id));
    await until(() => answered().size === total, 60_000, 'an answer to every command');
    const perCommand = new Map<string, number>();
    for (const post of slack.responses.filter((p) => p.id.startsWith('burst-'))) perCommand.set(post.id, (perCommand.get(post.id) ?? 0) + 1);
    expect([...perCommand.values()].every((count) => count === 1)).toBe(true);
    // Real answers, not failure notes: every /session 14:20 names its speaker.
    const sessionAnswers = slack.responses.filter((p) => p.id.startsWith('burst-') && Number(p.id.slice('burst-'.length)) % commands.length === 0);
    expect(sessionAnswers).toHaveLength(total / commands.length);
    expect(sessionAnswers.every((p) => JSON.stringify(p.body).includes('서호석'))).toBe(true);
  }, 120_000);

  it('posts a daily tip due while both run exactly once per channel', async () => {
    const channels = Array.from({ length: 8 }, (_, i) => `CTIP${i}`);
    await subscribeDueToday(channels.map((c) => `slack:${c}`));
    await until(() => channels.every((c) => postsTo(c).length >= 1), 20_000, 'a tip in every channel');
    // Both replicas check every second; a second post would come within a check or two.
    await sleep(1_500);
    expect(channels.map((c) => postsTo(c).length)).toEqual(channels.map(() => 1));
    const { rows } = await db.query<{ status: string; attempts: number }>(`SELECT status, attempts FROM post_log WHERE target LIKE 'slack:CTIP%'`);
    expect(rows).toHaveLength(channels.length);
    expect(rows.every((row) => row.status === 'posted' && row.attempts === 1)).toBe(true);
  }, 90_000);

  it('posts exactly once when the replica holding the claims is killed mid-post, and nothing more when both restart', async () => {
    await stopAll();
    // Replica A reaches Slack through a gate that holds its posts, so it dies after claiming and before posting.
    const gate = await startProxy([slack.baseUrl]);
    try {
      gate.hold((req) => req.url?.includes('chat.postMessage') === true);
      const channels = Array.from({ length: 4 }, (_, i) => `CKILL${i}`);
      await subscribeDueToday(channels.map((c) => `slack:${c}`));
      const a = await startReplica(`${gate.url}/api/`);
      await until(() => gate.heldCount === channels.length, 20_000, 'replica A to claim every channel and start posting');
      const claimed = await db.query<{ owner: string }>(`SELECT DISTINCT owner FROM post_log WHERE target LIKE 'slack:CKILL%' AND status = 'claimed'`);
      expect(claimed.rows).toHaveLength(1);

      // Killed while its posts are held, before its own timeout (a third of the lease) could record them as failed.
      await a.bot.stop('SIGKILL');
      const b = await startReplica();
      replicas = [a, b];
      // B takes the stale claims over once the lease has passed, and posts.
      await until(() => channels.every((c) => postsTo(c).length >= 1), (LEASE_SECONDS + 15) * 1000, 'replica B to post after the lease');
      await sleep(1_500);
      expect(channels.map((c) => postsTo(c).length)).toEqual(channels.map(() => 1));
      const { rows } = await db.query<{ status: string; attempts: number; owner: string }>(`SELECT status, attempts, owner FROM post_log WHERE target LIKE 'slack:CKILL%'`);
      expect(rows.every((row) => row.status === 'posted' && row.attempts === 2)).toBe(true);
      expect(gate.heldCount).toBe(0);

      // Both restart: every day posted so far stays posted once.
      replicas = [b];
      await stopAll();
      await startBoth();
      await sleep(1_500);
      expect([...channels, ...Array.from({ length: 8 }, (_, i) => `CTIP${i}`)].map((c) => postsTo(c).length)).toEqual(Array.from({ length: 12 }, () => 1));
    } finally {
      await gate.close();
    }
  }, 120_000);
});
