/**
 * Posts the tip of the day to every subscribed conversation, once per local day.
 *
 * Exactly once, and what that means here
 * --------------------------------------
 * The post log in the store has one row per (target, local date). Before sending, a scheduler *claims*
 * the row (`Store.claimPost`, one atomic write shared by every process on the database: one SQLite file,
 * or one PostgreSQL server for replicas on several hosts); only the winner sends, and it records the
 * outcome afterwards (`markPosted` / `markFailed`). So restarts, catch-up after downtime, several replicas
 * and overlapping ticks never send a day twice.
 *
 * What the claim cannot settle is whether the platform took a post whose outcome we never learned: a
 * timeout or a reset after the request was sent, a 5xx, or a process that died between sending and
 * recording (its claim is taken over once the lease has run out). Every post therefore carries an
 * idempotency key, `postKey(target, date)`, and the day remembers that an attempt may have posted
 * (`PostRecord.maybePosted`). Before sending again after such an attempt, the scheduler asks the poster for
 * a message under that key since the day was first claimed (`Poster.findPosted`: Slack message metadata,
 * read back with conversations.history) and records one it finds as the day's post instead of sending a
 * copy. Where a platform has no way to look (Discord), the key rides on the post itself (Discord's
 * `nonce` with `enforce_nonce`), and Discord returns the first message instead of making a second, but
 * only for the few minutes it remembers nonces. When the look itself fails, nothing is sent: the attempt
 * counts as a transient failure and is retried later.
 *
 * The lease must outlast one attempt (a look and a post, each bounded by the poster's request timeout),
 * or a slow attempt could be taken over while it still runs.
 *
 * Failures: a transient or ambiguous one (`PostError` kinds `transient` and `ambiguous`, or anything that is
 * not a `PostError`) is retried with exponential backoff, at least as late as the platform's `retryAfterMs`,
 * up to `retry.maxAttempts` claims and never past the local day. The retry is in the store as well
 * (`retryAt`), so another process or the next start picks it up if this one stops. A permanent failure
 * pauses the subscription with the reason, which `/tip schedule` shows, until the channel subscribes again.
 *
 * Timing: `start()` ticks at once (catch-up), then sleeps until the next due post across subscriptions,
 * but never longer than a minute, so subscriptions added by other processes and clock jumps are noticed.
 * `tick()` is the whole decision and can be driven directly with an injected clock.
 */
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { fieldIn, noteTitleIn } from '../knowledge/language.ts';
import { t, type Locale } from '../i18n.ts';
import { citation, heading, reply, text, type Reply } from '../reply.ts';
import { PostError, targetPlatform, type Clock, type Platform, type Poster, type Target } from '../ports.ts';
import type { Knowledge, TipEntry } from '../knowledge/knowledge.ts';
import { isSettled, type RotationState, type Store, type SubscriptionRecord } from '../store.ts';
import { dueToday, localDate, type LocalDate } from './schedule-time.ts';
import { nextPostFor } from './subscription-service.ts';

/** The subset of a pino logger the scheduler uses. */
export interface SchedulerLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface RetryPolicy {
  /** Attempts per channel per day, the first included. */
  maxAttempts: number;
  /** Wait after the first failure; doubles after each further one. */
  baseDelayMs: number;
  /** Cap of the doubling (a platform's `retryAfterMs` may still ask for longer). */
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 30_000, maxDelayMs: 15 * 60_000 };

/** `setTimeout`/`clearTimeout`, injectable so tests can drive time. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  setTimeout(callback, ms) {
    const handle = setTimeout(callback, ms);
    handle.unref();
    return handle;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};

export interface TipSchedulerOptions {
  store: Store;
  clock: Clock;
  /** One poster per platform; targets of platforms without one are left to other processes. */
  posters: Map<Platform, Poster> | Poster[];
  /** The current knowledge (a function, so a hot reload is picked up). */
  knowledge: () => Knowledge;
  logger: SchedulerLogger;
  /** Who claims posts; defaults to host, pid and a random suffix. */
  owner?: string;
  retry?: Partial<RetryPolicy>;
  timers?: Timers;
  /** Language of the heading. Defaults to Korean. */
  locale?: Locale;
  /** Longest sleep between checks. Defaults to a minute. */
  checkIntervalMs?: number;
}

/** 32-bit FNV-1a: a stable, cheap shuffle key. */
function hash(value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < value.length; i++) {
    h ^= value.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The next tip for `target`: one not used in its current cycle, in an order shuffled per target and per
 * cycle (so channels do not all get the same tip the same day). When every current tip was used, a new
 * cycle starts. Ids no longer in the knowledge are forgotten. Undefined when there are no tips.
 */
export function pickTip(tips: readonly TipEntry[], rotation: RotationState, target: Target): { entry: TipEntry; next: RotationState } | undefined {
  if (tips.length === 0) return undefined;
  const ids = new Set(tips.map((e) => e.tip.id));
  let cycle = rotation.cycle;
  let used = rotation.used.filter((id) => ids.has(id));
  let remaining = tips.filter((e) => !used.includes(e.tip.id));
  if (remaining.length === 0) {
    cycle += 1;
    used = [];
    remaining = [...tips];
  }
  const key = (e: TipEntry) => hash(`${target}\n${cycle}\n${e.tip.id}`);
  const entry = remaining.reduce((best, e) => {
    const k = key(e);
    const b = key(best);
    return k < b || (k === b && e.tip.id < best.tip.id) ? e : best;
  });
  return { entry, next: { cycle, used: [...used, entry.tip.id] } };
}

/** The idempotency key of the daily post of `target` on its local day `date`: the same on every attempt and replica. */
export function postKey(target: Target, date: LocalDate): string {
  return `tip:${target}:${date}`;
}

/** The daily post: heading, the tip, and the note it comes from. */
export function tipOfTheDayReply(entry: TipEntry, knowledge: Knowledge, locale: Locale): Reply {
  const source = knowledge.note(entry.tip.source) ?? entry.note;
  return reply([heading(t('tipOfTheDay', locale)), text(fieldIn(entry.tip, 'text', locale)), citation([{ label: noteTitleIn(source, locale), source: source.source }])], {
    visibility: 'public',
  });
}

function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}

export class TipScheduler {
  readonly owner: string;
  private readonly store: Store;
  private readonly clock: Clock;
  private readonly posters: Map<Platform, Poster>;
  private readonly knowledge: () => Knowledge;
  private readonly logger: SchedulerLogger;
  private readonly retry: RetryPolicy;
  private readonly timers: Timers;
  private readonly locale: Locale;
  private readonly checkIntervalMs: number;

  private readonly inFlight = new Set<Promise<void>>();
  private readonly retryTimers = new Set<{ handle: unknown }>();
  private wakeTimer: unknown;
  private ticking: Promise<void> | undefined;
  private started = false;
  private stopped = false;
  private stopping: Promise<void> | undefined;

  constructor(options: TipSchedulerOptions) {
    this.store = options.store;
    this.clock = options.clock;
    this.posters = options.posters instanceof Map ? new Map(options.posters) : new Map(options.posters.map((p) => [p.platform, p]));
    this.knowledge = options.knowledge;
    this.logger = options.logger;
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    if (this.retry.maxAttempts < 1) throw new RangeError('retry.maxAttempts must be at least 1');
    this.timers = options.timers ?? systemTimers;
    this.locale = options.locale ?? 'ko';
    this.checkIntervalMs = options.checkIntervalMs ?? 60_000;
  }

  /** Ticks now (sending any post missed while the bot was down), then keeps checking. Idempotent. */
  start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    void this.loop();
  }

  /** Stops checking, cancels pending retries (the store keeps them for the next start) and waits for posts in flight. Idempotent. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.stopped = true;
      if (this.wakeTimer !== undefined) this.timers.clearTimeout(this.wakeTimer);
      this.wakeTimer = undefined;
      for (const timer of this.retryTimers) this.timers.clearTimeout(timer.handle);
      this.retryTimers.clear();
      await this.idle();
    })();
    return this.stopping;
  }

  /** Resolves when no tick or post of this scheduler is running (scheduled retries may still be pending). */
  async idle(): Promise<void> {
    while (this.ticking || this.inFlight.size > 0) {
      await Promise.allSettled([this.ticking, ...this.inFlight]);
    }
  }

  /**
   * One pass: every active subscription this process can post to whose post is due today and not yet
   * claimed is claimed and sent. Resolves after the first attempt of each; retries run on timers.
   * Concurrent calls share one pass.
   */
  tick(): Promise<void> {
    this.ticking ??= this.runTick().finally(() => {
      this.ticking = undefined;
    });
    return this.ticking;
  }

  private async loop(): Promise<void> {
    if (this.stopped) return;
    await this.tick();
    await this.scheduleWake();
  }

  private async scheduleWake(): Promise<void> {
    if (this.stopped) return;
    const now = this.clock.now();
    let delay = this.checkIntervalMs;
    try {
      for (const subscription of await this.store.listActiveSubscriptions()) {
        if (!this.posterFor(subscription.target)) continue;
        const wait = (await nextPostFor(this.store, subscription, now)).getTime() - now.getTime();
        if (wait > 0 && wait < delay) delay = wait;
      }
    } catch (error) {
      this.logger.error({ err: error }, 'daily tips: could not read subscriptions');
    }
    // stop() may have come while the store was read.
    if (this.stopped) return;
    this.wakeTimer = this.timers.setTimeout(() => {
      this.wakeTimer = undefined;
      void this.loop();
    }, delay);
  }

  private posterFor(target: Target): Poster | undefined {
    const platform = targetPlatform(target);
    return platform && this.posters.get(platform);
  }

  private async runTick(): Promise<void> {
    if (this.stopped) return;
    const now = this.clock.now();
    let subscriptions: SubscriptionRecord[];
    try {
      subscriptions = await this.store.listActiveSubscriptions();
    } catch (error) {
      this.logger.error({ err: error }, 'daily tips: could not read subscriptions');
      return;
    }
    const attempts: Promise<void>[] = [];
    for (const subscription of subscriptions) {
      const { target } = subscription;
      try {
        const poster = this.posterFor(target);
        if (!poster) continue;
        const due = dueToday(subscription, now);
        if (!due) continue;
        // A cheap read first, so settled days do not take the write lock every minute.
        const state = await this.store.postState(target, due.date);
        if (isSettled(state)) continue;
        if (state?.status === 'failed' && state.retryAt && state.retryAt.getTime() > now.getTime()) continue;
        if (this.stopped || !(await this.store.claimPost(target, due.date, this.owner, now))) continue;
        attempts.push(this.track(this.attempt(subscription, due.date, poster)));
      } catch (error) {
        this.logger.error({ err: error, target }, 'daily tips: could not check subscription');
      }
    }
    await Promise.all(attempts);
  }

  private track(work: Promise<void>): Promise<void> {
    const tracked: Promise<void> = work
      .catch((error: unknown) => this.logger.error({ err: error }, 'daily tips: unexpected failure'))
      .finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
    return tracked;
  }

  /**
   * Sends the claimed post of `date` and records the outcome. When an earlier attempt may have posted, it
   * looks for that post first and records it instead of sending a copy.
   */
  private async attempt(subscription: SubscriptionRecord, date: LocalDate, poster: Poster): Promise<void> {
    const { target } = subscription;
    const key = postKey(target, date);
    let picked: ReturnType<typeof pickTip>;
    let messageId: string | undefined;
    let found = false;
    try {
      const knowledge = this.knowledge();
      // The rotation is saved only once the day is recorded, so a retry picks the tip an unrecorded post carried.
      picked = pickTip(knowledge.tips, await this.store.getRotation(target), target);
      if (!picked) throw new PostError('the knowledge base has no tips', 'transient');
      const record = await this.store.postState(target, date);
      if (record?.maybePosted && poster.findPosted) {
        messageId = await poster.findPosted(target, key, record.firstClaimedAt);
        found = messageId !== undefined;
      }
      if (!found) messageId = await poster.post(target, tipOfTheDayReply(picked.entry, knowledge, subscription.locale ?? this.locale), { key });
    } catch (error) {
      await this.failed(subscription, date, error);
      return;
    }
    const now = this.clock.now();
    try {
      await this.store.saveRotation(target, picked.next, now);
      await this.store.markPosted(target, date, picked.entry.tip.id, now, messageId);
      const fields = { target, date, tip: picked.entry.tip.id, messageId };
      if (found) this.logger.warn(fields, 'daily tip: an earlier attempt had posted it after all; recorded that post instead of sending a copy');
      else this.logger.info(fields, 'daily tip posted');
    } catch (error) {
      // Sent but not recorded: after the lease another process looks for it by its key before sending (see the top of this file).
      this.logger.error({ err: error, target, date }, 'daily tip posted but not recorded; it will be looked for before any new attempt');
    }
  }

  private async failed(subscription: SubscriptionRecord, date: LocalDate, error: unknown): Promise<void> {
    const { target, timeZone } = subscription;
    const now = this.clock.now();
    const message = describeError(error);
    const ambiguous = error instanceof PostError && error.kind === 'ambiguous';
    try {
      if (error instanceof PostError && error.kind === 'permanent') {
        await this.store.markFailed(target, date, message, false, now);
        await this.store.pauseSubscription(target, message, now, error.refusal);
        this.logger.error({ target, date, error: message }, 'daily tips paused: the platform refused the post');
        return;
      }
      const state = await this.store.postState(target, date);
      const attempts = state?.attempts ?? 1;
      // This attempt, or an earlier one of the day.
      const maybePosted = ambiguous || state?.maybePosted === true;
      if (attempts >= this.retry.maxAttempts) {
        await this.store.markFailed(target, date, message, false, now, { maybePosted });
        this.logger.error({ target, date, attempts, error: message, maybePosted }, "daily tip failed; giving up on today's post");
        return;
      }
      const backoff = Math.min(this.retry.maxDelayMs, this.retry.baseDelayMs * 2 ** (attempts - 1));
      const retryAfter = error instanceof PostError ? (error.retryAfterMs ?? 0) : 0;
      const wait = Math.max(backoff, retryAfter);
      const retryAt = new Date(now.getTime() + wait);
      if (localDate(retryAt, timeZone) !== date) {
        await this.store.markFailed(target, date, message, false, now, { maybePosted });
        this.logger.error({ target, date, attempts, error: message, maybePosted }, "daily tip failed and the local day ends before a retry; giving up on today's post");
        return;
      }
      await this.store.markFailed(target, date, message, true, now, { retryAt, maybePosted });
      const note = maybePosted ? 'daily tip may have been posted; will retry under the same key, looking for it first where the platform allows' : 'daily tip failed; will retry';
      this.logger.warn({ target, date, attempts, retryInMs: wait, error: message }, note);
      this.scheduleRetry(target, date, wait);
    } catch (storeError) {
      this.logger.error({ err: storeError, target, date, error: message }, 'daily tip failed and the failure could not be recorded');
    }
  }

  private scheduleRetry(target: Target, date: LocalDate, wait: number): void {
    if (this.stopped) return;
    const timer: { handle: unknown } = { handle: undefined };
    timer.handle = this.timers.setTimeout(() => {
      this.retryTimers.delete(timer);
      void this.track(this.retryNow(target, date));
    }, wait);
    this.retryTimers.add(timer);
  }

  private async retryNow(target: Target, date: LocalDate): Promise<void> {
    if (this.stopped) return;
    const subscription = await this.store.getSubscription(target);
    if (!subscription || subscription.pausedReason !== undefined) return;
    const now = this.clock.now();
    // The schedule may have changed, or the day ended, since the failure.
    if (dueToday(subscription, now)?.date !== date) return;
    const poster = this.posterFor(target);
    if (!poster) return;
    // Timers run on the monotonic clock and the retry time is wall-clock time: a timer may fire a moment
    // before the retry time it was set for, when the store would not give the claim yet.
    const state = await this.store.postState(target, date);
    const tooEarlyByMs = state?.status === 'failed' && state.retryAt ? state.retryAt.getTime() - now.getTime() : 0;
    if (tooEarlyByMs > 0) {
      this.scheduleRetry(target, date, tooEarlyByMs);
      return;
    }
    // Another process or a tick may have taken it; then it is theirs.
    if (!(await this.store.claimPost(target, date, this.owner, now))) return;
    await this.attempt(subscription, date, poster);
  }
}
