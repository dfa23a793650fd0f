import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { readdirSync, readFileSync, statSync, type Dirent } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import type * as Yaml from 'yaml';
import type { Document } from 'yaml';
import { z } from 'zod';
import { frontMatterSchema, KNOWN_KINDS, type FrontMatter } from './schema.ts';
import { englishHeading, slugify, splitSections, type RawSection } from './markdown.ts';
import { describeFrontMatter } from './describe.ts';
import type { KnowledgeBase, Note, NoteIdentity, NoteReference, Problem, Section, SkippedNote } from './types.ts';
import { runToEnd } from '../slices.ts';

/** Every `.md` file below `dir` (hidden files and folders left out), sorted so the index is built in a stable order. */
export function listNoteFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (folder: string) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch (error) {
      // A folder deleted while it is listed has no notes left; its deletion is seen as such.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && entry.name.endsWith('.md')) files.push(path);
    }
  };
  walk(dir);
  return files.sort();
}

export type ParsedFile = { ok: true; note: Note; untranslated: Problem[] } | { ok: false; problems: Problem[]; identity: NoteIdentity };

/**
 * The YAML parser, loaded when a note is first parsed rather than at start: loading it takes about a tenth of a
 * second, and a start from an index snapshot parses no note.
 */
let yamlModule: typeof Yaml | undefined;
const yaml = (): typeof Yaml => (yamlModule ??= createRequire(import.meta.url)('yaml') as typeof Yaml);

/** Loads the YAML parser now if it is not yet: loading holds the event loop, better when nothing waits than at the first edit. */
export function loadNoteParser(): void {
  yaml();
}

const FRONT_MATTER_OPEN = /^---\s*$/;

/** Each identity field on its own: a wrong type drops that field, never the others. */
const identitySchema = z.object({
  id: z.string().optional().catch(undefined),
  title: z.string().optional().catch(undefined),
  kind: z.string().optional().catch(undefined),
  day: z.number().int().optional().catch(undefined),
  slot: z.number().int().optional().catch(undefined),
  start: z.string().optional().catch(undefined),
  end: z.string().optional().catch(undefined),
});
const IDENTITY_FIELDS = Object.keys(identitySchema.shape);

function identityOf(data: unknown): NoteIdentity {
  const parsed = identitySchema.safeParse(typeof data === 'object' && data !== null ? data : {});
  if (!parsed.success) return {};
  return Object.fromEntries(Object.entries(parsed.data).filter(([, value]) => value !== undefined));
}

/** The identity of a served note, kept so that a later broken edit can still say which note it took away. */
export function noteIdentity(note: Note): NoteIdentity {
  const { meta } = note;
  const session = meta.kind === 'session' ? { day: meta.day, slot: meta.slot, start: meta.start, end: meta.end } : {};
  return { id: meta.id, title: meta.title, kind: meta.kind, ...session };
}

/** Parses one note. `file` is only used in messages and citations. */
export function parseNote(file: string, content: string): ParsedFile {
  const lines = content.replace(/^\uFEFF/, '').split(/\r?\n/);
  const fail = (line: number, message: string, identity: NoteIdentity = {}): ParsedFile => ({
    ok: false,
    problems: [{ file, line, message, severity: 'error' }],
    identity,
  });
  if (!FRONT_MATTER_OPEN.test(lines[0] ?? '')) {
    return fail(1, 'missing front matter: the file must start with a line "---", the YAML fields, and another "---"');
  }
  const close = lines.findIndex((line, i) => i > 0 && FRONT_MATTER_OPEN.test(line));
  if (close < 0) return fail(1, 'front matter is not closed: add a line "---" after the YAML fields');

  const yamlText = lines.slice(1, close).join('\n');
  const lineCounter = new (yaml().LineCounter)();
  // logLevel 'error': a library warning on stderr would be a second, unlocated report of a mistake reported here.
  const doc = yaml().parseDocument(yamlText, { lineCounter, prettyErrors: false, logLevel: 'error' });
  // The YAML starts on the file's second line.
  const fileLine = (offset: number) => lineCounter.linePos(offset).line + 1;
  if (doc.errors.length > 0) {
    const mistake = yamlMistake(doc, yamlText);
    return fail(fileLine(mistake.offset), `invalid YAML: ${mistake.message}`, salvageIdentity(doc, mistake.offset));
  }

  const complexKey = firstComplexKey(doc);
  if (complexKey !== undefined) {
    return fail(fileLine(complexKey), 'a field name must be a single word followed by ": " (a "?" or a list cannot be a name)', salvageIdentity(doc, complexKey));
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (error) {
    // An alias to an anchor that does not exist only shows when the YAML is turned into values.
    const offset = firstAliasOffset(doc) ?? 0;
    return fail(fileLine(offset), `invalid YAML: ${(error as Error).message}`, salvageIdentity(doc, offset));
  }
  const identity = identityOf(data);
  const kind = typeof data === 'object' && data !== null ? (data as Record<string, unknown>).kind : undefined;
  if (typeof kind === 'string' && !(KNOWN_KINDS as readonly string[]).includes(kind)) {
    return fail(lineOf(doc, ['kind'], fileLine), `unknown kind "${kind}"; use one of: ${KNOWN_KINDS.join(', ')}`, identity);
  }
  const parsed = frontMatterSchema.safeParse(data);
  if (!parsed.success) return { ok: false, problems: schemaProblems(file, doc, parsed.error.issues, fileLine), identity };
  const meta = parsed.data;
  if (meta.kind === 'session' && meta.end <= meta.start) {
    return fail(lineOf(doc, ['end'], fileLine), `end ${meta.end} must be after start ${meta.start}`, identity);
  }

  // An English list renders its list item for item.
  const lists: { path: (string | number)[]; items: string[]; english: string[] | undefined }[] =
    meta.kind === 'session'
      ? (['outline', 'takeaways'] as const).map((field) => ({ path: [field], items: meta[field], english: meta[`${field}_en`] }))
      : meta.kind === 'dr-strategies'
        ? meta.strategies.map((s, i) => ({ path: ['strategies', i, 'services'], items: s.services, english: s.services_en }))
        : [];
  for (const { path, items, english } of lists) {
    if (english && english.length !== items.length) {
      const name = path.join('.');
      return fail(lineOf(doc, [...path.slice(0, -1), `${String(path.at(-1))}_en`], fileLine), `${name}_en has ${english.length} items; it must render the ${items.length} items of ${name} one by one`, identity);
    }
  }

  const bodyFirstLine = close + 2;
  const body = splitSections(lines.slice(close + 1).join('\n'), bodyFirstLine);
  if (body.problems.length > 0) {
    return { ok: false, problems: body.problems.map((p) => ({ file, line: p.line, message: p.message, severity: 'error' as const })), identity };
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
  const references: NoteReference[] = meta.related.map((target, i) => ({ target, line: lineOf(doc, ['related', i], fileLine) }));
  if (meta.kind === 'tips') {
    meta.tips.forEach((tip, i) => references.push({ target: tip.source, line: lineOf(doc, ['tips', i], fileLine), tip: tip.id }));
  }
  const idLine = lineOf(doc, ['id'], fileLine);
  return { ok: true, note: { id: meta.id, title: meta.title, source: file, meta, sections, idLine, references }, untranslated };
}

/** Codes of YAML errors that come from a line indented wrongly. */
const INDENTATION_CODES = new Set(['BAD_INDENT', 'BLOCK_AS_IMPLICIT_KEY', 'MULTILINE_IMPLICIT_KEY']);
/** Codes of YAML errors that an unclosed quote or `[`/`{` causes further down. */
const UNCLOSED_CODES = new Set(['MISSING_CHAR', 'BAD_INDENT', 'BLOCK_IN_FLOW']);

/**
 * The one mistake behind a broken YAML block, and where it is. Only the first error is a mistake:
 * the ones after it are the parser recovering from it. Some mistakes are noticed later than they are made.
 */
function yamlMistake(doc: Document, text: string): { offset: number; message: string } {
  const first = doc.errors.find((e) => e.code === 'TAB_AS_INDENT') ?? [...doc.errors].sort((a, b) => a.pos[0] - b.pos[0])[0]!;
  const firstLine = first.message.split('\n')[0]!;
  const message = INDENTATION_CODES.has(first.code) ? `${firstLine} (check the indentation)` : firstLine;
  // An unclosed quote or bracket is noticed where the text ends or the indentation drops; it was made where it opens.
  if (UNCLOSED_CODES.has(first.code)) {
    const opening = unclosedOpening(doc, first.pos[0]);
    if (opening !== undefined) return { offset: opening, message };
  }
  // Two lines read as one multi-line key. The first line is the mistake when it could not stand alone: a field
  // name with no colon, `key:value` without the space, a quote that the next line closes. Otherwise it is a
  // value or a list item that the next line, indented too deep, runs on from.
  const multiline = doc.errors.find((e) => e.code === 'MULTILINE_IMPLICIT_KEY' && e.pos[0] === first.pos[0]);
  if (multiline) {
    const lineStart = text.lastIndexOf('\n', multiline.pos[0] - 1) + 1;
    const keyFirstLine = text.slice(multiline.pos[0]).split('\n')[0]!.trimEnd();
    const loneName = /^\s*$/.test(text.slice(lineStart, multiline.pos[0]));
    if (/^["']/.test(keyFirstLine)) return { offset: multiline.pos[0], message };
    if (/:\S/.test(keyFirstLine)) return { offset: multiline.pos[0], message: `a space is missing after the colon in "${keyFirstLine}"` };
    if (loneName && !keyFirstLine.includes(':')) return { offset: multiline.pos[0], message: `a colon is missing after "${keyFirstLine}"` };
    return { offset: multiline.pos[1], message };
  }
  return { offset: INDENTATION_CODES.has(first.code) ? firstItemOddOut(text, first.pos[0]) : first.pos[0], message };
}

/**
 * The first item of a list or mapping sets its indentation, so when that item is the one indented wrongly the
 * parser complains at the second. When the flagged line lines up with the one after it but not with the one
 * before it, and both start alike (`- ` items or `key:` fields), the one before is the odd one out.
 */
function firstItemOddOut(text: string, offset: number): number {
  const lines = text.split('\n');
  const at = text.slice(0, offset).split('\n').length - 1;
  const shape = (line: string | undefined) => {
    const match = line === undefined ? null : /^( *)(- |[^\s:#-][^:]*:(?: |$))/.exec(line);
    return match ? { indent: match[1]!.length, item: match[2] === '- ' } : undefined;
  };
  const [before, flagged, after] = [shape(lines[at - 1]), shape(lines[at]), shape(lines[at + 1])];
  if (!before || !flagged || !after) return offset;
  const oddOut = before.indent !== flagged.indent && after.indent === flagged.indent && before.item === flagged.item && after.item === flagged.item;
  return oddOut ? text.lastIndexOf('\n', text.lastIndexOf('\n', offset - 1) - 1) + 1 : offset;
}

/** Start of the innermost quoted value or `[…]`/`{…}` list that runs on to `offset`. */
function unclosedOpening(doc: Document, offset: number): number | undefined {
  let opening: number | undefined;
  yaml().visit(doc, (_key, node) => {
    const quoted = yaml().isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE');
    const flow = yaml().isCollection(node) && node.flow === true;
    const range = yaml().isNode(node) ? node.range : undefined;
    if ((quoted || flow) && range && range[0] < offset && offset <= range[1] && (opening === undefined || range[0] > opening)) opening = range[0];
  });
  return opening;
}

/** Where a mapping key is a list, a mapping or an alias rather than a plain name. */
function firstComplexKey(doc: Document): number | undefined {
  let offset: number | undefined;
  yaml().visit(doc, {
    Pair(_key, pair) {
      if (pair.key === null || yaml().isScalar(pair.key)) return undefined;
      offset = yaml().isNode(pair.key) ? pair.key.range?.[0] : undefined;
      return yaml().visit.BREAK;
    },
  });
  return offset;
}

function firstAliasOffset(doc: Document): number | undefined {
  let offset: number | undefined;
  yaml().visit(doc, {
    Alias(_key, node) {
      if (node.range && node.resolve(doc) === undefined) {
        offset = node.range[0];
        return yaml().visit.BREAK;
      }
      return undefined;
    },
  });
  return offset;
}

/** The identity fields written before the mistake: what follows it may have been swallowed by it. */
function salvageIdentity(doc: Document, before: number): NoteIdentity {
  if (!yaml().isMap(doc.contents)) return {};
  const fields: Record<string, unknown> = {};
  for (const pair of doc.contents.items) {
    if (!yaml().isScalar(pair.key) || !yaml().isScalar(pair.value) || yaml().isAlias(pair.value)) continue;
    const key = String(pair.key.value);
    const end = pair.value.range?.[1];
    if (IDENTITY_FIELDS.includes(key) && end !== undefined && end <= before) fields[key] = pair.value.value;
  }
  return identityOf(fields);
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
      meta.strategies.forEach((strategy, i) => need(['strategies', i], strategy, ['rto_label', 'rpo_label', 'cost_label', 'idle_footprint', 'when', ...(strategy.services.length > 0 ? ['services'] : [])]));
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
      ...(section.unanswered ? { unanswered: section.unanswered } : {}),
      source,
      line: section.line,
      keywords: meta.keywords,
      context,
      tags: meta.tags,
    };
  });
}

type Issue = z.core.$ZodIssue;
/** A required field that is not written at all (zod reports it as a wrong type). */
const isMissing = (doc: Document, issue: Issue): boolean => issue.code === 'invalid_type' && !doc.hasIn(issue.path as (string | number)[]);
const pathKey = (path: PropertyKey[]): string => path.map(String).join('.');

/**
 * One problem per mistake, in line order. A misspelled field is an unknown field and a missing one at once:
 * both are told in one problem, at the misspelling.
 */
function schemaProblems(file: string, doc: Document, issues: Issue[], fileLine: (offset: number) => number): Problem[] {
  const misspelled = new Map<Issue, string[]>();
  const told = new Set<Issue>();
  for (const unknown of issues.filter((issue) => issue.code === 'unrecognized_keys')) {
    const parent = pathKey(unknown.path);
    const missing = issues.filter((issue) => isMissing(doc, issue) && issue.path.length === unknown.path.length + 1 && pathKey(issue.path.slice(0, -1)) === parent);
    missing.forEach((issue) => told.add(issue));
    if (missing.length > 0) misspelled.set(unknown, missing.map((issue) => `"${String(issue.path.at(-1))}"`));
  }
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const issue of issues) {
    if (told.has(issue)) continue;
    const missing = misspelled.get(issue);
    const message = `${describeIssue(doc, issue)}${missing ? ` (and ${missing.join(', ')} is missing: misspelled?)` : ''}`;
    const problem: Problem = { file, line: issueLine(doc, issue, fileLine), message, severity: 'error' };
    const key = `${problem.line}\n${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push(problem);
  }
  return problems.sort((a, b) => a.line - b.line);
}

function describeIssue(doc: Document, issue: Issue): string {
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  if (isMissing(doc, issue)) return `${where}required field is missing`;
  if (issue.code === 'unrecognized_keys') return `${where}unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  return `${where}${issue.message}`;
}

/** The line of an issue: an unknown field at its own key, anything else at its value (or nearest parent). */
function issueLine(doc: Document, issue: Issue, fileLine: (offset: number) => number): number {
  if (issue.code === 'unrecognized_keys') {
    const parent = issue.path.length === 0 ? doc.contents : doc.getIn(issue.path as (string | number)[], true);
    const pair = yaml().isMap(parent) ? parent.items.find((p) => yaml().isScalar(p.key) && p.key.value === issue.keys[0]) : undefined;
    const range = yaml().isScalar(pair?.key) ? pair.key.range : undefined;
    if (range) return fileLine(range[0]);
  }
  return lineOf(doc, issue.path, fileLine);
}

/** The file line of the YAML node at `path`, or of its nearest existing parent. */
function lineOf(doc: Document, path: PropertyKey[], fileLine: (offset: number) => number): number {
  for (let depth = path.length; depth >= 0; depth--) {
    const node: unknown = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth) as (string | number)[], true);
    if (yaml().isNode(node) && node.range) return fileLine(node.range[0]);
  }
  return 2;
}

/**
 * Loads every note below `root`. A broken file is reported and skipped; the rest is served.
 * A hot reload follows the same rule through the same code (NoteFiles).
 */
export function loadKnowledge(root: string): KnowledgeBase {
  const files = new NoteFiles(root);
  files.refresh([root]);
  return files.knowledgeBase();
}

/** Files a refresh parsed again (new or changed content) or dropped, relative to the root. */
export interface FileChanges {
  changed: string[];
  removed: string[];
}

/**
 * One note file as last read: what identifies its content, so an unchanged file is not read or parsed again, and
 * what parsing gave.
 */
export interface ParsedContent {
  /** Modification and change times, size and inode as last read: a folder scan skips a file whose stamp has not moved. */
  stamp: string;
  hash: string;
  parsed: ParsedFile;
}

/** A note file's path relative to the root, with `/` separators; undefined outside the root. */
function relativePath(root: string, path: string): string | undefined {
  const rel = relative(root, path);
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

/** What listNoteFiles serves: `.md` files with no hidden folder or file on their path. */
const isNoteFile = (rel: string): boolean => rel.endsWith('.md') && !rel.split('/').some((part) => part.startsWith('.'));

/**
 * The note files below a root, each as last read. A refresh re-reads only the paths it is given (files or
 * folders, present or gone) and parses only files whose content changed; the knowledge base is put together
 * from the per-file results, so a broken file is skipped while the others are served.
 */
export class NoteFiles {
  private readonly entries = new Map<string, ParsedContent>();
  /** Each file's identity when it last parsed, so a broken edit can still say which note it took away. */
  private readonly identities = new Map<string, NoteIdentity>();

  /**
   * `parsedBefore`: files as an earlier run of the same loader code read and parsed them (a search snapshot keeps
   * them), by path; a file whose content hash is the same is not parsed again, and one whose stamp is the same is
   * not even read.
   */
  constructor(
    readonly root: string,
    private parsedBefore: Map<string, ParsedContent> = new Map(),
  ) {}

  /** Each file's stamp, content hash and what parsing it gave, by path: what a snapshot keeps so a later start need not read or parse. */
  parsedContents(): Map<string, ParsedContent> {
    return new Map(this.entries);
  }

  /** Forgets `parsedBefore`: it only serves the first read of the folder. */
  forgetParsedBefore(): void {
    this.parsedBefore = new Map();
  }

  /** Re-reads the note files at or below each path; a path that is gone drops the files that were below it. */
  refresh(paths: Iterable<string>): FileChanges {
    return runToEnd(this.refreshSteps(paths));
  }

  /** `refresh` a file at a time, so that a reload of many files can leave the event loop free between them. */
  *refreshSteps(paths: Iterable<string>): Generator<void, FileChanges, undefined> {
    const changes: FileChanges = { changed: [], removed: [] };
    for (const path of paths) {
      const rel = relativePath(this.root, path);
      if (rel === undefined) continue;
      const stats = statSync(path, { throwIfNoEntry: false });
      if (stats?.isDirectory()) {
        const present = new Set(listNoteFiles(path).flatMap((file) => relativePath(this.root, file) ?? []));
        for (const known of this.filesAt(rel)) if (!present.has(known)) this.drop(known, changes);
        // A folder scan (at start, or a folder made again) reads only files whose stamp moved: at 10k sections
        // reading and hashing every file would hold the event loop for a fifth of a second.
        for (const file of present) {
          this.read(file, changes, { unlessStampUnchanged: true });
          yield;
        }
      } else if (stats?.isFile()) {
        if (isNoteFile(rel)) this.read(rel, changes, { unlessStampUnchanged: false });
        yield;
      } else {
        for (const known of this.filesAt(rel)) this.drop(known, changes);
      }
    }
    return changes;
  }

  knowledgeBase(): KnowledgeBase {
    const files = [...this.entries.keys()].sort().map((file) => ({ file, parsed: this.entries.get(file)!.parsed, identity: this.identities.get(file) ?? {} }));
    return assemble(this.root, files);
  }

  /** Known files at `rel` or below it ('' is the root). */
  private filesAt(rel: string): string[] {
    return [...this.entries.keys()].filter((file) => rel === '' || file === rel || file.startsWith(`${rel}/`));
  }

  private read(file: string, changes: FileChanges, options: { unlessStampUnchanged: boolean }): void {
    const path = join(this.root, file);
    // Stamped before reading: a write in between leaves an older stamp, so the next scan reads the file again.
    const stats = statSync(path, { throwIfNoEntry: false });
    const stamp = stats ? `${stats.mtimeMs}/${stats.ctimeMs}/${stats.size}/${stats.ino}` : '';
    const known = this.entries.get(file);
    if (options.unlessStampUnchanged && known?.stamp === stamp) return;
    // Unchanged since an earlier run read it: any write moves the change time (which no program can set back), so
    // the content is the one hashed then. At start this saves reading and hashing every note (500 files at 10k sections).
    const before = this.parsedBefore.get(file);
    if (options.unlessStampUnchanged && !known && stats && before?.stamp === stamp) return this.store(file, before, () => before.parsed, changes);
    let content: string;
    try {
      content = readFileSync(path, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Deleted between the listing and the read: the event for the deletion is on its way, and this is the same.
      if (code === 'ENOENT') return this.drop(file, changes);
      const problem: Problem = { file, line: 1, message: `cannot read: ${(error as Error).message}`, severity: 'error' };
      return this.store(file, { stamp, hash: `unreadable:${code}` }, () => ({ ok: false, problems: [problem], identity: {} }), changes);
    }
    this.store(file, { stamp, hash: createHash('sha256').update(content).digest('hex') }, () => parseNote(file, content), changes);
  }

  /** Keeps the file's new stamp; parses it only when its content is new. */
  private store(file: string, read: { stamp: string; hash: string }, parse: () => ParsedFile, changes: FileChanges): void {
    const known = this.entries.get(file);
    if (known?.hash === read.hash) {
      known.stamp = read.stamp;
      return;
    }
    const before = this.parsedBefore.get(file);
    const parsed = before?.hash === read.hash ? before.parsed : parse();
    this.entries.set(file, { ...read, parsed });
    this.identities.set(file, parsed.ok ? noteIdentity(parsed.note) : { ...this.identities.get(file), ...parsed.identity });
    changes.changed.push(file);
  }

  private drop(file: string, changes: FileChanges): void {
    if (!this.entries.delete(file)) return;
    this.identities.delete(file);
    changes.removed.push(file);
  }
}

/**
 * The knowledge base from per-file results, in file order: broken files and a second use of an id are skipped,
 * then references to notes that are not served are reported where they are written.
 */
function assemble(root: string, files: { file: string; parsed: ParsedFile; identity: NoteIdentity }[]): KnowledgeBase {
  const problems: Problem[] = [];
  const notes: Note[] = [];
  const skipped: SkippedNote[] = [];
  const untranslated: Problem[] = [];
  const owner = new Map<string, string>();
  for (const { file, parsed, identity } of files) {
    if (!parsed.ok) {
      problems.push(...parsed.problems);
      skipped.push({ ...identity, file, problem: parsed.problems[0]! });
      continue;
    }
    const { note } = parsed;
    const first = owner.get(note.id);
    if (first) {
      const problem: Problem = { file, line: note.idLine, message: `duplicate id "${note.id}" (already used by ${first}); file skipped`, severity: 'error' };
      problems.push(problem);
      skipped.push({ ...noteIdentity(note), file, problem });
      continue;
    }
    owner.set(note.id, file);
    notes.push(note);
    untranslated.push(...parsed.untranslated);
  }
  problems.push(...checkReferences(notes, skipped));
  problems.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  return { root, notes, sections: notes.flatMap((n) => n.sections), problems, untranslated, skipped };
}

function checkReferences(notes: Note[], skipped: SkippedNote[]): Problem[] {
  const served = new Set(notes.map((n) => n.id));
  const skippedById = new Map(skipped.flatMap((s) => (s.id !== undefined && !served.has(s.id) ? [[s.id, s] as const] : [])));
  const problems: Problem[] = [];
  for (const note of notes) {
    for (const reference of note.references) {
      if (served.has(reference.target)) continue;
      const broken = skippedById.get(reference.target);
      const target = `"${reference.target}"`;
      const why = broken ? `is not served: ${broken.problem.file}:${broken.problem.line} has an error` : undefined;
      const message = reference.tip
        ? `tip "${reference.tip}" cites ${why ? `note ${target}, which ${why}` : `unknown note ${target}`}`
        : `related note ${target} ${why ?? 'does not exist'}`;
      problems.push({ file: note.source, line: reference.line, message, severity: 'warning' });
    }
  }
  return problems;
}
