import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { webApi } from '@slack/bolt';
import { PostError } from '../../../src/core/ports.ts';
import { actions, reply, text } from '../../../src/core/reply.ts';
import { POST_KEY_EVENT_TYPE, SlackPoster, slackChannelOf, slackErrorCode, toPostError } from '../../../src/adapters/slack/poster.ts';
import { SeenSet } from '../../../src/adapters/dedupe.ts';
import { renderSlack } from '../../../src/adapters/slack/render.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../../doubles/fake-slack.ts';

const silent = pino({ level: 'silent' });
let fake: FakeSlackApi;
let poster: SlackPoster;
/** Gives up on an answer long before the fake sends a late one. */
let impatient: SlackPoster;

beforeAll(async () => {
  fake = await startFakeSlackApi({ pingIntervalMs: 0 });
  poster = new SlackPoster({ botToken: 'xoxb-test', apiUrl: fake.apiUrl, locale: 'ko', logger: silent, timeoutMs: 3000 });
  impatient = new SlackPoster({ botToken: 'xoxb-test', apiUrl: fake.apiUrl, locale: 'ko', logger: silent, timeoutMs: 300 });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

async function postError(target: string, by = poster): Promise<PostError> {
  const error: unknown = await by.post(target, reply([text('tip')])).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(PostError);
  return error as PostError;
}

describe('SlackPoster', () => {
  it('posts rendered blocks to slack:<channel> without a share button', async () => {
    await poster.post('slack:C0GENERAL', reply([text('오늘의 팁 <!channel>'), actions([{ kind: 'share', label: 'S', command: '/tip' }])]));
    const call = fake.callsTo('chat.postMessage')[0];
    expect(call?.ok).toBe(true);
    expect(call?.body).toMatchObject({ channel: 'C0GENERAL', text: '오늘의 팁 &lt;!channel&gt;', parse: 'none' });
    expect(call?.body.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: '오늘의 팁 &lt;!channel&gt;' } }]);
    expect(fake.messages).toHaveLength(1);
  });

  it.each(['channel_not_found', 'not_in_channel', 'is_archived', 'account_inactive', 'invalid_auth', 'missing_scope', 'channel_is_archived'])(
    '%s → permanent',
    async (code) => {
      fake.failNext('chat.postMessage', { error: code });
      const error = await postError('slack:C0GENERAL');
      expect(error.kind).toBe('permanent');
      expect(error.message).toContain(code);
      expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
    },
  );

  it('archived / not-a-member channels in the fake directory → permanent', async () => {
    fake.addChannel({ id: 'C0OLD', name: 'old', isArchived: true });
    fake.addChannel({ id: 'C0OUT', name: 'out', isMember: false });
    expect(await postError('slack:C0OLD')).toMatchObject({ kind: 'permanent', refusal: { reason: 'archived' } });
    expect(await postError('slack:C0OUT')).toMatchObject({ kind: 'permanent', refusal: { reason: 'invite-needed' } });
  });

  it('429 → transient with Retry-After in ms, and no internal retry', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const error = await postError('slack:C0GENERAL');
    expect(error.kind).toBe('transient');
    expect(error.retryAfterMs).toBe(7000);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('HTTP 5xx and Slack internal_error / fatal_error → ambiguous (Slack may have posted), no internal retry', async () => {
    fake.failNext('chat.postMessage', { status: 503 });
    expect((await postError('slack:C0GENERAL')).kind).toBe('ambiguous');
    fake.failNext('chat.postMessage', { error: 'internal_error' });
    expect((await postError('slack:C0GENERAL')).kind).toBe('ambiguous');
    fake.failNext('chat.postMessage', { error: 'fatal_error' });
    expect((await postError('slack:C0GENERAL')).kind).toBe('ambiguous');
    expect(fake.callsTo('chat.postMessage')).toHaveLength(3);
  });

  it('a post Slack took but answered too late, never or with a 5xx → ambiguous, and the message is there', async () => {
    fake.acceptThen('chat.postMessage', { answerAfterMs: 1_500 });
    const late = await postError('slack:C0GENERAL', impatient);
    expect(late).toMatchObject({ kind: 'ambiguous', code: 'network' });
    fake.acceptThen('chat.postMessage', { drop: true });
    expect((await postError('slack:C0GENERAL')).kind).toBe('ambiguous');
    fake.acceptThen('chat.postMessage', { status: 502 });
    expect((await postError('slack:C0GENERAL')).kind).toBe('ambiguous');
    expect(fake.messagesIn('C0GENERAL')).toHaveLength(3);
  });

  it('a connection that was refused → transient (nothing was sent)', async () => {
    const dead = new SlackPoster({ botToken: 'xoxb-test', apiUrl: 'http://127.0.0.1:9/api/', locale: 'ko', logger: silent, timeoutMs: 2000 });
    const error: unknown = await dead.post('slack:C1', reply([text('x')])).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'PostError', kind: 'transient' });
  });

  it('names the scope a missing_scope error asks for, and keeps the platform code', async () => {
    const error = toPostError({ code: webApi.ErrorCode.PlatformError, data: { ok: false, error: 'missing_scope', needed: 'channels:history' } });
    expect(error).toMatchObject({
      kind: 'permanent',
      code: 'missing_scope',
      message: 'slack: missing_scope (needs channels:history)',
      refusal: { reason: 'no-access', detail: 'missing_scope (needs channels:history)' },
    });
    expect(slackErrorCode(error)).toBe('missing_scope');
  });

  it('rejects targets of other platforms as permanent', async () => {
    expect((await postError('discord:123')).kind).toBe('permanent');
    expect(slackChannelOf('slack:C123')).toBe('C123');
    expect(slackChannelOf('slack:')).toBeUndefined();
    expect(slackChannelOf('slack:C1 x')).toBeUndefined();
  });

  it('toPostError counts unknown failures as ambiguous: they may have come after sending', () => {
    expect(toPostError(new Error('boom')).kind).toBe('ambiguous');
    expect(toPostError(undefined).kind).toBe('ambiguous');
  });
});

describe('SlackPoster: a post under a key, and looking for it', () => {
  const key = 'tip:slack:C0GENERAL:2026-03-02';
  const since = () => new Date(Date.now() - 1_000);

  it('carries the key in the message metadata and resolves to the message ts', async () => {
    const ts = await poster.post('slack:C0GENERAL', reply([text('오늘의 팁')]), { key });
    const [message] = fake.messagesIn('C0GENERAL');
    expect(ts).toBe(message?.ts);
    expect(message?.metadata).toEqual({ event_type: POST_KEY_EVENT_TYPE, event_payload: { key } });
    // Without a key, no metadata.
    await poster.post('slack:C0GENERAL', reply([text('plain')]));
    expect(fake.messagesIn('C0GENERAL')[1]?.metadata).toBeUndefined();
  });

  it('finds its own message by key in the conversation history since the first claim, less a margin for clock skew', async () => {
    const from = since();
    const ts = await poster.post('slack:C0GENERAL', reply([text('tip')]), { key });
    await poster.post('slack:C0GENERAL', reply([text('another day')]), { key: 'tip:slack:C0GENERAL:2026-03-03' });
    expect(await poster.findPosted('slack:C0GENERAL', key, from)).toBe(ts);
    const look = fake.callsTo('conversations.history').at(-1)!;
    expect(look.body).toMatchObject({ channel: 'C0GENERAL', include_all_metadata: 'true', inclusive: 'true', limit: '200' });
    expect(Number(look.body.oldest)).toBeCloseTo((from.getTime() - 5 * 60_000) / 1000, 3);

    // Not under another key, not in another channel, not in a window that starts after it.
    expect(await poster.findPosted('slack:C0GENERAL', 'tip:slack:C0GENERAL:2026-03-04', from)).toBeUndefined();
    expect(await poster.findPosted('slack:C0OTHER', key, from)).toBeUndefined();
    expect(await poster.findPosted('slack:C0GENERAL', key, new Date(Date.now() + 10 * 60_000))).toBeUndefined();
  });

  it('ignores the same key on a message another app posted', async () => {
    const from = since();
    await poster.post('slack:C0GENERAL', reply([text('tip')]), { key });
    fake.messagesIn('C0GENERAL')[0]!.botId = 'B0SOMEONEELSE';
    expect(await poster.findPosted('slack:C0GENERAL', key, from)).toBeUndefined();
  });

  it('reads page after page, newest first, until it finds the key or reaches the start of the window', async () => {
    const from = since();
    const ts = await poster.post('slack:C0GENERAL', reply([text('tip')]), { key });
    for (let batch = 0; batch < 5; batch++) {
      await Promise.all(Array.from({ length: 50 }, (_, i) => poster.post('slack:C0GENERAL', reply([text(`chatter ${batch}-${i}`)]))));
    }
    expect(await poster.findPosted('slack:C0GENERAL', key, from)).toBe(ts);
    expect(fake.callsTo('conversations.history')).toHaveLength(2);
    expect(fake.callsTo('conversations.history')[1]!.body.cursor).toBeTruthy();
  });

  it('throws rather than guess: a refused look is permanent, a slow one ambiguous', async () => {
    fake.addChannel({ id: 'C0LEFT', name: 'left', isMember: false });
    await expect(poster.findPosted('slack:C0LEFT', key, since())).rejects.toMatchObject({ kind: 'permanent', code: 'not_in_channel' });
    fake.failNext('conversations.history', { error: 'missing_scope' });
    await expect(poster.findPosted('slack:C0GENERAL', key, since())).rejects.toMatchObject({ kind: 'permanent', code: 'missing_scope' });
    fake.failNext('conversations.history', { delayMs: 1_000 });
    await expect(impatient.findPosted('slack:C0GENERAL', key, since())).rejects.toMatchObject({ kind: 'ambiguous' });
  });

  it('postOnce: a try Slack took but answered late is found before the next, so one message', async () => {
    const message = renderSlack(reply([text('shared')]), 'ko');
    fake.acceptThen('chat.postMessage', { answerAfterMs: 1_500 });
    const ts = await impatient.postOnce('C0GENERAL', message, 'share:C0GENERAL:1', 3, 10);
    expect(fake.messagesIn('C0GENERAL').map((m) => m.ts)).toEqual([ts]);
    expect(fake.callsTo('conversations.history')).toHaveLength(1);

    // A try that failed before Slack acted: the look finds nothing and the next try posts.
    fake.failNext('chat.postMessage', { status: 503 });
    await impatient.postOnce('C0GENERAL', message, 'share:C0GENERAL:2', 3, 10);
    expect(fake.messagesIn('C0GENERAL')).toHaveLength(2);

    // A refusal is final at once.
    fake.failNext('chat.postMessage', { error: 'channel_not_found' });
    await expect(impatient.postOnce('C0GENERAL', message, 'share:C0GENERAL:3', 3, 10)).rejects.toMatchObject({ kind: 'permanent', code: 'channel_not_found' });
    expect(fake.callsTo('chat.postMessage').filter((c) => c.body.metadata !== undefined && JSON.stringify(c.body.metadata).includes('share:C0GENERAL:3'))).toHaveLength(1);
  });
});

describe('SeenSet', () => {
  it('reports a key once, expires it after the TTL and stays bounded', () => {
    let now = 0;
    const set = new SeenSet(3, 1000, () => now);
    expect(set.firstTime('a')).toBe(true);
    expect(set.firstTime('a')).toBe(false);
    now = 1500;
    expect(set.firstTime('a')).toBe(true);
    for (const k of ['b', 'c', 'd', 'e']) set.firstTime(k);
    expect(set.size).toBeLessThanOrEqual(3);
    expect(set.has('e')).toBe(true);
    expect(set.has('a')).toBe(false);
  });
});

describe('SlackPoster.canPost (asked before a daily-tip subscription is saved)', () => {
  it('a channel the bot is in: ok, with one conversations.info and nothing else', async () => {
    expect(await poster.canPost('slack:C0GENERAL')).toEqual({ ok: true });
    expect(fake.calls.map((c) => c.method)).toEqual(['conversations.info']);
  });

  it('a public channel the bot is not in: it joins, and can then post there', async () => {
    fake.addChannel({ id: 'C0PUBLIC', name: 'public', isMember: false });
    expect((await postError('slack:C0PUBLIC')).message).toContain('not_in_channel');
    expect(await poster.canPost('slack:C0PUBLIC')).toEqual({ ok: true, joined: true });
    expect(fake.callsTo('conversations.join')[0]?.body).toMatchObject({ channel: 'C0PUBLIC' });
    await poster.post('slack:C0PUBLIC', reply([text('tip')]));
    expect(fake.callsTo('chat.postMessage').at(-1)?.ok).toBe(true);
  });

  it('a private channel without the bot: Slack hides it, so the answer is "invite me", with the bot’s name', async () => {
    fake.addChannel({ id: 'G0SECRET', name: 'secret', isPrivate: true, isMember: false });
    expect(await poster.canPost('slack:G0SECRET')).toEqual({ ok: false, reason: 'not-found', botName: 'summit-bot' });
    expect(fake.callsTo('conversations.join')).toHaveLength(0);
  });

  it('joining refused for lack of channels:join: invite instead', async () => {
    fake.addChannel({ id: 'C0NOJOIN', name: 'nojoin', isMember: false });
    fake.failNext('conversations.join', { error: 'missing_scope' });
    expect(await poster.canPost('slack:C0NOJOIN')).toEqual({ ok: false, reason: 'invite-needed', botName: 'summit-bot' });
  });

  it('archived channel, a missing scope, and a rate limit each say so', async () => {
    fake.addChannel({ id: 'C0ARCHIVE', name: 'archive', isArchived: true, isMember: false });
    expect(await poster.canPost('slack:C0ARCHIVE')).toEqual({ ok: false, reason: 'archived' });
    fake.failNext('conversations.info', { error: 'missing_scope' });
    expect(await poster.canPost('slack:C0GENERAL')).toEqual({ ok: false, reason: 'no-access', detail: 'missing_scope' });
    fake.failNext('conversations.info', { status: 429, retryAfter: 1 });
    expect(await poster.canPost('slack:C0GENERAL')).toEqual({ ok: false, reason: 'unavailable' });
    expect(await poster.canPost('discord:1')).toEqual({ ok: false, reason: 'not-found' });
  });
});

