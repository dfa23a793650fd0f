import { webApi } from '@slack/bolt';
import type { Locale } from '../../core/i18n.ts';
import { PostError, type Poster, type Target } from '../../core/ports.ts';
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

/**
 * Pushes unprompted messages (the daily tip) to `slack:<channelId>`. WebClient retries are off
 * (retries 0, rate-limited calls rejected) so the scheduler alone decides when to try again.
 */
export class SlackPoster implements Poster {
  readonly platform = 'slack' as const;
  readonly client: InstanceType<typeof webApi.WebClient>;
  private readonly locale: Locale;

  constructor(options: SlackPosterOptions) {
    this.locale = options.locale;
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
}
