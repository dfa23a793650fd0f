import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import pino from 'pino';
import { PostError } from '../../../src/core/ports.ts';
import { actions, reply, text } from '../../../src/core/reply.ts';
import { SlackPoster, slackChannelOf, toPostError } from '../../../src/adapters/slack/poster.ts';
import { SeenSet } from '../../../src/adapters/dedupe.ts';
import { startFakeSlackApi, type FakeSlackApi } from '../../doubles/fake-slack.ts';

const silent = pino({ level: 'silent' });
let fake: FakeSlackApi;
let poster: SlackPoster;

beforeAll(async () => {
  fake = await startFakeSlackApi({ pingIntervalMs: 0 });
  poster = new SlackPoster({ botToken: 'xoxb-test', apiUrl: fake.apiUrl, locale: 'ko', logger: silent, timeoutMs: 3000 });
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

async function postError(target: string): Promise<PostError> {
  const error: unknown = await poster.post(target, reply([text('tip')])).then(
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
    expect((await postError('slack:C0OLD')).kind).toBe('permanent');
    expect((await postError('slack:C0OUT')).kind).toBe('permanent');
  });

  it('429 → transient with Retry-After in ms, and no internal retry', async () => {
    fake.failNext('chat.postMessage', { status: 429, retryAfter: 7 });
    const error = await postError('slack:C0GENERAL');
    expect(error.kind).toBe('transient');
    expect(error.retryAfterMs).toBe(7000);
    expect(fake.callsTo('chat.postMessage')).toHaveLength(1);
  });

  it('HTTP 5xx and Slack internal errors → transient, no internal retry', async () => {
    fake.failNext('chat.postMessage', { status: 503 });
    expect((await postError('slack:C0GENERAL')).kind).toBe('transient');
    fake.failNext('chat.postMessage', { error: 'internal_error' });
    expect((await postError('slack:C0GENERAL')).kind).toBe('transient');
    expect(fake.callsTo('chat.postMessage')).toHaveLength(2);
  });

  it('network failure → transient', async () => {
    const dead = new SlackPoster({ botToken: 'xoxb-test', apiUrl: 'http://127.0.0.1:9/api/', locale: 'ko', logger: silent, timeoutMs: 2000 });
    const error: unknown = await dead.post('slack:C1', reply([text('x')])).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'PostError', kind: 'transient' });
  });

  it('rejects targets of other platforms as permanent', async () => {
    expect((await postError('discord:123')).kind).toBe('permanent');
    expect(slackChannelOf('slack:C123')).toBe('C123');
    expect(slackChannelOf('slack:')).toBeUndefined();
    expect(slackChannelOf('slack:C1 x')).toBeUndefined();
  });

  it('toPostError classifies unknown things as transient', () => {
    expect(toPostError(new Error('boom')).kind).toBe('transient');
    expect(toPostError(undefined).kind).toBe('transient');
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

