import { targetPlatform, type Clock, type Target } from '../ports.ts';
import { isSettled, type Store, type SubscriptionRecord } from '../store.ts';
import type { SubscriptionRequest, SubscriptionService, SubscriptionStatus } from './subscriptions.ts';
import { canonicalTimeZone, nextPostTime, normalizeTime } from './schedule-time.ts';

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

/** When `subscription` posts next, given what the store's post log says about each day. */
export function nextPostFor(store: Store, subscription: SubscriptionRecord, now: Date): Date {
  return nextPostTime(subscription, now, (date) => isSettled(store.postState(subscription.target, date)));
}

export function toStatus(store: Store, subscription: SubscriptionRecord, now: Date): SubscriptionStatus {
  return {
    target: subscription.target,
    time: subscription.time,
    timeZone: subscription.timeZone,
    weekdaysOnly: subscription.weekdaysOnly,
    nextPost: nextPostFor(store, subscription, now),
    ...(subscription.pausedReason !== undefined ? { pausedReason: subscription.pausedReason } : {}),
  };
}

/** Daily-tip subscriptions kept in a `Store`. The `TipScheduler` reads the same store and does the posting. */
export class StoreSubscriptionService implements SubscriptionService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** Validates, then creates or replaces the subscription; subscribing again clears a pause. Throws `SubscriptionError`. */
  subscribe(target: Target, request: SubscriptionRequest): SubscriptionStatus {
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
    const record = this.store.upsertSubscription({ target, time, timeZone, weekdaysOnly: request.weekdaysOnly }, now);
    return toStatus(this.store, record, now);
  }

  unsubscribe(target: Target): boolean {
    return this.store.deleteSubscription(target);
  }

  status(target: Target): SubscriptionStatus | undefined {
    const record = this.store.getSubscription(target);
    return record && toStatus(this.store, record, this.clock.now());
  }
}

export function createSubscriptionService(store: Store, clock: Clock): SubscriptionService {
  return new StoreSubscriptionService(store, clock);
}
