/**
 * End to end, Socket Mode: the fake's WebSocket delivers envelopes to the real adapter (Bolt's
 * SocketModeReceiver), which acks them and answers through the fake Web API / response_url.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackAdapter, type SlackAdapter } from '../../../src/adapters/slack/app.ts';
import type { Bot } from '../../../src/core/bot.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../../doubles/fake-slack.ts';
import { FAST_RETRY, capturingLogger, realBot, shown, sleep, until } from './setup.ts';
import { MemoryStore } from '../../../src/store/memory.ts';

let fake: FakeSlackApi;
let bot: Bot;
let adapter: SlackAdapter;

/** A Socket Mode adapter on the fake, not yet started. */
function socketAdapter(botToken = 'xoxb-test'): SlackAdapter {
  return createSlackAdapter({
    config: { mode: 'socket', botToken, appToken: 'xapp-test', apiUrl: fake.apiUrl },
    bot,
    store: new MemoryStore(),
    logger: capturingLogger().logger,
    retryConfig: FAST_RETRY,
    drainTimeoutMs: 3000,
  });
}

beforeAll(async () => {
  fake = await startFakeSlackApi({ pingIntervalMs: 0 });
  bot = realBot();
  adapter = socketAdapter();
  await adapter.start();
});

afterAll(async () => {
  await adapter?.stop();
  await fake?.close();
});

beforeEach(() => {
  fake.reset();
});

describe('Slack adapter, Socket Mode', () => {
  it('connects over the WebSocket with the app token and needs no HTTP port', () => {
    expect(adapter.mode).toBe('socket');
    expect(adapter.port).toBeUndefined();
    expect(adapter.isConnected()).toBe(true);
    expect(fake.socketClientCount).toBe(1);
  });

  it('slash command: acks the envelope (empty) within 3 s, then answers via response_url', async () => {
    const ack = await fake.sendSlashCommand({ command: '/ask', text: 'RPO가 뭐야', response_url: fake.responseUrl('sock-ask') }, { timeoutMs: 3000 });
    expect(ack.envelope_id).toBe(ack.envelope.envelope_id);
    expect(ack.ms).toBeLessThan(3000);
    expect(ack.payload ?? {}).toEqual({});
    const post = await fake.waitForResponse((p) => p.id === 'sock-ask', 3000);
    expect(post.body.response_type).toBe('ephemeral');
    expect(shown(post.body)).toContain('RPO');
  });

  it('/help over the socket lists the commands', async () => {
    await fake.sendSlashCommand({ command: '/help', text: '', response_url: fake.responseUrl('sock-help') }, { timeoutMs: 3000 });
    const post = await fake.waitForResponse((p) => p.id === 'sock-help', 3000);
    for (const command of bot.commands) expect(String(post.body.text)).toContain(`/${command.name}`);
  });

  it('events_api app_mention → one answer; a retried envelope with the same event_id → no second answer', async () => {
    const ev = { type: 'app_mention', user: 'U0HUMAN01', text: '<@U0FAKEBOT> RPO가 뭐야', channel: 'C0GENERAL', ts: '1700000100.000100' };
    const ack = await fake.sendEvent(ev, { eventId: 'EvSOCK1', timeoutMs: 3000 });
    expect(ack.ms).toBeLessThan(3000);
    const answer = await fake.waitForCall('chat.postMessage', (c) => c.ok, 3000);
    expect(answer.body).toMatchObject({ channel: 'C0GENERAL', thread_ts: '1700000100.000100' });
    expect(shown(answer.body)).toContain('RPO');

    const retryAck = await fake.sendEvent(ev, { eventId: 'EvSOCK1', retryAttempt: 1, retryReason: 'timeout', timeoutMs: 3000 });
    expect(retryAck.envelope.retry_attempt).toBe(1);
    await sleep(500);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('a DM over the socket is answered in the DM', async () => {
    await fake.sendEvent({ type: 'message', channel_type: 'im', channel: 'D0SOCK', user: 'U0HUMAN01', text: 'RTO가 뭐야' }, { eventId: 'EvSOCKDM', timeoutMs: 3000 });
    const answer = await fake.waitForCall('chat.postMessage', (c) => c.ok, 3000);
    expect(answer.body.channel).toBe('D0SOCK');
    expect(shown(answer.body)).toContain('RTO');
  });

  it('the share button works over the socket too', async () => {
    const ack = await fake.sendBlockAction({ actionId: 'share_reply', value: '/help', responseUrl: fake.responseUrl('sock-share'), isEphemeral: true }, { timeoutMs: 3000 });
    expect(ack.ms).toBeLessThan(3000);
    const shared = await fake.waitForCall('chat.postMessage', (c) => c.ok, 3000);
    expect(shown(shared.body)).toContain('공유한 사람: <@U0HUMAN01>');
  });

  it('stop() closes the socket and reports disconnected', async () => {
    const other = socketAdapter();
    await other.start();
    await until(() => fake.socketClientCount === 2, 3000, 'second socket client');
    await other.stop();
    expect(other.isConnected()).toBe(false);
    await until(() => fake.socketClientCount === 1, 3000, 'socket client to close');
  });

  it('a bad bot token fails start() with a clear message and opens no socket', async () => {
    const bad = socketAdapter('xoxb-wrong');
    await expect(bad.start()).rejects.toThrow(/SLACK_BOT_TOKEN.*invalid_auth/);
    expect(fake.callsTo('apps.connections.open')).toHaveLength(0);
    await bad.stop();
  });
});
