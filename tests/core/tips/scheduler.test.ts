import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PostError, type Platform, type PostCheck, type PostOptions, type Poster, type Target } from '../../../src/core/ports.ts';
import { toPlainText, type Reply } from '../../../src/core/reply.ts';
import {
  addDays,
  canonicalTimeZone,
  dueToday,
  isWeekday,
  localDate,
  localTime,
  nextOccurrence,
  nextPostTime,
  normalizeTime,
  zonedInstant,
} from '../../../src/core/tips/schedule-time.ts';
import { pickTip, postKey, TipScheduler, type RetryPolicy, type SchedulerLogger, type Timers } from '../../../src/core/tips/scheduler.ts';
import { StoreSubscriptionService } from '../../../src/core/tips/subscription-service.ts';
import { MemoryStore } from '../../../src/store/memory.ts';
import { openSqliteStore } from '../../../src/store/sqlite.ts';
import type { Store } from '../../../src/core/store.ts';
import { FakeClock, tempDir, tipsKnowledge } from '../../store/fixtures.ts';

const NY = 'America/New_York';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const iso = (value: string) => new Date(value);

// ---------------------------------------------------------------------------------------------
// Test doubles

interface Sent {
  target: Target;
  reply: Reply;
  at: Date;
  key: string | undefined;
  /** The message id the platform gave it. */
  id: string;
}

/**
 * Records posts; `fail(...)` queues errors for the next attempts (nothing posted), `acceptThenFail(...)` errors
 * for attempts that did post (a timeout after the platform took the message); every call yields once, like I/O.
 * `findPosted` looks for a sent message by key, unless made with `canLook: false` (a platform with no way to look).
 */
class FakePoster implements Poster {
  readonly sent: Sent[] = [];
  readonly attempts: { target: Target; at: Date; key: string | undefined }[] = [];
  readonly lookups: { target: Target; key: string; since: Date }[] = [];
  readonly findPosted?: (target: Target, key: string, since: Date) => Promise<string | undefined>;
  private readonly queued: unknown[] = [];
  private readonly afterAccepting: unknown[] = [];
  private readonly lookupErrors: unknown[] = [];
  /** Every attempt throws this while set. */
  always: unknown;
  /** When set, posts wait for `release()`. */
  private gate: Promise<void> | undefined;
  private open: (() => void) | undefined;

  constructor(
    readonly platform: Platform,
    private readonly clock: FakeClock,
    { canLook = true } = {},
  ) {
    if (canLook) this.findPosted = (target, key, since) => this.look(target, key, since);
  }

  fail(...errors: unknown[]): this {
    this.queued.push(...errors);
    return this;
  }

  acceptThenFail(...errors: unknown[]): this {
    this.afterAccepting.push(...errors);
    return this;
  }

  failLookups(...errors: unknown[]): this {
    this.lookupErrors.push(...errors);
    return this;
  }

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open?.();
    this.gate = undefined;
  }

  async canPost(): Promise<PostCheck> {
    return { ok: true };
  }

  async post(target: Target, reply: Reply, options: PostOptions = {}): Promise<string> {
    this.attempts.push({ target, at: this.clock.now(), key: options.key });
    await new Promise((resolve) => setImmediate(resolve));
    if (this.gate) await this.gate;
    if (this.always) throw this.always;
    const error = this.queued.shift();
    if (error) throw error;
    const id = `M${this.sent.length + 1}`;
    this.sent.push({ target, reply, at: this.clock.now(), key: options.key, id });
    const late = this.afterAccepting.shift();
    if (late) throw late;
    return id;
  }

  private async look(target: Target, key: string, since: Date): Promise<string | undefined> {
    this.lookups.push({ target, key, since });
    await new Promise((resolve) => setImmediate(resolve));
    const error = this.lookupErrors.shift();
    if (error) throw error;
    return this.sent.find((s) => s.target === target && s.key === key && s.at >= since)?.id;
  }

  to(target: Target): Sent[] {
    return this.sent.filter((s) => s.target === target);
  }
}

/** setTimeout/clearTimeout on the fake clock; `runUntil` fires due timers in order. */
class FakeTimers implements Timers {
  readonly scheduled: { id: number; at: number; ms: number; callback: () => void }[] = [];
  /** Every delay ever requested, in order. */
  readonly delays: number[] = [];
  private seq = 0;

  /** `firesEarlyMs`: timers fire that much before their time on the clock, as a monotonic timer may against the wall clock. */
  constructor(
    private readonly clock: FakeClock,
    private readonly firesEarlyMs = 0,
  ) {}

  setTimeout(callback: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.delays.push(ms);
    this.scheduled.push({ id, at: this.clock.now().getTime() + ms, ms, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    const i = this.scheduled.findIndex((t) => t.id === handle);
    if (i >= 0) this.scheduled.splice(i, 1);
  }

  /** Moves the clock to `until`, firing every timer due on the way (at its own time), settling after each. */
  async runUntil(until: Date, settle: () => Promise<void>): Promise<void> {
    for (;;) {
      const next = [...this.scheduled].sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!next || next.at > until.getTime()) break;
      this.scheduled.splice(this.scheduled.indexOf(next), 1);
      const firesAt = next.at - Math.min(this.firesEarlyMs, Math.floor(next.ms / 2));
      if (firesAt > this.clock.now().getTime()) this.clock.set(firesAt);
      next.callback();
      await settle();
    }
    this.clock.set(until);
  }
}

interface LogEntry {
  level: string;
  obj: object;
  msg?: string;
}

function memoryLogger(): SchedulerLogger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const at = (level: string) => (obj: object, msg?: string) => void entries.push({ level, obj, ...(msg ? { msg } : {}) });
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

const flush = async () => {
  for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
};

interface Rig {
  store: Store;
  clock: FakeClock;
  slack: FakePoster;
  discord: FakePoster;
  timers: FakeTimers;
  logger: ReturnType<typeof memoryLogger>;
  scheduler: TipScheduler;
  service: StoreSubscriptionService;
  /** Ticks at `instant`. */
  tickAt(instant: Date | string): Promise<void>;
  settle(): Promise<void>;
}

function rig(
  options: { store?: Store; clock?: FakeClock; tips?: number; retry?: Partial<RetryPolicy>; owner?: string; posters?: FakePoster[]; timersFireEarlyMs?: number } = {},
): Rig {
  const clock = options.clock ?? new FakeClock('2026-03-01T00:00:00Z');
  const store = options.store ?? new MemoryStore();
  const slack = options.posters?.find((p) => p.platform === 'slack') ?? new FakePoster('slack', clock);
  const discord = options.posters?.find((p) => p.platform === 'discord') ?? new FakePoster('discord', clock);
  const timers = new FakeTimers(clock, options.timersFireEarlyMs);
  const logger = memoryLogger();
  const knowledge = tipsKnowledge(options.tips ?? 5);
  const scheduler = new TipScheduler({
    store,
    clock,
    posters: [slack, discord],
    knowledge: () => knowledge,
    logger,
    timers,
    retry: options.retry ?? { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 60_000 },
    ...(options.owner ? { owner: options.owner } : {}),
  });
  const settle = async () => {
    await flush();
    await scheduler.idle();
    await flush();
  };
  return {
    store,
    clock,
    slack,
    discord,
    timers,
    logger,
    scheduler,
    service: new StoreSubscriptionService(store, clock),
    settle,
    async tickAt(instant) {
      clock.set(instant);
      await scheduler.tick();
      await settle();
    },
  };
}

// ---------------------------------------------------------------------------------------------

describe('schedule-time', () => {
  it('reads local dates and times in a zone', async () => {
    const instant = iso('2026-03-01T15:30:00Z');
    expect(localDate(instant, 'Asia/Seoul')).toBe('2026-03-02');
    expect(localTime(instant, 'Asia/Seoul')).toBe('00:30');
    expect(localDate(instant, NY)).toBe('2026-03-01');
    expect(localTime(instant, NY)).toBe('10:30');
    expect(localTime(iso('2026-07-01T23:00:00Z'), 'Europe/London')).toBe('00:00');
  });

  it('places a wall time in a zone', async () => {
    expect(zonedInstant('2026-03-02', '09:00', 'Asia/Seoul')).toEqual(iso('2026-03-02T00:00:00Z'));
    expect(zonedInstant('2026-01-15', '09:00', 'Europe/London')).toEqual(iso('2026-01-15T09:00:00Z'));
    expect(zonedInstant('2026-07-15', '09:00', 'Europe/London')).toEqual(iso('2026-07-15T08:00:00Z'));
    expect(zonedInstant('2026-03-07', '09:00', NY)).toEqual(iso('2026-03-07T14:00:00Z'));
    expect(zonedInstant('2026-03-09', '09:00', NY)).toEqual(iso('2026-03-09T13:00:00Z'));
  });

  it('spring forward: a time in the gap posts at the end of the gap (02:30 → 03:00 EDT)', async () => {
    const at = zonedInstant('2026-03-08', '02:30', NY);
    expect(at).toEqual(iso('2026-03-08T07:00:00Z'));
    expect(localTime(at, NY)).toBe('03:00');
    expect(zonedInstant('2026-03-08', '02:00', NY)).toEqual(iso('2026-03-08T07:00:00Z'));
    expect(zonedInstant('2026-03-08', '03:00', NY)).toEqual(iso('2026-03-08T07:00:00Z'));
    expect(zonedInstant('2026-03-08', '01:59', NY)).toEqual(iso('2026-03-08T06:59:00Z'));
    // London springs forward at 01:00 on 2026-03-29.
    expect(zonedInstant('2026-03-29', '01:30', 'Europe/London')).toEqual(iso('2026-03-29T01:00:00Z'));
  });

  it('fall back: a time that happens twice is the first (01:30 EDT)', async () => {
    expect(zonedInstant('2026-11-01', '01:30', NY)).toEqual(iso('2026-11-01T05:30:00Z'));
    expect(zonedInstant('2026-11-01', '00:59', NY)).toEqual(iso('2026-11-01T04:59:00Z'));
    expect(zonedInstant('2026-11-01', '02:00', NY)).toEqual(iso('2026-11-01T07:00:00Z'));
    expect(zonedInstant('2026-10-25', '01:30', 'Europe/London')).toEqual(iso('2026-10-25T00:30:00Z'));
  });

  it('finds the next occurrence, strictly after, across DST and weekends', async () => {
    expect(nextOccurrence(iso('2026-03-07T20:00:00Z'), '02:30', NY, false)).toEqual(iso('2026-03-08T07:00:00Z'));
    expect(nextOccurrence(iso('2026-03-08T07:00:00Z'), '02:30', NY, false)).toEqual(iso('2026-03-09T06:30:00Z'));
    // Between the two 01:30s of 2026-11-01 the day's post is already past.
    expect(nextOccurrence(iso('2026-11-01T06:00:00Z'), '01:30', NY, false)).toEqual(iso('2026-11-02T06:30:00Z'));
    expect(nextOccurrence(iso('2026-11-01T05:29:00Z'), '01:30', NY, false)).toEqual(iso('2026-11-01T05:30:00Z'));
    // Friday evening → Monday for weekdays only.
    expect(nextOccurrence(iso('2026-03-06T12:00:00Z'), '09:00', 'Asia/Seoul', true)).toEqual(iso('2026-03-09T00:00:00Z'));
    expect(nextOccurrence(iso('2026-03-06T12:00:00Z'), '09:00', 'Asia/Seoul', false)).toEqual(iso('2026-03-07T00:00:00Z'));
    // Just before local midnight, far from UTC.
    expect(nextOccurrence(iso('2026-03-02T14:59:00Z'), '00:00', 'Asia/Seoul', false)).toEqual(iso('2026-03-02T15:00:00Z'));
    // UTC+14: 10:59Z is already 00:59 on the next local day, so the next midnight is a day later.
    expect(nextOccurrence(iso('2026-03-02T10:59:00Z'), '00:00', 'Pacific/Kiritimati', false)).toEqual(iso('2026-03-03T10:00:00Z'));
  });

  it('knows weekdays and calendar arithmetic', async () => {
    expect(['2026-03-02', '2026-03-06'].map(isWeekday)).toEqual([true, true]);
    expect(['2026-03-07', '2026-03-08'].map(isWeekday)).toEqual([false, false]);
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('normalises times and zones', async () => {
    expect(normalizeTime('9:00')).toBe('09:00');
    expect(normalizeTime('21:30')).toBe('21:30');
    expect(normalizeTime('24:00')).toBeUndefined();
    expect(normalizeTime('9:5')).toBeUndefined();
    expect(canonicalTimeZone('asia/seoul')).toBe('Asia/Seoul');
    expect(canonicalTimeZone('Mars/Olympus')).toBeUndefined();
  });

  it('says when a post is due and when the next one is', async () => {
    const schedule = { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false, since: iso('2026-03-01T00:00:00Z') };
    expect(dueToday(schedule, iso('2026-03-01T23:59:00Z'))).toBeUndefined();
    expect(dueToday(schedule, iso('2026-03-02T00:00:00Z'))).toEqual({ date: '2026-03-02', at: iso('2026-03-02T00:00:00Z') });
    // Set after today's time: not owed today.
    expect(dueToday({ ...schedule, since: iso('2026-03-02T01:00:00Z') }, iso('2026-03-02T02:00:00Z'))).toBeUndefined();
    const done = new Set(['2026-03-02', '2026-03-03']);
    expect(nextPostTime(schedule, iso('2026-03-02T05:00:00Z'), (d) => done.has(d))).toEqual(iso('2026-03-04T00:00:00Z'));
    expect(nextPostTime(schedule, iso('2026-03-02T05:00:00Z'), () => false)).toEqual(iso('2026-03-02T00:00:00Z'));
  });
});

describe('pickTip', () => {
  const tips = tipsKnowledge(4).tips;

  it('never repeats within a cycle, then starts a new one', async () => {
    let rotation = { cycle: 1, used: [] as string[] };
    const seen: string[] = [];
    for (let i = 0; i < 4; i++) {
      const picked = pickTip(tips, rotation, 'slack:C1')!;
      seen.push(picked.entry.tip.id);
      rotation = picked.next;
    }
    expect(new Set(seen).size).toBe(4);
    expect(rotation).toEqual({ cycle: 1, used: seen });
    const fifth = pickTip(tips, rotation, 'slack:C1')!;
    expect(fifth.next).toEqual({ cycle: 2, used: [fifth.entry.tip.id] });
  });

  it('forgets tips that left the notes', async () => {
    const picked = pickTip(tips, { cycle: 1, used: ['gone', 'tip-1', 'tip-2', 'tip-3'] }, 'slack:C1')!;
    expect(picked.entry.tip.id).toBe('tip-4');
    expect(picked.next.used).toEqual(['tip-1', 'tip-2', 'tip-3', 'tip-4']);
  });

  it('has nothing to pick without tips', async () => {
    expect(pickTip([], { cycle: 1, used: [] }, 'slack:C1')).toBeUndefined();
  });
});

describe('TipScheduler', () => {
  it('posts the tip of the day once at the local time (Asia/Seoul), as a public reply citing the source note', async () => {
    const r = rig();
    r.clock.set('2026-03-01T12:00:00Z');
    await r.service.subscribe('slack:C1', { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false });

    await r.tickAt('2026-03-01T23:59:00Z'); // 08:59 KST
    expect(r.slack.sent).toHaveLength(0);
    await r.tickAt('2026-03-02T00:00:00Z'); // 09:00 KST
    expect(r.slack.sent).toHaveLength(1);
    await r.tickAt('2026-03-02T00:01:00Z');
    await r.tickAt('2026-03-02T14:59:00Z'); // 23:59 KST
    expect(r.slack.sent).toHaveLength(1);

    const [post] = r.slack.sent;
    expect(post!.reply.visibility).toBe('public');
    expect(post!.reply.blocks[0]).toEqual({ type: 'heading', text: '오늘의 써밋 팁' });
    expect(post!.reply.blocks[1]).toMatchObject({ type: 'text', text: expect.stringMatching(/^Tip number \d$/) });
    expect(post!.reply.blocks[2]).toEqual({ type: 'citation', citations: [{ label: 'Session A', source: 'sessions/session-a.md' }] });
    expect(await r.store.postState('slack:C1', '2026-03-02')).toMatchObject({ status: 'posted', attempts: 1 });
    expect(r.logger.entries.some((e) => e.level === 'info' && e.msg === 'daily tip posted')).toBe(true);

    await r.tickAt('2026-03-03T00:00:00Z');
    expect(r.slack.sent).toHaveLength(2);
  });

  it('writes the heading in English when told', async () => {
    const clock = new FakeClock('2026-03-01T12:00:00Z');
    const store = new MemoryStore();
    const poster = new FakePoster('shell', clock);
    const scheduler = new TipScheduler({ store, clock, posters: new Map([['shell', poster]]), knowledge: () => tipsKnowledge(1), logger: memoryLogger(), locale: 'en', timers: new FakeTimers(clock) });
    new StoreSubscriptionService(store, clock).subscribe('shell:local', { time: '09:00', timeZone: 'UTC', weekdaysOnly: false });
    clock.set('2026-03-02T09:00:00Z');
    await scheduler.tick();
    expect(toPlainText(poster.sent[0]!.reply)).toBe('Tip of the day\n\nTip number 1\n\n— Session A (sessions/session-a.md)');
  });

  it('posts in the subscriber\'s language when it was known, else in the bot\'s', async () => {
    const clock = new FakeClock('2026-03-01T12:00:00Z');
    const store = new MemoryStore();
    const poster = new FakePoster('discord', clock);
    const scheduler = new TipScheduler({ store, clock, posters: new Map([['discord', poster]]), knowledge: () => tipsKnowledge(2), logger: memoryLogger(), locale: 'ko', timers: new FakeTimers(clock) });
    const service = new StoreSubscriptionService(store, clock);
    await service.subscribe('discord:1', { time: '09:00', timeZone: 'UTC', weekdaysOnly: false, locale: 'en' });
    await service.subscribe('discord:2', { time: '09:00', timeZone: 'UTC', weekdaysOnly: false });
    clock.set('2026-03-02T09:00:00Z');
    await scheduler.tick();
    const headingOf = (target: string) => poster.sent.find((s) => s.target === target)?.reply.blocks[0];
    expect(headingOf('discord:1')).toEqual({ type: 'heading', text: 'Tip of the day' });
    expect(headingOf('discord:2')).toEqual({ type: 'heading', text: '오늘의 써밋 팁' });
  });

  it('posts each zone at its own local time over several days, and status predicts every post', async () => {
    const r = rig({ tips: 10 });
    // After 2026-03-05's posting times in New York and London, before 2026-03-06's in Seoul.
    r.clock.set('2026-03-05T16:00:00Z');
    await r.service.subscribe('slack:SEOUL', { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false });
    await r.service.subscribe('slack:NY', { time: '08:30', timeZone: NY, weekdaysOnly: false });
    await r.service.subscribe('discord:LONDON', { time: '09:00', timeZone: 'Europe/London', weekdaysOnly: true });

    const predicted = new Map<Target, Date[]>();
    for (let t = iso('2026-03-06T00:00:00Z').getTime(); t < iso('2026-03-10T00:00:00Z').getTime(); t += 5 * MINUTE) {
      const before = new Map(await Promise.all(['slack:SEOUL', 'slack:NY', 'discord:LONDON'].map(async (target) => [target, (await r.service.status(target))!.nextPost] as const)));
      const counts = [r.slack.sent.length, r.discord.sent.length] as const;
      await r.tickAt(new Date(t));
      for (const sent of [...r.slack.sent.slice(counts[0]), ...r.discord.sent.slice(counts[1])]) {
        predicted.set(sent.target, [...(predicted.get(sent.target) ?? []), before.get(sent.target)!]);
      }
    }
    const times = (poster: FakePoster, target: Target) => poster.to(target).map((s) => s.at.toISOString());
    expect(times(r.slack, 'slack:SEOUL')).toEqual(['2026-03-06T00:00:00.000Z', '2026-03-07T00:00:00.000Z', '2026-03-08T00:00:00.000Z', '2026-03-09T00:00:00.000Z']);
    // 08:30 EST is 13:30Z; from 2026-03-08 on it is EDT, 12:30Z.
    expect(times(r.slack, 'slack:NY')).toEqual(['2026-03-06T13:30:00.000Z', '2026-03-07T13:30:00.000Z', '2026-03-08T12:30:00.000Z', '2026-03-09T12:30:00.000Z']);
    // Weekdays only: Friday and Monday.
    expect(times(r.discord, 'discord:LONDON')).toEqual(['2026-03-06T09:00:00.000Z', '2026-03-09T09:00:00.000Z']);
    for (const [target, predictions] of predicted) {
      const poster = target.startsWith('discord:') ? r.discord : r.slack;
      expect(predictions.map((d) => d.toISOString())).toEqual(times(poster, target));
    }
  });

  it('America/New_York spring forward (2026-03-08): 02:30 posts once, at 03:00 EDT', async () => {
    const r = rig();
    r.clock.set('2026-03-07T12:00:00Z');
    await r.service.subscribe('slack:C1', { time: '02:30', timeZone: NY, weekdaysOnly: false });
    await r.tickAt('2026-03-08T06:59:00Z'); // 01:59 EST
    expect(r.slack.sent).toHaveLength(0);
    await r.tickAt('2026-03-08T07:00:00Z'); // 03:00 EDT
    expect(r.slack.sent).toHaveLength(1);
    expect(localTime(r.slack.sent[0]!.at, NY)).toBe('03:00');
    for (let t = iso('2026-03-08T07:05:00Z').getTime(); t < iso('2026-03-09T06:30:00Z').getTime(); t += 15 * MINUTE) await r.tickAt(new Date(t));
    expect(r.slack.sent).toHaveLength(1);
    await r.tickAt('2026-03-09T06:30:00Z'); // 02:30 EDT the next day
    expect(r.slack.sent).toHaveLength(2);
  });

  it('America/New_York fall back (2026-11-01): 01:30 happens twice, posts once at the first', async () => {
    const r = rig();
    r.clock.set('2026-10-31T12:00:00Z');
    await r.service.subscribe('slack:C1', { time: '01:30', timeZone: NY, weekdaysOnly: false });
    await r.tickAt('2026-11-01T05:29:00Z'); // 01:29 EDT
    expect(r.slack.sent).toHaveLength(0);
    await r.tickAt('2026-11-01T05:30:00Z'); // 01:30 EDT
    expect(r.slack.sent).toHaveLength(1);
    await r.tickAt('2026-11-01T06:30:00Z'); // 01:30 EST, the second time
    await r.tickAt('2026-11-01T06:45:00Z');
    await r.tickAt('2026-11-02T04:59:00Z'); // 23:59 EST
    expect(r.slack.sent).toHaveLength(1);
    await r.tickAt('2026-11-02T06:30:00Z'); // 01:30 EST on 2026-11-02
    expect(r.slack.sent.map((s) => s.at.toISOString())).toEqual(['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z']);
  });

  it('Europe/London: 09:00 follows the switch to BST on 2026-03-29', async () => {
    const r = rig();
    r.clock.set('2026-03-27T12:00:00Z');
    await r.service.subscribe('slack:C1', { time: '09:00', timeZone: 'Europe/London', weekdaysOnly: false });
    for (let t = iso('2026-03-28T00:00:00Z').getTime(); t < iso('2026-03-31T00:00:00Z').getTime(); t += 10 * MINUTE) await r.tickAt(new Date(t));
    expect(r.slack.sent.map((s) => s.at.toISOString())).toEqual(['2026-03-28T09:00:00.000Z', '2026-03-29T08:00:00.000Z', '2026-03-30T08:00:00.000Z']);
  });

  it('weekdays only: skips Saturday and Sunday', async () => {
    const r = rig();
    r.clock.set('2026-03-01T12:00:00Z');
    await r.service.subscribe('slack:C1', { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: true });
    for (let day = 0; day < 14; day++) {
      await r.tickAt(new Date(iso('2026-03-02T01:00:00Z').getTime() + day * DAY)); // 10:00 KST each day
    }
    const dates = r.slack.sent.map((s) => localDate(s.at, 'Asia/Seoul'));
    expect(dates).toHaveLength(10);
    expect(dates.every(isWeekday)).toBe(true);
    expect(dates).not.toContain('2026-03-07');
    expect(dates).not.toContain('2026-03-08');
  });

  it('does not post today when the subscription starts after today’s time', async () => {
    const r = rig();
    r.clock.set('2026-03-02T01:00:00Z'); // 10:00 KST
    await r.service.subscribe('slack:C1', { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false });
    await r.tickAt('2026-03-02T01:01:00Z');
    expect(r.slack.sent).toHaveLength(0);
    await r.tickAt('2026-03-03T00:00:00Z');
    expect(r.slack.sent).toHaveLength(1);
  });

  it('rotates through every tip before repeating, per channel', async () => {
    const r = rig({ tips: 7 });
    r.clock.set('2026-03-01T12:00:00Z');
    await r.service.subscribe('slack:C1', { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false });
    await r.service.subscribe('discord:9', { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false });
    for (let day = 0; day < 14; day++) await r.tickAt(new Date(iso('2026-03-02T00:00:00Z').getTime() + day * DAY));
    for (const posts of [r.slack.to('slack:C1'), r.discord.to('discord:9')]) {
      const texts = posts.map((p) => (p.reply.blocks[1] as { text: string }).text);
      expect(texts).toHaveLength(14);
      expect(new Set(texts.slice(0, 7)).size).toBe(7);
      expect(new Set(texts.slice(7)).size).toBe(7);
    }
    expect(await r.store.getRotation('slack:C1')).toMatchObject({ cycle: 2 });
    expect((await r.store.getRotation('slack:C1')).used).toHaveLength(7);
    expect((await r.store.postState('slack:C1', '2026-03-02'))!.tipId).toMatch(/^tip-\d$/);
  });

  it('leaves targets of platforms it has no poster for alone (another process may serve them)', async () => {
    const r = rig();
    r.clock.set('2026-03-01T12:00:00Z');
    await r.service.subscribe('shell:local', { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false });
    await r.tickAt('2026-03-02T00:00:00Z');
    expect(await r.store.postState('shell:local', '2026-03-02')).toBeUndefined();
  });

  describe('failures', () => {
    it('retries transient failures with backoff, honouring retryAfterMs, then posts once', async () => {
      const r = rig({ retry: { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 60_000 } });
      r.clock.set('2026-03-01T12:00:00Z');
      await r.service.subscribe('slack:C1', { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false });
      r.slack.fail(new PostError('ratelimited', 'transient', 30_000), new TypeError('fetch failed'));

      await r.tickAt('2026-03-02T00:00:00Z');
      expect(r.slack.attempts).toHaveLength(1);
      expect(r.slack.sent).toHaveLength(0);
      expect(await r.store.postState('slack:C1', '2026-03-02')).toMatchObject({ status: 'failed', retryable: true, error: 'ratelimited', retryAt: iso('2026-03-02T00:00:30Z') });
      expect((await r.service.status('slack:C1'))!.pausedReason).toBeUndefined();

      // A tick before retryAt does not jump the queue.
      await r.tickAt('2026-03-02T00:00:10Z');
      expect(r.slack.attempts).toHaveLength(1);

      await r.timers.runUntil(iso('2026-03-02T00:10:00Z'), r.settle);
      // 30 s asked by the platform (more than the 1 s backoff), then 2 s of backoff after the network error.
      expect(r.timers.delays).toEqual([30_000, 2_000]);
      expect(r.slack.attempts.map((a) => a.at.toISOString())).toEqual(['2026-03-02T00:00:00.000Z', '2026-03-02T00:00:30.000Z', '2026-03-02T00:00:32.000Z']);
      expect(r.slack.sent).toHaveLength(1);
      expect(await r.store.postState('slack:C1', '2026-03-02')).toMatchObject({ status: 'posted', attempts: 3 });
      expect(r.logger.entries.filter((e) => e.level === 'warn')).toHaveLength(2);

      await r.tickAt('2026-03-02T01:00:00Z');
      expect(r.slack.sent).toHaveLength(1);
    });

    it('retries when its timer fires a moment before the retry time on the wall clock', async () => {
      const r = rig({ timersFireEarlyMs: 3 });
      r.clock.set('2026-03-01T12:00:00Z');
      await r.service.subscribe('slack:C1', { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false });
      r.slack.fail(new PostError('503', 'transient'));
      await r.tickAt('2026-03-02T00:00:00Z');
      await r.timers.runUntil(iso('2026-03-02T00:00:10Z'), r.settle);
      expect(r.slack.sent).toHaveLength(1);
      expect(await r.store.postState('slack:C1', '2026-03-02')).toMatchObject({ status: 'posted', attempts: 2 });
    });

    it('caps the backoff at maxDelayMs', async () => {
      const r = rig({ retry: { maxAttempts: 6, baseDelayMs: 1_000, maxDelayMs: 5_000 } });
      r.clock.set('2026-03-01T12:00:00Z');
      await r.service.subscribe('slack:C1', { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false });
      r.slack.fail(...Array.from({ length: 5 }, () => new PostError('503', 'transient')));
      await r.tickAt('2026-03-02T00:00:00Z');
      await r.timers.runUntil(iso('2026-03-02T01:00:00Z'), r.settle);
      expect(r.timers.delays).toEqual([1_000, 2_000, 4_000, 5_000, 5_000]);
      expect(r.slack.sent).toHaveLength(1);
    });

    it('gives up on the day after maxAttempts, without pausing; the next day posts again', async () => {
      const r = rig({ retry: { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 60_000 } });
      r.clock.set('2026-03-01T12:00:00Z');
      await r.service.subscribe('slack:C1', { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false });
      r.slack.always = new PostError('internal_error', 'transient');
      await r.tickAt('2026-03-02T00:00:00Z');
      await r.timers.runUntil(iso('2026-03-02T02:00:00Z'), r.settle);
      for (let t = 2; t < 12; t++) await r.tickAt(new Date(iso('2026-03-02T00:00:00Z').getTime() + t * HOUR));
      expect(r.slack.attempts).toHaveLength(3);
      expect(await r.store.postState('slack:C1', '2026-03-02')).toMatchObject({ status: 'failed', retryable: false, attempts: 3 });
      expect((await r.service.status('slack:C1'))!.pausedReason).toBeUndefined();
      expect((await r.service.status('slack:C1'))!.nextPost).toEqual(iso('2026-03-03T00:00:00Z'));
      expect(r.logger.entries.some((e) => e.level === 'error' && /giving up/.test(e.msg ?? ''))).toBe(true);

      r.slack.always = undefined;
      await r.tickAt('2026-03-03T00:00:00Z');
      expect(r.slack.sent).toHaveLength(1);
    });

    it('does not retry past the end of the local day', async () => {
      const r = rig({ retry: { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 60_000 } });
      r.clock.set('2026-03-01T12:00:00Z');
      await r.service.subscribe('slack:C1', { time: '23:59', timeZone: 'Asia/Seoul', weekdaysOnly: false });
      r.slack.fail(new PostError('ratelimited', 'transient', 5 * MINUTE));
      await r.tickAt('2026-03-02T14:59:00Z'); // 23:59 KST
      expect(r.timers.scheduled).toHaveLength(0);
      expect(await r.store.postState('slack:C1', '2026-03-02')).toMatchObject({ status: 'failed', retryable: false });
      await r.tickAt('2026-03-02T15:04:00Z'); // 00:04 the next day: not due yet
      expect(r.slack.attempts).toHaveLength(1);
    });

    it('pauses on a permanent failure: the reason shows in status, and nothing more is posted until resubscribed', async () => {
      const r = rig();
      r.clock.set('2026-03-01T12:00:00Z');
      await r.service.subscribe('slack:C1', { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false });
      await r.service.subscribe('slack:C2', { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false });
      r.slack.fail(new PostError('channel_not_found', 'permanent'));

      await r.tickAt('2026-03-02T00:00:00Z');
      // One channel failing does not stop the others.
      expect(r.slack.sent.map((s) => s.target)).toEqual(['slack:C2']);
      const failedTarget = r.slack.attempts[0]!.target;
      expect(failedTarget).toBe('slack:C1');
      expect(await r.service.status('slack:C1')).toMatchObject({ pausedReason: 'channel_not_found' });
      expect((await r.store.listActiveSubscriptions()).map((s) => s.target)).toEqual(['slack:C2']);
      expect(r.timers.scheduled).toHaveLength(0);
      expect(r.logger.entries.some((e) => e.level === 'error' && /paused/.test(e.msg ?? ''))).toBe(true);

      for (let day = 1; day <= 3; day++) await r.tickAt(new Date(iso('2026-03-02T00:00:00Z').getTime() + day * DAY));
      expect(r.slack.to('slack:C1')).toHaveLength(0);
      expect(r.slack.to('slack:C2')).toHaveLength(4);

      await r.service.subscribe('slack:C1', { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false });
      expect((await r.service.status('slack:C1'))!.pausedReason).toBeUndefined();
      await r.tickAt('2026-03-06T00:00:00Z');
      expect(r.slack.to('slack:C1')).toHaveLength(1);
    });
  });

  describe('exactly once when the platform is unsure', () => {
    const date = '2026-03-02';
    const key = postKey('slack:C1', date);
    const subscribed = async () => {
      const r = rig();
      r.clock.set('2026-03-01T12:00:00Z');
      await r.service.subscribe('slack:C1', { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false });
      return r;
    };
    const tipOf = (sent: Sent) => (sent.reply.blocks[1] as { text: string }).text;

    it('sends every attempt of a day under one key, and each day under its own', async () => {
      expect(postKey('slack:C1', date)).not.toBe(postKey('slack:C1', '2026-03-03'));
      expect(postKey('slack:C1', date)).not.toBe(postKey('slack:C2', date));
      const r = await subscribed();
      r.slack.fail(new PostError('slack: ratelimited', 'transient', 1_000));
      await r.tickAt('2026-03-02T00:00:00Z');
      await r.timers.runUntil(iso('2026-03-02T00:05:00Z'), r.settle);
      await r.tickAt('2026-03-03T00:00:00Z');
      expect(r.slack.attempts.map((a) => a.key)).toEqual([key, key, postKey('slack:C1', '2026-03-03')]);
    });

    it('after an attempt that may have posted, looks for the post first and records the one it finds instead of sending a copy', async () => {
      const r = await subscribed();
      // The platform took the message, but its answer never came.
      r.slack.acceptThenFail(new PostError('slack: network', 'ambiguous'));
      await r.tickAt('2026-03-02T00:00:00Z');
      expect(await r.store.postState('slack:C1', date)).toMatchObject({ status: 'failed', retryable: true, maybePosted: true });
      expect(r.logger.entries.some((e) => e.level === 'warn' && /may have been posted/.test(e.msg ?? ''))).toBe(true);

      await r.timers.runUntil(iso('2026-03-02T01:00:00Z'), r.settle);
      expect(r.slack.sent).toHaveLength(1);
      expect(r.slack.attempts).toHaveLength(1);
      expect(r.slack.lookups).toEqual([{ target: 'slack:C1', key, since: iso('2026-03-02T00:00:00Z') }]);
      const state = (await r.store.postState('slack:C1', date))!;
      expect(state).toMatchObject({ status: 'posted', messageId: 'M1', attempts: 2 });
      // The day is recorded with the tip the found message carries, and the rotation moves on from it.
      expect(tipOf(r.slack.sent[0]!)).toBe(`Tip number ${state.tipId!.slice('tip-'.length)}`);
      expect((await r.store.getRotation('slack:C1')).used).toEqual([state.tipId]);
      expect(r.logger.entries.some((e) => e.level === 'warn' && /recorded that post instead of sending a copy/.test(e.msg ?? ''))).toBe(true);

      await r.tickAt('2026-03-03T00:00:00Z');
      expect(r.slack.sent).toHaveLength(2);
      expect(tipOf(r.slack.sent[1]!)).not.toBe(tipOf(r.slack.sent[0]!));
    });

    it('sends again when the look finds nothing (the unsure attempt never reached the platform)', async () => {
      const r = await subscribed();
      r.slack.fail(new PostError('slack: HTTP 503', 'ambiguous'));
      await r.tickAt('2026-03-02T00:00:00Z');
      await r.timers.runUntil(iso('2026-03-02T01:00:00Z'), r.settle);
      expect(r.slack.lookups).toHaveLength(1);
      expect(r.slack.attempts).toHaveLength(2);
      expect(r.slack.sent).toHaveLength(1);
      expect(await r.store.postState('slack:C1', date)).toMatchObject({ status: 'posted', messageId: 'M1' });
    });

    it('does not look after a definite failure', async () => {
      const r = await subscribed();
      r.slack.fail(new PostError('slack: ratelimited', 'transient', 2_000), new TypeError('fetch failed'));
      await r.tickAt('2026-03-02T00:00:00Z');
      await r.timers.runUntil(iso('2026-03-02T01:00:00Z'), r.settle);
      // Anything that is not a PostError is retried as transient, and does not count as maybe posted.
      expect(r.slack.lookups).toHaveLength(0);
      expect(r.slack.sent).toHaveLength(1);
    });

    it('a crash after the platform took the post: the takeover after the lease finds it and posts nothing', async () => {
      const r = await subscribed();
      // Another process claimed 09:00's post, the platform took it, and the process died before recording it.
      r.clock.set('2026-03-02T00:00:00Z');
      expect(await r.store.claimPost('slack:C1', date, 'crashed-process', r.clock.now())).toBe(true);
      await r.slack.post('slack:C1', { blocks: [], visibility: 'public' }, { key });
      await r.tickAt('2026-03-02T00:09:59Z');
      expect(r.slack.lookups).toHaveLength(0);
      await r.tickAt('2026-03-02T00:10:00Z');
      expect(r.slack.lookups).toEqual([{ target: 'slack:C1', key, since: iso('2026-03-02T00:00:00Z') }]);
      expect(r.slack.sent).toHaveLength(1);
      expect(await r.store.postState('slack:C1', date)).toMatchObject({ status: 'posted', owner: r.scheduler.owner, attempts: 2, messageId: 'M1' });
    });

    it('sends nothing while it cannot look: a failed look is retried later, and a refused one pauses', async () => {
      const r = await subscribed();
      await r.service.subscribe('slack:C2', { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false });
      r.slack.acceptThenFail(new PostError('slack: network', 'ambiguous'), new PostError('slack: network', 'ambiguous'));
      r.slack.failLookups(new PostError('slack: network', 'ambiguous'), new PostError('slack: missing_scope (needs channels:history)', 'permanent'));
      await r.tickAt('2026-03-02T00:00:00Z');
      await r.timers.runUntil(iso('2026-03-02T02:00:00Z'), r.settle);
      // C1: first look failed (retried), second look refused for good; C2 never posted twice either.
      expect(r.slack.attempts).toHaveLength(2);
      expect(r.slack.sent).toHaveLength(2);
      const paused = ['slack:C1', 'slack:C2'].map(async (target) => (await r.service.status(target))!.pausedReason);
      expect(await Promise.all(paused)).toContain('slack: missing_scope (needs channels:history)');
      const posted = (await Promise.all(['slack:C1', 'slack:C2'].map((target) => r.store.postState(target, date)))).filter((state) => state?.status === 'posted');
      expect(posted).toHaveLength(1);
      expect(r.slack.lookups).toHaveLength(3);
    });

    it('gives up after maxAttempts without sending a copy, and records that the day may have been posted', async () => {
      const r = await subscribed();
      r.slack.acceptThenFail(new PostError('slack: network', 'ambiguous'));
      r.slack.failLookups(...Array.from({ length: 3 }, () => new PostError('slack: network', 'ambiguous')));
      await r.tickAt('2026-03-02T00:00:00Z');
      await r.timers.runUntil(iso('2026-03-02T03:00:00Z'), r.settle);
      expect(r.slack.sent).toHaveLength(1);
      expect(r.slack.attempts).toHaveLength(1);
      expect(await r.store.postState('slack:C1', date)).toMatchObject({ status: 'failed', retryable: false, maybePosted: true, attempts: 4 });
      expect(r.logger.entries.some((e) => e.level === 'error' && /giving up/.test(e.msg ?? '') && (e.obj as { maybePosted?: boolean }).maybePosted === true)).toBe(true);
    });

    it('where the platform offers no look, sends again under the same key for the platform to recognise', async () => {
      const clock = new FakeClock('2026-03-01T12:00:00Z');
      const discord = new FakePoster('discord', clock, { canLook: false });
      const r = rig({ clock, posters: [discord] });
      await r.service.subscribe('discord:42', { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false });
      discord.fail(new PostError('discord: AbortError', 'ambiguous'));
      await r.tickAt('2026-03-02T00:00:00Z');
      await r.timers.runUntil(iso('2026-03-02T01:00:00Z'), r.settle);
      expect(discord.attempts.map((a) => a.key)).toEqual([postKey('discord:42', date), postKey('discord:42', date)]);
      expect(await r.store.postState('discord:42', date)).toMatchObject({ status: 'posted', messageId: 'M1' });
    });
  });

  describe('with SQLite', () => {
    let temp: ReturnType<typeof tempDir>;
    const stores: Store[] = [];
    const open = (options = {}) => {
      const store = openSqliteStore(temp.dir, options);
      stores.push(store);
      return store;
    };
    beforeEach(() => {
      temp = tempDir();
    });
    afterEach(async () => {
      for (const store of stores.splice(0)) await store.close();
      temp.remove();
    });

    it('restart mid-day: a new scheduler on the same file does not post again', async () => {
      const clock = new FakeClock('2026-03-01T12:00:00Z');
      const poster = new FakePoster('slack', clock);
      const first = rig({ store: open(), clock, posters: [poster] });
      await first.service.subscribe('slack:C1', { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false });
      await first.tickAt('2026-03-02T00:00:00Z');
      expect(poster.sent).toHaveLength(1);
      await first.scheduler.stop();
      await first.store.close();

      const second = rig({ store: open(), clock, posters: [poster] });
      second.clock.set('2026-03-02T03:00:00Z'); // 12:00 KST
      second.scheduler.start();
      await second.settle();
      await second.timers.runUntil(iso('2026-03-02T05:00:00Z'), second.settle);
      expect(poster.sent).toHaveLength(1);
      await second.scheduler.stop();
    });

    it('catch-up: a post missed while down is sent once at start, never twice', async () => {
      const clock = new FakeClock('2026-03-01T12:00:00Z');
      const poster = new FakePoster('slack', clock);
      const before = rig({ store: open(), clock, posters: [poster] });
      await before.service.subscribe('slack:C1', { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false });
      await before.tickAt('2026-03-01T23:30:00Z'); // 08:30 KST, then the bot goes down
      await before.scheduler.stop();
      await before.store.close();

      const after = rig({ store: open(), clock, posters: [poster] });
      after.clock.set('2026-03-02T02:00:00Z'); // back up at 11:00 KST
      expect((await after.service.status('slack:C1'))!.nextPost).toEqual(iso('2026-03-02T00:00:00Z'));
      after.scheduler.start();
      after.scheduler.start(); // idempotent
      await after.settle();
      expect(poster.sent.map((s) => s.at.toISOString())).toEqual(['2026-03-02T02:00:00.000Z']);
      expect((await after.service.status('slack:C1'))!.nextPost).toEqual(iso('2026-03-03T00:00:00Z'));

      // The timer loop re-checks at least every minute and posts the next day on time.
      await after.timers.runUntil(iso('2026-03-02T06:00:00Z'), after.settle);
      expect(poster.sent).toHaveLength(1);
      expect(Math.max(...after.timers.delays)).toBeLessThanOrEqual(60_000);
      await after.timers.runUntil(iso('2026-03-03T00:00:30Z'), after.settle);
      expect(poster.sent.map((s) => s.at.toISOString())).toEqual(['2026-03-02T02:00:00.000Z', '2026-03-03T00:00:00.000Z']);
      await after.scheduler.stop();
      expect(after.timers.scheduled).toHaveLength(0);
    });

    it('crash between claim and send: the claim holds for the lease, then exactly one post follows', async () => {
      const clock = new FakeClock('2026-03-01T12:00:00Z');
      const r = rig({ store: open(), clock });
      await r.service.subscribe('slack:C1', { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false });
      // A process claimed 09:00's post and died before sending or recording anything.
      expect(await r.store.claimPost('slack:C1', '2026-03-02', 'crashed-process', iso('2026-03-02T00:00:00Z'))).toBe(true);

      await r.tickAt('2026-03-02T00:05:00Z');
      await r.tickAt('2026-03-02T00:09:59Z');
      expect(r.slack.attempts).toHaveLength(0);
      await r.tickAt('2026-03-02T00:10:00Z'); // the 10-minute lease has run out
      expect(r.slack.sent).toHaveLength(1);
      expect(await r.store.postState('slack:C1', '2026-03-02')).toMatchObject({ status: 'posted', owner: r.scheduler.owner, attempts: 2 });
      for (let m = 11; m < 60; m += 7) await r.tickAt(new Date(iso('2026-03-02T00:00:00Z').getTime() + m * MINUTE));
      expect(r.slack.sent).toHaveLength(1);

      // The same holds after reopening the file.
      await r.store.close();
      const again = rig({ store: open(), clock, posters: [r.slack] });
      await again.tickAt('2026-03-02T05:00:00Z');
      expect(r.slack.sent).toHaveLength(1);
    });

    it('a send still in flight keeps its claim: no second post while it lasts', async () => {
      const clock = new FakeClock('2026-03-01T12:00:00Z');
      const store = open();
      const slack = new FakePoster('slack', clock);
      const a = rig({ store, clock, posters: [slack], owner: 'a' });
      const b = rig({ store: open(), clock, posters: [slack], owner: 'b' });
      await a.service.subscribe('slack:C1', { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false });
      slack.hold();
      clock.set('2026-03-02T00:00:00Z');
      const slow = a.scheduler.tick();
      await flush();
      await b.tickAt('2026-03-02T00:03:00Z');
      expect(slack.attempts).toHaveLength(1);
      slack.release();
      await slow;
      await a.settle();
      expect(slack.sent).toHaveLength(1);
    });

    it('two schedulers on one file, ticking concurrently: exactly one post per channel per day', async () => {
      const clock = new FakeClock('2026-03-01T12:00:00Z');
      const slack = new FakePoster('slack', clock);
      const discord = new FakePoster('discord', clock);
      const a = rig({ store: open(), clock, posters: [slack, discord], owner: 'a', tips: 4 });
      const b = rig({ store: open(), clock, posters: [slack, discord], owner: 'b', tips: 4 });
      await a.service.subscribe('slack:C1', { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false });
      await b.service.subscribe('discord:42', { time: '08:00', timeZone: 'Europe/London', weekdaysOnly: false });
      await b.service.subscribe('slack:NY', { time: '02:30', timeZone: NY, weekdaysOnly: false });

      let round = 0;
      for (let t = iso('2026-03-02T00:00:00Z').getTime(); t < iso('2026-03-10T00:00:00Z').getTime(); t += 30 * MINUTE) {
        clock.set(t);
        // Alternate who starts first; a second tick of the same scheduler joins its running pass.
        const [first, second] = round++ % 2 ? [b, a] : [a, b];
        await Promise.all([first.scheduler.tick(), second.scheduler.tick(), first.scheduler.tick()]);
        await Promise.all([a.settle(), b.settle()]);
      }
      const perDay = (posts: Sent[], zone: string) => posts.map((p) => localDate(p.at, zone));
      const days = Array.from({ length: 8 }, (_, i) => addDays('2026-03-02', i));
      expect(perDay(slack.to('slack:C1'), 'Asia/Seoul')).toEqual(days);
      expect(perDay(discord.to('discord:42'), 'Europe/London')).toEqual(days.slice(0, 8));
      // NY's 02:30 on 2026-03-02 is 07:30Z, inside the run; the last day's 02:30 is 06:30Z on 03-09.
      expect(perDay(slack.to('slack:NY'), NY)).toEqual(days);
      // Both schedulers won some days, and rotation was shared: 4 tips, no repeat within each run of 4.
      const owners = new Set(await Promise.all(['slack:C1', 'slack:NY', 'discord:42'].flatMap((target) => days.map(async (d) => (await a.store.postState(target, d))!.owner))));
      expect(owners).toEqual(new Set(['a', 'b']));
      const texts = slack.to('slack:C1').map((p) => (p.reply.blocks[1] as { text: string }).text);
      expect(new Set(texts.slice(0, 4)).size).toBe(4);
      expect(new Set(texts.slice(4, 8)).size).toBe(4);
    });

    it('keeps the rotation across restarts', async () => {
      const clock = new FakeClock('2026-03-01T12:00:00Z');
      const slack = new FakePoster('slack', clock);
      const first = rig({ store: open(), clock, posters: [slack], tips: 3 });
      await first.service.subscribe('slack:C1', { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false });
      await first.tickAt('2026-03-02T00:00:00Z');
      await first.tickAt('2026-03-03T00:00:00Z');
      await first.store.close();
      const second = rig({ store: open(), clock, posters: [slack], tips: 3 });
      await second.tickAt('2026-03-04T00:00:00Z');
      const texts = slack.sent.map((p) => (p.reply.blocks[1] as { text: string }).text);
      expect(new Set(texts).size).toBe(3);
    });
  });

  describe('start and stop', () => {
    it('sleeps until the next due post (at most a minute) and stops cleanly', async () => {
      const r = rig();
      r.clock.set('2026-03-01T12:00:00Z');
      await r.service.subscribe('slack:C1', { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false });
      r.clock.set('2026-03-01T23:59:30Z');
      r.scheduler.start();
      await r.settle();
      expect(r.timers.delays).toEqual([30_000]);
      await r.timers.runUntil(iso('2026-03-02T00:00:00Z'), r.settle);
      expect(r.slack.sent.map((s) => s.at.toISOString())).toEqual(['2026-03-02T00:00:00.000Z']);
      expect(r.timers.scheduled).toHaveLength(1);
      expect(r.timers.scheduled[0]!.ms).toBe(60_000);
      await r.scheduler.stop();
      await r.scheduler.stop();
      expect(r.timers.scheduled).toHaveLength(0);
      r.scheduler.start(); // a stopped scheduler stays stopped
      await r.settle();
      expect(r.timers.scheduled).toHaveLength(0);
    });

    it('stop() waits for posts in flight and cancels pending retries (the store keeps them)', async () => {
      const r = rig();
      r.clock.set('2026-03-01T12:00:00Z');
      await r.service.subscribe('slack:C1', { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false });
      await r.service.subscribe('slack:C2', { time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: false });
      r.slack.fail(new PostError('ratelimited', 'transient', 5_000));
      r.slack.hold();
      r.clock.set('2026-03-02T00:00:00Z');
      const ticking = r.scheduler.tick();
      await flush();
      let stopped = false;
      const stopping = r.scheduler.stop().then(() => (stopped = true));
      await flush();
      expect(stopped).toBe(false);
      r.slack.release();
      await stopping;
      await ticking;
      expect(r.slack.sent).toHaveLength(1);
      expect(r.timers.scheduled).toHaveLength(0);
      const failed = (await Promise.all(['slack:C1', 'slack:C2'].map(async (target) => (await r.store.postState(target, '2026-03-02'))!))).find((s) => s.status === 'failed');
      expect(failed).toMatchObject({ retryable: true });
      // Nothing happens after stop.
      await r.tickAt('2026-03-02T00:01:00Z');
      expect(r.slack.attempts).toHaveLength(2);
    });

    it('accepts a pino logger and a Map of posters', async () => {
      const clock = new FakeClock('2026-03-01T12:00:00Z');
      const scheduler = new TipScheduler({
        store: new MemoryStore(),
        clock,
        posters: new Map<Platform, Poster>([['slack', new FakePoster('slack', clock)]]),
        knowledge: () => tipsKnowledge(1),
        logger: pino({ level: 'silent' }),
        retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100 },
      });
      expect(scheduler.owner).toMatch(/:\d+:/);
      expect(() => new TipScheduler({ store: new MemoryStore(), clock, posters: [], knowledge: () => tipsKnowledge(1), logger: memoryLogger(), retry: { maxAttempts: 0 } })).toThrow(RangeError);
    });
  });
});
