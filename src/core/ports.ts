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

/** Why a post failed: transient failures are retried, permanent ones pause a subscription. */
export class PostError extends Error {
  constructor(
    message: string,
    readonly kind: 'transient' | 'permanent',
    /** How long the platform asked us to wait (rate limits), in milliseconds. */
    readonly retryAfterMs?: number,
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
export type Permission = 'view' | 'send' | 'send-in-threads' | 'embed';

/** Whether the bot can post to a conversation; `joined` when it had to join it first to be able to. */
export type PostCheck = { ok: true; joined?: boolean } | ({ ok: false } & PostRefusal);

/** Pushes a message to a conversation, unprompted (the daily tip). */
export interface Poster {
  readonly platform: Platform;
  /** Throws PostError on failure. */
  post(target: Target, reply: Reply): Promise<void>;
  /**
   * Asked before a subscription is saved: can the bot post to `target` unprompted? May join an open
   * conversation to make it so. Never throws. Where the platform offers no way to tell, the answer is `ok`
   * and the scheduler's pause on a refused post remains the last word.
   */
  canPost(target: Target): Promise<PostCheck>;
}
