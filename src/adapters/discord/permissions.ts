/**
 * The bot's permissions per channel, as Discord states them in every interaction (`app_permissions`:
 * computed by Discord for that very channel, overwrites, roles and timeouts included). `/tip subscribe`
 * arrives as an interaction in the channel it subscribes, so the check before saving costs no request.
 */
import { PermissionFlagsBits, PermissionsBitField } from 'discord.js';
import type { Permission } from '../../core/ports.ts';

export interface ChannelAccess {
  permissions: bigint;
  /** Posting in a thread takes Send Messages in Threads instead of Send Messages. */
  inThread: boolean;
}

/** The latest `app_permissions` per channel: bounded, and forgotten after a while (permissions change). */
export class SeenPermissions {
  private readonly entries = new Map<string, ChannelAccess & { at: number }>();

  constructor(
    private readonly maxEntries = 5000,
    private readonly ttlMs = 10 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  record(channelId: string, access: ChannelAccess): void {
    this.entries.delete(channelId);
    this.entries.set(channelId, { ...access, at: this.now() });
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }

  get(channelId: string): ChannelAccess | undefined {
    const entry = this.entries.get(channelId);
    if (!entry) return undefined;
    if (this.now() - entry.at > this.ttlMs) {
      this.entries.delete(channelId);
      return undefined;
    }
    return { permissions: entry.permissions, inThread: entry.inThread };
  }
}

/** What the daily tip needs and `access` lacks: seeing the channel, sending (in threads: in threads), embeds. */
export function missingPermissions(access: ChannelAccess): Permission[] {
  const granted = new PermissionsBitField(access.permissions);
  const needed: [bigint, Permission][] = [
    [PermissionFlagsBits.ViewChannel, 'view'],
    access.inThread ? [PermissionFlagsBits.SendMessagesInThreads, 'send-in-threads'] : [PermissionFlagsBits.SendMessages, 'send'],
    [PermissionFlagsBits.EmbedLinks, 'embed'],
  ];
  // has() counts Administrator as every permission.
  return needed.filter(([flag]) => !granted.has(flag)).map(([, name]) => name);
}
