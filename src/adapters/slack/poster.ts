import { webApi } from '@slack/bolt';
import type { Locale } from '../../core/i18n.ts';
import { PostError, type PostCheck, type Poster, type Target } from '../../core/ports.ts';
import type { Reply } from '../../core/reply.ts';
import type { Logger } from '../../logger.ts';
import { renderSlack } from './render.ts';
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

interface CodedLike {
  code?: unknown;
  data?: { error?: unknown };
  retryAfter?: unknown;
  statusCode?: unknown;
  message?: unknown;
}

/** The Slack error code of a WebClient failure (`channel_not_found`, `ratelimited`, `http_503`, `network`…). */
export function slackErrorCode(error: unknown): string {
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
 * WebClient error → PostError. Rate limits, 5xx, timeouts and network trouble are transient
 * (with Slack's Retry-After when it gave one); access and channel problems are permanent.
 */
export function toPostError(error: unknown): PostError {
  const e = (error ?? {}) as CodedLike;
  const code = slackErrorCode(error);
  if (e.code === webApi.ErrorCode.RateLimitedError) {
    const seconds = typeof e.retryAfter === 'number' && Number.isFinite(e.retryAfter) ? e.retryAfter : undefined;
    return new PostError('slack: rate limited', 'transient', seconds === undefined ? undefined : seconds * 1000);
  }
  if (e.code === webApi.ErrorCode.HTTPError) {
    const status = typeof e.statusCode === 'number' ? e.statusCode : 0;
    const transient = status >= 500 || status === 408 || status === 429 || status === 0;
    return new PostError(`slack: HTTP ${status}`, transient ? 'transient' : 'permanent');
  }
  if (e.code === webApi.ErrorCode.PlatformError) {
    if (code === 'ratelimited') return new PostError('slack: ratelimited', 'transient');
    return new PostError(`slack: ${code}`, PERMANENT_SLACK_ERRORS.has(code) ? 'permanent' : 'transient');
  }
  // RequestError (network, timeout) and anything unexpected: try again later.
  return new PostError(`slack: ${code}`, 'transient');
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
  const e = (error ?? {}) as CodedLike & { data?: { needed?: unknown } };
  if (code === 'channel_not_found') return { ok: false, reason: 'not-found', ...(botName ? { botName } : {}) };
  if (code === 'is_archived' || code === 'channel_is_archived') return { ok: false, reason: 'archived' };
  if (APP_ACCESS_ERRORS.has(code)) {
    const needed = typeof e.data?.needed === 'string' ? ` ${e.data.needed}` : '';
    return { ok: false, reason: 'no-access', detail: `${code}${needed}` };
  }
  return { ok: false, reason: 'unavailable' };
}

/**
 * Pushes unprompted messages (the daily tip) to `slack:<channelId>`. WebClient retries are off
 * (retries 0, rate-limited calls rejected) so the scheduler alone decides when to try again.
 */
export class SlackPoster implements Poster {
  readonly platform = 'slack' as const;
  readonly client: InstanceType<typeof webApi.WebClient>;
  private readonly locale: Locale;
  private readonly logger: Logger;
  private botName: Promise<string | undefined> | undefined;

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

  async post(target: Target, reply: Reply): Promise<void> {
    const channel = slackChannelOf(target);
    if (!channel) throw new PostError(`not a Slack target: ${target.slice(0, 60)}`, 'permanent');
    // A pushed message is public by nature: no "share" button.
    const message = renderSlack({ ...reply, visibility: 'public' }, this.locale);
    try {
      await this.client.chat.postMessage({
        channel,
        text: message.text,
        blocks: message.blocks as never,
        parse: 'none',
        link_names: false,
        unfurl_links: false,
        unfurl_media: false,
      });
    } catch (error) {
      throw toPostError(error);
    }
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

  /** The bot user's name, for "/invite @name" (auth.test, asked once and remembered). */
  private name(): Promise<string | undefined> {
    this.botName ??= this.client.auth.test().then(
      (result) => (typeof result.user === 'string' && result.user ? result.user : undefined),
      () => {
        this.botName = undefined;
        return undefined;
      },
    );
    return this.botName;
  }
}
