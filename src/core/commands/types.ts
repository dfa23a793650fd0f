import type { Clock, Platform, Target } from '../ports.ts';
import type { Reply } from '../reply.ts';
import type { Locale, Localized } from '../i18n.ts';
import type { Knowledge } from '../knowledge/knowledge.ts';
import type { SubscriptionService } from '../tips/subscriptions.ts';
import type { FeedbackService } from '../feedback/service.ts';

export type OptionType = 'string' | 'integer' | 'boolean';

export interface CommandOption {
  name: string;
  /** The name users see in their language (`question` → 질문); `name` stays what is parsed. */
  label: Localized;
  type: OptionType;
  required: boolean;
  description: Localized;
  /**
   * `text`: the free text of the command line (at most one per command).
   * `key`: written as `name=value` in text, a separate option in Discord.
   */
  form: 'text' | 'key';
  /** Offer suggestions while the user types (Discord autocomplete). */
  autocomplete?: boolean;
}

/** A request as every adapter hands it to the core. */
export interface CommandRequest {
  command: string;
  /** The raw argument text (`/dr rto=4h rpo=15m` → `rto=4h rpo=15m`). */
  text: string;
  /** Typed options when the platform already parsed them (Discord); merged over `text`. */
  options?: Record<string, string | number | boolean>;
  user: { id: string; name?: string };
  target: Target;
  platform: Platform;
  /**
   * The user's own UI language, when the platform tells it (Discord sends the client's locale with every
   * interaction). Absent: the bot's configured locale (`BOT_LOCALE`).
   */
  locale?: Locale;
}

/** What a command receives after parsing: the free text and the `key=value` options. */
export interface CommandInput {
  text: string;
  values: Record<string, string | number | boolean>;
}

export interface CommandContext {
  knowledge: Knowledge;
  clock: Clock;
  locale: Locale;
  /** IANA zone that decides what "today" is (the tip of the day). */
  timeZone: string;
  request: CommandRequest;
  /** Daily-tip subscriptions; absent where no store is configured. */
  subscriptions?: SubscriptionService;
  /** Feedback on answers; absent when it is turned off (FEEDBACK=off) or no store is configured. */
  feedback?: FeedbackService;
}

export interface Suggestion {
  label: string;
  value: string;
}

export interface Command {
  name: string;
  description: Localized;
  /**
   * One line per form, e.g. `/dr rto=<기간 | duration> rpo=<기간 | duration>`: a `<한국어 | English>`
   * placeholder names the value in both languages; users see the one for their locale (`localizeUsage`).
   */
  usage: string[];
  examples: string[];
  options: CommandOption[];
  run(ctx: CommandContext, input: CommandInput): Reply | Promise<Reply>;
  /** Autocomplete for an option, given what the user has typed so far. */
  suggest?(ctx: Omit<CommandContext, 'request'>, option: string, partial: string): Suggestion[];
}
