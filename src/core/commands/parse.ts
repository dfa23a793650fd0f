import { localize, t, type Locale } from '../i18n.ts';
import type { Command, CommandInput, CommandOption, CommandRequest } from './types.ts';

/** Longest argument text we read; the rest is dropped so one message cannot make us work forever. */
export const MAX_INPUT_LENGTH = 2000;

export class UsageError extends Error {}

const KEY_VALUE = /^([\p{L}_][\p{L}\p{N}_-]*)=(.*)$/u;

/** `/ask RPO가 뭐야` → `{ command: 'ask', text: 'RPO가 뭐야' }`; text without a slash is a question. */
export function parseCommandLine(line: string): { command: string; text: string } {
  const trimmed = line.trim();
  const match = /^\/(\S+)\s*([\s\S]*)$/.exec(trimmed);
  if (!match) return { command: 'ask', text: trimmed };
  return { command: match[1]!.toLowerCase(), text: match[2]!.trim() };
}

/** How an option is named to users: `rto=` where it is typed as a key, its label in their language where it is free text. */
export function optionLabel(option: CommandOption, locale: Locale): string {
  return option.form === 'key' ? `${option.name}=` : localize(option.label, locale);
}

function coerce(command: Command, key: string, raw: string | number | boolean, locale: Locale): string | number | boolean {
  const option = command.options.find((o) => o.name === key);
  if (!option) throw new UsageError(t('unknownOption', locale, { key }));
  if (typeof raw !== 'string') return raw;
  if (raw === '') throw new UsageError(t('missingValue', locale, { key }));
  switch (option.type) {
    case 'string':
      return raw;
    case 'integer': {
      if (!/^-?\d+$/.test(raw)) throw new UsageError(t('badValue', locale, { key, value: raw }));
      return Number(raw);
    }
    case 'boolean': {
      const value = raw.toLowerCase();
      if (['true', 'yes', 'on', '1'].includes(value)) return true;
      if (['false', 'no', 'off', '0'].includes(value)) return false;
      throw new UsageError(t('badValue', locale, { key, value: raw }));
    }
  }
}

/**
 * Splits the argument text into `key=value` options the command declares and free text.
 * A `word=value` the command does not declare stays part of the free text, so questions
 * like "a=b 가 뭐야" still work for commands without options.
 */
export function parseInput(command: Command, request: CommandRequest, locale: Locale): CommandInput {
  const keyNames = new Set(command.options.filter((o) => o.form === 'key').map((o) => o.name));
  const freeOption = command.options.find((o) => o.form === 'text');
  const values: CommandInput['values'] = {};
  const free: string[] = [];
  for (const word of request.text.slice(0, MAX_INPUT_LENGTH).split(/\s+/).filter(Boolean)) {
    const match = KEY_VALUE.exec(word);
    const key = match?.[1]?.toLowerCase();
    if (match && key && keyNames.has(key)) values[key] = coerce(command, key, match[2]!, locale);
    else free.push(word);
  }
  let text = free.join(' ');
  for (const [key, raw] of Object.entries(request.options ?? {})) {
    if (freeOption && key === freeOption.name) text = String(raw).slice(0, MAX_INPUT_LENGTH).trim();
    else values[key] = coerce(command, key, raw, locale);
  }
  for (const option of command.options) {
    const missing = option.form === 'text' ? text === '' : values[option.name] === undefined;
    if (option.required && missing) throw new UsageError(t('requiredOption', locale, { key: optionLabel(option, locale) }));
  }
  return { text, values };
}
