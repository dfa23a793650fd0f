/**
 * End to end: the real Discord adapter (discord.js Client) with the real bot over the shipped notes, against the
 * local fake Discord (REST + gateway on 127.0.0.1). Every wait is bounded; everything is closed in afterAll.
 */
import { once } from 'node:events';
import { ApplicationCommandOptionType, Events, Locale, MessageFlags, type APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bot } from '../../../src/core/bot.ts';
import type { CommandRequest } from '../../../src/core/commands/types.ts';
import { createDiscordAdapter, type DiscordAdapter } from '../../../src/adapters/discord/client.ts';
import { DiscordErrors, startFakeDiscord, type ChatInputInteractionInput, type FakeDiscord } from '../../doubles/fake-discord.ts';
import { capturingLogger, realBot, sleep, until, type CapturedLog } from '../../helpers.ts';
import { MemoryStore } from '../../../src/store/memory.ts';
import { callbackBody, isEphemeral, LONG_QUESTION, shownText, testDiscordBot, type CallbackBody, type MessageData } from './support.ts';

describe('Discord adapter end to end (real discord.js against the fake Discord)', () => {
  let fake: FakeDiscord;
  let adapter: DiscordAdapter;
  let logs: CapturedLog[];
  const requests: CommandRequest[] = [];
  const control = { delayMs: 0 };

  beforeAll(async () => {
    fake = await startFakeDiscord();
    const bot = testDiscordBot(control, requests);
    const captured = capturingLogger();
    logs = captured.lines;
    adapter = createDiscordAdapter({
      config: { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.restUrl },
      bot,
      store: new MemoryStore(),
      logger: captured.logger,
      readyTimeoutMs: 8000,
      drainTimeoutMs: 5000,
    });
    await adapter.start();
  });

  afterAll(async () => {
    await adapter?.stop();
    await fake?.close();
  });

  const send = (input: ChatInputInteractionInput) => fake.sendInteraction(fake.chatInputInteraction(input));
  const settled = () => until(() => adapter.inFlight() === 0, 8000, 'answers in flight');
  async function answer(input: ChatInputInteractionInput): Promise<{ id: string; token: string; body: CallbackBody }> {
    const payload = send(input);
    const callback = await fake.waitForInteractionCallback(payload.id, 8000);
    await settled();
    return { id: payload.id, token: payload.token, body: callbackBody(callback) };
  }

  it('logs in with the Guilds intent only, through DISCORD_API_URL, and reports connected', async () => {
    expect(adapter.isConnected()).toBe(true);
    const identify = fake.gatewayLog.find((e) => e.kind === 'in' && e.op === 2);
    expect(identify?.kind === 'in' ? (identify.d as { intents: number }).intents : undefined).toBe(1);
    expect((await fake.waitFor('GET /gateway/bot')).status).toBe(200);
    expect(logs.some((l) => l.msg === 'discord: connected')).toBe(true);
  });

  it('/ask in English answers in English (labels, citation and passage); in Korean, in Korean', async () => {
    const english = (await answer({ name: 'ask', options: { question: 'where do I pick up my badge' } })).body;
    const text = shownText(english.data);
    expect(text).toContain('Hall B of COEX');
    expect(english.data?.embeds?.at(-1)?.footer?.text).toMatch(/^Source: /);
    expect(text.replace(/\([^)]*\)/g, '')).not.toMatch(/\p{Script=Hangul}/u);
    const korean = (await answer({ name: 'ask', options: { question: '배지는 어디서 받아?' } })).body;
    expect(shownText(korean.data)).toContain('코엑스 B홀');
    expect(korean.data?.embeds?.at(-1)?.footer?.text).toMatch(/^출처: /);
  });

  it('/ask question:그래비톤 → type 4, ephemeral, no pings, a passage about Graviton with a share button', async () => {
    const { body } = await answer({ name: 'ask', options: { question: '그래비톤' }, locale: Locale.Korean });
    expect(body.type).toBe(4);
    expect(body.data?.flags).toBe(MessageFlags.Ephemeral);
    expect(body.data?.allowed_mentions).toEqual({ parse: [] });
    expect(JSON.stringify(body.data?.embeds?.[0])).toContain('Graviton');
    expect(shownText(body.data)).toContain('그래비톤');
    expect(body.data?.embeds?.at(-1)?.footer?.text).toMatch(/^출처: /);
    expect(body.data?.components?.[0]?.components[0]).toMatchObject({ type: 2, custom_id: 'share:/ask 그래비톤' });
    const request = requests.at(-1);
    expect(request).toMatchObject({
      command: 'ask',
      text: '',
      options: { question: '그래비톤' },
      target: `discord:${fake.channelId}`,
      platform: 'discord',
      user: { id: '100000000000000001', name: 'User 0001' },
    });
  });

  it('/session query:14:20 → the RDS migration session and its speaker 서호석', async () => {
    const { body } = await answer({ name: 'session', options: { query: '14:20' }, locale: Locale.Korean });
    expect(body.type).toBe(4);
    expect(isEphemeral(body.data)).toBe(true);
    expect(body.data?.content).toContain('14:20');
    expect(body.data?.embeds?.[0]?.title).toContain('RDS 마이그레이션');
    expect(shownText(body.data)).toContain('서호석');
  });

  it('/dr rto:1d rpo:1d → Backup & Restore (백업 및 복구)', async () => {
    const { body } = await answer({ name: 'dr', options: { rto: '1d', rpo: '1d' }, locale: Locale.Korean });
    expect(body.type).toBe(4);
    expect(body.data?.embeds?.[0]?.title).toContain('Backup & Restore');
    expect(body.data?.embeds?.[0]?.title).toContain('백업');
    expect(body.data?.components?.[0]?.components[0]?.custom_id).toBe('share:/dr rto=1d rpo=1d');
  });

  it('/tip and /help answer from the registry', async () => {
    const tip = await answer({ name: 'tip' });
    expect(tip.body.type).toBe(4);
    expect(shownText(tip.body.data)).toContain('💡');
    const help = await answer({ name: 'help' });
    const shown = shownText(help.body.data);
    for (const name of ['/ask', '/session', '/dr', '/tip', '/help']) expect(shown).toContain(name);
    expect(help.body.data?.allowed_mentions).toEqual({ parse: [] });
  });

  it('public:true → visible to the channel (no ephemeral flag) and no share button', async () => {
    const { body } = await answer({ name: 'tip', options: { public: true } });
    expect(body.type).toBe(4);
    expect(isEphemeral(body.data)).toBe(false);
    expect(body.data?.components ?? []).toEqual([]);
    expect(body.data?.allowed_mentions).toEqual({ parse: [] });
  });

  it('autocomplete /session "서" → type 8 with ≤ 25 choices including the RDS session', async () => {
    const payload = fake.sendInteraction(
      fake.autocompleteInteraction({ name: 'session', options: [{ name: 'query', type: ApplicationCommandOptionType.String, value: '서', focused: true }] }),
    );
    const body = callbackBody(await fake.waitForInteractionCallback(payload.id, 8000));
    expect(body.type).toBe(8);
    const choices = body.data?.choices ?? [];
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.length).toBeLessThanOrEqual(25);
    for (const c of choices) {
      expect(c.name.length).toBeLessThanOrEqual(100);
      expect(String(c.value).length).toBeLessThanOrEqual(100);
    }
    expect(choices).toContainEqual(expect.objectContaining({ value: '3', name: expect.stringContaining('RDS') as unknown }));
  });

  it('autocomplete /tip topic and an unknown command → choices, or an empty list', async () => {
    const tip = fake.sendInteraction(fake.autocompleteInteraction({ name: 'tip', options: [{ name: 'topic', type: ApplicationCommandOptionType.String, value: '', focused: true }] }));
    const tipBody = callbackBody(await fake.waitForInteractionCallback(tip.id, 8000));
    expect(tipBody.type).toBe(8);
    expect(tipBody.data?.choices?.length).toBe(25);
    const unknown = fake.sendInteraction(fake.autocompleteInteraction({ name: 'nope', options: [{ name: 'x', type: ApplicationCommandOptionType.String, value: 'a', focused: true }] }));
    expect(callbackBody(await fake.waitForInteractionCallback(unknown.id, 8000))).toEqual({ type: 8, data: { choices: [] } });
  });

  it('share button → deferUpdate, a public follow-up "shared by <name>" without pings, then the button is removed', async () => {
    const userId = '200000000000000002';
    const asked = await answer({ name: 'ask', options: { question: '그래비톤' }, userId, username: 'Jane @everyone' });
    const customId = asked.body.data?.components?.[0]?.components[0]?.custom_id ?? '';
    const original = fake.interactionState(asked.id)?.original as APIMessage;
    expect(original.flags ?? 0).toBe(MessageFlags.Ephemeral);

    const click = fake.sendInteraction(fake.buttonInteraction({ customId, message: original, userId, username: 'Jane @everyone' }));
    expect(callbackBody(await fake.waitForInteractionCallback(click.id, 8000)).type).toBe(6);
    const post = await fake.waitFor((r) => r.method === 'POST' && r.route === '/webhooks/:appId/:token' && r.params.token === click.token, 8000);
    const shared = post.body as MessageData;
    expect(post.status).toBe(200);
    expect(isEphemeral(shared)).toBe(false);
    expect(shared.allowed_mentions).toEqual({ parse: [] });
    expect(shared.content).toContain('shared by Jane');
    expect(JSON.stringify(shared)).not.toContain('@everyone');
    expect(JSON.stringify(shared.embeds?.[0])).toContain('Graviton');
    expect(shared.components ?? []).toEqual([]);
    const edit = await fake.waitFor((r) => r.method === 'PATCH' && r.params.token === click.token, 8000);
    expect(edit.body).toMatchObject({ components: [], allowed_mentions: { parse: [] } });
    await settled();
    expect(requests.at(-1)).toMatchObject({ command: 'ask', text: '그래비톤', user: { id: userId } });
    expect(fake.interactionState(click.id)?.followups).toHaveLength(1);
  });

  it('a share line longer than a custom_id is kept under a short key; an unknown key is "expired"', async () => {
    const echoed = await answer({ name: 'echo' });
    const customId = echoed.body.data?.components?.[0]?.components[0]?.custom_id ?? '';
    expect(customId).toMatch(/^share#[\w-]+$/);
    expect(customId.length).toBeLessThanOrEqual(100);
    const click = fake.sendInteraction(fake.buttonInteraction({ customId, message: fake.interactionState(echoed.id)?.original as APIMessage }));
    const post = await fake.waitFor((r) => r.method === 'POST' && r.route === '/webhooks/:appId/:token' && r.params.token === click.token, 8000);
    expect((post.body as MessageData).embeds?.[0]?.description).toContain(LONG_QUESTION.slice(0, 40));
    await settled();
    expect(requests.at(-1)).toMatchObject({ command: 'echo', text: LONG_QUESTION });

    const stale = fake.sendInteraction(fake.buttonInteraction({ customId: 'share#doesnotexist', locale: Locale.Korean }));
    const body = callbackBody(await fake.waitForInteractionCallback(stale.id, 8000));
    expect(body).toMatchObject({ type: 4, data: { flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } } });
    expect(shownText(body.data)).toContain('만료');
  });

  it('unknown buttons, unknown commands and a throwing command → a polite ephemeral message', async () => {
    const button = fake.sendInteraction(fake.buttonInteraction({ customId: 'something-else' }));
    const buttonBody = callbackBody(await fake.waitForInteractionCallback(button.id, 8000));
    expect(buttonBody).toMatchObject({ type: 4, data: { flags: MessageFlags.Ephemeral } });
    expect(shownText(buttonBody.data)).toContain('/help');

    const unknown = await answer({ name: 'nope', locale: Locale.Korean });
    expect(unknown.body).toMatchObject({ type: 4, data: { flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } } });
    expect(shownText(unknown.body.data)).toContain('알 수 없는 명령');

    const boom = await answer({ name: 'boom', locale: Locale.Korean });
    expect(boom.body.type).toBe(4);
    expect(shownText(boom.body.data)).toContain('문제가 생겼습니다');
  });

  it('a slow answer (2 s) → deferred (type 5) within the 3 s window, then PATCH @original (or a replacing follow-up)', async () => {
    control.delayMs = 2000;
    try {
      // Three at once: private, public, and public-but-the-answer-is-private (a usage error).
      const sentAt = Date.now();
      const payload = send({ name: 'tip' });
      const open = send({ name: 'tip', options: { public: true } });
      const usage = send({ name: 'dr', options: { rto: '1d', public: true } });

      const deferred = await fake.waitForInteractionCallback(payload.id, 8000);
      expect(callbackBody(deferred)).toEqual({ type: 5, data: { flags: MessageFlags.Ephemeral } });
      expect(deferred.at - sentAt).toBeGreaterThanOrEqual(1300);
      expect(deferred.at - sentAt).toBeLessThan(2900);
      const edit = await fake.waitFor((r) => r.method === 'PATCH' && r.path === `/webhooks/${fake.applicationId}/${payload.token}/messages/@original`, 8000);
      expect(edit.status).toBe(200);
      const data = edit.body as MessageData;
      expect(data.allowed_mentions).toEqual({ parse: [] });
      expect(shownText(data)).toContain('💡');

      expect(callbackBody(await fake.waitForInteractionCallback(open.id, 8000))).toEqual({ type: 5, data: { flags: 0 } });
      await fake.waitFor((r) => r.method === 'PATCH' && r.params.token === open.token, 8000);

      // Deferred publicly, but the answer is private: the public "thinking…" is replaced by an ephemeral follow-up.
      expect(callbackBody(await fake.waitForInteractionCallback(usage.id, 8000))).toEqual({ type: 5, data: { flags: 0 } });
      const followUp = await fake.waitFor((r) => r.method === 'POST' && r.route === '/webhooks/:appId/:token' && r.params.token === usage.token, 8000);
      await settled();
      expect(fake.interactionState(payload.id)?.original?.flags ?? 0).toBe(MessageFlags.Ephemeral);
      expect(fake.interactionState(open.id)?.original?.flags ?? 0).toBe(0);
      const steps = fake.interactionResponses(usage.id).map((r) => `${r.method} ${r.route ?? ''}`);
      expect(steps).toEqual(['POST /interactions/:id/:token/callback', 'DELETE /webhooks/:appId/:token/messages/:messageId', 'POST /webhooks/:appId/:token']);
      expect(isEphemeral(followUp.body as MessageData)).toBe(true);
      expect(shownText(followUp.body as MessageData)).toContain('rpo');
      expect(fake.interactionState(usage.id)?.original).toBeNull();
    } finally {
      control.delayMs = 0;
    }
  });

  it('a 429 on the callback once → retried after Retry-After and still answered', async () => {
    fake.failNext('POST /interactions/:id/:token/callback', DiscordErrors.rateLimited(0.05));
    const { id, body } = await answer({ name: 'tip' });
    expect(fake.interactionResponses(id).map((r) => r.status)).toEqual([429, 204]);
    expect(body.type).toBe(4);
    expect(logs.some((l) => l.msg === 'discord: rate limited')).toBe(true);
  });

  it('REST 500 ×4 on the callback → logged, a polite retry, the process keeps running, later interactions work', async () => {
    fake.failNext('POST /interactions/:id/:token/callback', { ...DiscordErrors.serverError, times: 4 });
    const payload = send({ name: 'tip', locale: Locale.Korean });
    await until(() => fake.interactionResponses(payload.id).filter((r) => r.status !== 0).length >= 5, 8000, 'four failures and the fallback');
    await settled();
    const attempts = fake.interactionResponses(payload.id);
    expect(attempts.map((r) => r.status)).toEqual([500, 500, 500, 500, 204]);
    const fallback = callbackBody(attempts[4]!);
    expect(fallback).toMatchObject({ type: 4, data: { flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } } });
    expect(shownText(fallback.data)).toContain('전달하지 못했습니다');
    const logged = logs.find((l) => l.msg === 'discord: could not answer an interaction');
    expect(logged).toMatchObject({ err: { name: 'HTTPError', status: 500 } });
    expect(JSON.stringify(logs)).not.toContain(payload.token);
    expect(JSON.stringify(logs)).not.toContain(fake.token);

    expect(adapter.isConnected()).toBe(true);
    const later = await answer({ name: 'dr', options: { rto: '1d', rpo: '1d' } });
    expect(later.body.type).toBe(4);
  });

  it('gateway disconnect → discord.js resumes and a later interaction is answered', async () => {
    const resumed = once(adapter.client, Events.ShardResume, { signal: AbortSignal.timeout(8000) });
    expect(await fake.disconnectClients(4000)).toBe(1);
    await resumed;
    expect(adapter.isConnected()).toBe(true);
    expect(logs.some((l) => l.msg === 'discord: gateway connection lost; reconnecting')).toBe(true);
    expect(logs.some((l) => l.msg === 'discord: gateway resumed')).toBe(true);
    const { body } = await answer({ name: 'session', options: { query: '14:20' } });
    expect(shownText(body.data)).toContain('서호석');
  });

  it('a query with @everyone <@123> → allowed_mentions parse [] and no raw @everyone anywhere', async () => {
    // /session echoes what it could not find; /ask drops mention markup before it reads a question.
    const { body } = await answer({ name: 'session', options: { query: '@everyone <@123> @here 피자' } });
    expect(body.type).toBe(4);
    expect(body.data?.allowed_mentions).toEqual({ parse: [] });
    const json = JSON.stringify(body);
    expect(json).not.toContain('@everyone');
    expect(json).not.toContain('@here');
    expect(shownText(body.data)).toContain('@\u200beveryone');
  });

  it('every message the adapter sent carried allowed_mentions { parse: [] }', () => {
    const messages = fake.requests.filter((r) => {
      const body = r.body as { type?: number } | undefined;
      if (r.route === '/interactions/:id/:token/callback') return body?.type === 4 || body?.type === 7;
      return r.route === '/webhooks/:appId/:token' || (r.route === '/webhooks/:appId/:token/messages/:messageId' && r.method === 'PATCH') || r.route === '/channels/:channelId/messages';
    });
    expect(messages.length).toBeGreaterThan(15);
    for (const r of messages) {
      const body = r.body as { data?: MessageData } & MessageData;
      const data = r.route === '/interactions/:id/:token/callback' ? body.data : body;
      expect(data?.allowed_mentions, `${r.method} ${r.route}`).toEqual({ parse: [] });
    }
  });
});

describe('Discord adapter lifecycle', () => {
  it('stop() waits for an answer in flight, then disconnects; a wrong token fails start() quickly', async () => {
    const fake = await startFakeDiscord();
    const real = realBot();
    const bot: Bot = { ...real, commands: real.commands, locale: real.locale, suggest: real.suggest, handle: async (r) => (await sleep(600), real.handle(r)) };
    const { logger } = capturingLogger();
    const adapter = createDiscordAdapter({ config: { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.restUrl }, bot, logger, store: new MemoryStore(), readyTimeoutMs: 8000 });
    const wrong = createDiscordAdapter({ config: { token: 'wrong-token', applicationId: fake.applicationId, apiUrl: fake.restUrl }, bot, logger, store: new MemoryStore(), readyTimeoutMs: 8000 });
    try {
      await adapter.start();
      const payload = fake.sendInteraction(fake.chatInputInteraction({ name: 'tip' }));
      await until(() => adapter.inFlight() === 1, 5000, 'the interaction to arrive');
      await adapter.stop();
      const callback = fake.interactionResponses(payload.id)[0];
      expect(callback?.status).toBe(204);
      expect(adapter.isConnected()).toBe(false);
      await fake.waitForGateway((e) => e.kind === 'close', 3000);
      await expect(adapter.stop()).resolves.toBeUndefined();

      const started = Date.now();
      await expect(wrong.start()).rejects.toThrow(/Discord login failed: the token was refused/);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await adapter.stop();
      await wrong.stop();
      await fake.close();
    }
  });
});
