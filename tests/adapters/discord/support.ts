/** What the Discord end-to-end tests share: the bot they drive and how they read what it sent. */
import { MessageFlags, type APIEmbed } from 'discord.js';
import type { Bot } from '../../../src/core/bot.ts';
import type { CommandRequest } from '../../../src/core/commands/types.ts';
import { actions, reply, text } from '../../../src/core/reply.ts';
import type { RecordedRequest } from '../../doubles/fake-discord.ts';
import { realBot, sleep } from '../../helpers.ts';

export interface MessageData {
  content?: string;
  embeds?: APIEmbed[];
  components?: { type: number; components: { type: number; custom_id?: string; label?: string }[] }[];
  flags?: number;
  allowed_mentions?: { parse?: string[] };
  choices?: { name: string; value: string | number }[];
}

export interface CallbackBody {
  type: number;
  data?: MessageData;
}

export const callbackBody = (r: RecordedRequest): CallbackBody => r.body as CallbackBody;

/** Everything a person sees in a message: content, embed titles, descriptions, footers and fields. */
export const shownText = (data: MessageData | undefined): string =>
  [
    data?.content ?? '',
    ...(data?.embeds ?? []).map((e) =>
      [e.title, e.description, e.footer?.text, ...(e.fields ?? []).map((f) => `${f.name}: ${f.value}`)].filter(Boolean).join('\n'),
    ),
  ].join('\n');

export const isEphemeral = (data: MessageData | undefined): boolean => ((data?.flags ?? 0) & MessageFlags.Ephemeral) !== 0;

/** Too long for a button's custom_id, so the button carries a stored key. */
export const LONG_QUESTION = `${'아주 긴 질문 '.repeat(20)}끝`;

/**
 * The real bot over the shipped notes, plus a switchable delay (`control.delayMs`), an `echo` command whose
 * answer has a share button with a very long command line, and a `boom` command that throws. Every request
 * is appended to `requests`.
 */
export function testDiscordBot(control: { delayMs: number }, requests: CommandRequest[] = []): Bot {
  const real = realBot();
  return {
    commands: real.commands,
    locale: real.locale,
    suggest: (command, option, partial) => real.suggest(command, option, partial),
    prompts: (locale) => real.prompts(locale),
    subscriptionSummaries: (platform, locale) => real.subscriptionSummaries(platform, locale),
    async handle(request) {
      requests.push(request);
      if (control.delayMs > 0) await sleep(control.delayMs);
      if (request.command === 'echo') {
        return reply([text(`echo: ${request.text || '(nothing)'}`), actions([{ kind: 'share', label: 'Share', command: `/echo ${LONG_QUESTION}` }])]);
      }
      if (request.command === 'boom') throw new Error('kaboom');
      return real.handle(request);
    },
  };
}
