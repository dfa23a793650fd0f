import type { Target } from '../ports.ts';

export interface SubscriptionRequest {
  /** Local posting time, `HH:MM`. */
  time: string;
  /** IANA time zone, e.g. `Asia/Seoul`. */
  timeZone: string;
  weekdaysOnly: boolean;
}

export interface SubscriptionStatus extends SubscriptionRequest {
  target: Target;
  /** The next post, as an instant. */
  nextPost: Date;
  /** Set when posting stopped after a permanent error. */
  pausedReason?: string;
}

/** Daily-tip subscriptions of conversations, as commands see them. */
export interface SubscriptionService {
  /** Creates or replaces the subscription of `target`. */
  subscribe(target: Target, request: SubscriptionRequest): Promise<SubscriptionStatus>;
  /** True when there was a subscription to remove. */
  unsubscribe(target: Target): Promise<boolean>;
  /** The subscription of `target` and its next post. */
  status(target: Target): Promise<SubscriptionStatus | undefined>;
}
