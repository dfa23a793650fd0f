import { dirname, relative, resolve, sep } from 'node:path';
import { watch as watchPaths, type FSWatcher } from 'chokidar';
import { Knowledge } from './knowledge.ts';
import { loadNoteParser, NoteFiles, type FileChanges } from './loader.ts';
import { formatProblem, type Problem, type Section } from './types.ts';
import { SearchEngine } from '../search/engine.ts';
import { DEFAULT_TUNING, SearchIndex } from '../search/index.ts';
import { inSlices, withResult } from '../slices.ts';
import { readSnapshot, snapshotKey, SnapshotWriter, type SnapshotWritten } from './snapshot.ts';

export interface ReloadResult extends FileChanges {
  /** Problems the notes served before this reload did not have: each problem is reported once. */
  newProblems: Problem[];
  /** Files that were skipped before this reload and are served now. */
  restored: string[];
}

export interface WatchOptions {
  onReload(result: ReloadResult): void;
  onError(error: unknown): void;
  /** Quiet time after the last change before the notes are re-read: editors and `git checkout` write in bursts. */
  debounceMs?: number;
  /** The longest a stream of changes that never pauses can put a re-read off. */
  maxWaitMs?: number;
  /** How long after a reload that failed the notes are read again (default 5 s). */
  retryMs?: number;
}

/** How the search index was made at start. */
export type IndexOrigin =
  | { from: 'snapshot' }
  | { from: 'build'; snapshot: 'off' | 'missing' | 'stale' }
  | { from: 'build'; snapshot: 'corrupt'; reason: string };

export interface LiveKnowledgeOptions {
  /**
   * Where the search index snapshot is kept (DATA_DIR): read at start when it was made from the same note
   * contents, written again (in a worker thread) after a build and after reloads. No snapshot without it.
   */
  dataDir?: string;
  /** Each snapshot written, or why it could not be. */
  onSnapshot?(result: SnapshotWritten): void;
  /** Quiet time after a build or reload before the snapshot is written (tests shorten it). */
  snapshotDelayMs?: number;
}

const BM25 = DEFAULT_TUNING.bm25;

/**
 * The notes currently served. A reload re-reads only the files that changed and serves the result by the same
 * rule as at start: a broken file is skipped and reported, the rest is served, and fixing the file brings it back.
 *
 * The search index is double-buffered: two engines, one serving and one standby. A reload brings the standby to
 * the new sections (only the changed files' sections are removed and added) in slices of a few milliseconds, so
 * the event loop keeps answering from the serving engine meanwhile; then the new Knowledge is served in one
 * assignment, and the old engine becomes the standby, to catch up at the next reload. Answers never see an
 * engine in the middle of a change: the index a request may still hold is retired and answers from its successor.
 */
export class LiveKnowledge {
  private readonly files: NoteFiles;
  private knowledge: Knowledge;
  private serving: SearchEngine;
  /** The second engine: being copied from the first after start, then the one the last swap took out of service. */
  private standby: Promise<SearchEngine | undefined>;
  /** The serving index's correction table and listed questions, prepared in the background at start. */
  private readonly prepared: Promise<unknown>;
  /** Reloads run one after another. */
  private reloads: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** A reload read changes it could not serve (it failed half-way): the next reload serves them, even if no file changed since. */
  private unserved = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly snapshots: SnapshotWriter | undefined;
  private watcher: FSWatcher | undefined;
  private readonly pending = new Set<string>();
  private pendingSince: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  readonly root: string;
  readonly indexOrigin: IndexOrigin;

  constructor(root: string, options: LiveKnowledgeOptions = {}) {
    this.root = resolve(root);
    const { dataDir } = options;
    const snapshot = dataDir ? readSnapshot(dataDir) : undefined;
    // Parsed notes from a snapshot of the same code serve every file whose content is the same, even when others changed.
    this.files = new NoteFiles(this.root, snapshot?.status === 'readable' ? snapshot.parsed : undefined);
    this.files.refresh([this.root]);
    this.files.forgetParsedBefore();
    const base = this.files.knowledgeBase();
    let origin: IndexOrigin;
    if (!snapshot) origin = { from: 'build', snapshot: 'off' };
    else if (snapshot.status === 'corrupt') origin = { from: 'build', snapshot: 'corrupt', reason: snapshot.reason };
    else origin = { from: 'build', snapshot: snapshot.status === 'missing' ? 'missing' : 'stale' };
    let engine: SearchEngine | undefined;
    let second: (() => Promise<SearchEngine | undefined>) | undefined;
    if (snapshot?.status === 'readable' && snapshot.key === snapshotKey(this.files.parsedContents())) {
      try {
        engine = SearchEngine.fromState(snapshot.engine(), base.sections, BM25);
        origin = { from: 'snapshot' };
        // The standby from the snapshot too: its own lazily unpacked state, where a copy of the serving engine
        // would make 10k sections' worth of Maps in slices for seconds, with long garbage collections.
        second = async () => SearchEngine.fromState(snapshot.engine(), base.sections, BM25);
      } catch (error) {
        origin = { from: 'build', snapshot: 'corrupt', reason: (error as Error).message };
      }
    }
    this.serving = engine ?? SearchEngine.build(base.sections, BM25);
    this.indexOrigin = origin;
    this.knowledge = new Knowledge(base, { index: new SearchIndex(base.sections, { engine: this.serving }) });
    const serving = this.serving;
    const standby = second ?? (() => serving.copyInSlices(() => this.closed));
    // In the background, in slices: the serving engine's correction table and the listed questions, then the engine
    // that becomes the standby. Then the note parser, which a start from a snapshot did not need, rather than at the
    // first edit.
    const index = this.knowledge.index;
    this.prepared = serving.prepareInSlices(() => this.closed).then(() => inSlices(withResult(index.prepareListed()), () => this.closed));
    this.standby = this.prepared
      .then(() => this.caughtUp(standby(), base.sections))
      .then((ready) => {
        if (ready) loadNoteParser();
        return ready;
      });
    this.snapshots = dataDir ? new SnapshotWriter({ root: this.root, dataDir, delayMs: options.snapshotDelayMs, onWritten: (result) => options.onSnapshot?.(result) }) : undefined;
    if (origin.from === 'build') this.snapshots?.schedule();
  }

  get current(): Knowledge {
    return this.knowledge;
  }

  /**
   * Resolves once what the first questions would otherwise build at once is built in the background: the correction
   * table and the listed questions (for the shipped notes, about 0.6 s that a question asked right after start waited
   * for, holding every other request with it). The bot starts serving once it resolves.
   */
  async answering(): Promise<void> {
    await this.prepared;
  }

  /** Resolves once the standby engine is ready and no reload is running: what a reload right now would wait for. */
  async settled(): Promise<void> {
    await this.reloads;
    await this.standby;
  }

  /**
   * Re-reads the files at or below `paths` (the whole folder by default); a file whose content is unchanged is not
   * parsed again. Resolves once the new notes are served. Reloads run one at a time, in the order asked.
   */
  reload(paths: Iterable<string> = [this.root]): Promise<ReloadResult> {
    const list = [...paths];
    const result = this.reloads.then(() => this.reloadNow(list));
    this.reloads = result.catch(() => undefined);
    return result;
  }

  /** `engine` brought to `sections` and its correction table prepared; undefined once closed. */
  private async caughtUp(engine: Promise<SearchEngine | undefined>, sections: Section[]): Promise<SearchEngine | undefined> {
    const cancelled = () => this.closed;
    try {
      const ready = await engine;
      return ready && (await ready.changeInSlices(sections, cancelled)) ? ready : undefined;
    } catch {
      // An engine that failed half-way through a change is unusable; a copy of the serving one takes its place.
      const copy = await this.serving.copyInSlices(cancelled);
      return copy && (await copy.prepareInSlices(cancelled)) ? copy : undefined;
    }
  }

  private async reloadNow(paths: string[]): Promise<ReloadResult> {
    // Parsing is in slices too: a checkout that changes every note means parsing them all.
    const changes = (await inSlices(this.files.refreshSteps(paths), () => this.closed)) ?? { changed: [], removed: [] };
    if (changes.changed.length === 0 && changes.removed.length === 0 && !this.unserved) return { ...changes, newProblems: [], restored: [] };
    const base = this.files.knowledgeBase();
    const engine = await this.standby;
    if (!engine || this.closed) return { ...changes, newProblems: [], restored: [] };
    let changed: boolean;
    try {
      changed = await engine.changeInSlices(base.sections, () => this.closed);
    } catch (error) {
      this.unserved = true;
      // A change that failed half-way leaves the standby unusable: a fresh copy of the serving engine replaces it.
      this.standby = this.caughtUp(this.serving.copyInSlices(() => this.closed), this.knowledge.base.sections);
      throw error;
    }
    if (!changed) return { ...changes, newProblems: [], restored: [] };
    const before = this.knowledge;
    const index = new SearchIndex(base.sections, { engine });
    // Its listed questions before it serves, so that the next question does not wait for them.
    if ((await inSlices(withResult(index.prepareListed()), () => this.closed)) === undefined) return { ...changes, newProblems: [], restored: [] };
    // The swap: from here on answers come from the new notes, and the old index answers from the new one.
    this.knowledge = new Knowledge(base, { index });
    this.unserved = false;
    before.index.retire(index);
    const previous = this.serving;
    this.serving = engine;
    // In the background, in slices: the old engine catches up and becomes the standby, so the next reload has
    // only its own change to make.
    this.standby = this.caughtUp(Promise.resolve(previous), base.sections);
    this.snapshots?.schedule();
    const reported = new Set(before.base.problems.map(formatProblem));
    const served = new Set(base.notes.map((note) => note.source));
    return {
      ...changes,
      newProblems: base.problems.filter((problem) => !reported.has(formatProblem(problem))),
      restored: before.base.skipped.map((s) => s.file).filter((file) => served.has(file)),
    };
  }

  /**
   * Re-reads what changed shortly after it changes: in-place writes, files renamed over (sed -i, vim), deleted and
   * made again, new subfolders. The folder's parent is watched too (only for this folder), so deleting the whole
   * folder and making it again is seen as well. Resolves once the watcher is ready.
   */
  async watch(options: WatchOptions): Promise<void> {
    if (this.watcher) return;
    const parent = dirname(this.root);
    const watcher = watchPaths(parent, {
      ignoreInitial: true,
      ignored: (path, stats) => path !== parent && !this.concerns(path, stats?.isFile() ?? false),
    });
    this.watcher = watcher;
    watcher.on('all', (_event, path) => this.schedule(path, options));
    watcher.on('error', (error) => options.onError(error));
    await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
    // A change made between the first load and the watcher being ready would be missed: look once more.
    this.schedule(this.root, options);
  }

  /** Paths that can hold notes: the folder, its visible subfolders and their `.md` files. */
  private concerns(path: string, isFile: boolean): boolean {
    if (path !== this.root && !path.startsWith(this.root + sep)) return false;
    if (relative(this.root, path).split(sep).some((part) => part.startsWith('.'))) return false;
    return !isFile || path.endsWith('.md');
  }

  private schedule(path: string, options: WatchOptions): void {
    if (!this.watcher) return;
    const { debounceMs = 100, maxWaitMs = 1000 } = options;
    this.pending.add(path);
    const now = Date.now();
    this.pendingSince ??= now;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(options), Math.min(debounceMs, this.pendingSince + maxWaitMs - now));
  }

  private flush(options: WatchOptions): void {
    const paths = [...this.pending];
    this.pending.clear();
    this.pendingSince = undefined;
    this.reload(paths).then(
      (result) => {
        if (!this.closed && (result.changed.length > 0 || result.removed.length > 0)) options.onReload(result);
      },
      (error: unknown) => {
        options.onError(error);
        // The files read are not served yet: try again a little later rather than wait for the next edit.
        if (this.unserved && !this.closed) {
          clearTimeout(this.retryTimer);
          this.retryTimer = setTimeout(() => this.schedule(this.root, options), options.retryMs ?? 5000);
        }
      },
    );
  }

  /** Stops watching, stops a reload or snapshot in progress at its next slice, and waits for them. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    clearTimeout(this.retryTimer);
    const watcher = this.watcher;
    this.watcher = undefined;
    this.pending.clear();
    await watcher?.close();
    await this.snapshots?.close();
    await this.settled();
  }
}
