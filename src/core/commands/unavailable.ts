import { t, type Locale } from '../i18n.ts';
import { errorReply, type Reply } from '../reply.ts';
import type { SkippedSession } from '../knowledge/knowledge.ts';
import type { SkippedNote } from '../knowledge/types.ts';

/** How a skipped note is named: its title, else its id, else its file. */
export const skippedName = (note: SkippedNote): string => note.title ?? note.id ?? note.file;

const where = (note: SkippedNote): string => `${note.problem.file}:${note.problem.line}`;

/** Why a note that a command needs is missing right now: which file and line keep it out. */
export function unavailableText(note: SkippedNote, locale: Locale): string {
  return t('noteUnavailable', locale, { name: skippedName(note), where: where(note), problem: note.problem.message });
}

export function sessionUnavailableText(session: SkippedSession, locale: Locale): string {
  return t('sessionUnavailable', locale, { day: session.day, slot: session.slot, where: where(session), problem: session.problem.message });
}

/** The reply of a command whose note is skipped: temporarily unavailable, why, and that fixing the file brings it back. */
export function unavailableReply(reason: string, locale: Locale): Reply {
  return errorReply(reason, t('unavailableUntilFixed', locale));
}
