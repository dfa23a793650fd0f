import type { Target } from './ports.ts';

/**
 * What the bot keeps between restarts: daily-tip subscriptions, each channel's tip rotation and the
 * post log that makes the daily post happen once. Implementations: `SqliteStore` (production, shared by
 * every process on one file) and `MemoryStore` (tests).
 *
 * Every method is synchronous: SQLite calls are fast and local, and keeping them synchronous means a
 * claim is decided without another caller slipping in between a read and a write.
 */
export interface Store {
  /** Creates or replaces the subscription of `target`; clears a pause and restarts `since` at `now`. */
  upsertSubscription(subscription: SubscriptionInput, now: Date): SubscriptionRecord;
  getSubscription(target: Target): SubscriptionRecord | undefined;
  /** True when there was a subscription to delete. Rotation and post log stay (resubscribing does not repeat today's post). */
  deleteSubscription(target: Target): boolean;
  /** Subscriptions that are not paused, ordered by target. */
  listActiveSubscriptions(): SubscriptionRecord[];
  /** Stops posting to `target` until it subscribes again; false when it has no subscription. */
  pauseSubscription(target: Target, reason: string, now: Date): boolean;

  /** Which tips `target` already got in its current cycle. A fresh target is in cycle 1 with nothing used. */
  getRotation(target: Target): RotationState;
  saveRotation(target: Target, state: RotationState, now: Date): void;

  /**
   * Atomically claims the post of `target` for its local day `localDate`. True for exactly one caller
   * across every process sharing the store, unless:
   * - the claim went stale: claimed more than the lease ago and never marked posted or failed (the
   *   claimer crashed); then one later caller may claim it again;
   * - the last attempt failed with a retryable error and its `retryAt` has come.
   * False when it is posted, failed for good, claimed within the lease, or waiting for `retryAt`.
   */
  claimPost(target: Target, localDate: string, owner: string, now: Date): boolean;
  markPosted(target: Target, localDate: string, tipId: string, now: Date): void;
  /**
   * Records a failed attempt. `transient`: the day's post may be claimed again once `retryAt` has come
   * (immediately when omitted). Otherwise the day is given up and never claimed again.
   */
  markFailed(target: Target, localDate: string, error: string, transient: boolean, now: Date, retryAt?: Date): void;
  postState(target: Target, localDate: string): PostRecord | undefined;

  /** Health probe: can the store take a write right now? Never throws. */
  isWritable(): boolean;
  /** Idempotent. */
  close(): void;
}

export interface SubscriptionInput {
  target: Target;
  /** `HH:MM`. */
  time: string;
  timeZone: string;
  weekdaysOnly: boolean;
}

export interface SubscriptionRecord extends SubscriptionInput {
  /** When the schedule was last set; occurrences at or before it are not owed. */
  since: Date;
  pausedReason?: string;
  pausedAt?: Date;
}

export interface RotationState {
  /** Starts at 1; a new cycle begins when every tip has been used. */
  cycle: number;
  /** Tip ids used in this cycle, oldest first. */
  used: string[];
}

export type PostStatus = 'claimed' | 'posted' | 'failed';

export interface PostRecord {
  target: Target;
  localDate: string;
  status: PostStatus;
  /** Who claimed it last. */
  owner: string;
  /** When the current claim was taken (the lease starts here). */
  claimedAt: Date;
  /** How many times the day was claimed, i.e. how many attempts were started. */
  attempts: number;
  tipId?: string;
  postedAt?: Date;
  /** The last error. */
  error?: string;
  /** For `failed`: whether it may be claimed again. */
  retryable: boolean;
  retryAt?: Date;
}

/** How long a claim holds without being marked posted or failed before another caller may take it over. */
export const DEFAULT_CLAIM_LEASE_MS = 10 * 60_000;

export interface StoreOptions {
  /** See `DEFAULT_CLAIM_LEASE_MS`. */
  leaseMs?: number;
}

/** A day whose post needs nothing more: posted, or given up. */
export function isSettled(record: PostRecord | undefined): boolean {
  return record !== undefined && (record.status === 'posted' || (record.status === 'failed' && !record.retryable));
}

/**
 * Whether `claimPost` would succeed on `record` at `now`. The SQLite store expresses the same rule in SQL;
 * the memory store calls this.
 */
export function isClaimable(record: PostRecord | undefined, now: Date, leaseMs: number): boolean {
  if (!record) return true;
  switch (record.status) {
    case 'posted':
      return false;
    case 'claimed':
      return record.claimedAt.getTime() + leaseMs <= now.getTime();
    case 'failed':
      return record.retryable && (record.retryAt === undefined || record.retryAt.getTime() <= now.getTime());
  }
}
