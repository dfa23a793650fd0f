/**
 * Self-test of the Discord fake: the REAL discord.js Client (REST via @discordjs/rest, gateway via @discordjs/ws)
 * must log in, become ready, receive interactions and answer them against it. Everything is local (127.0.0.1,
 * ephemeral ports) and every wait is bounded.
 */
import { once } from 'node:events';
import zlib from 'node:zlib';
import {
  ApplicationCommandOptionType,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  MessageFlags,
  REST,
  Routes,
  type ClientOptions,
  type Interaction,
} from 'discord.js';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DiscordErrors, startFakeDiscord } from './fake-discord.ts';
import type { FakeDiscord, GatewayLogEntry } from './fake-discord.ts';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Options a test client needs to talk to the fake (see the header of fake-discord.ts). */
function clientOptions(fake: FakeDiscord, extra: Partial<ClientOptions> = {}): ClientOptions {
  return { intents: [GatewayIntentBits.Guilds], rest: { api: fake.restUrl }, ...extra };
}

async function loginAndWaitReady(client: Client, token: string, timeoutMs = 5000): Promise<void> {
  const ready = once(client, Events.ClientReady, { signal: AbortSignal.timeout(timeoutMs) });
  await client.login(token);
  await ready;
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs}ms: ${what}`)), timeoutMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const isOut = (t: string) => (e: GatewayLogEntry) => e.kind === 'out' && e.t === t;
const isIn = (op: number) => (e: GatewayLogEntry) => e.kind === 'in' && e.op === op;
const countIn = (fake: FakeDiscord, op: number): number => fake.gatewayLog.filter(isIn(op)).length;

/** The bot under test: a tiny interaction handler using the public discord.js API. */
function attachHandler(client: Client): { handled: Map<string, Promise<void>>; errors: unknown[] } {
  const handled = new Map<string, Promise<void>>();
  const errors: unknown[] = [];
  const handle = async (interaction: Interaction): Promise<void> => {
    if (interaction.isChatInputCommand()) {
      switch (interaction.commandName) {
        case 'ping':
          await interaction.reply({ content: 'pong', flags: MessageFlags.Ephemeral, allowedMentions: { parse: [] } });
          return;
        case 'ask': {
          await interaction.deferReply();
          const query = interaction.options.getString('query', true);
          await interaction.editReply({ content: `answer to ${query}` });
          await interaction.followUp({ content: 'sources: none', flags: MessageFlags.Ephemeral });
          return;
        }
        case 'file':
          await interaction.reply({
            content: 'see attachment',
            files: [{ attachment: Buffer.from('hello file'), name: 'notes.txt' }],
          });
          return;
        default:
          await interaction.reply({ content: `unknown command ${interaction.commandName}` });
      }
    } else if (interaction.isAutocomplete()) {
      const focused = interaction.options.getFocused(true);
      await interaction.respond([
        { name: `${focused.value} keynote`, value: `${focused.value}-1` },
        { name: `${focused.value} workshop`, value: `${focused.value}-2` },
      ]);
    } else if (interaction.isButton()) {
      await interaction.update({ content: `clicked ${interaction.customId}`, components: [] });
    }
  };
  client.on(Events.InteractionCreate, (interaction) => {
    const p = handle(interaction).catch((error: unknown) => {
      errors.push(error);
    });
    handled.set(interaction.id, p);
  });
  return { handled, errors };
}

describe('fake Discord + real discord.js Client', () => {
  let fake: FakeDiscord;
  let client: Client;
  let handled: Map<string, Promise<void>>;
  let errors: unknown[];

  async function waitHandled(id: string, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!handled.has(id)) {
      if (Date.now() > deadline) throw new Error(`interaction ${id} never reached the handler`);
      await new Promise((r) => setTimeout(r, 5));
    }
    await withTimeout(handled.get(id) ?? Promise.resolve(), Math.max(1, deadline - Date.now()), `handler of ${id}`);
  }

  beforeAll(async () => {
    fake = await startFakeDiscord();
    client = new Client(clientOptions(fake));
    ({ handled, errors } = attachHandler(client));
    await loginAndWaitReady(client, fake.token);
  });

  afterAll(async () => {
    await client?.destroy();
    await fake?.close();
  });

  afterEach(() => {
    expect(errors).toEqual([]);
  });

  it('logs in over REST + gateway and emits clientReady with the fake guild and channel cached', async () => {
    expect(client.isReady()).toBe(true);
    expect(client.user?.id).toBe(fake.botUserId);
    expect(client.user?.bot).toBe(true);
    expect(client.application?.id).toBe(fake.applicationId);
    const guild = client.guilds.cache.get(fake.guildId);
    expect(guild?.available).toBe(true);
    expect(guild?.roles.everyone.id).toBe(fake.guildId);
    const channel = client.channels.cache.get(fake.channelId);
    expect(channel?.isTextBased()).toBe(true);

    const gatewayBot = await fake.waitFor('GET /gateway/bot');
    expect(gatewayBot.headers.authorization).toBe(`Bot ${fake.token}`);
    const open = fake.gatewayLog.find((e) => e.kind === 'open');
    expect(open).toMatchObject({ path: '/gateway', query: { v: '10', encoding: 'json' } });
    // No zlib: discord.js only asks for zlib-stream when the optional zlib-sync package is installed.
    expect(open?.kind === 'open' && 'compress' in open.query).toBe(false);
    const identify = fake.gatewayLog.find(isIn(2));
    expect(identify?.kind === 'in' && isRecord(identify.d) ? identify.d.intents : undefined).toBe(GatewayIntentBits.Guilds);
    // READY then GUILD_CREATE, with increasing sequence numbers
    const ready = fake.gatewayLog.find(isOut('READY'));
    const guildCreate = fake.gatewayLog.find(isOut('GUILD_CREATE'));
    expect(ready?.kind === 'out' ? ready.s : null).toBe(1);
    expect(guildCreate?.kind === 'out' ? guildCreate.s : null).toBe(2);
  });

  it('chat input → interaction.reply(ephemeral, allowedMentions) records a type 4 callback', async () => {
    const payload = fake.sendInteraction(fake.chatInputInteraction({ name: 'ping' }));
    const callback = await fake.waitForInteractionCallback(payload.id);
    await waitHandled(payload.id);
    expect(callback.status).toBe(204);
    expect(callback.path).toBe(`/interactions/${payload.id}/${payload.token}/callback`);
    expect(callback.query.with_response).toBe('false');
    // interaction callbacks are unauthenticated (auth: false) — the token in the path is the credential
    expect(callback.headers.authorization).toBeUndefined();
    expect(callback.body).toMatchObject({
      type: 4,
      data: { content: 'pong', flags: MessageFlags.Ephemeral, allowed_mentions: { parse: [] } },
    });
    expect(fake.interactionState(payload.id)?.original?.content).toBe('pong');
    expect(fake.interactionResponses(payload.id)).toHaveLength(1);
  });

  it('deferReply + editReply + followUp: type 5, PATCH @original, POST webhook?wait=true', async () => {
    const payload = fake.sendInteraction(
      fake.chatInputInteraction({ name: 'ask', options: { query: 'serverless' }, userId: '222222222222222222' }),
    );
    const edit = await fake.waitFor(
      (r) => r.method === 'PATCH' && r.path === `/webhooks/${fake.applicationId}/${payload.token}/messages/@original`,
    );
    await waitHandled(payload.id);
    expect(edit.status).toBe(200);
    expect(edit.body).toMatchObject({ content: 'answer to serverless' });
    const [callback, , followUp] = fake.interactionResponses(payload.id);
    expect(callback?.body).toMatchObject({ type: 5 });
    expect(followUp).toMatchObject({ method: 'POST', query: { wait: 'true' }, status: 200 });
    expect(followUp?.body).toMatchObject({ content: 'sources: none', flags: MessageFlags.Ephemeral });
    const state = fake.interactionState(payload.id);
    expect(state?.original?.content).toBe('answer to serverless');
    expect((state?.original?.flags ?? 0) & MessageFlags.Loading).toBe(0);
    expect(state?.followups.map((m) => m.content)).toEqual(['sources: none']);
  });

  it('autocomplete → interaction.respond records a type 8 callback with choices', async () => {
    const payload = fake.sendInteraction(
      fake.autocompleteInteraction({
        name: 'ask',
        options: [{ name: 'query', type: ApplicationCommandOptionType.String, value: 'lamb', focused: true }],
      }),
    );
    const callback = await fake.waitForInteractionCallback(payload.id);
    await waitHandled(payload.id);
    expect(callback.body).toEqual({
      type: 8,
      data: {
        choices: [
          { name: 'lamb keynote', value: 'lamb-1' },
          { name: 'lamb workshop', value: 'lamb-2' },
        ],
      },
    });
  });

  it('button → interaction.update records a type 7 callback', async () => {
    const payload = fake.sendInteraction(fake.buttonInteraction({ customId: 'more:42' }));
    const callback = await fake.waitForInteractionCallback(payload.id);
    await waitHandled(payload.id);
    expect(callback.body).toMatchObject({ type: 7, data: { content: 'clicked more:42', components: [] } });
    expect(fake.interactionState(payload.id)?.original?.content).toBe('clicked more:42');
  });

  it('files are sent as multipart/form-data with payload_json', async () => {
    const payload = fake.sendInteraction(fake.chatInputInteraction({ name: 'file' }));
    const callback = await fake.waitForInteractionCallback(payload.id);
    await waitHandled(payload.id);
    expect(callback.headers['content-type']).toMatch(/^multipart\/form-data/);
    expect(callback.body).toMatchObject({ type: 4, data: { content: 'see attachment' } });
    expect(callback.files).toHaveLength(1);
    expect(callback.files[0]?.filename).toBe('notes.txt');
    expect(callback.files[0]?.data.toString()).toBe('hello file');
    expect(fake.interactionState(payload.id)?.original?.attachments[0]?.filename).toBe('notes.txt');
  });

  it('429 on the callback once → discord.js waits Retry-After and retries successfully', async () => {
    fake.failNext('POST /interactions/:id/:token/callback', DiscordErrors.rateLimited(0.05));
    const payload = fake.sendInteraction(fake.chatInputInteraction({ name: 'ping' }));
    const ok = await fake.waitForInteractionCallback(payload.id);
    await waitHandled(payload.id);
    const attempts = fake.interactionResponses(payload.id);
    expect(attempts.map((r) => r.status)).toEqual([429, 204]);
    expect(attempts[0]?.injected).toBe(true);
    expect(attempts[0]?.responseBody).toEqual({ message: 'You are being rate limited.', retry_after: 0.05, global: false });
    // Retry-After (50 ms) + @discordjs/rest's default 50 ms offset
    expect((attempts[1]?.at ?? 0) - (attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(90);
    expect(ok.body).toMatchObject({ type: 4, data: { content: 'pong' } });
  });

  it('channel.send (scheduler path): message object back, 5xx retried, Discord errors surface as DiscordAPIError', async () => {
    const channel = client.channels.cache.get(fake.channelId);
    if (!channel?.isSendable()) throw new Error('channel not sendable');

    const sent = await channel.send({ content: 'daily digest', embeds: [{ title: 'Top talks', description: '1. …' }] });
    expect(sent.id).toMatch(/^\d{17,20}$/);
    expect(sent.author.id).toBe(fake.botUserId);
    expect(sent.embeds[0]?.title).toBe('Top talks');
    expect(fake.channelMessages.get(fake.channelId)?.at(-1)?.content).toBe('daily digest');
    const post = await fake.waitFor((r) => r.method === 'POST' && r.path === `/channels/${fake.channelId}/messages`);
    expect(post.headers.authorization).toBe(`Bot ${fake.token}`);

    fake.failNext('POST /channels/:id/messages', { ...DiscordErrors.serverError, times: 2 });
    const before = fake.requests.length;
    await channel.send('after two 500s');
    expect(fake.requests.slice(before).map((r) => r.status)).toEqual([500, 500, 200]);

    fake.failNext('POST /channels/:id/messages', DiscordErrors.unknownChannel);
    const unknown = await channel.send('x').catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(DiscordAPIError);
    expect(unknown).toMatchObject({ status: 404, code: 10003, message: 'Unknown Channel' });

    fake.failNext('POST /channels/:id/messages', DiscordErrors.missingAccess);
    await expect(channel.send('x')).rejects.toMatchObject({ status: 403, code: 50001 });

    await expect(channel.send('x'.repeat(2001))).rejects.toMatchObject({ status: 400, code: 50035 });
    await expect(client.rest.post(Routes.channelMessages('1'), { body: { content: 'x' } })).rejects.toMatchObject({
      status: 404,
      code: 10003,
    });
  });

  it('registers commands (bulk overwrite) via client.application.commands.set and a standalone REST', async () => {
    const set = await client.application?.commands.set([
      {
        name: 'ask',
        description: 'Ask the knowledge base',
        options: [
          { name: 'query', description: 'Question', type: ApplicationCommandOptionType.String, required: true, autocomplete: true },
        ],
      },
      { name: 'ping', description: 'Health check' },
    ]);
    expect(set?.size).toBe(2);
    const put = await fake.waitFor(`PUT /applications/${fake.applicationId}/commands`);
    expect(Array.isArray(put.body) && put.body.length).toBe(2);
    expect(fake.registeredCommands().map((c) => c.name)).toEqual(['ask', 'ping']);
    const askId = fake.registeredCommands()[0]?.id;

    // the way a register CLI does it: a bare REST client
    const rest = new REST({ api: fake.restUrl }).setToken(fake.token);
    const guildResult = await rest.put(Routes.applicationGuildCommands(fake.applicationId, fake.guildId), {
      body: [{ name: 'ask', description: 'Ask (guild)' }],
    });
    expect(guildResult).toMatchObject([{ name: 'ask', guild_id: fake.guildId, application_id: fake.applicationId }]);
    expect(await rest.get(Routes.applicationGuildCommands(fake.applicationId, fake.guildId))).toHaveLength(1);
    // re-registering keeps ids stable, like Discord
    await rest.put(Routes.applicationCommands(fake.applicationId), { body: [{ name: 'ask', description: 'v2' }] });
    expect(fake.registeredCommands()[0]?.id).toBe(askId);
    await expect(
      rest.put(Routes.applicationCommands('123456789012345678'), { body: [] }),
    ).rejects.toMatchObject({ status: 403, code: 20012 });
    await expect(
      rest.put(Routes.applicationCommands(fake.applicationId), { body: [{ name: 'Bad Name', description: 'x' }] }),
    ).rejects.toMatchObject({ status: 400, code: 50035 });
  });

  it('raw HTTP: unknown route 404 shape, wrong token 401, unknown/double-acknowledged interactions', async () => {
    const notFound = await fetch(`${fake.apiBase}/nope`, { headers: { authorization: `Bot ${fake.token}` } });
    expect(notFound.status).toBe(404);
    expect(await notFound.json()).toEqual({ message: '404: Not Found', code: 0 });

    const unauthorized = await fetch(`${fake.apiBase}/users/@me`, { headers: { authorization: 'Bot wrong' } });
    expect(unauthorized.status).toBe(401);
    expect(await unauthorized.json()).toEqual({ message: '401: Unauthorized', code: 0 });

    const me = await fetch(`${fake.apiBase}/users/@me`, { headers: { authorization: `Bot ${fake.token}` } });
    expect(await me.json()).toMatchObject({ id: fake.botUserId, bot: true });

    const unknown = await fetch(`${fake.apiBase}/interactions/1/abc/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 4, data: { content: 'x' } }),
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: 'Unknown interaction', code: 10062 });

    // The handler answers 'raw' (default branch); a second callback by hand must be refused like Discord does.
    const payload = fake.chatInputInteraction({ name: 'raw' });
    fake.sendInteraction(payload);
    await waitHandled(payload.id);
    const again = await fetch(`${fake.apiBase}/interactions/${payload.id}/${payload.token}/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 4, data: { content: 'second' } }),
    });
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ message: 'Interaction has already been acknowledged.', code: 40060 });
  });

  it('disconnect → discord.js RESUMEs (missed events replayed) and later interactions still work', async () => {
    const resumesBefore = countIn(fake, 6);
    const identifiesBefore = countIn(fake, 2);
    const resumed = once(client, Events.ShardResume, { signal: AbortSignal.timeout(8000) });
    expect(await fake.disconnectClients()).toBe(1);

    // Dispatched while the client is away: must be replayed after RESUME.
    const missed = fake.sendInteraction(fake.chatInputInteraction({ name: 'ping' }));
    await resumed;
    await fake.waitForInteractionCallback(missed.id, 8000);
    await waitHandled(missed.id);
    expect(countIn(fake, 6)).toBe(resumesBefore + 1);
    expect(countIn(fake, 2)).toBe(identifiesBefore);
    const resumeOpen = [...fake.gatewayLog].reverse().find((e) => e.kind === 'open');
    expect(resumeOpen).toMatchObject({ path: '/resume' });

    const later = fake.sendInteraction(fake.chatInputInteraction({ name: 'ping' }));
    const callback = await fake.waitForInteractionCallback(later.id);
    await waitHandled(later.id);
    expect(callback.body).toMatchObject({ type: 4, data: { content: 'pong' } });
  });

  it('op 7 RECONNECT → discord.js resumes', async () => {
    const resumesBefore = countIn(fake, 6);
    const resumed = once(client, Events.ShardResume, { signal: AbortSignal.timeout(8000) });
    fake.requestReconnect();
    await resumed;
    expect(countIn(fake, 6)).toBe(resumesBefore + 1);
    const payload = fake.sendInteraction(fake.chatInputInteraction({ name: 'ping' }));
    await fake.waitForInteractionCallback(payload.id);
    await waitHandled(payload.id);
  });
});

describe('fake Discord gateway edge cases', () => {
  // Each test owns its fake and clients, so the suite is order-independent (vitest --sequence.shuffle).
  const cleanups: Array<() => Promise<void>> = [];

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function freshFake(options: Parameters<typeof startFakeDiscord>[0] = {}): Promise<FakeDiscord> {
    const fake = await startFakeDiscord(options);
    cleanups.push(() => fake.close());
    return fake;
  }

  async function readyClient(fake: FakeDiscord): Promise<ReturnType<typeof attachHandler> & { client: Client }> {
    const client = new Client(
      clientOptions(fake, {
        // Skip @discordjs/ws's 5 s identify throttle so a re-IDENTIFY happens immediately.
        ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) },
      }),
    );
    cleanups.push(() => client.destroy());
    const handler = attachHandler(client);
    await loginAndWaitReady(client, fake.token);
    return { client, ...handler };
  }

  it('enforce_nonce: a repeated nonce within the window returns the first message; after it, or without enforcing, a new one', async () => {
    const fake = await freshFake({ nonceWindowMs: 300 });
    const rest = new REST({ api: fake.restUrl, retries: 0 }).setToken(fake.token);
    cleanups.push(async () => {
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
    });
    const send = (body: Record<string, unknown>) => rest.post(Routes.channelMessages(fake.channelId), { body }) as Promise<{ id: string; nonce?: unknown }>;
    const first = await send({ content: 'tip', nonce: 'a1b2c3', enforce_nonce: true });
    const again = await send({ content: 'tip, resent', nonce: 'a1b2c3', enforce_nonce: true });
    expect(again.id).toBe(first.id);
    expect(fake.channelMessages.get(fake.channelId)?.map((m) => m.content)).toEqual(['tip']);
    // Without enforce_nonce Discord does not check.
    await send({ content: 'not enforced', nonce: 'a1b2c3' });
    expect(fake.channelMessages.get(fake.channelId)).toHaveLength(2);
    // Past the window the nonce is forgotten.
    await new Promise((resolve) => setTimeout(resolve, 350));
    const late = await send({ content: 'after the window', nonce: 'a1b2c3', enforce_nonce: true });
    expect(late.id).not.toBe(first.id);
    expect(fake.channelMessages.get(fake.channelId)).toHaveLength(3);
    await expect(send({ content: 'x', nonce: 'n'.repeat(26), enforce_nonce: true })).rejects.toMatchObject({ status: 400, code: 50035 });
  });

  it('acceptThen: the message is created, then the answer comes late, never, or as a 5xx', async () => {
    const fake = await freshFake();
    const rest = new REST({ api: fake.restUrl, retries: 0, timeout: 300 }).setToken(fake.token);
    cleanups.push(async () => {
      rest.clearHashSweeper();
      rest.clearHandlerSweeper();
    });
    const send = (content: string) => rest.post(Routes.channelMessages(fake.channelId), { body: { content } });
    fake.acceptThen('POST /channels/:id/messages', { answerAfterMs: 1_000 });
    await expect(send('late')).rejects.toMatchObject({ name: 'AbortError' });
    fake.acceptThen('POST /channels/:id/messages', { drop: true });
    await expect(send('dropped')).rejects.toThrow();
    fake.acceptThen('POST /channels/:id/messages', { status: 502 });
    await expect(send('bad gateway')).rejects.toMatchObject({ status: 502 });
    await send('normal');
    expect(fake.channelMessages.get(fake.channelId)?.map((m) => m.content)).toEqual(['late', 'dropped', 'bad gateway', 'normal']);
  });

  it('login with a wrong token fails with TokenInvalid (401 on GET /gateway/bot)', async () => {
    const fake = await freshFake();
    const client = new Client(clientOptions(fake));
    cleanups.push(() => client.destroy());
    await expect(client.login('not-the-token')).rejects.toMatchObject({ code: 'TokenInvalid' });
  });

  it('heartbeats are ACKed; a non-resumable close leads to INVALID_SESSION and a fresh IDENTIFY', async () => {
    const fake = await freshFake({ heartbeatIntervalMs: 200 });
    const { handled, errors } = await readyClient(fake);

    await fake.waitForGateway(isIn(1), 3000);
    await fake.waitForGateway((e) => e.kind === 'out' && e.op === 11, 3000);

    const identifiesBefore = countIn(fake, 2);
    const readyBefore = fake.gatewayLog.filter(isOut('READY')).length;
    await fake.disconnectClients(4009, 'Session timed out'); // kills the session; discord.js tries RESUME first
    await fake.waitForGateway((e) => e.kind === 'out' && e.op === 9, 8000);
    await fake.waitForGateway(() => countIn(fake, 2) === identifiesBefore + 1, 8000);
    await fake.waitForConnectedClients(1, 8000);
    expect(fake.gatewayLog.filter(isOut('READY')).length).toBe(readyBefore + 1);

    const payload = fake.sendInteraction(fake.chatInputInteraction({ name: 'ping' }));
    const callback = await fake.waitForInteractionCallback(payload.id, 8000);
    expect(callback.body).toMatchObject({ type: 4, data: { content: 'pong' } });
    await withTimeout(
      (async () => {
        while (!handled.has(payload.id)) await new Promise((r) => setTimeout(r, 5));
        await handled.get(payload.id);
      })(),
      5000,
      'handler',
    );
    expect(errors).toEqual([]);
  });

  it('op 9 INVALID_SESSION (resumable) → discord.js RESUMEs on the same socket', async () => {
    const fake = await freshFake();
    await readyClient(fake);
    const opens = fake.gatewayLog.filter((e) => e.kind === 'open').length;
    fake.invalidateSessions(true);
    await fake.waitForGateway(isIn(6), 5000);
    await fake.waitForGateway(isOut('RESUMED'), 5000);
    expect(fake.gatewayLog.filter((e) => e.kind === 'open').length).toBe(opens);
    expect(fake.connectedClients).toBe(1);
  });

  it('initialResponseDeadlineMs emulates the 3 s rule (404 Unknown interaction when too late)', async () => {
    const strict = await startFakeDiscord({ initialResponseDeadlineMs: 50 });
    try {
      const post = (id: string, token: string): Promise<Response> =>
        fetch(`${strict.apiBase}/interactions/${id}/${token}/callback`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ type: 5 }),
        });
      const fast = strict.registerInteraction(strict.chatInputInteraction({ name: 'ask' }));
      expect((await post(fast.id, fast.token)).status).toBe(204);
      const slow = strict.registerInteraction(strict.chatInputInteraction({ name: 'ask' }));
      await new Promise((r) => setTimeout(r, 80));
      const late = await post(slow.id, slow.token);
      expect(late.status).toBe(404);
      expect(await late.json()).toEqual({ message: 'Unknown interaction', code: 10062 });
    } finally {
      await strict.close();
    }
  });

  it('speaks zlib-stream when a client asks for it (what discord.js does if zlib-sync is installed)', async () => {
    const fake = await freshFake({ heartbeatIntervalMs: 200 });
    const ws = new WebSocket(`${fake.gatewayUrl}?v=10&encoding=json&compress=zlib-stream`);
    const frames: Buffer[] = [];
    const payloads: Array<Record<string, unknown>> = [];
    let decodedLength = 0;
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      expect(isBinary).toBe(true);
      frames.push(data);
      expect(data.subarray(-4).equals(Buffer.from([0, 0, 0xff, 0xff]))).toBe(true);
      const all = zlib.inflateSync(Buffer.concat(frames), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString();
      const parsed: unknown = JSON.parse(all.slice(decodedLength));
      decodedLength = all.length;
      if (isRecord(parsed)) payloads.push(parsed);
    });
    try {
      await withTimeout(once(ws, 'open'), 3000, 'ws open');
      const until = async (n: number): Promise<void> => {
        await withTimeout(
          (async () => {
            while (payloads.length < n) await new Promise((r) => setTimeout(r, 5));
          })(),
          3000,
          `${n} gateway payloads`,
        );
      };
      await until(1);
      expect(payloads[0]).toMatchObject({ op: 10, d: { heartbeat_interval: 200 } });
      ws.send(JSON.stringify({ op: 2, d: { token: fake.token, intents: 1, properties: {} } }));
      await until(3);
      expect(payloads.slice(1).map((p) => p.t)).toEqual(['READY', 'GUILD_CREATE']);
    } finally {
      ws.close(1000);
      await withTimeout(once(ws, 'close'), 3000, 'ws close').catch(() => ws.terminate());
    }
  });

  it('close() shuts the server down', async () => {
    const other = await startFakeDiscord();
    const url = `${other.apiBase}/gateway`;
    expect((await fetch(url)).status).toBe(200);
    await withTimeout(other.close(), 3000, 'close');
    await expect(fetch(url)).rejects.toThrow();
  });
});
