import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSubscriptionService, StoreSubscriptionService, SubscriptionError } from '../../../src/core/tips/subscription-service.ts';
import { MemoryStore } from '../../../src/store/memory.ts';
import { openSqliteStore } from '../../../src/store/sqlite.ts';
import type { Store } from '../../../src/core/store.ts';
import type { Platform, PostCheck, Poster } from '../../../src/core/ports.ts';
import { FakeClock, tempDir } from '../../store/fixtures.ts';

const every = { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false };

async function errorOf(fn: () => Promise<unknown>): Promise<SubscriptionError> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof SubscriptionError) return error;
    throw error;
  }
  throw new Error('expected a SubscriptionError');
}

describe('StoreSubscriptionService', () => {
  let store: Store;
  let clock: FakeClock;
  let service: StoreSubscriptionService;
  beforeEach(() => {
    store = new MemoryStore();
    // Monday 2026-03-02 08:00 KST.
    clock = new FakeClock('2026-03-01T23:00:00Z');
    service = new StoreSubscriptionService(store, clock);
  });

  it('subscribes and reports the next post: later today when the time has not passed', async () => {
    const status = await service.subscribe('slack:C1', every);
    expect(status).toEqual({ target: 'slack:C1', time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false, nextPost: new Date('2026-03-02T00:00:00Z') });
    expect(await service.status('slack:C1')).toEqual(status);
  });

  it('starts tomorrow when today’s time has already passed', async () => {
    clock.set('2026-03-02T01:00:00Z'); // 10:00 KST
    expect((await service.subscribe('slack:C1', every)).nextPost).toEqual(new Date('2026-03-03T00:00:00Z'));
  });

  it('normalises 9:00 and the case of the zone name', async () => {
    const status = await service.subscribe('discord:123', { time: '9:00', timeZone: 'asia/seoul', weekdaysOnly: false });
    expect(status.time).toBe('09:00');
    expect(status.timeZone).toBe('Asia/Seoul');
  });

  it('skips the weekend for weekdays-only subscriptions', async () => {
    clock.set('2026-03-06T12:00:00Z'); // Friday 21:00 KST
    expect((await service.subscribe('slack:C1', { ...every, weekdaysOnly: true })).nextPost).toEqual(new Date('2026-03-09T00:00:00Z'));
    expect((await service.subscribe('slack:C1', every)).nextPost).toEqual(new Date('2026-03-07T00:00:00Z'));
  });

  it('computes the next post across a DST change (America/New_York, 2026-03-08)', async () => {
    clock.set('2026-03-07T20:00:00Z'); // Saturday 15:00 EST
    const status = await service.subscribe('slack:C1', { time: '02:30', timeZone: 'America/New_York', weekdaysOnly: false });
    // 02:30 does not exist on 2026-03-08; the post goes at 03:00 EDT.
    expect(status.nextPost).toEqual(new Date('2026-03-08T07:00:00Z'));
  });

  it('moves the next post past a day that is already posted', async () => {
    await service.subscribe('slack:C1', every);
    clock.set('2026-03-02T00:00:30Z'); // due, not yet posted: still today's post
    expect((await service.status('slack:C1'))!.nextPost).toEqual(new Date('2026-03-02T00:00:00Z'));
    await store.claimPost('slack:C1', '2026-03-02', 'test', clock.now());
    await store.markPosted('slack:C1', '2026-03-02', 'tip-1', clock.now());
    expect((await service.status('slack:C1'))!.nextPost).toEqual(new Date('2026-03-03T00:00:00Z'));
  });

  it('does not promise a second post today when the time moves later after today’s post', async () => {
    await service.subscribe('slack:C1', every);
    clock.set('2026-03-02T00:30:00Z'); // 09:30 KST, after today's post
    await store.claimPost('slack:C1', '2026-03-02', 'test', clock.now());
    await store.markPosted('slack:C1', '2026-03-02', 'tip-1', clock.now());
    expect((await service.subscribe('slack:C1', { ...every, time: '11:00' })).nextPost).toEqual(new Date('2026-03-03T02:00:00Z'));
  });

  it('unsubscribes', async () => {
    await service.subscribe('slack:C1', every);
    expect(await service.unsubscribe('slack:C1')).toBe(true);
    expect(await service.unsubscribe('slack:C1')).toBe(false);
    expect(await service.status('slack:C1')).toBeUndefined();
  });

  it('shows a pause with its reason, and subscribing again clears it', async () => {
    await service.subscribe('slack:C1', every);
    await store.pauseSubscription('slack:C1', 'channel_not_found', clock.now());
    expect(await service.status('slack:C1')).toMatchObject({ pausedReason: 'channel_not_found' });
    const resumed = await service.subscribe('slack:C1', every);
    expect(resumed.pausedReason).toBeUndefined();
    expect((await service.status('slack:C1'))!.pausedReason).toBeUndefined();
  });

  it.each([['24:00'], ['9'], ['09:60'], ['nine'], [''], ['9:5']])('rejects the time %j with a typed error', async (time) => {
    const error = await errorOf(() => service.subscribe('slack:C1', { ...every, time }));
    expect(error.code).toBe('invalid-time');
    expect(error.value).toBe(time);
    expect(error.message).toMatch(/HH:MM/);
    expect(await service.status('slack:C1')).toBeUndefined();
  });

  it.each([['Mars/Olympus'], ['Seoul'], ['+09:00'], ['']])('rejects the time zone %j with a typed error', async (timeZone) => {
    const error = await errorOf(() => service.subscribe('slack:C1', { ...every, timeZone }));
    expect(error.code).toBe('invalid-time-zone');
    expect(error.message).toMatch(/Asia\/Seoul/);
  });

  it('rejects a target that is not a conversation address', async () => {
    expect((await errorOf(() => service.subscribe('C1', every))).code).toBe('invalid-target');
  });

  it('has a factory for the SubscriptionService interface', async () => {
    expect(await createSubscriptionService(store, clock).status('slack:C1')).toBeUndefined();
  });
});

describe('StoreSubscriptionService: asking the platform, listing', () => {
  const clock = new FakeClock('2026-03-01T23:00:00Z');
  /** A Poster that answers canPost with `check` and records which targets it was asked about. */
  function poster(platform: Platform, check: PostCheck): Poster & { asked: string[] } {
    const asked: string[] = [];
    return { platform, asked, post: async () => undefined, canPost: async (target) => (asked.push(target), check) };
  }

  it('asks the Poster of the target’s platform, and only that one', async () => {
    const slack = poster('slack', { ok: false, reason: 'invite-needed', botName: 'summit-bot' });
    const discord = poster('discord', { ok: true });
    const posters = new Map<Platform, Poster>([
      ['slack', slack],
      ['discord', discord],
    ]);
    const service = new StoreSubscriptionService(new MemoryStore(), clock, (platform) => posters.get(platform));
    expect(await service.canPost('slack:C1')).toEqual({ ok: false, reason: 'invite-needed', botName: 'summit-bot' });
    expect(await service.canPost('discord:123456789012345678')).toEqual({ ok: true });
    expect(slack.asked).toEqual(['slack:C1']);
    expect(discord.asked).toEqual(['discord:123456789012345678']);
  });

  it('a platform with no Poster running has nobody to ask: it can post', async () => {
    const service = new StoreSubscriptionService(new MemoryStore(), clock);
    expect(await service.canPost('shell:local')).toEqual({ ok: true });
    expect(await service.canPost('slack:C1')).toEqual({ ok: true });
  });

  it('lists one platform’s subscriptions, paused ones with their reason', async () => {
    const store = new MemoryStore();
    const service = new StoreSubscriptionService(store, clock);
    await service.subscribe('slack:C2', every);
    await service.subscribe('slack:C1', { ...every, weekdaysOnly: true });
    await service.subscribe('discord:42', every);
    await store.pauseSubscription('slack:C2', 'slack: channel_not_found', clock.now());
    const listed = await service.list('slack');
    expect(listed.map((s) => s.target)).toEqual(['slack:C1', 'slack:C2']);
    expect(listed[0]).toMatchObject({ weekdaysOnly: true, nextPost: new Date('2026-03-02T00:00:00Z') });
    expect(listed[0]?.pausedReason).toBeUndefined();
    expect(listed[1]?.pausedReason).toBe('slack: channel_not_found');
    expect(await service.list('shell')).toEqual([]);
  });
});

describe('subscriptions in SQLite', () => {
  let temp: ReturnType<typeof tempDir>;
  beforeEach(() => {
    temp = tempDir();
  });
  afterEach(() => temp.remove());

  it('survive reopening the store', async () => {
    const clock = new FakeClock('2026-03-01T23:00:00Z');
    const first = openSqliteStore(temp.dir);
    await new StoreSubscriptionService(first, clock).subscribe('slack:C1', { time: '21:30', timeZone: 'Europe/London', weekdaysOnly: true });
    await first.close();

    const second = openSqliteStore(temp.dir);
    try {
      expect(await new StoreSubscriptionService(second, clock).status('slack:C1')).toEqual({
        target: 'slack:C1',
        time: '21:30',
        timeZone: 'Europe/London',
        weekdaysOnly: true,
        nextPost: new Date('2026-03-02T21:30:00Z'),
      });
    } finally {
      await second.close();
    }
  });
});
