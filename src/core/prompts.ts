/**
 * Starter prompts for surfaces that offer them (Slack's assistant pane): a few things worth asking,
 * drawn from the notes. Each `message` is sent back as the user's own message, so it is a command line
 * the bot answers like any other.
 */
import { t, type Locale } from './i18n.ts';
import type { Knowledge } from './knowledge/knowledge.ts';
import { fieldIn } from './knowledge/language.ts';
import { sessionKey } from './commands/session.ts';

export interface Prompt {
  /** What the user sees on the button. */
  title: string;
  /** What is sent as the user's message when it is picked. */
  message: string;
}

/** Slack shows at most four suggested prompts. */
export const MAX_PROMPTS = 4;
const MAX_TITLE = 75;

const shorten = (value: string): string => (value.length > MAX_TITLE ? `${value.slice(0, MAX_TITLE - 1).trimEnd()}…` : value);

export function starterPrompts(knowledge: Knowledge, locale: Locale): Prompt[] {
  const prompts: Prompt[] = [];
  if (knowledge.sessions.length > 0) {
    const day = knowledge.plannedDay();
    prompts.push({ title: t('sessionScheduleTitle', locale, { day }), message: '/session' });
    // A session the author attended has the fullest notes.
    const onDay = knowledge.sessions.filter((s) => s.meta.day === day);
    const featured = onDay.find((s) => s.meta.attended) ?? onDay[0];
    if (featured) prompts.push({ title: shorten(fieldIn(featured.meta, 'title', locale)), message: `/session ${sessionKey(featured, knowledge)}` });
  }
  if (knowledge.dr) {
    prompts.push({ title: t('promptDr', locale), message: '/dr' });
    prompts.push({ title: t('promptDrAdvisor', locale), message: '/dr rto=4h rpo=15m' });
  }
  return prompts.slice(0, MAX_PROMPTS);
}
