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
  /**
   * Questions on the section's topic that the notes do not answer ("what did the lunch box cost?"), in either
   * language: a question that asks one of them more closely than any question the notes answer is refused.
   * Matched, never searched or shown.
   */
  unanswered?: string[];
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

/** Where a note names another note, so a missing target is reported at that line. */
export interface NoteReference {
  target: string;
  /** 1-based line of the `related` entry, or of the tip that cites the target as its source. */
  line: number;
  /** The citing tip's id; absent for a `related` entry. */
  tip?: string;
}

export interface Note {
  id: string;
  title: string;
  source: string;
  meta: FrontMatter;
  sections: Section[];
  /** 1-based line of the `id` field. */
  idLine: number;
  references: NoteReference[];
}

/** What can be told of a note without serving it: enough for a command to say which note is missing. */
export interface NoteIdentity {
  id?: string;
  title?: string;
  kind?: string;
  day?: number;
  slot?: number;
  start?: string;
  end?: string;
}

/** A file that is not served because it has an error; fixing the file brings the note back. */
export interface SkippedNote extends NoteIdentity {
  file: string;
  /** The error to fix (the first, when there are several). */
  problem: Problem;
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
  /** Files left out, with what could be read of them (from the broken file, or from its last good version). */
  skipped: SkippedNote[];
}
