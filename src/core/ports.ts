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
