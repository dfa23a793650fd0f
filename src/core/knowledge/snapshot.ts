import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DefaultDeserializer, DefaultSerializer } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { SearchEngine, type EngineState } from '../search/engine.ts';
import { DEFAULT_TUNING } from '../search/index.ts';
import { packCounts, packTree, unpackTree, UnpackingCounts, type PackedCounts, type PackedTree } from '../search/packed-tree.ts';
import { NoteFiles, type ParsedContent } from './loader.ts';

/**
 * The version of the code that turns note files into a search index. A snapshot made by other code is ignored.
 * Bump it whenever a change would make a fresh build differ from a snapshot of the same files: the loader's
 * parsing (front matter, sections, ids, problems), the tokenizer or what a search document holds (engine.ts:
 * fields, statistics, the speller), or a minisearch upgrade (the engine keeps MiniSearch's private fields).
 * Search-time code (ranking, glossary, tuning) needs no bump: it reads the index as it is. A change of what the
 * snapshot file holds or how (SnapshotContents, packed-tree.ts) needs one too.
 */
export const SEARCH_CODE_VERSION = 11;

/** The snapshot's file under DATA_DIR. Deleting it is always safe: the next start builds the index and writes it again. */
export const SNAPSHOT_FILE = 'search-index.snapshot';

/** What a snapshot holds: the notes as parsed and the search engine built from them, for one set of file contents. */
interface SnapshotContents {
  codeVersion: number;
  /** The notes' content hashes it was made from (see `snapshotKey`). */
  key: string;
  files: [string, ParsedContent][];
  /** The engine's state, its radix tree and term counts packed (see packed-tree.ts). */
  engine: Omit<EngineState, 'tree' | 'fieldFrequency' | 'sectionFrequency' | 'speller'> & {
    tree: PackedTree;
    fieldFrequency: PackedCounts;
    sectionFrequency: PackedCounts;
    speller: { counts: PackedCounts; written: EngineState['speller']['written'] };
  };
}

export type SnapshotRead =
  | { status: 'missing' }
  | { status: 'corrupt'; reason: string }
  | {
      status: 'readable';
      key: string;
      parsed: Map<string, ParsedContent>;
      /**
       * The engine's state; each call gives one of its own over the same packed tree and counts (unpacked as they
       * are used), so a second engine costs no copy of the index: the first call takes the rest as read, later
       * ones copies of it.
       */
      engine: () => EngineState;
    };

/** The first bytes of a snapshot file. */
const MAGIC = Buffer.from('summit-bot search index\n');
const TYPED_ARRAYS = [Uint16Array, Uint32Array] as const;
const BLOB_ALIGNMENT = 8;
const aligned = (length: number) => Math.ceil(length / BLOB_ALIGNMENT) * BLOB_ALIGNMENT;

/**
 * The file: MAGIC, the header's length, the header (V8-serialized), then the typed arrays' bytes, each at an offset
 * aligned for its type. V8 would write a typed array inline, at whatever offset it falls, and reading one back at an
 * unaligned offset copies it (a tenth of a second at 10k sections on this machine); here each is a view into the
 * bytes read, and the header holds only its type and length, the arrays following in the order written.
 */
function packFile(contents: SnapshotContents): Buffer {
  const blobs: (Uint16Array | Uint32Array)[] = [];
  // Node calls `_writeHostObject` for every typed array (DefaultSerializer asks V8 to treat them as host objects).
  const serializer = new (class extends DefaultSerializer {
    _writeHostObject(object: object): void {
      const kind = TYPED_ARRAYS.findIndex((type) => object instanceof type);
      if (kind < 0) throw new Error('search index snapshot: cannot keep this kind of object');
      const array = object as Uint16Array | Uint32Array;
      this.writeUint32(kind);
      this.writeUint32(array.byteLength);
      blobs.push(array);
    }
  })();
  serializer.writeHeader();
  serializer.writeValue(contents);
  const header = serializer.releaseBuffer();
  const start = aligned(MAGIC.length + 4 + header.length);
  const file = Buffer.alloc(start + blobs.reduce((sum, blob) => sum + aligned(blob.byteLength), 0));
  MAGIC.copy(file);
  file.writeUInt32LE(header.length, MAGIC.length);
  header.copy(file, MAGIC.length + 4);
  let at = start;
  for (const blob of blobs) {
    file.set(new Uint8Array(blob.buffer, blob.byteOffset, blob.byteLength), at);
    at += aligned(blob.byteLength);
  }
  return file;
}

function unpackFile(bytes: Buffer): unknown {
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  const headerStart = MAGIC.length + 4;
  let at = aligned(headerStart + headerLength);
  const deserializer = new (class extends DefaultDeserializer {
    _readHostObject(): unknown {
      const type = TYPED_ARRAYS[this.readUint32()];
      const byteLength = this.readUint32();
      if (!type || byteLength % type.BYTES_PER_ELEMENT !== 0 || at + byteLength > bytes.length) throw new Error('a typed array is out of bounds');
      const offset = bytes.byteOffset + at;
      at += aligned(byteLength);
      // A view when the bytes are aligned for the type (a file read whole starts its own buffer), else a copy.
      if (offset % type.BYTES_PER_ELEMENT === 0) return new type(bytes.buffer as ArrayBuffer, offset, byteLength / type.BYTES_PER_ELEMENT);
      return new type(new Uint8Array(bytes.subarray(offset - bytes.byteOffset, offset - bytes.byteOffset + byteLength)).buffer);
    }
  })(bytes.subarray(headerStart, headerStart + headerLength));
  deserializer.readHeader();
  return deserializer.readValue();
}

/**
 * What a snapshot must have been made from to serve these notes: the search code version, the V8 version (its
 * serialization format) and every note file's path and content hash.
 */
export function snapshotKey(parsed: Map<string, ParsedContent>): string {
  const hash = createHash('sha256').update(`${SEARCH_CODE_VERSION}\n${process.versions.v8}\n`);
  for (const file of [...parsed.keys()].sort()) hash.update(`${file}\t${parsed.get(file)!.hash}\n`);
  return hash.digest('hex');
}

/**
 * Reads the snapshot in `dataDir`. Anything that does not deserialize into the expected shape is corrupt; one
 * made by other search code is treated as missing (its parsed notes may not match what this code parses).
 */
export function readSnapshot(dataDir: string): SnapshotRead {
  let bytes: Buffer;
  try {
    bytes = readFileSync(join(dataDir, SNAPSHOT_FILE));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
    return { status: 'corrupt', reason: (error as Error).message };
  }
  // V8's own serialization starts with its version tag: a snapshot of this format's predecessor, from other code.
  if (!bytes.subarray(0, MAGIC.length).equals(MAGIC)) return bytes[0] === 0xff ? { status: 'missing' } : { status: 'corrupt', reason: 'not a search index snapshot' };
  let contents: unknown;
  try {
    contents = unpackFile(bytes);
  } catch (error) {
    return { status: 'corrupt', reason: `does not deserialize: ${(error as Error).message}` };
  }
  // Checked first: another version may keep its contents in another shape, and that is not corruption.
  const codeVersion = typeof contents === 'object' && contents !== null ? (contents as Partial<SnapshotContents>).codeVersion : undefined;
  if (typeof codeVersion === 'number' && codeVersion !== SEARCH_CODE_VERSION) return { status: 'missing' };
  if (!isSnapshot(contents)) return { status: 'corrupt', reason: 'not a search index snapshot' };
  const { tree, fieldFrequency, sectionFrequency, speller, ...rest } = contents.engine;
  let taken = false;
  const engine = (): EngineState => {
    // The small parts (per-section field lengths, ids, the sound keys) are copied whole: a few milliseconds at 10k sections.
    const own = taken ? structuredClone({ rest, written: speller.written }) : { rest, written: speller.written };
    taken = true;
    return {
      ...own.rest,
      tree: unpackTree(tree),
      fieldFrequency: new UnpackingCounts(fieldFrequency),
      sectionFrequency: new UnpackingCounts(sectionFrequency),
      speller: { counts: new UnpackingCounts(speller.counts), written: own.written },
    };
  };
  return { status: 'readable', key: contents.key, parsed: new Map(contents.files), engine };
}

const isPackedTree = (tree: PackedTree | undefined): boolean =>
  typeof tree?.labels === 'string' && tree.nodes instanceof Uint32Array && tree.nodes.length > 0 && (tree.postings instanceof Uint16Array || tree.postings instanceof Uint32Array);

const isPackedCounts = (counts: PackedCounts | undefined): boolean =>
  typeof counts?.terms === 'string' &&
  counts.starts instanceof Uint32Array &&
  counts.counts instanceof Uint32Array &&
  counts.starts.length === counts.counts.length + 1 &&
  counts.starts.at(-1) === counts.terms.length;

function isSnapshot(value: unknown): value is SnapshotContents {
  if (typeof value !== 'object' || value === null) return false;
  const { codeVersion, key, files, engine } = value as Partial<SnapshotContents>;
  return (
    typeof codeVersion === 'number' &&
    typeof key === 'string' &&
    Array.isArray(files) &&
    files.every(
      (entry) => Array.isArray(entry) && typeof entry[0] === 'string' && typeof entry[1]?.stamp === 'string' && typeof entry[1]?.hash === 'string' && typeof entry[1]?.parsed?.ok === 'boolean',
    ) &&
    typeof engine === 'object' &&
    engine !== null &&
    isPackedTree(engine.tree) &&
    engine.documentIds instanceof Map &&
    isPackedCounts(engine.fieldFrequency) &&
    isPackedCounts(engine.sectionFrequency) &&
    isPackedCounts(engine.speller?.counts) &&
    engine.speller?.written instanceof Map
  );
}

/**
 * Reads the notes below `root`, builds their search index and writes both to the snapshot in `dataDir`,
 * atomically (a temporary file renamed over the old one), so a start never reads half a snapshot.
 * Synchronous and seconds long at 10k sections: the bot runs it in a worker thread (`writeSnapshotInWorker`).
 */
export function writeSnapshot(root: string, dataDir: string): { key: string; sections: number } {
  const files = new NoteFiles(root);
  files.refresh([root]);
  const base = files.knowledgeBase();
  const engine = SearchEngine.build(base.sections, DEFAULT_TUNING.bm25);
  const parsed = files.parsedContents();
  const key = snapshotKey(parsed);
  const { tree, fieldFrequency, sectionFrequency, speller, ...rest } = engine.state();
  const contents: SnapshotContents = {
    codeVersion: SEARCH_CODE_VERSION,
    key,
    files: [...parsed],
    engine: {
      ...rest,
      tree: packTree(tree),
      fieldFrequency: packCounts(fieldFrequency),
      sectionFrequency: packCounts(sectionFrequency),
      speller: { counts: packCounts(speller.counts), written: speller.written },
    },
  };
  mkdirSync(dataDir, { recursive: true });
  const target = join(dataDir, SNAPSHOT_FILE);
  const temporary = `${target}.${process.pid}-${Date.now()}.tmp`;
  try {
    writeFileSync(temporary, packFile(contents));
    renameSync(temporary, target);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  return { key, sections: base.sections.length };
}

const TSX_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
import(workerData.tsx).then(({ register }) => { register(); return import(workerData.entry); });
`;

/** What the worker posts back. */
export type SnapshotWritten = { ok: true; key: string; sections: number } | { ok: false; error: string };

/**
 * Runs `writeSnapshot` in a worker thread: building and serializing the index takes seconds at 10k sections,
 * which must not hold the event loop that answers. Resolves when the worker is done (or was stopped).
 */
export function writeSnapshotInWorker(root: string, dataDir: string): { done: Promise<SnapshotWritten>; stop: () => Promise<void> } {
  // Compiled, the worker is JavaScript. Under tsx (npm start, tests) it is TypeScript, and Node 20 does not apply
  // the parent's loader hooks to a worker's entry: a small bootstrap registers tsx in the worker, then imports it.
  const typescript = import.meta.url.endsWith('.ts');
  const entry = new URL(`./snapshot-worker.${typescript ? 'ts' : 'js'}`, import.meta.url);
  const workerData = { root, dataDir, entry: entry.href, tsx: typescript ? import.meta.resolve('tsx/esm/api') : undefined };
  const worker = typescript
    ? new Worker(TSX_BOOTSTRAP, { eval: true, workerData, stdout: false, stderr: false })
    : new Worker(entry, { workerData, stdout: false, stderr: false });
  const done = new Promise<SnapshotWritten>((resolve) => {
    worker.once('message', (message: SnapshotWritten) => resolve(message));
    worker.once('error', (error) => resolve({ ok: false, error: error.message }));
    worker.once('exit', (code) => resolve({ ok: false, error: `the snapshot worker stopped (exit code ${code})` }));
  });
  return {
    done,
    stop: async () => {
      await worker.terminate();
    },
  };
}

/**
 * A snapshot is for the next start, not urgent, and writing one costs a core for seconds at 10k sections:
 * it waits for the notes to be quiet this long.
 */
const DEFAULT_SNAPSHOT_DELAY_MS = 5000;

export interface SnapshotWriterOptions {
  root: string;
  dataDir: string;
  /** Quiet time after the last change before a snapshot is written: edits come in bursts, and a write costs seconds of a core. */
  delayMs?: number;
  onWritten(result: SnapshotWritten): void;
}

/**
 * Writes the snapshot again after the notes change, one write at a time: a change during a write makes one more
 * write after it, never a second worker.
 */
export class SnapshotWriter {
  private timer: NodeJS.Timeout | undefined;
  private running: { done: Promise<SnapshotWritten>; stop: () => Promise<void> } | undefined;
  private again = false;
  private closed = false;

  constructor(private readonly options: SnapshotWriterOptions) {}

  schedule(): void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.write(), this.options.delayMs ?? DEFAULT_SNAPSHOT_DELAY_MS);
    this.timer.unref();
  }

  private write(): void {
    if (this.closed) return;
    const running = writeSnapshotInWorker(this.options.root, this.options.dataDir);
    this.running = running;
    void running.done.then((result) => {
      this.running = undefined;
      if (this.closed) return;
      this.options.onWritten(result);
      if (this.again) {
        this.again = false;
        this.schedule();
      }
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.running?.stop();
  }
}
