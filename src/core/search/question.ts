import type { Locale } from '../i18n.ts';
import { isHangul, pieces, STOP_WORDS } from './tokenizer.ts';

/**
 * Mention markup carries no question: Slack's and Discord's escaped forms (`<@U123>`, `<@!123>`,
 * `<@&123>`, `<!channel>`, `<#C1|name>`) and the plain forms adapters turn them into (`@everyone`,
 * `@summit-bot`).
 */
const MENTION = /<[@!#][^>\s]*>|(?<![\p{L}\p{N}._%+-])@[\p{L}\p{N}._-]+/gu;

/** The question without mention markup, spaces collapsed. */
export function cleanQuestion(question: string): string {
  return question.replace(MENTION, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * The language a question is written in: Korean when it has Hangul; English when it reads as English
 * (a function word, or two Latin words or more); otherwise, e.g. a bare product name, undecided.
 */
export function questionLanguage(question: string): Locale | undefined {
  const words = pieces(question);
  if (words.some(isHangul)) return 'ko';
  const latin = words.filter((word) => /\p{Script=Latin}/u.test(word));
  if (latin.some((word) => STOP_WORDS.has(word)) || latin.length >= 2) return 'en';
  return undefined;
}
