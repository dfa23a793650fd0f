/**
 * Self-test of the Slack fake: the REAL @slack/web-api WebClient and the REAL Bolt App (Socket Mode and HTTP mode)
 * must work against it. Everything is local (127.0.0.1, ephemeral ports) and every wait is bounded.
 */
import type { AddressInfo } from 'node:net';
import { App, LogLevel, SocketModeReceiver, webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  blockActionBody,
  eventCallbackBody,
  postSigned,
  signSlackRequest,
  slashCommandBody,
  startFakeSlackApi,
} from './fake-slack.ts';
import type { FakeSlackApi } from './fake-slack.ts';

const { WebClient, ErrorCode, WebClientEvent } = webApi;

/** A small bounded retry policy (p-retry / node-retry options). */
const FAST_RETRY = { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 50 };

function hasProp<K extends string>(value: unknown, key: K): value is Record<K, unknown> {
  return typeof value === 'object' && value !== null && key in value;
}

/** Poll a condition with a hard bound. */
async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let fake: FakeSlackApi;

beforeEach(async () => {
  fake = await startFakeSlackApi();
});

afterEach(async () => {
  await fake.close();
});

describe('fake Slack Web API + real WebClient', () => {
  it('auth.test answers with the bot identity; apiUrl ends with /api/', async () => {
    expect(fake.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/$/);
    const client = new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: FAST_RETRY, logLevel: LogLevel.ERROR });
    const res = await client.auth.test();
    expect(res.ok).toBe(true);
    expect(res).toMatchObject({
      user_id: fake.identity.botUserId,
      bot_id: fake.identity.botId,
      team_id: fake.identity.teamId,
      team: fake.identity.teamName,
      user: fake.identity.botUserName,
    });
    expect(res.url).toMatch(/^https:\/\/.+\.slack\.com\/$/);
    const call = fake.callsTo('auth.test')[0];
    expect(call?.token).toBe('xoxb-test');
    expect(call?.tokenSource).toBe('header');
  });

  it('records chat.postMessage with channel/text/decoded blocks and returns a ts; chat.update edits it', async () => {
    const client = new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: FAST_RETRY, logLevel: LogLevel.ERROR });
    const blocks = [{ type: 'section', text: { type: 'mrkdwn', text: '*hello*' } }];
    const res = await client.chat.postMessage({ channel: 'C0GENERAL', text: 'hello', blocks, thread_ts: '1700000000.000100' });
    expect(res.ok).toBe(true);
    expect(res.ts).toMatch(/^\d+\.\d{6}$/);
    expect(res.channel).toBe('C0GENERAL');

    const call = await fake.waitForCall('chat.postMessage', (c) => c.ok, 1000);
    expect(call.bodyKind).toBe('form'); // the WebClient always sends application/x-www-form-urlencoded
    expect(call.headers['content-type']).toContain('application/x-www-form-urlencoded');
    expect(call.body).toMatchObject({ channel: 'C0GENERAL', text: 'hello', thread_ts: '1700000000.000100' });
    expect(call.body.blocks).toEqual(blocks); // JSON-stringified by the client, decoded by the fake
    expect(call.rawBody).toContain('blocks=%5B');
    expect(fake.messages).toHaveLength(1);

    const upd = await client.chat.update({ channel: 'C0GENERAL', ts: String(res.ts), text: 'edited' });
    expect(upd.ok).toBe(true);
    expect(fake.messages[0]?.text).toBe('edited');
    expect(fake.messages[0]?.edits).toBe(1);

    const eph = await client.chat.postEphemeral({ channel: 'C0GENERAL', user: 'U0HUMAN01', text: 'psst' });
    expect(eph.message_ts).toMatch(/^\d+\.\d{6}$/);
    const info = await client.conversations.info({ channel: 'C0GENERAL' });
    expect(info.channel?.name).toBe('general');
    const user = await client.users.info({ user: 'U0HUMAN01' });
    expect(user.user?.name).toBe('alice');
  });

  it('keeps message metadata and reads it back in conversations.history only with include_all_metadata', async () => {
    const client = new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR });
    const metadata = { event_type: 'tip_posted', event_payload: { key: 'k1' } };
    const first = await client.chat.postMessage({ channel: 'C0GENERAL', text: 'one', metadata });
    const second = await client.chat.postMessage({ channel: 'C0GENERAL', text: 'two' });
    await client.chat.postMessage({ channel: 'C0GENERAL', text: 'a reply', thread_ts: String(first.ts) });
    await client.chat.postMessage({ channel: 'C0RANDOM', text: 'elsewhere', metadata });
    await client.chat.postEphemeral({ channel: 'C0GENERAL', user: 'U0HUMAN01', text: 'psst' });
    expect(fake.messages[0]?.metadata).toEqual(metadata);

    const plain = await client.conversations.history({ channel: 'C0GENERAL' });
    // Newest first, thread replies and ephemeral messages left out, as Slack does.
    expect(plain.messages?.map((m) => m.text)).toEqual(['two', 'one']);
    expect(plain.messages?.[1]).not.toHaveProperty('metadata');
    expect(plain.messages?.[1]).toMatchObject({ ts: first.ts, bot_id: fake.identity.botId, user: fake.identity.botUserId });
    const full = await client.conversations.history({ channel: 'C0GENERAL', include_all_metadata: true });
    expect(full.messages?.[1]?.metadata).toEqual(metadata);

    // oldest is exclusive unless inclusive is set; latest bounds the other end.
    const after = await client.conversations.history({ channel: 'C0GENERAL', oldest: String(first.ts) });
    expect(after.messages?.map((m) => m.ts)).toEqual([second.ts]);
    const from = await client.conversations.history({ channel: 'C0GENERAL', oldest: String(first.ts), inclusive: true });
    expect(from.messages?.map((m) => m.ts)).toEqual([second.ts, first.ts]);
    const before = await client.conversations.history({ channel: 'C0GENERAL', latest: String(second.ts) });
    expect(before.messages?.map((m) => m.ts)).toEqual([first.ts]);

    // Pages with a cursor.
    const page1 = await client.conversations.history({ channel: 'C0GENERAL', limit: 1 });
    expect(page1).toMatchObject({ has_more: true, messages: [{ ts: second.ts }] });
    const page2 = await client.conversations.history({ channel: 'C0GENERAL', limit: 1, cursor: String(page1.response_metadata?.next_cursor) });
    expect(page2).toMatchObject({ has_more: false, messages: [{ ts: first.ts }], response_metadata: { next_cursor: '' } });

    await expect(client.chat.postMessage({ channel: 'C0GENERAL', text: 'bad', metadata: { event_type: '', event_payload: {} } })).rejects.toMatchObject({
      data: { error: 'invalid_metadata_format' },
    });
    fake.addChannel({ id: 'C0PRIVATE', name: 'private', isPrivate: true, isMember: false });
    await expect(client.conversations.history({ channel: 'C0PRIVATE' })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
  });

  it('acceptThen: the call takes effect, then its answer comes late, never, or as a 5xx', async () => {
    const client = new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, timeout: 300, logLevel: LogLevel.ERROR });
    fake.acceptThen('chat.postMessage', { answerAfterMs: 1_000 });
    await expect(client.chat.postMessage({ channel: 'C0GENERAL', text: 'late' })).rejects.toMatchObject({ code: ErrorCode.RequestError });
    expect(fake.messages.map((m) => m.text)).toEqual(['late']);
    await fake.waitForCall('chat.postMessage', (c) => c.ok && c.injected, 3_000);

    fake.acceptThen('chat.postMessage', { drop: true });
    await expect(client.chat.postMessage({ channel: 'C0GENERAL', text: 'dropped' })).rejects.toMatchObject({ code: ErrorCode.RequestError });
    expect(fake.callsTo('chat.postMessage').at(-1)).toMatchObject({ dropped: true, status: 0, ok: false });

    fake.acceptThen('chat.postMessage', { status: 503 }, 2);
    await expect(client.chat.postMessage({ channel: 'C0GENERAL', text: 'five-oh-three' })).rejects.toMatchObject({ code: ErrorCode.HTTPError, statusCode: 503 });
    await expect(client.chat.postMessage({ channel: 'C0GENERAL', text: 'again' })).rejects.toMatchObject({ statusCode: 503 });
    await client.chat.postMessage({ channel: 'C0GENERAL', text: 'normal' });
    expect(fake.messages.map((m) => m.text)).toEqual(['late', 'dropped', 'five-oh-three', 'again', 'normal']);
  });

  it('a 429 with Retry-After: 1 is retried by the WebClient after ~1s and then succeeds', async () => {
    const client = new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: FAST_RETRY, logLevel: LogLevel.ERROR });
    const rateLimited: number[] = [];
    client.on(WebClientEvent.RATE_LIMITED, (retrySec: number) => rateLimited.push(retrySec));
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 1 });

    const started = Date.now();
    const res = await client.chat.postMessage({ channel: 'C0GENERAL', text: 'after the storm' });
    const elapsed = Date.now() - started;

    expect(res.ok).toBe(true);
    expect(rateLimited).toEqual([1]);
    const posts = fake.callsTo('chat.postMessage');
    expect(posts.map((c) => c.status)).toEqual([429, 200]);
    expect(posts[0]?.response).toEqual({ ok: false, error: 'ratelimited' });
    expect(posts[0]?.injected).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(950); // Retry-After (seconds) is honoured before the retry
    expect(elapsed).toBeLessThan(5000);
  });

  it('rejectRateLimitedCalls surfaces the 429 at once as a rate-limited error', async () => {
    const client = new WebClient('xoxb-test', {
      slackApiUrl: fake.apiUrl,
      retryConfig: FAST_RETRY,
      rejectRateLimitedCalls: true,
      logLevel: LogLevel.ERROR,
    });
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const err: unknown = await client.chat.postMessage({ channel: 'C0GENERAL', text: 'x' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(hasProp(err, 'code') && err.code).toBe(ErrorCode.RateLimitedError);
    expect(hasProp(err, 'retryAfter') && err.retryAfter).toBe(7);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('HTTP 500 is retried per retryConfig; with retries: 0 it surfaces as an HTTP error', async () => {
    const retrying = new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: FAST_RETRY, logLevel: LogLevel.ERROR });
    fake.failNext('chat.postMessage', { status: 500 });
    const ok = await retrying.chat.postMessage({ channel: 'C0GENERAL', text: 'x' });
    expect(ok.ok).toBe(true);
    expect(fake.callsTo('chat.postMessage').map((c) => c.status)).toEqual([500, 200]);

    const noRetry = new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 }, logLevel: LogLevel.ERROR });
    fake.failNext('chat.postMessage', { status: 503 });
    const err: unknown = await noRetry.chat.postMessage({ channel: 'C0GENERAL', text: 'y' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(hasProp(err, 'code') && err.code).toBe(ErrorCode.HTTPError);
    expect(hasProp(err, 'statusCode') && err.statusCode).toBe(503);
  });

  it('channel_not_found (HTTP 200 ok:false) surfaces as a platform error and is not retried', async () => {
    const client = new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: FAST_RETRY, logLevel: LogLevel.ERROR });
    fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    const err: unknown = await client.chat.postMessage({ channel: 'C0GENERAL', text: 'x' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(hasProp(err, 'code') && err.code).toBe(ErrorCode.PlatformError);
    expect(hasProp(err, 'data') && hasProp(err.data, 'error') && err.data.error).toBe('channel_not_found');
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
    expect(fake.callsTo('chat.postMessage')[0]?.status).toBe(200);

    // strict directory behaviour, archived and not-a-member channels
    fake.addChannel({ id: 'C0ARCHIVE', name: 'old', isArchived: true });
    fake.addChannel({ id: 'C0OUTSIDE', name: 'outside', isMember: false });
    await expect(client.chat.postMessage({ channel: 'C0ARCHIVE', text: 'x' })).rejects.toMatchObject({ data: { error: 'is_archived' } });
    await expect(client.chat.postMessage({ channel: 'C0OUTSIDE', text: 'x' })).rejects.toMatchObject({ data: { error: 'not_in_channel' } });
    await expect(client.apiCall('chat.postMessage', { channel: 'C0GENERAL' })).rejects.toMatchObject({ data: { error: 'no_text' } });
  });

  it('membership: a private channel is hidden from a non-member; conversations.join only opens public ones', async () => {
    const client = new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: FAST_RETRY, logLevel: LogLevel.ERROR });
    fake.addChannel({ id: 'C0PUBLIC', name: 'public', isMember: false });
    fake.addChannel({ id: 'G0PRIVATE', name: 'private', isPrivate: true, isMember: false });
    expect((await client.conversations.info({ channel: 'C0PUBLIC' })).channel?.is_member).toBe(false);
    await expect(client.conversations.info({ channel: 'G0PRIVATE' })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
    await expect(client.conversations.join({ channel: 'G0PRIVATE' })).rejects.toMatchObject({ data: { error: 'channel_not_found' } });
    expect((await client.conversations.join({ channel: 'C0PUBLIC' })).channel?.is_member).toBe(true);
    expect((await client.conversations.info({ channel: 'C0PUBLIC' })).channel?.is_member).toBe(true);
    expect((await client.chat.postMessage({ channel: 'C0PUBLIC', text: 'now a member' })).ok).toBe(true);
  });

  it('views and the assistant pane: Block Kit limits enforced as Slack does', async () => {
    const client = new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: FAST_RETRY, logLevel: LogLevel.ERROR });
    const section = { type: 'section', text: { type: 'mrkdwn', text: 'hi' } };
    expect((await client.views.publish({ user_id: 'U0HUMAN01', view: { type: 'home', blocks: Array(100).fill(section) } })).ok).toBe(true);
    await expect(client.views.publish({ user_id: 'U0HUMAN01', view: { type: 'home', blocks: Array(101).fill(section) } })).rejects.toMatchObject({
      data: { error: 'invalid_arguments', response_metadata: { messages: [expect.stringContaining('no more than 100 items')] } },
    });
    const long = { type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } };
    await expect(client.views.publish({ user_id: 'U0HUMAN01', view: { type: 'home', blocks: [long] } })).rejects.toMatchObject({ data: { error: 'invalid_arguments' } });
    const modal = { type: 'modal' as const, title: { type: 'plain_text' as const, text: 'Details' }, blocks: [section] };
    expect((await client.views.open({ trigger_id: '1.2.3', view: modal })).ok).toBe(true);
    await expect(client.views.open({ trigger_id: '1.2.3', view: { ...modal, title: { type: 'plain_text', text: 'x'.repeat(25) } } })).rejects.toMatchObject({
      data: { error: 'invalid_arguments' },
    });

    const thread = { channel_id: 'D0ASSIST', thread_ts: '1.000001' };
    expect((await client.assistant.threads.setStatus({ ...thread, status: 'is thinking…' })).ok).toBe(true);
    expect((await client.assistant.threads.setSuggestedPrompts({ ...thread, prompts: [{ title: 'a', message: 'b' }] })).ok).toBe(true);
    const five = Array.from({ length: 5 }, (_, i) => ({ title: `t${i}`, message: `m${i}` }));
    await expect(client.assistant.threads.setSuggestedPrompts({ ...thread, prompts: five as [{ title: string; message: string }] })).rejects.toMatchObject({
      data: { error: 'invalid_arguments' },
    });
    expect(fake.callsTo('assistant.threads.setSuggestedPrompts')[0]?.body.prompts).toEqual([{ title: 'a', message: 'b' }]);
  });

  it('rejects wrong tokens, wrong token types and unknown methods like Slack', async () => {
    const bad = new WebClient('xoxb-wrong', { slackApiUrl: fake.apiUrl, retryConfig: FAST_RETRY, logLevel: LogLevel.ERROR });
    await expect(bad.auth.test()).rejects.toMatchObject({ code: ErrorCode.PlatformError, data: { error: 'invalid_auth' } });

    const bot = new WebClient('xoxb-test', { slackApiUrl: fake.apiUrl, retryConfig: FAST_RETRY, logLevel: LogLevel.ERROR });
    await expect(bot.apps.connections.open({})).rejects.toMatchObject({ data: { error: 'not_allowed_token_type' } });
    await expect(bot.apiCall('reactions.add', { channel: 'C1', name: 'x', timestamp: '1.1' })).rejects.toMatchObject({
      data: { error: 'unknown_method' },
    });

    const app = new WebClient('xapp-test', { slackApiUrl: fake.apiUrl, retryConfig: FAST_RETRY, logLevel: LogLevel.ERROR });
    const open = await app.apps.connections.open({});
    expect(open.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/link\/\?ticket=/);

    // raw HTTP: JSON body + bearer header, and the form `token` field
    const json = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', authorization: 'Bearer xoxb-test' },
      body: JSON.stringify({ channel: 'C0GENERAL', text: 'json', blocks: [{ type: 'divider' }] }),
      signal: AbortSignal.timeout(2000),
    });
    expect(await json.json()).toMatchObject({ ok: true });
    const form = await fetch(`${fake.apiUrl}auth.test`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'token=xoxb-test',
      signal: AbortSignal.timeout(2000),
    });
    expect(await form.json()).toMatchObject({ ok: true });
    const jsonCall = fake.calls.find((c) => c.bodyKind === 'json');
    expect(jsonCall?.body.blocks).toEqual([{ type: 'divider' }]);
    expect(fake.calls.find((c) => c.tokenSource === 'body')?.token).toBe('xoxb-test');
    const none = await fetch(`${fake.apiUrl}auth.test`, { method: 'POST', signal: AbortSignal.timeout(2000) });
    expect(await none.json()).toEqual({ ok: false, error: 'not_authed' });
  });

  it('captures response_url POSTs and bounds waits', async () => {
    const url = fake.responseUrl('abc');
    expect(url).toBe(`${fake.baseUrl}/response/abc`);
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'later', response_type: 'ephemeral' }),
      signal: AbortSignal.timeout(2000),
    });
    expect(res.status).toBe(200);
    const post = await fake.waitForResponse((p) => p.id === 'abc', 1000);
    expect(post.body).toEqual({ text: 'later', response_type: 'ephemeral' });

    const started = Date.now();
    await expect(fake.waitForCall('chat.update', undefined, 100)).rejects.toThrow(/timed out after 100ms/);
    await expect(fake.waitForResponse((p) => p.id === 'nope', 100)).rejects.toThrow(/timed out/);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('fake Socket Mode + real Bolt App', () => {
  it('connects via apps.connections.open, acks a slash command with pong, runs an app_mention handler', async () => {
    const mentions: string[] = [];
    const app = new App({
      token: 'xoxb-test',
      appToken: 'xapp-test',
      socketMode: true,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: FAST_RETRY },
    });
    app.command('/ping', async ({ ack }) => {
      await ack('pong');
    });
    app.command('/later', async ({ ack, respond }) => {
      await ack();
      await respond({ text: 'delayed answer', response_type: 'in_channel' });
    });
    app.event('app_mention', async ({ event, say }) => {
      mentions.push(event.text);
      await say({ text: `hi <@${event.user}>`, thread_ts: event.ts });
    });

    await app.start();
    try {
      expect(fake.socketClientCount).toBe(1);
      const open = fake.callsTo('apps.connections.open')[0];
      expect(open?.token).toBe('xapp-test');
      const hello = fake.socketMessages.length; // the client sends nothing before acks
      expect(hello).toBe(0);

      const ack = await fake.sendSlashCommand({ command: '/ping', text: '' }, { timeoutMs: 3000 });
      expect(ack.envelope_id).toBe(ack.envelope.envelope_id);
      expect(ack.envelope.accepts_response_payload).toBe(true);
      expect(ack.payload).toEqual({ text: 'pong' });
      expect(ack.message).toEqual({ envelope_id: ack.envelope_id, payload: { text: 'pong' } });

      const later = await fake.sendSlashCommand({ command: '/later', response_url: fake.responseUrl('later-1') });
      expect(later.payload).toEqual({});
      const delayed = await fake.waitForResponse((p) => p.id === 'later-1', 3000);
      expect(delayed.body).toMatchObject({ text: 'delayed answer', response_type: 'in_channel' });

      const evAck = await fake.sendEvent(
        { type: 'app_mention', user: 'U0HUMAN01', text: `<@${fake.identity.botUserId}> hello`, channel: 'C0GENERAL', ts: '1700000000.000200' },
        { eventId: 'Ev0001' },
      );
      expect(evAck.envelope.type).toBe('events_api');
      expect(evAck.envelope.retry_attempt).toBe(0);
      expect(evAck.envelope.payload).toMatchObject({ type: 'event_callback', event_id: 'Ev0001', api_app_id: fake.identity.appId });
      expect(evAck.payload).toEqual({});
      const said = await fake.waitForCall('chat.postMessage', (c) => c.ok, 3000);
      expect(mentions).toEqual([`<@${fake.identity.botUserId}> hello`]);
      expect(said.token).toBe('xoxb-test');
      expect(said.body).toMatchObject({ channel: 'C0GENERAL', text: 'hi <@U0HUMAN01>', thread_ts: '1700000000.000200' });
      // Bolt verified the bot token with auth.test against the fake (tokenVerificationEnabled default)
      expect(fake.callsTo('auth.test').some((c) => c.token === 'xoxb-test' && c.ok)).toBe(true);
    } finally {
      await app.stop();
    }
    await until(() => fake.socketClientCount === 0, 3000, 'socket client to close after app.stop()');
  });

  it('reconnects after a disconnect message (custom SocketModeReceiver with a short clientPingTimeout)', async () => {
    const receiver = new SocketModeReceiver({
      appToken: 'xapp-test',
      logLevel: LogLevel.ERROR,
      clientPingTimeout: 300, // reconnect delay = clientPingTimeout * consecutive failures
      installerOptions: { clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: FAST_RETRY } },
    });
    const app = new App({
      token: 'xoxb-test',
      receiver,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: FAST_RETRY },
    });
    app.command('/ping', async ({ ack }) => {
      await ack('pong');
    });
    await app.start();
    try {
      expect(fake.socketConnectionTotal).toBe(1);
      await fake.disconnectClients({ reason: 'refresh_requested', timeoutMs: 2000 });
      await until(() => fake.socketConnectionTotal === 2 && fake.socketClientCount === 1, 4000, 'reconnect');
      expect(fake.callsTo('apps.connections.open')).toHaveLength(2);
      const ack = await fake.sendSlashCommand({ command: '/ping' }, { timeoutMs: 3000 });
      expect(ack.payload).toEqual({ text: 'pong' });
    } finally {
      await app.stop();
    }
    await until(() => fake.socketClientCount === 0, 3000, 'socket client to close');
  });

  it('sendEnvelope times out (bounded) when nobody is connected', async () => {
    const started = Date.now();
    await expect(fake.sendSlashCommand({ command: '/ping' }, { timeoutMs: 150 })).rejects.toThrow(/no Socket Mode client/);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('HTTP mode: signed requests to a real Bolt App', () => {
  const secret = 'test-signing-secret';

  it('accepts a signed slash command, event and block action; rejects bad or stale signatures with 401', async () => {
    const clicks: string[] = [];
    const app = new App({
      token: 'xoxb-test',
      signingSecret: secret,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: fake.apiUrl, retryConfig: FAST_RETRY },
    });
    app.command('/ping', async ({ ack, command }) => {
      await ack(`pong ${command.text}`);
    });
    app.event('app_mention', async ({ event, say }) => {
      await say(`seen ${event.text}`);
    });
    app.action('vote', async ({ ack, body, respond }) => {
      await ack();
      if (body.type === 'block_actions') clicks.push(body.actions[0]?.action_id ?? '');
      await respond({ text: 'thanks', replace_original: false });
    });

    // HTTPReceiver.start() accepts net.ListenOptions and resolves with the http.Server.
    const server = await app.start({ port: 0, host: '127.0.0.1' });
    try {
      const { port } = server.address() as AddressInfo;
      const url = `http://127.0.0.1:${port}/slack/events`;
      const form = 'application/x-www-form-urlencoded';

      const cmd = slashCommandBody({ command: '/ping', text: 'hi there', response_url: fake.responseUrl() });
      expect(cmd).toContain('text=hi+there');
      const ok = await postSigned(url, cmd, { contentType: form, secret });
      expect(ok.status).toBe(200);
      expect(ok.text).toBe('pong hi there');

      const badSig = await postSigned(url, cmd, { contentType: form, secret: 'wrong-secret' });
      expect(badSig.status).toBe(401);
      const stale = await postSigned(url, cmd, { contentType: form, secret, timestamp: Math.floor(Date.now() / 1000) - 600 });
      expect(stale.status).toBe(401);

      const ev = eventCallbackBody({ type: 'app_mention', user: 'U0HUMAN01', text: 'yo', channel: 'C0GENERAL' }, 'Ev0HTTP1');
      const evRes = await postSigned(url, ev, { contentType: 'application/json', secret });
      expect(evRes.status).toBe(200);
      const said = await fake.waitForCall('chat.postMessage', (c) => c.body.text === 'seen yo', 3000);
      expect(said.ok).toBe(true);

      const action = blockActionBody({ actionId: 'vote', value: 'up', responseUrl: fake.responseUrl('vote-1') });
      expect(action.startsWith('payload=')).toBe(true);
      const actRes = await postSigned(url, action, { contentType: form, secret });
      expect(actRes.status).toBe(200);
      const thanks = await fake.waitForResponse((p) => p.id === 'vote-1', 3000);
      expect(thanks.body).toMatchObject({ text: 'thanks', replace_original: false });
      expect(clicks).toEqual(['vote']);
    } finally {
      await app.stop();
    }
  });

  it('signSlackRequest matches the documented v0 scheme', () => {
    // Example from Slack's "Verifying requests from Slack" docs.
    const body =
      'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
    const headers = signSlackRequest('8f742231b10e8888abcd99yyyzzz85a5', body, 1531420618);
    expect(headers).toEqual({
      'x-slack-request-timestamp': '1531420618',
      'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
    });
  });
});
