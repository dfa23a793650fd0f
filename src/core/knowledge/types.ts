import type { FrontMatter } from './schema.ts';
import type { Locale } from '../i18n.ts';

/** One search document: the text under one heading of a note. */
export interface Section {
  /** Stable id: `<note id>/<heading slug>`. */
  id: string;
  noteId: string;
  noteTitle: string;
  /** The note's English title (`title_en`), when it has one. */
  noteTitleEn?: string;
  /** Headings from the top of the note down to this section; empty for the note's preamble. */
  headingPath: string[];
  /** The same headings in English ("개요 (Overview)" → "Overview"); a heading with no English form stays as written. */
  headingPathEn: string[];
  /** The last heading, or the note title for the preamble. */
  heading: string;
  /** The text as written (Korean). */
  text: string;
  /** Our English rendering of `text`, when the note has one. */
  textEn?: string;
  /** Questions the section answers, as people would ask them, in either language: searched, never shown. */
  questions?: string[];
  /** File path relative to the knowledge root. */
  source: string;
  /** 1-based line where the section starts. */
  line: number;
  /** Note keywords, searched with the section. */
  keywords: string[];
  /** What the section inherits from its note (a session's time, slot and speakers), searched at a lower weight. */
  context?: string;
  tags: string[];
}

/** The section's text in `lang`; the text as written when it has no rendering in that language. */
export function textIn(section: Section, lang: Locale): string {
  return lang === 'en' && section.textEn ? section.textEn : section.text;
}

export function titleIn(section: Section, lang: Locale): string {
  return lang === 'en' && section.noteTitleEn ? section.noteTitleEn : section.noteTitle;
}

export function headingPathIn(section: Section, lang: Locale): string[] {
  return lang === 'en' ? section.headingPathEn : section.headingPath;
}

export interface Note {
  id: string;
  title: string;
  source: string;
  meta: FrontMatter;
  sections: Section[];
}

export interface Problem {
  file: string;
  line: number;
  message: string;
  /** An error skips the file; a warning keeps it served. */
  severity: 'error' | 'warning';
}

export function formatProblem(problem: Problem): string {
  return `${problem.file}:${problem.line}: ${problem.severity === 'warning' ? 'warning: ' : ''}${problem.message}`;
}

export interface KnowledgeBase {
  root: string;
  notes: Note[];
  sections: Section[];
  problems: Problem[];
  /** Parts of the notes with no English rendering: English askers get them as written. `npm run check` lists them. */
  untranslated: Problem[];
}
