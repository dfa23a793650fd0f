/** The body of a note split at its ATX headings (`#` … `######`), ignoring fenced code. */
export interface RawSection {
  headingPath: string[];
  /** 1-based line of the heading (or of the first body line for the preamble). */
  line: number;
  text: string;
}

const HEADING = /^(#{1,6})\s+(.+?)\s*#*\s*$/;
const FENCE = /^\s*(```|~~~)/;

export function splitSections(body: string, firstLine: number): RawSection[] {
  const lines = body.split(/\r?\n/);
  const sections: RawSection[] = [];
  const path: { level: number; title: string }[] = [];
  let current: RawSection = { headingPath: [], line: firstLine, text: '' };
  let buffer: string[] = [];
  let inFence = false;

  const flush = () => {
    current.text = buffer.join('\n').trim();
    if (current.text.length > 0) sections.push(current);
    buffer = [];
  };

  lines.forEach((line, index) => {
    if (FENCE.test(line)) inFence = !inFence;
    const match = inFence ? null : HEADING.exec(line);
    if (!match) {
      buffer.push(line);
      return;
    }
    flush();
    const level = match[1]!.length;
    while (path.length > 0 && path[path.length - 1]!.level >= level) path.pop();
    path.push({ level, title: match[2]! });
    current = { headingPath: path.map((p) => p.title), line: firstLine + index, text: '' };
  });
  flush();
  return sections;
}

export function slugify(value: string): string {
  return value
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '');
}
