import type { Locale } from './i18n.ts';
import type { Platform, PostRefusal, Target } from './ports.ts';

/**
 * What the bot keeps between restarts and shares between replicas: daily-tip subscriptions, each
 * channel's tip rotation, the post log that makes the daily post happen once, short-lived keys
 * (de-duplication of platform retries and repeated clicks, values a button refers to), feedback on
 * answers (votes and the questions the bot could not answer) and a few settings.
 * Implementations: `SqliteStore` (embedded default, shared by every process on one file),
 * `PostgresStore` (`DATABASE_URL`, shared by replicas on several hosts) and `MemoryStore` (tests).
 *
 * Every method is asynchronous, so a network database fits behind the port. Every decision that must hold
 * across processes (a claim, a first delivery) is one atomic statement in the database, never a read
 * followed by a write in the caller.
 */
export interface Store {
  /** Creates or replaces the subscription of `target`; clears a pause and restarts `since` at `now`. */
  upsertSubscription(subscription: SubscriptionInput, now: Date): Promise<SubscriptionRecord>;
  /** The subscription of `target`, paused or not. */
  getSubscription(target: Target): Promise<SubscriptionRecord | undefined>;
  /** True when there was a subscription to delete. Rotation and post log stay (resubscribing does not repeat today's post). */
  deleteSubscription(target: Target): Promise<boolean>;
  /** Subscriptions that are not paused, ordered by target. */
  listActiveSubscriptions(): Promise<SubscriptionRecord[]>;
  /** Every subscription, paused ones too, ordered by target. */
  listSubscriptions(): Promise<SubscriptionRecord[]>;
  /**
   * Stops posting to `target` until it subscribes again; false when it has no subscription. `reason` is what
   * the platform said; `refusal`, when known, what it means for the channel (shown to users in their language).
   */
  pauseSubscription(target: Target, reason: string, now: Date, refusal?: PostRefusal): Promise<boolean>;

  /** Which tips `target` already got in its current cycle. A fresh target is in cycle 1 with nothing used. */
  getRotation(target: Target): Promise<RotationState>;
  /** Records the rotation after a post (only the holder of that day's claim writes it). */
  saveRotation(target: Target, state: RotationState, now: Date): Promise<void>;

  /**
   * Atomically claims the post of `target` for its local day `localDate`. True for exactly one caller
   * across every process sharing the store, unless:
   * - the claim went stale: claimed more than the lease ago and never marked posted or failed (the
   *   claimer crashed); then one later caller may claim it again;
   * - the last attempt failed with a retryable error and its `retryAt` has come.
   * False when it is posted, failed for good, claimed within the lease, or waiting for `retryAt`.
   * Taking over a stale claim sets `maybePosted`: the claimer may have posted before it died.
   */
  claimPost(target: Target, localDate: string, owner: string, now: Date): Promise<boolean>;
  /** Records that the claimed day was posted with `tipId` (as the platform's message `messageId`); a posted day is never claimed again. */
  markPosted(target: Target, localDate: string, tipId: string, now: Date, messageId?: string): Promise<void>;
  /**
   * Records a failed attempt. `transient`: the day's post may be claimed again once `retryAt` has come
   * (immediately when omitted). Otherwise the day is given up and never claimed again. `maybePosted`: the
   * attempt may have reached the platform (it stays set for the day). Never overwrites `posted`.
   */
  markFailed(target: Target, localDate: string, error: string, transient: boolean, now: Date, options?: FailureDetails): Promise<void>;
  /** The post-log record of one day, if that day was ever claimed or settled. */
  postState(target: Target, localDate: string): Promise<PostRecord | undefined>;
  /** The post-log records of `target` for local dates on or after `fromDate` (`YYYY-MM-DD`), oldest first. */
  postStatesFrom(target: Target, fromDate: string): Promise<PostRecord[]>;

  /**
   * Atomically claims `key` until `ttlMs` after `now`: true for exactly one caller across every process
   * sharing the store, false for every other until the key expires. The basis of de-duplication
   * (Slack retries by `event_id`, a message by `channel:ts`, a repeated share click).
   */
  claimKey(key: string, ttlMs: number, now: Date): Promise<boolean>;
  /** Keeps `value` under `key` until `ttlMs` after `now`, replacing what was there. */
  putValue(key: string, value: string, ttlMs: number, now: Date): Promise<void>;
  /** The value under `key`, unless it expired. */
  getValue(key: string, now: Date): Promise<string | undefined>;
  /** Deletes keys that expired at or before `now`; resolves to how many. */
  purgeExpired(now: Date): Promise<number>;

  /**
   * Records `input.voter`'s vote on answer `input.answerId`, atomically: the first vote is `recorded`, a
   * different one replaces it (`changed`), the same one again is `unchanged`. One row per voter and answer.
   */
  recordVote(input: VoteInput, now: Date): Promise<VoteOutcome>;
  /** Records a question the bot could not answer; nothing about who asked is kept. */
  recordUnanswered(input: QuestionRecordInput, now: Date): Promise<void>;
  /** Votes (by the time of the latest vote) and unanswered questions at or after `since`, oldest first; never who voted. */
  feedbackSince(since: Date): Promise<FeedbackRecord[]>;
  /** Deletes votes and unanswered questions older than `before` (retention); resolves to how many. */
  purgeFeedback(before: Date): Promise<number>;

  /**
   * The value of setting `name`; when it has none, `initial` is stored first, atomically, so every caller
   * across every process sharing the store gets the same value (e.g. a generated salt).
   */
  settingOrInit(name: string, initial: string): Promise<string>;

  /** Health probe: can the store take a write right now? Never rejects. */
  isWritable(): Promise<boolean>;
  /** Releases the file or the connections. Idempotent. */
  close(): Promise<void>;
}

export interface SubscriptionInput {
  target: Target;
  /** `HH:MM`. */
  time: string;
  timeZone: string;
  weekdaysOnly: boolean;
  /** The language of the daily posts: the subscriber's when it was known, else the bot's (`BOT_LOCALE`). */
  locale?: Locale;
}

export interface SubscriptionRecord extends SubscriptionInput {
  /** When the schedule was last set; occurrences at or before it are not owed. */
  since: Date;
  pausedReason?: string;
  pausedRefusal?: PostRefusal;
  pausedAt?: Date;
}

export interface RotationState {
  /** Starts at 1; a new cycle begins when every tip has been used. */
  cycle: number;
  /** Tip ids used in this cycle, oldest first. */
  used: string[];
}

export interface FailureDetails {
  /** When a transient failure may be retried. */
  retryAt?: Date;
  /** The failed attempt may have been posted after all (a timeout, a reset or a 5xx after sending). */
  maybePosted?: boolean;
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
  /** When the day was first claimed: no copy of its post can be older. */
  firstClaimedAt: Date;
  /**
   * An earlier attempt may have posted (it failed ambiguously, or its claimer died mid-attempt): look for
   * the post before sending it again.
   */
  maybePosted: boolean;
  /** How many times the day was claimed, i.e. how many attempts were started. */
  attempts: number;
  tipId?: string;
  postedAt?: Date;
  /** The platform's id of the posted message (Slack `ts`, Discord id), when it gave one. */
  messageId?: string;
  /** The last error. */
  error?: string;
  /** For `failed`: whether it may be claimed again. */
  retryable: boolean;
  retryAt?: Date;
}

export type Vote = 'good' | 'bad';

export type VoteOutcome = 'recorded' | 'changed' | 'unchanged';

/** A question as the feedback records keep it: what was asked, where, and the passage shown first. */
export interface QuestionRecordInput {
  platform: Platform;
  /** The command that asked (`ask`, `dr`). */
  command: string;
  question: string;
  /** The language the answer was given in (`ko`, `en`). */
  language: string;
  /** "Note title › Heading" of the passage shown first; absent when nothing was shown. */
  citation?: string;
  /** Its knowledge file. */
  source?: string;
}

export interface VoteInput extends QuestionRecordInput {
  /** The answer voted on: one vote per voter per answer. */
  answerId: string;
  /** A salted hash of the voter's platform and user id, never the id itself. */
  voter: string;
  vote: Vote;
}

/** A vote or an unanswered question, as the knowledge-gaps report reads it. */
export interface FeedbackRecord extends QuestionRecordInput {
  kind: 'vote' | 'unanswered';
  /** For `vote`. */
  vote?: Vote;
  /** When it was asked (unanswered) or last voted (vote). */
  at: Date;
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
 * Whether `claimPost` would succeed on `record` at `now`. The SQL stores express the same rule in SQL;
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
