/**
 * Unprompted messages (the daily tip) to `discord:<channelId>` over the REST API.
 *
 * The poster has its own REST client with retries off (`retries: 0`) and rate limits rejected
 * (`rejectOnRateLimit`), so a failure surfaces at once as a PostError and the scheduler alone decides when to
 * try again. Definite failures: 429 → transient with the Retry-After; a refused connection → transient;
 * unknown channel/guild, missing access/permissions, other 4xx → permanent (the subscription pauses).
 * Ambiguous ones, where Discord may have created the message: a 5xx, a timeout or a reset after sending.
 *
 * A post with a key carries it as the message `nonce` with `enforce_nonce`, so a repeat within Discord's
 * nonce window (a few minutes) gets the first message back instead of making a second one.
 */
import { createHash } from 'node:crypto';
import { DiscordAPIError, HTTPError, RateLimitError, REST, Routes } from 'discord.js';
import type { Locale } from '../../core/i18n.ts';
import { PostError, type PostCheck, type PostOptions, type Poster, type PostRefusal, type Target } from '../../core/ports.ts';
import type { Reply } from '../../core/reply.ts';
import type { Logger } from '../../logger.ts';
import { neverSent } from '../delivery.ts';
import { missingPermissions, type ChannelAccess } from './permissions.ts';
import { renderDiscord } from './render.ts';

/** Discord JSON error codes that retrying cannot fix. */
export const PERMANENT_DISCORD_CODES = new Set([
  10003, // Unknown Channel
  10004, // Unknown Guild
  50001, // Missing Access
  50013, // Missing Permissions
  50007, // Cannot send messages to this user
  160002, // Cannot reply without permission to read message history
  50083, // Operation on an archived thread
]);

/** `discord:<snowflake>` → the channel id; undefined for anything else. */
export function discordChannelOf(target: Target): string | undefined {
  const match = /^discord:(\d{15,25})$/.exec(target);
  return match?.[1];
}

/** Discord takes a nonce of at most 25 characters: the key's SHA-256 in hex, cut to 25 (100 bits). */
export function nonceFor(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 25);
}

/** What a Discord error code means for the channel, so a paused subscription can say what to do. */
function refusalOfDiscordCode(code: number): PostRefusal | undefined {
  if (code === 10003 || code === 10004) return { reason: 'not-found' };
  if (code === 50001) return { reason: 'missing-permissions', missing: ['view'] };
  // Discord does not say which permission was missing; posting a tip takes these two.
  if (code === 50013) return { reason: 'missing-permissions', missing: ['send', 'embed'] };
  if (code === 50083) return { reason: 'archived' };
  return undefined;
}

/** A REST failure → PostError (see the file comment for the mapping). */
export function toPostError(error: unknown): PostError {
  if (error instanceof PostError) return error;
  if (error instanceof RateLimitError) {
    const ms = Number.isFinite(error.retryAfter) && error.retryAfter > 0 ? error.retryAfter : error.timeToReset;
    return new PostError(`discord: rate limited (${error.global ? 'global' : error.route})`, 'transient', Number.isFinite(ms) && ms > 0 ? Math.ceil(ms) : undefined, '429');
  }
  if (error instanceof DiscordAPIError) {
    const code = typeof error.code === 'number' ? error.code : 0;
    const label = `discord: HTTP ${error.status}${code ? ` code ${code}` : ''} ${error.message}`.slice(0, 200);
    const kind = kindOfStatus(error.status);
    const refusal = kind === 'permanent' ? refusalOfDiscordCode(code) : undefined;
    return new PostError(label, kind, undefined, code ? String(code) : undefined, refusal);
  }
  if (error instanceof HTTPError) return new PostError(`discord: HTTP ${error.status}`, kindOfStatus(error.status));
  // Timeouts (AbortError) and resets may have reached Discord; a refused connection or a failed DNS look-up did not.
  const name = error instanceof Error ? error.name : 'error';
  return new PostError(`discord: ${name}`, neverSent(error) ? 'transient' : 'ambiguous');
}

/** 5xx: Discord may have acted; 408 and 429: try again; any other 4xx: the same request will fail again. */
function kindOfStatus(status: number): PostError['kind'] {
  if (status >= 500) return 'ambiguous';
  if (status === 408 || status === 429) return 'transient';
  return 'permanent';
}

export interface DiscordPosterOptions {
  token: string;
  /** DISCORD_API_URL (e.g. a local fake); Discord's own API when unset. */
  apiUrl?: string;
  locale: Locale;
  logger?: Logger;
  /** Per-request timeout in ms. Default 10 s. */
  timeoutMs?: number;
  /** The bot's permissions in a channel as the latest interaction there stated them (see SeenPermissions). */
  permissionsIn?: (channelId: string) => ChannelAccess | undefined;
}

export class DiscordPoster implements Poster {
  readonly platform = 'discord' as const;
  readonly rest: REST;
  private readonly locale: Locale;
  private readonly logger: Logger | undefined;
  private readonly permissionsIn: (channelId: string) => ChannelAccess | undefined;

  constructor(options: DiscordPosterOptions) {
    this.locale = options.locale;
    this.logger = options.logger;
    this.permissionsIn = options.permissionsIn ?? (() => undefined);
    this.rest = new REST({
      ...(options.apiUrl ? { api: options.apiUrl } : {}),
      retries: 0,
      rejectOnRateLimit: () => true,
      timeout: options.timeoutMs ?? 10_000,
    }).setToken(options.token);
  }

  async post(target: Target, reply: Reply, options: PostOptions = {}): Promise<string | undefined> {
    const channel = discordChannelOf(target);
    if (!channel) throw new PostError(`not a Discord target: ${target.slice(0, 60)}`, 'permanent');
    // A pushed message is public by nature: no "share" button.
    const message = renderDiscord({ ...reply, visibility: 'public' }, this.locale);
    try {
      const created = await this.rest.post(Routes.channelMessages(channel), {
        body: {
          ...(message.content !== undefined ? { content: message.content } : {}),
          embeds: message.embeds,
          components: message.components,
          allowed_mentions: { parse: [] },
          ...(options.key ? { nonce: nonceFor(options.key), enforce_nonce: true } : {}),
        },
      });
      const id = (created as { id?: unknown } | null)?.id;
      return typeof id === 'string' ? id : undefined;
    } catch (error) {
      const mapped = toPostError(error);
      this.logger?.warn({ channel, kind: mapped.kind, retryAfterMs: mapped.retryAfterMs, reason: mapped.message }, 'discord: post failed');
      throw mapped;
    }
  }

  /**
   * Send Messages (in threads: Send Messages in Threads), Embed Links and View Channel, from the permissions
   * Discord sent with the interaction that asks. A channel no interaction came from lately (a DM) counts as ok.
   */
  async canPost(target: Target): Promise<PostCheck> {
    const channel = discordChannelOf(target);
    if (!channel) return { ok: false, reason: 'not-found' };
    const access = this.permissionsIn(channel);
    const missing = access ? missingPermissions(access) : [];
    return missing.length > 0 ? { ok: false, reason: 'missing-permissions', missing } : { ok: true };
  }

  /** Stops the REST client's sweeper timers (they are unref'd; this just tidies up on shutdown). */
  close(): void {
    this.rest.clearHashSweeper();
    this.rest.clearHandlerSweeper();
  }
}
