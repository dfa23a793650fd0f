/**
 * Application command JSON (slash commands) generated from the command registry, so Discord, `/help` and the
 * Slack manifest never drift apart. The description is in the bot's locale; the other language goes into
 * `description_localizations` (Discord shows it to users whose client uses that language).
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  Locale as DiscordLocale,
  type APIApplicationCommandBasicOption,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from 'discord.js';
import { localize, type Locale, type Localized } from '../../core/i18n.ts';
import type { Command, CommandOption, OptionType } from '../../core/commands/types.ts';
import type { Suggestion } from '../../core/commands/types.ts';
import { clip } from '../../core/text.ts';
import { sanitizeDiscord } from './render.ts';

export const COMMAND_LIMITS = {
  name: 32,
  description: 100,
  options: 25,
  commands: 100,
  choices: 25,
  choiceName: 100,
  choiceValue: 100,
} as const;

/** Discord's rule for chat-input command and option names. */
export const NAME_PATTERN = /^[-_\p{L}\p{N}]{1,32}$/u;

export type CommandData = RESTPostAPIChatInputApplicationCommandsJSONBody;

const OPTION_TYPES: Record<OptionType, ApplicationCommandOptionType.String | ApplicationCommandOptionType.Integer | ApplicationCommandOptionType.Boolean> = {
  string: ApplicationCommandOptionType.String,
  integer: ApplicationCommandOptionType.Integer,
  boolean: ApplicationCommandOptionType.Boolean,
};

function description(text: Localized, locale: Locale, fallback: string): string {
  const value = clip(localize(text, locale).replace(/\s+/g, ' ').trim(), COMMAND_LIMITS.description);
  return value || fallback;
}

/** `{ ko: … }` for an English bot, `{ 'en-US': …, 'en-GB': … }` for a Korean one. */
function localizations(text: Localized, locale: Locale, fallback: string): Partial<Record<DiscordLocale, string>> {
  if (locale === 'ko') {
    const en = description(text, 'en', fallback);
    return { [DiscordLocale.EnglishUS]: en, [DiscordLocale.EnglishGB]: en };
  }
  return { [DiscordLocale.Korean]: description(text, 'ko', fallback) };
}

function checkName(name: string, what: string): string {
  if (!NAME_PATTERN.test(name) || name !== name.toLowerCase()) {
    throw new Error(`${what} "${name}" is not a valid Discord name (lower case letters, digits, - or _, at most 32)`);
  }
  return name;
}

function optionData(command: Command, option: CommandOption, locale: Locale): APIApplicationCommandBasicOption {
  const type = OPTION_TYPES[option.type];
  const autocomplete = Boolean(command.suggest && option.autocomplete) && type !== ApplicationCommandOptionType.Boolean;
  const name = checkName(option.name, `option of /${command.name}`);
  // Korean clients show the option under its Korean label (질문); interactions still carry `name`.
  const korean = option.label.ko;
  return {
    type,
    name,
    ...(korean !== name && NAME_PATTERN.test(korean) && korean === korean.toLowerCase() ? { name_localizations: { [DiscordLocale.Korean]: korean } } : {}),
    description: description(option.description, locale, option.name),
    description_localizations: localizations(option.description, locale, option.name),
    required: option.required,
    ...(autocomplete ? { autocomplete: true } : {}),
  } as APIApplicationCommandBasicOption;
}

/** The bulk-overwrite body for every command in the registry (type 1 = chat input). */
export function buildCommandData(commands: readonly Command[], locale: Locale): CommandData[] {
  if (commands.length > COMMAND_LIMITS.commands) throw new Error(`Discord allows at most ${COMMAND_LIMITS.commands} commands`);
  return commands.map((command) => {
    if (command.options.length > COMMAND_LIMITS.options) throw new Error(`/${command.name} has more than ${COMMAND_LIMITS.options} options`);
    const options = command.options.map((o) => optionData(command, o, locale));
    // Discord demands required options before optional ones (stable otherwise).
    const ordered = [...options.filter((o) => o.required), ...options.filter((o) => !o.required)];
    return {
      type: ApplicationCommandType.ChatInput,
      name: checkName(command.name, 'command'),
      description: description(command.description, locale, command.name),
      description_localizations: localizations(command.description, locale, command.name),
      ...(ordered.length > 0 ? { options: ordered } : {}),
    };
  });
}

/**
 * Autocomplete suggestions → Discord choices: at most 25, names 1–100 characters (cleaned, cut with "…"),
 * values ≤ 100 (a longer value cannot be cut without changing its meaning, so it is left out).
 */
export function toChoices(suggestions: readonly Suggestion[], type: ApplicationCommandOptionType = ApplicationCommandOptionType.String): { name: string; value: string | number }[] {
  const out: { name: string; value: string | number }[] = [];
  const seen = new Set<string>();
  for (const s of suggestions) {
    if (out.length >= COMMAND_LIMITS.choices) break;
    const raw = String(s.value);
    if (raw.length === 0 || raw.length > COMMAND_LIMITS.choiceValue || seen.has(raw)) continue;
    let value: string | number = raw;
    if (type === ApplicationCommandOptionType.Integer || type === ApplicationCommandOptionType.Number) {
      const n = Number(raw);
      if (!Number.isFinite(n) || (type === ApplicationCommandOptionType.Integer && !Number.isInteger(n))) continue;
      value = n;
    }
    const name = clip(sanitizeDiscord(s.label).replace(/\s+/g, ' ').trim(), COMMAND_LIMITS.choiceName) || clip(raw, COMMAND_LIMITS.choiceName);
    seen.add(raw);
    out.push({ name, value });
  }
  return out;
}
