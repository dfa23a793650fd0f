import { beforeEach, describe, expect, it } from 'vitest';
import { parseSubscribeArgs, subscriptionSummary, tipSchedule, tipSubscribe, tipUnsubscribe } from '../../../src/core/commands/tip-subscription.ts';
import type { PostCheck } from '../../../src/core/ports.ts';
import type { CommandContext } from '../../../src/core/commands/types.ts';
import type { Locale } from '../../../src/core/i18n.ts';
import { toPlainText, type Reply } from '../../../src/core/reply.ts';
import { StoreSubscriptionService } from '../../../src/core/tips/subscription-service.ts';
import { MemoryStore } from '../../../src/store/memory.ts';
import { FakeClock, tipsKnowledge } from '../../store/fixtures.ts';

const knowledge = tipsKnowledge(3);

interface Setup {
  store: MemoryStore;
  clock: FakeClock;
  /** What the platform answers when asked whether the bot can post (default: it can). */
  check: { next: PostCheck };
  ctx: (options?: { locale?: Locale; userLocale?: Locale; target?: string; withStore?: boolean; timeZone?: string }) => CommandContext;
}

function setup(): Setup {
  const store = new MemoryStore();
  // Monday 2026-03-02, 08:00 in Seoul.
  const clock = new FakeClock('2026-03-01T23:00:00Z');
  const check: Setup['check'] = { next: { ok: true } };
  const subscriptions = new StoreSubscriptionService(store, clock, (platform) => ({ platform, post: async () => undefined, canPost: async () => check.next }));
  return {
    store,
    clock,
    check,
    ctx: ({ locale = 'en', userLocale, target = 'slack:C1', withStore = true, timeZone = 'Asia/Seoul' } = {}) => ({
      knowledge,
      clock,
      locale,
      timeZone,
      request: { command: 'tip', text: '', user: { id: 'U1' }, target, platform: 'slack', ...(userLocale ? { locale: userLocale } : {}) },
      ...(withStore ? { subscriptions } : {}),
    }),
  };
}

const plain = (reply: Reply) => toPlainText(reply);

describe('parseSubscribeArgs', () => {
  const parse = (args: string) => parseSubscribeArgs(args, 'Asia/Seoul', 'en');

  it.each([
    ['', { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false }],
    ['9:00', { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false }],
    ['21:30', { time: '21:30', timeZone: 'Asia/Seoul', weekdaysOnly: false }],
    ['07:05 America/New_York', { time: '07:05', timeZone: 'America/New_York', weekdaysOnly: false }],
    ['europe/london 18:00 weekdays', { time: '18:00', timeZone: 'Europe/London', weekdaysOnly: true }],
    ['평일 8:30', { time: '08:30', timeZone: 'Asia/Seoul', weekdaysOnly: true }],
    ['오후 9시', { time: '21:00', timeZone: 'Asia/Seoul', weekdaysOnly: false }],
    ['9 pm UTC', { time: '21:00', timeZone: 'UTC', weekdaysOnly: false }],
    ['weekdays=true', { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: true }],
    ['weekdays daily', { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false }],
  ])('reads %j', (args, request) => {
    expect(parse(args)).toEqual({ ok: true, request });
  });

  it.each([['24:00'], ['9:5'], ['9'], ['25:00 Asia/Seoul']])('rejects the time %j', (args) => {
    const result = parse(args);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(plain(result.reply)).toMatch(/Not a valid time/);
  });

  it('rejects an unknown zone with an example', async () => {
    const result = parse('09:00 Mars/Olympus');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reply.isError).toBe(true);
      expect(plain(result.reply)).toContain('Unknown time zone: Mars/Olympus');
      expect(plain(result.reply)).toContain('/tip subscribe 09:00 Asia/Seoul');
    }
  });

  it('rejects two zones', async () => {
    const result = parse('09:00 Asia/Seoul Europe/London');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(plain(result.reply)).toContain('Usage: `/tip subscribe [HH:MM] [time zone] [weekdays]`');
  });
});

describe('/tip subscribe, unsubscribe, schedule', () => {
  let s: Setup;
  beforeEach(() => {
    s = setup();
  });

  it('subscribes with the defaults: 09:00 in the bot’s time zone, every day', async () => {
    const reply = await tipSubscribe(s.ctx(), '');
    expect(reply.isError).toBeUndefined();
    const text = plain(reply);
    expect(text).toContain('This channel will get a summit tip every day.');
    expect(text).toContain('Time: 09:00');
    expect(text).toContain('Time zone: Asia/Seoul');
    expect(text).toContain('Days: Every day');
    expect(text).toContain('Next post: today, 2026-03-02 (Mon) 09:00 Asia/Seoul');
    expect(text).toContain('/tip unsubscribe');
    expect(await s.store.getSubscription('slack:C1')).toMatchObject({ time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false });
  });

  it('keeps the subscriber’s own language for the daily posts when the platform tells it, and only then', async () => {
    await tipSubscribe(s.ctx({ locale: 'en', userLocale: 'en', target: 'discord:1' }), '');
    expect(await s.store.getSubscription('discord:1')).toMatchObject({ locale: 'en' });
    await tipSubscribe(s.ctx({ locale: 'en' }), '');
    expect(await s.store.getSubscription('slack:C1')).not.toHaveProperty('locale');
  });

  it('uses the context’s time zone by default', async () => {
    await tipSubscribe(s.ctx({ timeZone: 'Europe/London' }), '7:15');
    expect(await s.store.getSubscription('slack:C1')).toMatchObject({ time: '07:15', timeZone: 'Europe/London' });
  });

  it('shows tomorrow when today’s time has passed, in the subscription’s zone', async () => {
    s.clock.set('2026-03-02T03:00:00Z'); // Monday 12:00 in Seoul
    expect(plain(await tipSubscribe(s.ctx(), '9:00'))).toContain('Next post: tomorrow, 2026-03-03 (Tue) 09:00 Asia/Seoul');
    // It is still Sunday evening in New York: Monday there is "tomorrow".
    expect(plain(await tipSubscribe(s.ctx(), '21:30 America/New_York weekdays'))).toContain('Next post: tomorrow, 2026-03-02 (Mon) 21:30 America/New_York');
    expect(plain(await tipSubscribe(s.ctx(), '23:00 America/New_York'))).toContain('Next post: today, 2026-03-01 (Sun) 23:00 America/New_York');
    expect(plain(await tipSubscribe(s.ctx(), '09:00 Asia/Seoul weekdays'))).toContain('Next post: tomorrow, 2026-03-03 (Tue) 09:00 Asia/Seoul');
    s.clock.set('2026-03-06T03:00:00Z'); // Friday 12:00 in Seoul
    expect(plain(await tipSubscribe(s.ctx(), '09:00 Asia/Seoul weekdays'))).toContain('Next post: 2026-03-09 (Mon) 09:00 Asia/Seoul');
  });

  it('speaks Korean', async () => {
    const text = plain(await tipSubscribe(s.ctx({ locale: 'ko' }), '평일 09:00'));
    expect(text).toContain('이 채널에 평일(월–금)마다 써밋 팁을 보내 드릴게요.');
    expect(text).not.toContain('매일');
    expect(text).toContain('요일: 평일 (월–금)');
    expect(text).toContain('다음 게시: 오늘, 2026-03-02 (월) 09:00 Asia/Seoul');
  });

  it('refuses an unknown time zone with a clear error and an example, and subscribes nothing', async () => {
    const reply = await tipSubscribe(s.ctx(), '09:00 Mars/Olympus');
    expect(reply.isError).toBe(true);
    expect(plain(reply)).toBe(
      'Unknown time zone: Mars/Olympus\n\nUse an IANA time zone name, e.g. `/tip subscribe 09:00 Asia/Seoul` (or America/New_York, Europe/London).',
    );
    expect(await s.store.getSubscription('slack:C1')).toBeUndefined();
    expect(plain(await tipSubscribe(s.ctx({ locale: 'ko' }), '09:00 Mars/Olympus'))).toContain('알 수 없는 시간대입니다: Mars/Olympus');
  });

  it('refuses a bad time', async () => {
    const reply = await tipSubscribe(s.ctx(), '25:00');
    expect(reply.isError).toBe(true);
    expect(plain(reply)).toContain('Not a valid time: 25:00');
    expect(plain(reply)).toContain('HH:MM');
  });

  it('reports a bad configured default zone through the service’s typed error', async () => {
    const reply = await tipSubscribe(s.ctx({ timeZone: 'Nowhere/Land' }), '09:00');
    expect(reply.isError).toBe(true);
    expect(plain(reply)).toContain('Unknown time zone: Nowhere/Land');
  });

  it('shows the schedule, or how to subscribe', async () => {
    const none = plain(await tipSchedule(s.ctx()));
    expect(none).toContain('This channel does not get daily tips.');
    expect(none).toContain('/tip subscribe 09:00');

    await tipSubscribe(s.ctx(), '18:00 Europe/London weekdays');
    const text = plain(await tipSchedule(s.ctx()));
    expect(text).toContain('Daily tip schedule');
    expect(text).toContain('Time: 18:00');
    expect(text).toContain('Time zone: Europe/London');
    expect(text).toContain('Days: Weekdays (Mon–Fri)');
    // 23:00 on Sunday in London.
    expect(text).toContain('Next post: tomorrow, 2026-03-02 (Mon) 18:00 Europe/London');
    // Other channels are separate.
    expect(plain(await tipSchedule(s.ctx({ target: 'slack:C2' })))).toContain('does not get daily tips');
  });

  it('shows a pause and its reason, and how to resume', async () => {
    await tipSubscribe(s.ctx(), '');
    await s.store.pauseSubscription('slack:C1', 'channel_not_found', s.clock.now());
    const text = plain(await tipSchedule(s.ctx()));
    expect(text).toContain('Posting is paused: channel_not_found');
    expect(text).toContain('run `/tip subscribe` again to resume');
    expect(text).not.toContain('Next post');
    await tipSubscribe(s.ctx(), '');
    expect(plain(await tipSchedule(s.ctx()))).not.toContain('paused');
  });

  it('says what a pause means for the channel and what to do, in the reader’s language, with what the platform said', async () => {
    await tipSubscribe(s.ctx(), '');
    await s.store.pauseSubscription('slack:C1', 'slack: not_in_channel', s.clock.now(), { reason: 'invite-needed' });
    expect(plain(await tipSchedule(s.ctx()))).toContain('Posting is paused: I am not in this channel, so I cannot post tips here. Invite me with `/invite @summit-bot`');
    expect(plain(await tipSchedule(s.ctx()))).toContain('(slack: not_in_channel)');
    expect(plain(await tipSchedule(s.ctx({ locale: 'ko' })))).toContain('게시가 멈춰 있습니다: 이 채널에 봇이 없어 팁을 보낼 수 없습니다.');
  });

  it('unsubscribes', async () => {
    await tipSubscribe(s.ctx(), '');
    expect(plain(await tipUnsubscribe(s.ctx()))).toBe('Daily tips are turned off for this channel.');
    expect(await s.store.getSubscription('slack:C1')).toBeUndefined();
    expect(plain(await tipUnsubscribe(s.ctx()))).toContain('This channel does not get daily tips.');
    expect(plain(await tipUnsubscribe(s.ctx({ locale: 'ko' })))).toContain('구독하고 있지 않습니다');
  });

  it('says "every weekday", never "every day", for a weekdays subscription', async () => {
    const text = plain(await tipSubscribe(s.ctx(), 'weekdays 07:30'));
    expect(text).toContain('This channel will get a summit tip every weekday (Mon–Fri).');
    expect(text).not.toContain('every day');
    expect(text).toContain('Days: Weekdays (Mon–Fri)');
  });

  it('saves nothing where the bot cannot post, and says what to do', async () => {
    s.check.next = { ok: false, reason: 'invite-needed', botName: 'summit' };
    const invite = await tipSubscribe(s.ctx(), '09:00');
    expect(invite.isError).toBe(true);
    expect(plain(invite)).toContain('Invite me with `/invite @summit`, then run `/tip subscribe` again.');
    expect(await s.store.getSubscription('slack:C1')).toBeUndefined();
    expect(plain(await tipSubscribe(s.ctx({ locale: 'ko' }), '09:00'))).toContain('`/invite @summit`으로 먼저 초대한 뒤');

    s.check.next = { ok: false, reason: 'not-found' };
    expect(plain(await tipSubscribe(s.ctx(), ''))).toContain('In a private channel, invite me first with `/invite @summit-bot`');

    s.check.next = { ok: false, reason: 'missing-permissions', missing: ['send', 'embed'] };
    expect(plain(await tipSubscribe(s.ctx(), ''))).toContain('I lack permissions I need in this channel: Send Messages, Embed Links.');
    const korean = plain(await tipSubscribe(s.ctx({ locale: 'ko' }), ''));
    expect(korean).toContain('필요한 권한이 없습니다: 메시지 보내기, 링크 첨부.');
    expect(korean).not.toMatch(/Send|Embed/);

    s.check.next = { ok: false, reason: 'archived' };
    expect(plain(await tipSubscribe(s.ctx(), ''))).toBe('This channel is archived, so I cannot post tips here.');
    s.check.next = { ok: false, reason: 'no-access', detail: 'missing_scope channels:read' };
    expect(plain(await tipSubscribe(s.ctx(), ''))).toContain('(missing_scope channels:read). Ask an admin to reinstall the app.');
    s.check.next = { ok: false, reason: 'unavailable' };
    expect(plain(await tipSubscribe(s.ctx(), ''))).toContain('Please try again in a moment.');
    expect(await s.store.getSubscription('slack:C1')).toBeUndefined();
  });

  it('checks the time and zone before asking the platform', async () => {
    s.check.next = { ok: false, reason: 'unavailable' };
    expect(plain(await tipSubscribe(s.ctx(), '25:00'))).toContain('Not a valid time: 25:00');
  });

  it('says so when the bot joined the channel to be able to post', async () => {
    s.check.next = { ok: true, joined: true };
    const text = plain(await tipSubscribe(s.ctx(), '09:00'));
    expect(text).toContain('I joined this channel so I can post the tips.');
    expect(await s.store.getSubscription('slack:C1')).toMatchObject({ time: '09:00' });
    s.check.next = { ok: true };
    expect(plain(await tipSubscribe(s.ctx(), '09:00'))).not.toContain('joined');
  });

  it('sums a subscription up in one line: days, time, zone and the next post, or why it is paused', async () => {
    await tipSubscribe(s.ctx(), 'weekdays 07:30');
    const status = (await s.store.getSubscription('slack:C1'))!;
    const line = (locale: Locale) => subscriptionSummary({ ...status, nextPost: new Date('2026-03-02T22:30:00Z') }, s.clock.now(), locale);
    expect(line('en')).toBe('Weekdays (Mon–Fri) 07:30 Asia/Seoul · Next post: tomorrow, 2026-03-03 (Tue) 07:30 Asia/Seoul');
    expect(line('ko')).toBe('평일 (월–금) 07:30 Asia/Seoul · 다음 게시: 내일, 2026-03-03 (화) 07:30 Asia/Seoul');
    const paused = subscriptionSummary({ ...status, nextPost: s.clock.now(), pausedReason: 'slack: not_in_channel' }, s.clock.now(), 'en');
    expect(paused).toBe('Weekdays (Mon–Fri) 07:30 Asia/Seoul · ⏸ Posting is paused: slack: not_in_channel');
  });

  it('explains that subscriptions need a data store when there is none', async () => {
    for (const reply of [await tipSubscribe(s.ctx({ withStore: false }), '09:00'), await tipUnsubscribe(s.ctx({ withStore: false })), await tipSchedule(s.ctx({ withStore: false }))]) {
      expect(reply.isError).toBe(true);
      expect(plain(reply)).toContain('Daily tip subscriptions need a data store');
    }
    expect(plain(await tipSchedule(s.ctx({ withStore: false, locale: 'ko' })))).toContain('데이터 저장소');
  });
});
