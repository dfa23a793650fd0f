import { webApi } from '@slack/bolt';
import type { Locale } from '../../core/i18n.ts';
import { PostError, type PostCheck, type PostOptions, type Poster, type PostRefusal, type Target } from '../../core/ports.ts';
import type { Reply } from '../../core/reply.ts';
import type { Logger } from '../../logger.ts';
import { neverSent } from '../delivery.ts';
import { renderSlack, type SlackMessage } from './render.ts';
import { toSlackLogger } from './slack-logger.ts';

/** Slack errors that retrying cannot fix: the subscription should pause until someone acts. */
export const PERMANENT_SLACK_ERRORS = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'channel_is_archived',
  'account_inactive',
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'missing_scope',
  'not_allowed_token_type',
  'restricted_action',
  'restricted_action_read_only_channel',
  'team_access_not_granted',
  'ekm_access_denied',
  'no_permission',
]);

/** What a permanent Slack error means for the channel, so a paused subscription can say what to do; other codes mean the app's grant. */
function refusalOfSlackError(code: string, detail: string): PostRefusal {
  if (code === 'channel_not_found') return { reason: 'not-found' };
  if (code === 'not_in_channel') return { reason: 'invite-needed' };
  if (code === 'is_archived' || code === 'channel_is_archived') return { reason: 'archived' };
  return { reason: 'no-access', detail };
}

/**
 * Slack errors after which the call may have taken effect: Slack documents both as "it's possible some
 * aspect of the operation succeeded before the error was raised".
 */
const MAYBE_DONE_SLACK_ERRORS = new Set(['internal_error', 'fatal_error']);

interface CodedLike {
  code?: unknown;
  data?: { error?: unknown; needed?: unknown };
  retryAfter?: unknown;
  statusCode?: unknown;
  message?: unknown;
}

/** The Slack error code of a WebClient failure (`channel_not_found`, `ratelimited`, `http_503`, `network`…) or of a PostError made from one. */
export function slackErrorCode(error: unknown): string {
  if (error instanceof PostError) return error.code ?? 'unknown_error';
  const e = (error ?? {}) as CodedLike;
  switch (e.code) {
    case webApi.ErrorCode.PlatformError:
      return typeof e.data?.error === 'string' ? e.data.error : 'unknown_error';
    case webApi.ErrorCode.RateLimitedError:
      return 'ratelimited';
    case webApi.ErrorCode.HTTPError:
      return `http_${String(e.statusCode)}`;
    case webApi.ErrorCode.RequestError:
      return 'network';
    default:
      return 'unknown_error';
  }
}

/**
 * WebClient error → PostError. Definite failures: a rate limit (transient, with Slack's Retry-After), a
 * refused connection (transient), an error code such as `channel_not_found` (permanent) or another 4xx.
 * Ambiguous ones, where Slack may have posted: a timeout or reset after sending, a 5xx, `internal_error`
 * and `fatal_error`.
 */
export function toPostError(error: unknown): PostError {
  if (error instanceof PostError) return error;
  const e = (error ?? {}) as CodedLike;
  const code = slackErrorCode(error);
  if (e.code === webApi.ErrorCode.RateLimitedError) {
    const seconds = typeof e.retryAfter === 'number' && Number.isFinite(e.retryAfter) ? e.retryAfter : undefined;
    return new PostError('slack: rate limited', 'transient', seconds === undefined ? undefined : seconds * 1000, code);
  }
  if (e.code === webApi.ErrorCode.HTTPError) {
    const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
    const kind = status >= 500 || status === 0 ? 'ambiguous' : status === 408 || status === 429 ? 'transient' : 'permanent';
    return new PostError(`slack: HTTP ${status}`, kind, undefined, code);
  }
  if (e.code === webApi.ErrorCode.PlatformError) {
    if (code === 'ratelimited') return new PostError('slack: ratelimited', 'transient', undefined, code);
    // missing_scope names the scope the app lacks: say it, so whoever reads the pause reason knows what to grant.
    const needed = code === 'missing_scope' && typeof e.data?.needed === 'string' ? ` (needs ${e.data.needed})` : '';
    if (PERMANENT_SLACK_ERRORS.has(code)) return new PostError(`slack: ${code}${needed}`, 'permanent', undefined, code, refusalOfSlackError(code, `${code}${needed}`));
    return new PostError(`slack: ${code}${needed}`, MAYBE_DONE_SLACK_ERRORS.has(code) ? 'ambiguous' : 'transient', undefined, code);
  }
  if (e.code === webApi.ErrorCode.RequestError) {
    return new PostError(`slack: ${code}`, neverSent(error) ? 'transient' : 'ambiguous', undefined, code);
  }
  // Anything unexpected happened on our side of the call, before or after sending: it may have been posted.
  return new PostError(`slack: ${code}`, 'ambiguous', undefined, code);
}

export interface SlackPosterOptions {
  botToken: string;
  apiUrl?: string;
  locale: Locale;
  logger: Logger;
  /** Per-request timeout (ms). Default 10 s. */
  timeoutMs?: number;
}

/** `slack:C123` → `C123`; undefined for anything else. */
export function slackChannelOf(target: Target): string | undefined {
  const match = /^slack:([A-Z0-9][A-Z0-9_-]{1,40})$/i.exec(target);
  return match?.[1];
}

/** Errors that mean the app itself lacks a grant, not this channel: only an admin can fix them. */
const APP_ACCESS_ERRORS = new Set(['missing_scope', 'not_authed', 'invalid_auth', 'token_revoked', 'token_expired', 'account_inactive', 'not_allowed_token_type', 'team_access_not_granted']);

/** What a failed conversations.info / conversations.join says about posting there. */
function refusalFor(error: unknown, botName: string | undefined): PostCheck {
  const code = slackErrorCode(error);
  const e = (error ?? {}) as CodedLike;
  if (code === 'channel_not_found') return { ok: false, reason: 'not-found', ...(botName ? { botName } : {}) };
  if (code === 'is_archived' || code === 'channel_is_archived') return { ok: false, reason: 'archived' };
  if (APP_ACCESS_ERRORS.has(code)) {
    const needed = typeof e.data?.needed === 'string' ? ` ${e.data.needed}` : '';
    return { ok: false, reason: 'no-access', detail: `${code}${needed}` };
  }
  return { ok: false, reason: 'unavailable' };
}

/** The metadata event type that carries a post's idempotency key (see `PostOptions.key`). */
export const POST_KEY_EVENT_TYPE = 'summit_bot_post';
/** A look-up reaches this much further back than asked: Slack's clock and ours may differ a little. */
const CLOCK_SKEW_MS = 5 * 60_000;
/** Messages per conversations.history page, and pages a look-up reads before it gives up on telling. */
const HISTORY_PAGE = 200;
const MAX_HISTORY_PAGES = 10;
/** `postOnce` waits at most this long between tries: someone is waiting for the message. */
const MAX_WAIT_BETWEEN_TRIES_MS = 10_000;

/** Seconds since the epoch with microseconds, as Slack writes a `ts`. */
const slackTs = (at: number) => (Math.max(0, at) / 1000).toFixed(6);

/** The `ts` of a history message that carries `key` in our metadata and was posted by `botId`. */
function tsCarrying(message: unknown, key: string, botId: string): string | undefined {
  if (message === null || typeof message !== 'object') return undefined;
  const { ts, bot_id: author, metadata } = message as { ts?: unknown; bot_id?: unknown; metadata?: { event_type?: unknown; event_payload?: { key?: unknown } } };
  const carries = metadata?.event_type === POST_KEY_EVENT_TYPE && metadata.event_payload?.key === key;
  return carries && author === botId && typeof ts === 'string' ? ts : undefined;
}

/**
 * Pushes unprompted messages (the daily tip, a shared answer) to `slack:<channelId>`. WebClient retries are
 * off (retries 0, rate-limited calls rejected) so the caller alone decides when to try again, after
 * looking for the message by its key when the last try may have posted it.
 */
export class SlackPoster implements Poster {
  readonly platform = 'slack' as const;
  readonly client: InstanceType<typeof webApi.WebClient>;
  private readonly locale: Locale;
  private readonly logger: Logger;
  /** auth.test, asked once and remembered (asked again after a failure). */
  private identity: Promise<{ user?: string; bot_id?: string }> | undefined;

  constructor(options: SlackPosterOptions) {
    this.locale = options.locale;
    this.logger = options.logger;
    this.client = new webApi.WebClient(options.botToken, {
      ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
      logger: toSlackLogger(options.logger, 'slack-poster'),
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
      timeout: options.timeoutMs ?? 10_000,
    });
  }

  async post(target: Target, reply: Reply, options: PostOptions = {}): Promise<string | undefined> {
    // A pushed message is public by nature: no "share" button.
    return this.send(channelOf(target), renderSlack({ ...reply, visibility: 'public' }, this.locale), options.key);
  }

  /**
   * Messages are looked for in conversations.history (`include_all_metadata`), newest first, back to
   * `since` less a margin for clock skew; only the bot's own messages count. Reading more than
   * 2,000 messages without reaching `since` cannot tell, and throws.
   */
  async findPosted(target: Target, key: string, since: Date): Promise<string | undefined> {
    return this.findIn(channelOf(target), key, since);
  }

  /**
   * Posts `message` to `channel` once under `key`, for a message someone is waiting for (a shared answer):
   * up to `tries` tries a few seconds apart; after a try that may have posted, it looks for the message
   * before trying again. Throws the last PostError.
   */
  async postOnce(channel: string, message: SlackMessage, key: string, tries = 3, delayMs = 1_000): Promise<string | undefined> {
    const since = new Date();
    let maybePosted = false;
    for (let attempt = 1; ; attempt++) {
      try {
        return (maybePosted ? await this.findIn(channel, key, since) : undefined) ?? (await this.send(channel, message, key));
      } catch (error) {
        const failure = toPostError(error);
        const wait = Math.max(failure.retryAfterMs ?? 0, delayMs * 2 ** (attempt - 1));
        if (failure.kind === 'permanent' || attempt >= tries || wait > MAX_WAIT_BETWEEN_TRIES_MS) throw failure;
        maybePosted ||= failure.kind === 'ambiguous';
        await new Promise((resolve) => setTimeout(resolve, wait));
      }
    }
  }

  /** One chat.postMessage, with `key` in the message metadata; resolves to the message's ts. Throws PostError. */
  private async send(channel: string, message: SlackMessage, key: string | undefined): Promise<string | undefined> {
    try {
      const result = await this.client.chat.postMessage({
        channel,
        text: message.text,
        blocks: message.blocks as never,
        parse: 'none',
        link_names: false,
        unfurl_links: false,
        unfurl_media: false,
        ...(key ? { metadata: { event_type: POST_KEY_EVENT_TYPE, event_payload: { key } } } : {}),
      });
      return typeof result.ts === 'string' ? result.ts : undefined;
    } catch (error) {
      throw toPostError(error);
    }
  }

  private async findIn(channel: string, key: string, since: Date): Promise<string | undefined> {
    try {
      const botId = await this.ownBotId();
      let cursor: string | undefined;
      for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
        const result = await this.client.conversations.history({
          channel,
          oldest: slackTs(since.getTime() - CLOCK_SKEW_MS),
          inclusive: true,
          limit: HISTORY_PAGE,
          include_all_metadata: true,
          ...(cursor ? { cursor } : {}),
        });
        for (const message of result.messages ?? []) {
          const ts = tsCarrying(message, key, botId);
          if (ts) return ts;
        }
        cursor = result.response_metadata?.next_cursor;
        if (!result.has_more || !cursor) return undefined;
      }
    } catch (error) {
      throw toPostError(error);
    }
    throw new PostError(`slack: more than ${HISTORY_PAGE * MAX_HISTORY_PAGES} messages since ${since.toISOString()} to look through for ${key}`, 'transient');
  }

  /**
   * Before a subscription is saved: conversations.info says whether the bot is a member. In a public
   * channel it is not in, it joins (channels:join); elsewhere it can only be invited, which the refusal says.
   */
  async canPost(target: Target): Promise<PostCheck> {
    const channel = slackChannelOf(target);
    if (!channel) return { ok: false, reason: 'not-found' };
    let info: { is_im?: boolean; is_member?: boolean; is_private?: boolean; is_mpim?: boolean; is_archived?: boolean } | undefined;
    try {
      info = (await this.client.conversations.info({ channel })).channel;
    } catch (error) {
      this.logger.info({ channel, code: slackErrorCode(error) }, 'slack: could not check a channel before subscribing');
      return refusalFor(error, await this.name());
    }
    if (info?.is_archived) return { ok: false, reason: 'archived' };
    // The bot's own DM: conversations.info could read it, so the bot is in it.
    if (info?.is_im || info?.is_member) return { ok: true };
    const botName = await this.name();
    if (info?.is_private || info?.is_mpim) return { ok: false, reason: 'invite-needed', ...(botName ? { botName } : {}) };
    try {
      await this.client.conversations.join({ channel });
      this.logger.info({ channel }, 'slack: joined a public channel to post daily tips there');
      return { ok: true, joined: true };
    } catch (error) {
      const code = slackErrorCode(error);
      this.logger.info({ channel, code }, 'slack: could not join a channel before subscribing');
      // Without channels:join (or where joining is not allowed) an invitation still works.
      if (code === 'missing_scope' || code === 'method_not_supported_for_channel_type' || code === 'restricted_action') {
        return { ok: false, reason: 'invite-needed', ...(botName ? { botName } : {}) };
      }
      return refusalFor(error, botName);
    }
  }

  /** The bot's own identity from auth.test; a failure is not remembered. */
  private whoAmI(): Promise<{ user?: string; bot_id?: string }> {
    this.identity ??= this.client.auth.test();
    this.identity.catch(() => {
      this.identity = undefined;
    });
    return this.identity;
  }

  /** The bot user's name, for "/invite @name". */
  private async name(): Promise<string | undefined> {
    const { user } = await this.whoAmI().catch(() => ({ user: undefined }));
    return typeof user === 'string' && user ? user : undefined;
  }

  /** The bot id its messages carry as `bot_id`. */
  private async ownBotId(): Promise<string> {
    const { bot_id: botId } = await this.whoAmI();
    if (typeof botId !== 'string' || !botId) throw new PostError('slack: auth.test named no bot_id', 'transient');
    return botId;
  }
}

/** The channel id of a Slack target; PostError (permanent) for anything else. */
function channelOf(target: Target): string {
  const channel = slackChannelOf(target);
  if (!channel) throw new PostError(`not a Slack target: ${target.slice(0, 60)}`, 'permanent');
  return channel;
}
