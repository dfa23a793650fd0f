import type { FrontMatter } from './schema.ts';

/** One search document: the text under one heading of a note. */
export interface Section {
  /** Stable id: `<note id>/<heading slug>`. */
  id: string;
  noteId: string;
  noteTitle: string;
  /** Headings from the top of the note down to this section; empty for the note's preamble. */
  headingPath: string[];
  /** The last heading, or the note title for the preamble. */
  heading: string;
  text: string;
  /** File path relative to the knowledge root. */
  source: string;
  /** 1-based line where the section starts. */
  line: number;
  /** Note keywords, searched with the section. */
  keywords: string[];
  tags: string[];
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
}
