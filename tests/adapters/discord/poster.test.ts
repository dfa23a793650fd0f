/** DiscordPoster against the fake Discord: success, and every failure mapped to the right PostError kind. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostError } from '../../../src/core/ports.ts';
import { heading, reply, text, actions } from '../../../src/core/reply.ts';
import { DiscordPoster, discordChannelOf, nonceFor, toPostError } from '../../../src/adapters/discord/poster.ts';
import { DiscordErrors, startFakeDiscord, type FakeDiscord } from '../../doubles/fake-discord.ts';
import { sleep } from '../../helpers.ts';

const tip = reply([heading('오늘의 팁'), text('💡 @everyone 그래비톤을 검토하세요 <@123>'), actions([{ kind: 'share', label: 'Share', command: '/tip' }])]);

async function postError(promise: Promise<unknown>): Promise<PostError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PostError);
  return error as PostError;
}

describe('DiscordPoster', () => {
  let fake: FakeDiscord;
  let poster: DiscordPoster;

  /** Runs `use` with a poster of its own (rate-limit buckets of its own, its own timeout), closed afterwards. */
  async function withPoster(timeoutMs: number, use: (own: DiscordPoster) => Promise<void>): Promise<void> {
    const own = new DiscordPoster({ token: fake.token, apiUrl: fake.restUrl, locale: 'ko', timeoutMs });
    try {
      await use(own);
    } finally {
      own.close();
    }
  }

  beforeAll(async () => {
    fake = await startFakeDiscord();
    poster = new DiscordPoster({ token: fake.token, apiUrl: fake.restUrl, locale: 'ko', timeoutMs: 3000 });
  });
  afterAll(async () => {
    poster?.close();
    await fake?.close();
  });

  it('posts the rendered reply to discord:<channelId> with no pings and no share button', async () => {
    await poster.post(`discord:${fake.channelId}`, tip);
    const sent = fake.channelMessages.get(fake.channelId)?.at(-1);
    expect(sent?.embeds[0]?.title).toBe('오늘의 팁');
    expect(sent?.components ?? []).toEqual([]);
    const request = await fake.waitFor('POST /channels/:id/messages');
    expect(request.headers.authorization).toBe(`Bot ${fake.token}`);
    expect(request.body).toMatchObject({ allowed_mentions: { parse: [] } });
    expect(JSON.stringify(request.body)).not.toContain('@everyone');
  });

  it('10003 Unknown Channel, 50001, 50013 and non-Discord targets → permanent, each with what it means for the channel', async () => {
    fake.failNext('POST /channels/:id/messages', DiscordErrors.unknownChannel);
    expect(await postError(poster.post(`discord:${fake.channelId}`, tip))).toMatchObject({ kind: 'permanent', refusal: { reason: 'not-found' } });
    fake.failNext('POST /channels/:id/messages', DiscordErrors.missingAccess);
    expect(await postError(poster.post(`discord:${fake.channelId}`, tip))).toMatchObject({ kind: 'permanent', refusal: { reason: 'missing-permissions', missing: ['view'] } });
    fake.failNext('POST /channels/:id/messages', DiscordErrors.missingPermissions);
    expect(await postError(poster.post(`discord:${fake.channelId}`, tip))).toMatchObject({
      kind: 'permanent',
      refusal: { reason: 'missing-permissions', missing: ['send', 'embed'] },
    });
    // A channel the fake does not know: a real 404 10003 from the route.
    expect((await postError(poster.post('discord:123456789012345678', tip))).kind).toBe('permanent');
    expect((await postError(poster.post('slack:C123', tip))).kind).toBe('permanent');
  });

  it('429 → transient with retryAfterMs; 500 → ambiguous, Discord may have created it (no retries inside the poster)', async () => {
    await sleep(60);
    fake.failNext('POST /channels/:id/messages', DiscordErrors.rateLimited(2));
    const limited = await postError(poster.post(`discord:${fake.channelId}`, tip));
    expect(limited.kind).toBe('transient');
    expect(limited.retryAfterMs).toBeGreaterThanOrEqual(2000);
    expect(limited.retryAfterMs).toBeLessThan(3000);

    await withPoster(3000, async (fresh) => {
      const before = fake.requests.length;
      fake.failNext('POST /channels/:id/messages', DiscordErrors.serverError);
      expect((await postError(fresh.post(`discord:${fake.channelId}`, tip))).kind).toBe('ambiguous');
      expect(fake.requests.length - before).toBe(1);
      await fresh.post(`discord:${fake.channelId}`, tip);
    });
  });

  it('carries the key as nonce with enforce_nonce, and a repeat within the window gets the first message back', async () => {
    // A poster of its own: the rate-limit test above left the shared one waiting out its bucket.
    await withPoster(3000, async (keyed) => {
      const key = 'tip:discord:1:2026-03-02';
      const before = fake.channelMessages.get(fake.channelId)?.length ?? 0;
      const id = await keyed.post(`discord:${fake.channelId}`, tip, { key });
      const request = fake.requests.filter((r) => r.method === 'POST' && r.route === '/channels/:channelId/messages').at(-1)!;
      expect(request.body).toMatchObject({ nonce: nonceFor(key), enforce_nonce: true });
      expect(nonceFor(key)).toHaveLength(25);
      expect(nonceFor(key)).not.toBe(nonceFor('tip:discord:1:2026-03-03'));
      expect(id).toBe(fake.channelMessages.get(fake.channelId)?.at(-1)?.id);
      expect(await keyed.post(`discord:${fake.channelId}`, tip, { key })).toBe(id);
      expect(fake.channelMessages.get(fake.channelId)).toHaveLength(before + 1);
    });
  });

  it('a post Discord took but answered too late, never or with a 5xx → ambiguous; the retry under its key makes no copy', async () => {
    await withPoster(300, async (impatient) => {
      const key = 'tip:discord:2:2026-03-02';
      const before = fake.channelMessages.get(fake.channelId)?.length ?? 0;
      fake.acceptThen('POST /channels/:id/messages', { answerAfterMs: 1_000 });
      expect((await postError(impatient.post(`discord:${fake.channelId}`, tip, { key }))).kind).toBe('ambiguous');
      fake.acceptThen('POST /channels/:id/messages', { drop: true });
      expect((await postError(impatient.post(`discord:${fake.channelId}`, tip, { key }))).kind).toBe('ambiguous');
      fake.acceptThen('POST /channels/:id/messages', { status: 502 });
      expect((await postError(impatient.post(`discord:${fake.channelId}`, tip, { key }))).kind).toBe('ambiguous');
      const id = await impatient.post(`discord:${fake.channelId}`, tip, { key });
      const created = fake.channelMessages.get(fake.channelId)!.slice(before);
      expect(created.map((m) => m.id)).toEqual([id]);
    });
  });

  it('network failures: a refused connection is transient, anything else ambiguous; discordChannelOf accepts only snowflakes', async () => {
    const closed = await startFakeDiscord();
    const url = closed.restUrl;
    await closed.close();
    const offline = new DiscordPoster({ token: 'x', apiUrl: url, locale: 'ko', timeoutMs: 1000 });
    try {
      expect((await postError(offline.post('discord:123456789012345678', tip))).kind).toBe('transient');
    } finally {
      offline.close();
    }
    expect(discordChannelOf('discord:123456789012345678')).toBe('123456789012345678');
    expect(discordChannelOf('discord:abc')).toBeUndefined();
    expect(discordChannelOf('slack:123456789012345678')).toBeUndefined();
    expect(toPostError(new Error('boom')).kind).toBe('ambiguous');
  });
});
