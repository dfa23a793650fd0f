import { targetPlatform, type Clock, type Platform, type PostCheck, type Poster, type Target } from '../ports.ts';
import { isSettled, type Store, type SubscriptionRecord } from '../store.ts';
import type { SubscriptionRequest, SubscriptionService, SubscriptionStatus } from './subscriptions.ts';
import { canonicalTimeZone, localDate, nextPostTime, normalizeTime } from './schedule-time.ts';

export type SubscriptionErrorCode = 'invalid-time' | 'invalid-time-zone' | 'invalid-target';

/** A subscription request the service refuses; `code` and `value` let callers word their own message. */
export class SubscriptionError extends Error {
  constructor(
    readonly code: SubscriptionErrorCode,
    /** The offending input, as given. */
    readonly value: string,
    message: string,
  ) {
    super(message);
    this.name = 'SubscriptionError';
  }
}

/** When `subscription` posts next, given what the store's post log says about each day from today on. */
export async function nextPostFor(store: Store, subscription: SubscriptionRecord, now: Date): Promise<Date> {
  const records = await store.postStatesFrom(subscription.target, localDate(now, subscription.timeZone));
  const settled = new Set(records.filter(isSettled).map((record) => record.localDate));
  return nextPostTime(subscription, now, (date) => settled.has(date));
}

export async function toStatus(store: Store, subscription: SubscriptionRecord, now: Date): Promise<SubscriptionStatus> {
  return {
    target: subscription.target,
    time: subscription.time,
    timeZone: subscription.timeZone,
    weekdaysOnly: subscription.weekdaysOnly,
    ...(subscription.locale ? { locale: subscription.locale } : {}),
    nextPost: await nextPostFor(store, subscription, now),
    ...(subscription.pausedReason !== undefined ? { pausedReason: subscription.pausedReason } : {}),
    ...(subscription.pausedRefusal ? { pausedRefusal: subscription.pausedRefusal } : {}),
  };
}

/** Daily-tip subscriptions kept in a `Store`. The `TipScheduler` reads the same store and does the posting. */
export class StoreSubscriptionService implements SubscriptionService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** The Poster of each running platform; a platform without one has nobody to ask, so it can post. */
    private readonly posterFor: (platform: Platform) => Poster | undefined = () => undefined,
  ) {}

  async canPost(target: Target): Promise<PostCheck> {
    const platform = targetPlatform(target);
    const poster = platform && this.posterFor(platform);
    return poster ? poster.canPost(target) : { ok: true };
  }

  /** Validates, then creates or replaces the subscription; subscribing again clears a pause. Throws `SubscriptionError`. */
  async subscribe(target: Target, request: SubscriptionRequest): Promise<SubscriptionStatus> {
    if (!targetPlatform(target) || target.length > 200) {
      throw new SubscriptionError('invalid-target', target, `cannot subscribe ${JSON.stringify(target)}: expected slack:…, discord:… or shell:…`);
    }
    const time = normalizeTime(request.time);
    if (!time) {
      throw new SubscriptionError('invalid-time', request.time, `invalid time ${JSON.stringify(request.time)}: use HH:MM on a 24-hour clock, e.g. 09:00 or 21:30`);
    }
    const timeZone = canonicalTimeZone(request.timeZone);
    if (!timeZone) {
      throw new SubscriptionError(
        'invalid-time-zone',
        request.timeZone,
        `unknown time zone ${JSON.stringify(request.timeZone)}: use an IANA name, e.g. Asia/Seoul or America/New_York`,
      );
    }
    const now = this.clock.now();
    const record = await this.store.upsertSubscription(
      { target, time, timeZone, weekdaysOnly: request.weekdaysOnly, ...(request.locale ? { locale: request.locale } : {}) },
      now,
    );
    return toStatus(this.store, record, now);
  }

  unsubscribe(target: Target): Promise<boolean> {
    return this.store.deleteSubscription(target);
  }

  async status(target: Target): Promise<SubscriptionStatus | undefined> {
    const record = await this.store.getSubscription(target);
    return record && toStatus(this.store, record, this.clock.now());
  }

  async list(platform: Platform): Promise<SubscriptionStatus[]> {
    const now = this.clock.now();
    const records = (await this.store.listSubscriptions()).filter((record) => targetPlatform(record.target) === platform);
    return Promise.all(records.map((record) => toStatus(this.store, record, now)));
  }
}

export function createSubscriptionService(store: Store, clock: Clock, posterFor?: (platform: Platform) => Poster | undefined): SubscriptionService {
  return new StoreSubscriptionService(store, clock, posterFor);
}
