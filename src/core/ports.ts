import type { Reply } from './reply.ts';

/**
 * What the core needs from the outside world. Adapters and the store implement these;
 * the core never imports a platform SDK.
 */

/** An opaque conversation address: "slack:C123", "discord:456", "shell:local". */
export type Target = string;

export type Platform = 'slack' | 'discord' | 'shell';

export function targetPlatform(target: Target): Platform | undefined {
  const prefix = target.slice(0, target.indexOf(':'));
  return prefix === 'slack' || prefix === 'discord' || prefix === 'shell' ? prefix : undefined;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * How a post failed, which decides what may follow:
 * - `transient`: it did not reach the platform, or the platform refused it for now (rate limit, connection
 *   refused); trying again later is safe;
 * - `ambiguous`: it may have been posted (a timeout, a connection reset or a 5xx after the request was sent);
 *   look for it (`Poster.findPosted`) before trying again;
 * - `permanent`: the platform refused it for good (channel gone, bot removed); retrying cannot help.
 */
export type PostFailureKind = 'transient' | 'ambiguous' | 'permanent';

/** Why a post failed: transient and ambiguous failures are retried, permanent ones pause a subscription. */
export class PostError extends Error {
  constructor(
    message: string,
    readonly kind: PostFailureKind,
    /** How long the platform asked us to wait (rate limits), in milliseconds. */
    readonly retryAfterMs?: number,
    /** The platform's own error code (`channel_not_found`, `10003`), when it gave one. */
    readonly code?: string,
    /** What a permanent failure means for posting here, in words users can act on, when the code tells. */
    readonly refusal?: PostRefusal,
  ) {
    super(message);
    this.name = 'PostError';
  }
}

/**
 * Why the bot cannot post to a conversation, as far as the platform tells:
 * - `invite-needed`: it is not a member and cannot join by itself (a private channel; joining refused);
 * - `not-found`: it cannot see the conversation (deleted, or private without the bot, or a DM between others);
 * - `missing-permissions`: it is there but lacks permissions (`missing` names them);
 * - `archived`: the conversation is archived;
 * - `no-access`: the app itself lacks a grant (`detail`: what the platform said, e.g. a missing scope);
 * - `unavailable`: the platform could not be asked just now (rate limit, network); try again.
 */
export type PostRefusal =
  | { reason: 'invite-needed' | 'not-found'; /** The bot's name to invite, when the platform has one. */ botName?: string }
  | { reason: 'missing-permissions'; missing: Permission[] }
  | { reason: 'archived' | 'unavailable' }
  | { reason: 'no-access'; detail: string };

/** Permissions a chat platform may withhold from the bot in one conversation. */
export const PERMISSIONS = ['view', 'send', 'send-in-threads', 'embed'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Whether the bot can post to a conversation; `joined` when it had to join it first to be able to. */
export type PostCheck = { ok: true; joined?: boolean } | ({ ok: false } & PostRefusal);

export interface PostOptions {
  /**
   * Names this post for good: a second post under the same key is a copy. Sent with the message so it can
   * be recognised (Slack message metadata, Discord's nonce, which Discord itself de-duplicates for a few minutes).
   */
  key?: string;
}

/** Pushes a message to a conversation, unprompted (the daily tip). */
export interface Poster {
  readonly platform: Platform;
  /** Posts `reply`; resolves to the platform's id of the message (Slack `ts`, Discord id) where it has one. Throws PostError. */
  post(target: Target, reply: Reply, options?: PostOptions): Promise<string | undefined>;
  /**
   * The id of a message this bot posted to `target` under `key` at or after `since`, or undefined when there
   * is none: asked before posting again after an ambiguous failure. Throws PostError when it cannot tell.
   * Absent where the platform offers no way to look; then only what `post` does with the key guards a repeat.
   */
  findPosted?(target: Target, key: string, since: Date): Promise<string | undefined>;
  /**
   * Asked before a subscription is saved: can the bot post to `target` unprompted? May join an open
   * conversation to make it so. Never throws. Where the platform offers no way to tell, the answer is `ok`
   * and the scheduler's pause on a refused post remains the last word.
   */
  canPost(target: Target): Promise<PostCheck>;
}
