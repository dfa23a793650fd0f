/** The body of a note split at its ATX headings (`#` … `######`), ignoring fenced code. */
export interface RawSection {
  headingPath: string[];
  /** 1-based line of the heading (or of the first body line for the preamble). */
  line: number;
  /** The text as written (Korean). */
  text: string;
  /** The English rendering: the section's `:::en` … `:::` block, when it has one. */
  textEn?: string;
  /** Questions the section answers, in either language: its `:::questions` block, one per line. Searched, never shown. */
  questions?: string[];
  /** Questions on the section's topic that the notes do not answer: its `:::unanswered` block. Matched, never searched or shown. */
  unanswered?: string[];
}

export interface SplitBody {
  sections: RawSection[];
  /** Mistakes in the markup, each with its 1-based file line. */
  problems: { line: number; message: string }[];
}

const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;
const FENCE = /^\s*(```|~~~)/;
/**
 * Blocks inside a section: its English rendering between a line `:::en` and a line `:::`, the questions
 * it answers between `:::questions` and `:::`, and questions on its topic the notes leave unanswered between
 * `:::unanswered` and `:::`.
 */
const BLOCK_OPEN = /^:::\s*(en|questions|unanswered)\s*$/;
const BLOCK_CLOSE = /^:::\s*$/;
type BlockKind = 'en' | 'questions' | 'unanswered';

const NO_BLOCKS = (): Record<BlockKind, string[]> => ({ en: [], questions: [], unanswered: [] });

/** A block's lines as a list: list markers dropped, empty lines left out. */
function listed(lines: string[]): string[] {
  return lines.map((line) => line.replace(/^\s*[-*]\s*/, '').trim()).filter(Boolean);
}

export function splitSections(body: string, firstLine: number): SplitBody {
  const lines = body.split(/\r?\n/);
  const sections: RawSection[] = [];
  const problems: SplitBody['problems'] = [];
  const path: { level: number; title: string }[] = [];
  let current: RawSection = { headingPath: [], line: firstLine, text: '' };
  let buffer: string[] = [];
  let blocks = NO_BLOCKS();
  let inFence = false;
  /** The open block and the file line that opened it. */
  let open: { kind: BlockKind; line: number } | undefined;

  const closeBlock = (reason: string) => {
    if (!open) return;
    problems.push({ line: open.line, message: `":::${open.kind}" block is not closed ${reason}: add a line ":::" after it` });
    open = undefined;
  };
  const flush = () => {
    current.text = buffer.join('\n').trim();
    const en = blocks.en.join('\n').trim();
    if (en) current.textEn = en;
    const questions = listed(blocks.questions);
    if (questions.length > 0) current.questions = questions;
    const unanswered = listed(blocks.unanswered);
    if (unanswered.length > 0) current.unanswered = unanswered;
    if (current.text.length > 0 || en) sections.push(current);
    buffer = [];
    blocks = NO_BLOCKS();
  };

  lines.forEach((line, index) => {
    const fileLine = firstLine + index;
    if (FENCE.test(line)) inFence = !inFence;
    const opening = inFence ? null : BLOCK_OPEN.exec(line);
    if (opening) {
      closeBlock('before the next one');
      open = { kind: opening[1] as BlockKind, line: fileLine };
      return;
    }
    if (!inFence && open && BLOCK_CLOSE.test(line)) {
      open = undefined;
      return;
    }
    const match = inFence ? null : HEADING.exec(line);
    if (!match) {
      (open ? blocks[open.kind] : buffer).push(line);
      return;
    }
    closeBlock('before the next heading');
    flush();
    const level = match[1]!.length;
    while (path.length > 0 && path[path.length - 1]!.level >= level) path.pop();
    path.push({ level, title: match[2]! });
    current = { headingPath: path.map((p) => p.title), line: fileLine, text: '' };
  });
  closeBlock('at the end of the file');
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
