/**
 * Discord HTTP interactions end to end: the real adapter (discord.js) serving `/discord/interactions` on
 * loopback, requests signed with an Ed25519 key pair made here, follow-ups and edits going to the fake
 * Discord's REST API. Two adapters on one store stand for two replicas behind a load balancer.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InteractionType, MessageFlags, type APIMessage } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter, type DiscordAdapter } from '../../../src/adapters/discord/client.ts';
import { interactionSignatureProblem, discordPublicKey } from '../../../src/adapters/discord/interactions-endpoint.ts';
import { MemoryStore } from '../../../src/store/memory.ts';
import { startFakeDiscord, type FakeDiscord } from '../../doubles/fake-discord.ts';
import { testDiscordBot, type CallbackBody, type MessageData } from './support.ts';
import { capturingLogger, sleep, until } from '../../helpers.ts';

const shown = (data: MessageData | undefined) => JSON.stringify(data ?? {});

/** The raw 32-byte public key in hex, as the developer portal shows it. */
function publicKeyHex(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  return Buffer.from(jwk.x!, 'base64url').toString('hex');
}

describe('Discord HTTP interactions (signed requests to /discord/interactions on loopback)', () => {
  let fake: FakeDiscord;
  let privateKey: KeyObject;
  let publicHex: string;
  const store = new MemoryStore();
  const replicas: { adapter: DiscordAdapter; server: Server; url: string }[] = [];
  const control = { delayMs: 0 };

  async function startReplica(): Promise<void> {
    const bot = testDiscordBot(control);
    const adapter = createDiscordAdapter({
      config: { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.restUrl, publicKey: publicHex },
      bot,
      store,
      logger: capturingLogger().logger,
      readyTimeoutMs: 8000,
      drainTimeoutMs: 5000,
    });
    await adapter.start();
    const server = createServer(adapter.interactionsHandler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    replicas.push({ adapter, server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/discord/interactions` });
  }

  beforeAll(async () => {
    fake = await startFakeDiscord();
    // The application's key pair: the adapter gets the public half, "Discord" signs with the private one.
    const pair = generateKeyPairSync('ed25519');
    privateKey = pair.privateKey;
    publicHex = publicKeyHex(pair.publicKey);
    await startReplica();
    await startReplica();
  });

  afterAll(async () => {
    for (const { adapter, server } of replicas) {
      await adapter.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await fake?.close();
  });

  const url = (replica = 0) => replicas[replica]!.url;
  const settled = () => until(() => replicas.every((r) => r.adapter.inFlight() === 0), 8000, 'answers in flight');

  it('takes interactions over HTTP without a gateway connection, and reports itself up', () => {
    expect(replicas.map((r) => r.adapter.mode)).toEqual(['http', 'http']);
    expect(replicas.every((r) => r.adapter.isConnected())).toBe(true);
    expect(fake.connectedClients).toBe(0);
  });

  it('answers a signed PING with PONG, and refuses forged, missing and stale signatures with 401', async () => {
    const ping = { type: InteractionType.Ping as const, id: '900000000000000001', application_id: fake.applicationId, token: 'ping-token', version: 1 as const };
    const pong = await fake.deliverOverHttp(url(), ping, privateKey);
    expect(pong).toMatchObject({ status: 200, body: { type: 1 } });

    const forged = await fake.deliverOverHttp(url(), ping, generateKeyPairSync('ed25519').privateKey);
    expect(forged.status).toBe(401);
    const missing = await fake.deliverOverHttp(url(), ping, privateKey, { 'x-signature-ed25519': '' });
    expect(missing.status).toBe(401);
    const old = String(Math.floor(Date.now() / 1000) - 600);
    const body = JSON.stringify(ping);
    const stale = await fake.deliverOverHttp(url(), ping, privateKey, { 'x-signature-timestamp': old, 'x-signature-ed25519': sign(null, Buffer.from(old + body), privateKey).toString('hex') });
    expect(stale.status).toBe(401);
    // A tampered body under a valid signature.
    const interaction = fake.chatInputInteraction({ name: 'session', options: { query: '14:20' } });
    const tampered = await fake.deliverOverHttp(url(), interaction, privateKey, {
      'x-signature-ed25519': sign(null, Buffer.from(`${Math.floor(Date.now() / 1000)}{}`), privateKey).toString('hex'),
    });
    expect(tampered.status).toBe(401);
  });

  it('/session 14:20 over HTTP → type 4 with the RDS migration session, ephemeral, no pings', async () => {
    const answer = await fake.deliverOverHttp(url(), fake.chatInputInteraction({ name: 'session', options: { query: '14:20' } }), privateKey);
    expect(answer.status).toBe(200);
    const body = answer.body as CallbackBody;
    expect(body.type).toBe(4);
    expect(shown(body.data)).toContain('서호석');
    expect(shown(body.data)).toContain('RDS');
    expect(body.data?.flags).toBe(MessageFlags.Ephemeral);
    expect(body.data?.allowed_mentions).toEqual({ parse: [] });
    expect(answer.ms).toBeLessThan(3000);
  });

  it('autocomplete over HTTP → type 8 with at most 25 choices', async () => {
    const answer = await fake.deliverOverHttp(url(1), fake.autocompleteInteraction({ name: 'session', options: [{ name: 'query', value: '서', focused: true }] }), privateKey);
    const body = answer.body as CallbackBody;
    expect(body.type).toBe(8);
    expect(body.data?.choices?.length).toBeGreaterThan(0);
    expect(body.data?.choices?.length).toBeLessThanOrEqual(25);
  });

  it('a slow answer → deferred (type 5) in the HTTP response, then the answer edits @original over REST', async () => {
    control.delayMs = 2000;
    try {
      const interaction = fake.chatInputInteraction({ name: 'tip' });
      const answer = await fake.deliverOverHttp(url(), interaction, privateKey);
      expect(answer.body).toEqual({ type: 5, data: { flags: MessageFlags.Ephemeral } });
      expect(answer.ms).toBeLessThan(2900);
      const edit = await fake.waitFor((r) => r.method === 'PATCH' && r.path === `/webhooks/${fake.applicationId}/${interaction.token}/messages/@original`, 8000);
      expect(edit.status).toBe(200);
      expect(shown(edit.body as MessageData)).toContain('💡');
      expect((edit.body as MessageData).allowed_mentions).toEqual({ parse: [] });
    } finally {
      control.delayMs = 0;
    }
    await settled();
  });

  it('a share click answered by the other replica posts once, even when clicked twice on both', async () => {
    const asked = fake.chatInputInteraction({ name: 'echo' });
    const answer = (await fake.deliverOverHttp(url(0), asked, privateKey)).body as CallbackBody;
    const customId = answer.data?.components?.[0]?.components[0]?.custom_id ?? '';
    // Too long for a custom_id: the button carries a key the other replica finds in the shared store.
    expect(customId).toMatch(/^share#[\w-]+$/);
    const message = fake.interactionState(asked.id)?.original as APIMessage;

    const clicks = [fake.buttonInteraction({ customId, message }), fake.buttonInteraction({ customId, message })];
    const answers = await Promise.all(clicks.map((click, i) => fake.deliverOverHttp(url(1 - (i % 2)), click, privateKey)));
    expect(answers.map((a) => (a.body as CallbackBody).type)).toEqual([6, 6]);
    await until(() => fake.requests.some((r) => r.method === 'POST' && r.route === '/webhooks/:appId/:token' && clicks.some((c) => c.token === r.params.token)), 8000, 'the shared post');
    await settled();
    await sleep(300);
    const posts = fake.requests.filter((r) => r.method === 'POST' && r.route === '/webhooks/:appId/:token' && clicks.some((c) => c.token === r.params.token));
    expect(posts).toHaveLength(1);
    expect((posts[0]!.body as MessageData).content).toContain('shared by');
    expect(shown(posts[0]!.body as MessageData)).toContain('아주 긴 질문');
  });

  it('checks signatures as Discord documents them (unit)', () => {
    const { privateKey: key, publicKey } = generateKeyPairSync('ed25519');
    const verifier = discordPublicKey(publicKeyHex(publicKey));
    const body = Buffer.from('{"type":1}');
    const now = 1_770_000_000;
    const signature = sign(null, Buffer.concat([Buffer.from(String(now)), body]), key).toString('hex');
    expect(interactionSignatureProblem(verifier, signature, String(now), body, now)).toBeUndefined();
    expect(interactionSignatureProblem(verifier, signature, String(now), Buffer.from('{"type":2}'), now)).toBe('bad signature');
    expect(interactionSignatureProblem(verifier, undefined, String(now), body, now)).toBe('missing signature headers');
    expect(interactionSignatureProblem(verifier, 'zz', String(now), body, now)).toBe('malformed signature');
    expect(interactionSignatureProblem(verifier, signature, String(now), body, now + 301)).toBe('stale or malformed timestamp');
    expect(() => discordPublicKey('not-hex')).toThrow(/64 hex/);
  });
});
