import type { Locale } from '../i18n.ts';
import type { Note } from './types.ts';

/**
 * The notes' own words in a language: a field `x` as written (Korean), or its English rendering `x_en`
 * for English readers when the note has one.
 */
type WithEnglish<K extends string> = { [P in K]: string } & { [P in `${K}_en`]?: string | undefined };
type ListWithEnglish<K extends string> = { [P in K]: string[] } & { [P in `${K}_en`]?: string[] | undefined };

export function fieldIn<K extends string>(record: WithEnglish<K>, field: K, lang: Locale): string {
  const english = (record as Record<string, string | undefined>)[`${field}_en`];
  return lang === 'en' && english ? english : record[field];
}

/** A list field in `lang`; the English list only when it renders the list item for item. */
export function listIn<K extends string>(record: ListWithEnglish<K>, field: K, lang: Locale): string[] {
  const english = (record as Record<string, string[] | undefined>)[`${field}_en`];
  return lang === 'en' && english && english.length === record[field].length ? english : record[field];
}

/** An optional field in `lang`. */
export function optionalIn(record: Record<string, unknown>, field: string, lang: Locale): string | undefined {
  const value = (lang === 'en' ? record[`${field}_en`] : undefined) ?? record[field];
  return typeof value === 'string' ? value : undefined;
}

export function noteTitleIn(note: Note, lang: Locale): string {
  return lang === 'en' && note.meta.title_en ? note.meta.title_en : note.title;
}
