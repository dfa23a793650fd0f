/**
 * Feedback and metrics end to end: the whole app (startApp, as `npm start` wires it) in Slack HTTP mode and on
 * the Discord gateway, against the local fakes, on SQLite (DATA_DIR) and on PostgreSQL (DATABASE_URL).
 * Votes are read back through a store of the test's own on the same database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Locale, type APIMessage } from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { startApp, type App } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import type { FeedbackRecord } from '../../src/core/store.ts';
import { openStore } from '../../src/store/open.ts';
import { startFakeDiscord, type FakeDiscord } from '../doubles/fake-discord.ts';
import { blockActionBody, postSigned, slashCommandBody, startFakeSlackApi, type FakeSlackApi } from '../doubles/fake-slack.ts';
import { freePort } from '../doubles/net.ts';
import { callbackBody, shownText, type MessageData } from '../adapters/discord/support.ts';
import { capturingLogger, until } from '../helpers.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { parsePrometheusTextFormat, sampleValue as sample } from '../support/prometheus.ts';

const SECRET = 'feedback-signing-secret';
const FORM = 'application/x-www-form-urlencoded';
const SLACK_USER = 'U0VOTER01';
const DISCORD_USER = '300000000000000003';
/** A Korean client: the bot's own words (the vote's acknowledgement) come in Korean. */
const DISCORD_LOCALE = Locale.Korean;
const REFUSED = '회사 주차장 정기권은 어디서 신청해';

let slack: FakeSlackApi;
let discord: FakeDiscord;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  slack = await startFakeSlackApi({ pingIntervalMs: 0 });
  discord = await startFakeDiscord();
});
afterAll(async () => {
  await slack?.close();
  await discord?.close();
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  slack.reset();
});

interface Running {
  app: App;
  port: number;
  events: string;
}

/** The app with Slack (HTTP mode) and Discord (gateway) against the fakes, on the store `storeEnv` names. */
async function startBot(storeEnv: Record<string, string>, extra: Record<string, string> = {}): Promise<Running> {
  const port = await freePort();
  const result = loadConfig({
    ...storeEnv,
    BIND_HOST: '127.0.0.1',
    PORT: String(port),
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
    DISCORD_TOKEN: discord.token,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_API_URL: discord.restUrl,
    ...extra,
  });
  if (!result.ok) throw new Error(result.problems.join('; '));
  const app = await startApp(result.config, { stdin: new PassThrough(), stdout: new PassThrough() }, capturingLogger().logger);
  // stop() is idempotent: a test may stop the app itself.
  cleanups.push(() => app.stop());
  return { app, port, events: `http://127.0.0.1:${port}/slack/events` };
}

/** Every feedback record in the database, read through a store of the test's own. */
async function records(storeEnv: Record<string, string>): Promise<FeedbackRecord[]> {
  const result = loadConfig({ ...storeEnv });
  if (!result.ok) throw new Error(result.problems.join('; '));
  const store = await openStore(result.config, capturingLogger().logger);
  try {
    return await store.feedbackSince(new Date(0));
  } finally {
    await store.close();
  }
}

type SlackButton = { action_id: string; value: string; text: { text: string } };

async function slackAsk(bot: Running, text: string, id: string): Promise<{ body: Record<string, unknown>; buttons: SlackButton[] }> {
  const res = await postSigned(bot.events, slashCommandBody({ command: '/ask', text, user_id: SLACK_USER, response_url: slack.responseUrl(id) }), { contentType: FORM, secret: SECRET });
  expect(res.status).toBe(200);
  const post = await slack.waitForResponse((p) => p.id === id, 8000);
  const blocks = post.body.blocks as { type: string; elements?: SlackButton[] }[];
  return { body: post.body, buttons: blocks.filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []) };
}

/** Clicks a Slack button as `SLACK_USER` and returns the private answer it gets at the response_url. */
async function slackClick(bot: Running, button: SlackButton, id: string): Promise<{ text: string; responseType: unknown }> {
  const body = blockActionBody({ actionId: button.action_id, value: button.value, userId: SLACK_USER, responseUrl: slack.responseUrl(id), isEphemeral: true });
  expect((await postSigned(bot.events, body, { contentType: FORM, secret: SECRET })).status).toBe(200);
  const post = await slack.waitForResponse((p) => p.id === id, 8000);
  return { text: String(post.body.text), responseType: post.body.response_type };
}

async function discordAsk(question: string): Promise<{ id: string; data: MessageData | undefined }> {
  const interaction = discord.sendInteraction(discord.chatInputInteraction({ name: 'ask', options: { question }, userId: DISCORD_USER, locale: DISCORD_LOCALE }));
  const callback = callbackBody(await discord.waitForInteractionCallback(interaction.id, 8000));
  return { id: interaction.id, data: callback.data };
}

/** Clicks a Discord button as `DISCORD_USER`; returns what the deferred, ephemeral answer was edited to. */
async function discordClick(askedId: string, customId: string): Promise<MessageData> {
  const message = discord.interactionState(askedId)?.original as APIMessage;
  const click = discord.sendInteraction(discord.buttonInteraction({ customId, message, userId: DISCORD_USER, locale: DISCORD_LOCALE }));
  const deferred = callbackBody(await discord.waitForInteractionCallback(click.id, 8000));
  expect(deferred).toMatchObject({ type: 5, data: { flags: 64 } });
  const edit = await discord.waitFor((r) => r.method === 'PATCH' && r.params.token === click.token, 8000);
  return edit.body as MessageData;
}

const buttonsOf = (data: MessageData | undefined) => (data?.components ?? []).flatMap((row) => row.components);

describe.each([
  ['SQLite (DATA_DIR)', async () => ({ DATA_DIR: tempDir() })],
  ['PostgreSQL (DATABASE_URL)', async () => ({ DATA_DIR: tempDir(), DATABASE_URL: await createTestDatabase(inject('postgresAdminUrl')) })],
])('feedback end to end on %s', (_name, storeEnv) => {
  it('a 👍 in Slack and a 👎 in Discord are stored once each; a repeated click changes the vote; votes survive a restart', async () => {
    const env = await storeEnv();
    let bot = await startBot(env);

    const asked = await slackAsk(bot, 'RPO가 뭐야', 'fb-ask');
    expect(asked.body.response_type).toBe('ephemeral');
    const good = asked.buttons.find((b) => b.text.text.startsWith('👍'));
    const bad = asked.buttons.find((b) => b.text.text.startsWith('👎'));
    expect(good).toMatchObject({ action_id: 'feedback_reply', value: expect.stringMatching(/^\/feedback good [\w-]{12}$/) });
    expect(bad).toMatchObject({ action_id: 'feedback_reply:1', value: good!.value.replace('good', 'bad') });

    const thanks = await slackClick(bot, good!, 'fb-good');
    expect(thanks.responseType).toBe('ephemeral');
    expect(thanks.text).toContain('도움이 됐다고 기록했습니다');
    expect(await slackClick(bot, good!, 'fb-good-again')).toMatchObject({ text: expect.stringContaining('이미 이 답변을 👍(으)로 평가하셨습니다') });

    const discordAsked = await discordAsk('그래비톤');
    const discordButtons = buttonsOf(discordAsked.data);
    const dislike = discordButtons.find((b) => b.label?.startsWith('👎'));
    expect(dislike?.custom_id).toMatch(/^feedback:\/feedback bad [\w-]{12}$/);
    expect(dislike!.custom_id!.length).toBeLessThanOrEqual(100);
    const ack = await discordClick(discordAsked.id, dislike!.custom_id!);
    expect(shownText(ack)).toContain('노트 작성자가 지식 공백 보고서에서 이 질문을 보고');
    expect(ack.allowed_mentions).toEqual({ parse: [] });

    expect((await records(env)).map((r) => [r.platform, r.vote, r.question, r.source])).toEqual([
      ['slack', 'good', 'RPO가 뭐야', 'sessions/multi-region-dr.md'],
      ['discord', 'bad', '그래비톤', expect.any(String)],
    ]);

    expect((await slackClick(bot, bad!, 'fb-change')).text).toContain('평가를 👎(으)로 바꿨습니다');
    expect((await records(env)).filter((r) => r.platform === 'slack').map((r) => r.vote)).toEqual(['bad']);

    // A restart: the same buttons still work, and the same person is recognised (the salt is kept in the store).
    await bot.app.stop();
    bot = await startBot(env);
    expect((await slackClick(bot, good!, 'fb-after-restart')).text).toContain('평가를 👍(으)로 바꿨습니다');
    const after = await records(env);
    expect(after).toHaveLength(2);
    expect(after.map((r) => [r.platform, r.vote])).toEqual([
      ['discord', 'bad'],
      ['slack', 'good'],
    ]);
    // No user id in any record.
    expect(JSON.stringify(after)).not.toMatch(new RegExp(`${SLACK_USER}|${DISCORD_USER}`));
  }, 60_000);

  it('records a refused /ask without the asker; with FEEDBACK=off nothing is stored and no buttons are shown', async () => {
    const env = await storeEnv();
    const bot = await startBot(env);
    const refused = await slackAsk(bot, REFUSED, 'fb-refused');
    expect(refused.buttons.some((b) => b.action_id.startsWith('feedback_reply'))).toBe(false);
    expect(await records(env)).toEqual([expect.objectContaining({ kind: 'unanswered', platform: 'slack', question: REFUSED })]);
    await bot.app.stop();

    const offEnv = await storeEnv();
    const off = await startBot(offEnv, { FEEDBACK: 'off' });
    const answered = await slackAsk(off, 'RPO가 뭐야', 'off-ask');
    expect(answered.buttons.map((b) => b.action_id)).toEqual(['share_reply']);
    await slackAsk(off, REFUSED, 'off-refused');
    const discordAsked = await discordAsk('그래비톤');
    expect(buttonsOf(discordAsked.data).map((b) => b.custom_id?.split(':')[0])).not.toContain('feedback');
    // A button from before FEEDBACK=off is answered politely and stores nothing.
    const stale = await slackClick(off, { action_id: 'feedback_reply', value: '/feedback good abcdefghijkl', text: { text: '👍' } }, 'off-click');
    expect(stale.text).toContain('FEEDBACK=off');
    expect(await records(offEnv)).toEqual([]);
  }, 60_000);
});

describe('feedback on shared answers', () => {
  it('a shared answer carries its own 👍/👎 for the channel, and no share button', async () => {
    const bot = await startBot({ DATA_DIR: tempDir() });
    const asked = await slackAsk(bot, 'RPO가 뭐야', 'share-ask');
    const share = asked.buttons.find((b) => b.action_id === 'share_reply')!;
    await postSigned(bot.events, blockActionBody({ actionId: share.action_id, value: share.value, userId: SLACK_USER, responseUrl: slack.responseUrl('share-click'), isEphemeral: true }), { contentType: FORM, secret: SECRET });
    const posted = await slack.waitForCall('chat.postMessage', (c) => c.ok, 8000);
    const sharedIds = (posted.body.blocks as { type: string; elements?: SlackButton[] }[]).flatMap((b) => (b.type === 'actions' ? (b.elements ?? []) : []));
    expect(sharedIds.map((b) => b.action_id)).toEqual(['feedback_reply', 'feedback_reply:1']);
    // A new answer: its own id, so the channel's votes are not the asker's.
    expect(sharedIds[0]!.value).not.toBe(asked.buttons.find((b) => b.action_id === 'feedback_reply')!.value);

    const discordAsked = await discordAsk('그래비톤');
    const shareId = buttonsOf(discordAsked.data).find((b) => b.custom_id?.startsWith('share:'))!.custom_id!;
    const click = discord.sendInteraction(discord.buttonInteraction({ customId: shareId, message: discord.interactionState(discordAsked.id)?.original as APIMessage, userId: DISCORD_USER }));
    const followUp = await discord.waitFor((r) => r.method === 'POST' && r.route === '/webhooks/:appId/:token' && r.params.token === click.token, 8000);
    const publicButtons = buttonsOf(followUp.body as MessageData).map((b) => b.custom_id ?? '');
    expect(publicButtons.filter((id) => id.startsWith('feedback:'))).toHaveLength(2);
    expect(publicButtons.some((id) => id.startsWith('share'))).toBe(false);
  }, 60_000);
});

describe('GET /metrics', () => {
  it('serves Prometheus text that parses, whose counters move with the commands sent, with no user text in labels', async () => {
    const bot = await startBot({ DATA_DIR: tempDir() });
    const scrape = async () => {
      const res = await fetch(`http://127.0.0.1:${bot.port}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      return res.text();
    };

    const before = parsePrometheusTextFormat(await scrape());
    expect(sample(before, 'summit_bot_commands_total', { command: 'ask', platform: 'slack' })).toBe(0);
    expect(sample(before, 'summit_bot_knowledge_notes')).toBeGreaterThan(0);
    expect(sample(before, 'summit_bot_knowledge_sections')).toBeGreaterThan(sample(before, 'summit_bot_knowledge_notes'));

    await slackAsk(bot, 'RPO가 뭐야', 'm-1');
    await slackAsk(bot, REFUSED, 'm-2');
    const nasty = '<script>x</script> @everyone';
    await postSigned(bot.events, slashCommandBody({ command: `/${nasty.replace(/\s/g, '')}`, text: nasty, response_url: slack.responseUrl('m-3') }), { contentType: FORM, secret: SECRET });
    await slack.waitForResponse((p) => p.id === 'm-3', 8000);
    await discordAsk('그래비톤');
    await until(async () => sample(parsePrometheusTextFormat(await scrape()), 'summit_bot_commands_total', { command: 'ask', platform: 'discord' }) === 1, 8000, 'the Discord command counted');

    const text = await scrape();
    const after = parsePrometheusTextFormat(text);
    expect(sample(after, 'summit_bot_commands_total', { command: 'ask', platform: 'slack' })).toBe(2);
    expect(sample(after, 'summit_bot_commands_total', { command: 'unknown', platform: 'slack' })).toBe(1);
    expect(sample(after, 'summit_bot_answers_total', { command: 'ask', outcome: 'answered' })).toBe(2);
    expect(sample(after, 'summit_bot_answers_total', { command: 'ask', outcome: 'refused' })).toBe(1);
    expect(after.find((f) => f.name === 'summit_bot_answer_duration_seconds')?.type).toBe('HISTOGRAM');
    expect(after.find((f) => f.name === 'summit_bot_slack_ack_duration_seconds')?.type).toBe('HISTOGRAM');
    // The parser folds a labelled histogram's series into one, so the counts are read from their own lines.
    expect(text).toMatch(/^summit_bot_answer_duration_seconds_count\{command="ask"\} 3$/m);
    expect(Number(/^summit_bot_slack_ack_duration_seconds_count (\d+)$/m.exec(text)?.[1])).toBeGreaterThanOrEqual(3);
    expect(sample(after, 'summit_bot_store_errors_total')).toBeNaN(); // no store error yet: no series
    for (const name of ['summit_bot_daily_posts_total', 'summit_bot_knowledge_reloads_total', 'summit_bot_knowledge_problems', 'process_cpu_seconds_total', 'nodejs_eventloop_lag_seconds']) {
      expect(after.some((f) => f.name === name), name).toBe(true);
    }
    // Label values are the bot's own words (command names, platforms, outcomes), never what a user typed.
    const labelValues = after.filter((f) => f.name.startsWith('summit_bot_')).flatMap((f) => f.metrics.flatMap((m) => Object.values(m.labels ?? {})));
    expect(labelValues.length).toBeGreaterThan(20);
    expect(labelValues.filter((value) => !/^[a-z_]+$/.test(value))).toEqual([]);
    expect(text.split('\n').filter((line) => !line.startsWith('#') && /script|everyone|RPO|주차/.test(line))).toEqual([]);
  }, 60_000);
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'summit-feedback-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}
