import type { Locale } from '../i18n.ts';
import type { Platform, PostCheck, PostRefusal, Target } from '../ports.ts';

export interface SubscriptionRequest {
  /** Local posting time, `HH:MM`. */
  time: string;
  /** IANA time zone, e.g. `Asia/Seoul`. */
  timeZone: string;
  weekdaysOnly: boolean;
  /** The language to post in: the subscriber's. */
  locale?: Locale;
}

export interface SubscriptionStatus extends SubscriptionRequest {
  target: Target;
  /** The next post, as an instant. */
  nextPost: Date;
  /** Set when posting stopped after a permanent error: what the platform said. */
  pausedReason?: string;
  /** What the pause means for the channel, when the platform's error told. */
  pausedRefusal?: PostRefusal;
}

/** Daily-tip subscriptions of conversations, as commands see them. */
export interface SubscriptionService {
  /** Whether the bot can post to `target` unprompted, asked of its platform's Poster (which may join it). */
  canPost(target: Target): Promise<PostCheck>;
  /** Creates or replaces the subscription of `target`. */
  subscribe(target: Target, request: SubscriptionRequest): Promise<SubscriptionStatus>;
  /** True when there was a subscription to remove. */
  unsubscribe(target: Target): Promise<boolean>;
  /** The subscription of `target` and its next post. */
  status(target: Target): Promise<SubscriptionStatus | undefined>;
  /** Every subscription of the platform's conversations, paused ones too, ordered by target. */
  list(platform: Platform): Promise<SubscriptionStatus[]>;
}
