import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { z } from 'zod';
import { frontMatterSchema, KNOWN_KINDS, type FrontMatter } from './schema.ts';
import { englishHeading, slugify, splitSections, type RawSection } from './markdown.ts';
import { describeFrontMatter } from './describe.ts';
import type { KnowledgeBase, Note, Problem, Section } from './types.ts';

/** Every `.md` file below `root`, sorted so the index is built in a stable order. */
export function listNoteFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && entry.name.endsWith('.md')) files.push(path);
    }
  };
  walk(root);
  return files.sort();
}

type ParsedFile = { ok: true; note: Note; untranslated: Problem[] } | { ok: false; problems: Problem[] };

const FRONT_MATTER_OPEN = /^---\s*$/;

/** Parses one note. `file` is only used in messages and citations. */
export function parseNote(file: string, content: string): ParsedFile {
  const lines = content.replace(/^\uFEFF/, '').split(/\r?\n/);
  const fail = (line: number, message: string): ParsedFile => ({
    ok: false,
    problems: [{ file, line, message, severity: 'error' }],
  });
  if (!FRONT_MATTER_OPEN.test(lines[0] ?? '')) {
    return fail(1, 'missing front matter: the file must start with a line "---", the YAML fields, and another "---"');
  }
  const close = lines.findIndex((line, i) => i > 0 && FRONT_MATTER_OPEN.test(line));
  if (close < 0) return fail(1, 'front matter is not closed: add a line "---" after the YAML fields');

  const yamlText = lines.slice(1, close).join('\n');
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false });
  // The YAML starts on the file's second line.
  const fileLine = (offset: number) => lineCounter.linePos(offset).line + 1;
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((error) => ({
        file,
        line: fileLine(error.pos[0]),
        message: `invalid YAML: ${error.message.split('\n')[0]}`,
        severity: 'error' as const,
      })),
    };
  }

  const data: unknown = doc.toJS();
  const kind = typeof data === 'object' && data !== null ? (data as Record<string, unknown>).kind : undefined;
  if (typeof kind === 'string' && !(KNOWN_KINDS as readonly string[]).includes(kind)) {
    return fail(lineOf(doc, ['kind'], fileLine), `unknown kind "${kind}"; use one of: ${KNOWN_KINDS.join(', ')}`);
  }
  const parsed = frontMatterSchema.safeParse(data);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => ({
        file,
        line: lineOf(doc, issue.path, fileLine),
        message: describeIssue(issue),
        severity: 'error' as const,
      })),
    };
  }
  const meta = parsed.data;
  if (meta.kind === 'session' && meta.end <= meta.start) {
    return fail(lineOf(doc, ['end'], fileLine), `end ${meta.end} must be after start ${meta.start}`);
  }

  if (meta.kind === 'session') {
    for (const field of ['outline', 'takeaways'] as const) {
      const english = meta[`${field}_en`];
      if (english && english.length !== meta[field].length) {
        return fail(lineOf(doc, [`${field}_en`], fileLine), `${field}_en has ${english.length} items; it must render the ${meta[field].length} items of ${field} one by one`);
      }
    }
  }

  const bodyFirstLine = close + 2;
  const body = splitSections(lines.slice(close + 1).join('\n'), bodyFirstLine);
  if (body.problems.length > 0) {
    return { ok: false, problems: body.problems.map((p) => ({ file, line: p.line, message: p.message, severity: 'error' as const })) };
  }
  const described = describeFrontMatter(meta);
  const sections = buildSections(meta, file, [...described.map((d) => ({ ...d, line: 1 })), ...body.sections]);
  const untranslated = [
    ...missingEnglishFields(meta).map((path) => ({
      file,
      line: lineOf(doc, path, fileLine),
      message: `${path.join('.')} has no English rendering (${String(path.at(-1))}_en)`,
      severity: 'warning' as const,
    })),
    ...body.sections
      .filter((section) => !section.textEn)
      .map((section) => ({
        file,
        line: section.line,
        message: `section "${section.headingPath.at(-1) ?? meta.title}" has no English rendering (a ":::en" … ":::" block)`,
        severity: 'warning' as const,
      })),
  ];
  return { ok: true, note: { id: meta.id, title: meta.title, source: file, meta, sections }, untranslated };
}

/** Paths of front-matter fields whose English rendering (`<field>_en`) is missing. */
function missingEnglishFields(meta: FrontMatter): (string | number)[][] {
  const missing: (string | number)[][] = [];
  const need = (base: (string | number)[], object: object, fields: string[]) => {
    const record = object as Record<string, unknown>;
    for (const field of fields) {
      if (record[field] !== undefined && record[`${field}_en`] === undefined) missing.push([...base, field]);
    }
  };
  need([], meta, ['title']);
  switch (meta.kind) {
    case 'session':
      need([], meta, ['abstract', 'outline', 'attendance_note']);
      if (meta.takeaways.length > 0) need([], meta, ['takeaways']);
      meta.speakers.forEach((speaker, i) => need(['speakers', i], speaker, ['name', 'role']));
      break;
    case 'dr-strategies':
      need([], meta, ['figures_source']);
      meta.strategies.forEach((strategy, i) => need(['strategies', i], strategy, ['rto_label', 'rpo_label', 'cost_label', 'idle_footprint', 'when']));
      break;
    case 'tips':
      meta.tips.forEach((tip, i) => need(['tips', i], tip, ['text']));
      break;
    case 'event':
    case 'topic':
      break;
  }
  return missing;
}

/**
 * What every section of a note inherits, indexed at a lower weight than its own words: for a session,
 * its day, slot, time and speakers, so "who talked about TANGO" or "the 3pm session" reach the
 * section that holds the topic.
 */
function inheritedContext(meta: FrontMatter): string {
  if (meta.kind !== 'session') return '';
  const speakers = meta.speakers.flatMap((s) => [s.name, s.name_en, s.role, s.role_en, s.company, s.company_en].filter(Boolean));
  return [`Day ${meta.day}`, `Session ${meta.slot}`, meta.start, meta.end, ...speakers].join(' \n ');
}

function buildSections(meta: FrontMatter, source: string, raw: RawSection[]): Section[] {
  const used = new Map<string, number>();
  const context = inheritedContext(meta);
  return raw.map((section) => {
    const base = `${meta.id}/${slugify(section.headingPath.join(' ')) || 'intro'}`;
    const seen = used.get(base) ?? 0;
    used.set(base, seen + 1);
    return {
      id: seen === 0 ? base : `${base}-${seen + 1}`,
      noteId: meta.id,
      noteTitle: meta.title,
      ...(meta.title_en ? { noteTitleEn: meta.title_en } : {}),
      headingPath: section.headingPath,
      headingPathEn: section.headingPath.map((h) => englishHeading(h) ?? h),
      heading: section.headingPath.at(-1) ?? meta.title,
      text: section.text,
      ...(section.textEn ? { textEn: section.textEn } : {}),
      ...(section.questions ? { questions: section.questions } : {}),
      source,
      line: section.line,
      keywords: meta.keywords,
      context,
      tags: meta.tags,
    };
  });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  if (issue.code === 'invalid_type' && issue.input === undefined) return `${where}required field is missing`;
  if (issue.code === 'unrecognized_keys') return `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return `${where}${issue.message}`;
}

/** The file line of the YAML node at `path`, or of its nearest existing parent. */
function lineOf(doc: Document, path: PropertyKey[], fileLine: (offset: number) => number): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node: unknown = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth) as (string | number)[], true);
    if (isNode(node) && node.range) return fileLine(node.range[0]);
  }
  return 2;
}

/**
 * Loads every note below `root`. A broken file is reported and skipped; the rest is served.
 * Cross-file checks (duplicate ids, links to unknown notes) run last.
 */
export function loadKnowledge(root: string): KnowledgeBase {
  const problems: Problem[] = [];
  const untranslated: Problem[] = [];
  const notes: Note[] = [];
  const owner = new Map<string, string>();
  for (const path of listNoteFiles(root)) {
    const file = relative(root, path).split(sep).join('/');
    let content: string;
    try {
      content = readFileSync(path, 'utf8');
    } catch (error) {
      problems.push({ file, line: 1, message: `cannot read: ${(error as Error).message}`, severity: 'error' });
      continue;
    }
    const result = parseNote(file, content);
    if (!result.ok) {
      problems.push(...result.problems);
      continue;
    }
    const first = owner.get(result.note.id);
    if (first) {
      problems.push({ file, line: 2, message: `duplicate id "${result.note.id}" (already used by ${first}); file skipped`, severity: 'error' });
      continue;
    }
    owner.set(result.note.id, file);
    notes.push(result.note);
    untranslated.push(...result.untranslated);
  }
  problems.push(...checkLinks(notes));
  return { root, notes, sections: notes.flatMap((n) => n.sections), problems, untranslated };
}

function checkLinks(notes: Note[]): Problem[] {
  const ids = new Set(notes.map((n) => n.id));
  const problems: Problem[] = [];
  for (const note of notes) {
    for (const target of note.meta.related) {
      if (!ids.has(target)) problems.push({ file: note.source, line: 2, message: `related note "${target}" does not exist`, severity: 'warning' });
    }
    if (note.meta.kind === 'tips') {
      for (const tip of note.meta.tips) {
        if (!ids.has(tip.source)) problems.push({ file: note.source, line: 2, message: `tip "${tip.id}" cites unknown note "${tip.source}"`, severity: 'warning' });
      }
    }
  }
  return problems;
}
