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

/** Pushes a message to a conversation, unprompted (the daily tip). Throws PostError on failure. */
export interface Poster {
  readonly platform: Platform;
  post(target: Target, reply: Reply): Promise<void>;
}
