import { localizeUsage, t, type Locale } from './i18n.ts';
import { errorReply, list, reply, text, withActions, type Reply } from './reply.ts';
import type { Clock, Platform, Target } from './ports.ts';
import type { Knowledge } from './knowledge/knowledge.ts';
import { parseInput, UsageError } from './commands/parse.ts';
import { subscriptionSummary } from './commands/tip-subscription.ts';
import type { Command, CommandRequest, Suggestion } from './commands/types.ts';
import { starterPrompts, type Prompt } from './prompts.ts';
import type { SubscriptionService } from './tips/subscriptions.ts';
import type { FeedbackService } from './feedback/service.ts';

export interface BotDeps {
  commands: Command[];
  /** The current knowledge; a function so a hot reload swaps it without restarting. */
  knowledge: () => Knowledge;
  clock: Clock;
  locale: Locale;
  timeZone: string;
  subscriptions?: SubscriptionService;
  /** Records declined questions and offers 👍/👎 on answers; absent when feedback is off. */
  feedback?: FeedbackService;
  /** Told about unexpected failures; the user only sees a polite message. */
  onError?: (error: unknown, request: CommandRequest) => void;
}

/** One conversation's daily tip, as an overview shows it. */
export interface SubscriptionSummary {
  target: Target;
  /** Days, time, zone, and the next post or why posting is paused, in one line. */
  line: string;
  paused: boolean;
}

export interface Bot {
  readonly commands: Command[];
  /** The configured locale (`BOT_LOCALE`): used where a request does not carry the user's own. */
  readonly locale: Locale;
  handle(request: CommandRequest): Promise<Reply>;
  suggest(command: string, option: string, partial: string): Suggestion[];
  /** Starter prompts drawn from the notes (Slack's assistant pane). */
  prompts(locale?: Locale): Prompt[];
  /** The daily-tip subscriptions of a platform's conversations (Slack App Home); empty without a store. */
  subscriptionSummaries(platform: Platform, locale?: Locale): Promise<SubscriptionSummary[]>;
}

export function createBot(deps: BotDeps): Bot {
  const byName = new Map(deps.commands.map((c) => [c.name, c]));

  function usageReply(command: Command, message: string, locale: Locale): Reply {
    return reply(
      [
        text(message),
        text(`${t('usage', locale)}:`),
        list(command.usage.map((line) => localizeUsage(line, locale))),
        text(`${t('examples', locale)}: ${command.examples.join(' · ')}`),
      ],
      { isError: true },
    );
  }

  return {
    commands: deps.commands,
    locale: deps.locale,
    async handle(request) {
      const locale = request.locale ?? deps.locale;
      const command = byName.get(request.command.toLowerCase());
      if (!command) {
        return errorReply(t('unknownCommand', locale, { name: request.command.slice(0, 40) }), t('seeHelp', locale));
      }
      try {
        const input = parseInput(command, request, locale);
        const context = {
          knowledge: deps.knowledge(),
          clock: deps.clock,
          locale,
          timeZone: deps.timeZone,
          request,
          ...(deps.subscriptions ? { subscriptions: deps.subscriptions } : {}),
          ...(deps.feedback ? { feedback: deps.feedback } : {}),
        };
        const result = await command.run(context, input);
        const shown: Reply = input.values.public === true ? { ...result, visibility: 'public' } : result;
        return result.answer && deps.feedback ? withActions(shown, await deps.feedback.onAnswer(result.answer, request)) : shown;
      } catch (error) {
        if (error instanceof UsageError) return usageReply(command, error.message, locale);
        deps.onError?.(error, request);
        return errorReply(t('internalError', locale));
      }
    },
    suggest(commandName, option, partial) {
      const command = byName.get(commandName);
      if (!command?.suggest) return [];
      try {
        return command.suggest({ knowledge: deps.knowledge(), clock: deps.clock, locale: deps.locale, timeZone: deps.timeZone }, option, partial.slice(0, 100)).slice(0, 25);
      } catch (error) {
        deps.onError?.(error, { command: commandName, text: partial, user: { id: 'autocomplete' }, target: 'shell:autocomplete', platform: 'shell' });
        return [];
      }
    },
    prompts(locale = deps.locale) {
      return starterPrompts(deps.knowledge(), locale);
    },
    async subscriptionSummaries(platform, locale = deps.locale) {
      if (!deps.subscriptions) return [];
      const now = deps.clock.now();
      return (await deps.subscriptions.list(platform)).map((status) => ({
        target: status.target,
        line: subscriptionSummary(status, now, locale),
        paused: status.pausedReason !== undefined,
      }));
    },
  };
}
