/** The body of a note split at its ATX headings (`#` … `######`), ignoring fenced code. */
export interface RawSection {
  headingPath: string[];
  /** 1-based line of the heading (or of the first body line for the preamble). */
  line: number;
  /** The text as written (Korean). */
  text: string;
  /** The English rendering: the section's `:::en` … `:::` block, when it has one. */
  textEn?: string;
}

export interface SplitBody {
  sections: RawSection[];
  /** Mistakes in the markup, each with its 1-based file line. */
  problems: { line: number; message: string }[];
}

const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;
const FENCE = /^\s*(```|~~~)/;
/** A section's English rendering is written between a line `:::en` and a line `:::`. */
const ENGLISH_OPEN = /^:::\s*en\s*$/;
const BLOCK_CLOSE = /^:::\s*$/;

export function splitSections(body: string, firstLine: number): SplitBody {
  const lines = body.split(/\r?\n/);
  const sections: RawSection[] = [];
  const problems: SplitBody['problems'] = [];
  const path: { level: number; title: string }[] = [];
  let current: RawSection = { headingPath: [], line: firstLine, text: '' };
  let buffer: string[] = [];
  let english: string[] = [];
  let inFence = false;
  /** File line of the open `:::en`, while inside one. */
  let englishOpenedAt: number | undefined;

  const closeEnglish = (reason: string) => {
    if (englishOpenedAt === undefined) return;
    problems.push({ line: englishOpenedAt, message: `":::en" block is not closed ${reason}: add a line ":::" after the English text` });
    englishOpenedAt = undefined;
  };
  const flush = () => {
    current.text = buffer.join('\n').trim();
    const en = english.join('\n').trim();
    if (en) current.textEn = en;
    if (current.text.length > 0 || en) sections.push(current);
    buffer = [];
    english = [];
  };

  lines.forEach((line, index) => {
    const fileLine = firstLine + index;
    if (FENCE.test(line)) inFence = !inFence;
    if (!inFence && ENGLISH_OPEN.test(line)) {
      closeEnglish('before the next one');
      englishOpenedAt = fileLine;
      return;
    }
    if (!inFence && englishOpenedAt !== undefined && BLOCK_CLOSE.test(line)) {
      englishOpenedAt = undefined;
      return;
    }
    const match = inFence ? null : HEADING.exec(line);
    if (!match) {
      (englishOpenedAt !== undefined ? english : buffer).push(line);
      return;
    }
    closeEnglish('before the next heading');
    flush();
    const level = match[1]!.length;
    while (path.length > 0 && path[path.length - 1]!.level >= level) path.pop();
    path.push({ level, title: match[2]! });
    current = { headingPath: path.map((p) => p.title), line: fileLine, text: '' };
  });
  closeEnglish('at the end of the file');
  flush();
  return { sections, problems };
}

/**
 * The English form of a heading written "Korean (English)", or the heading itself when it has no
 * Hangul; undefined when it is Korean only.
 */
export function englishHeading(heading: string): string | undefined {
  if (!/\p{Script=Hangul}/u.test(heading)) return heading;
  const match = /\(([^()]*)\)\s*$/.exec(heading);
  const inner = match?.[1]?.trim();
  return inner && /[A-Za-z]/.test(inner) && !/\p{Script=Hangul}/u.test(inner) ? inner : undefined;
}

export function slugify(value: string): string {
  return value
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}
