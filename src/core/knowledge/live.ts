import { dirname, relative, resolve, sep } from 'node:path';
import { watch as watchPaths, type FSWatcher } from 'chokidar';
import { Knowledge } from './knowledge.ts';
import { NoteFiles, type FileChanges } from './loader.ts';
import { formatProblem, type Problem } from './types.ts';

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
}

/**
 * The notes currently served. A reload re-reads only the files that changed and serves the result by the same
 * rule as at start: a broken file is skipped and reported, the rest is served, and fixing the file brings it back.
 */
export class LiveKnowledge {
  private readonly files: NoteFiles;
  private knowledge: Knowledge;
  private watcher: FSWatcher | undefined;
  private readonly pending = new Set<string>();
  private pendingSince: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.files = new NoteFiles(this.root);
    this.files.refresh([this.root]);
    this.knowledge = new Knowledge(this.files.knowledgeBase());
  }

  get current(): Knowledge {
    return this.knowledge;
  }

  /** Re-reads the files at or below `paths` (the whole folder by default); a file whose content is unchanged is not parsed again. */
  reload(paths: Iterable<string> = [this.root]): ReloadResult {
    const changes = this.files.refresh(paths);
    if (changes.changed.length === 0 && changes.removed.length === 0) return { ...changes, newProblems: [], restored: [] };
    const before = this.knowledge.base;
    const base = this.files.knowledgeBase();
    this.knowledge = new Knowledge(base);
    const reported = new Set(before.problems.map(formatProblem));
    const served = new Set(base.notes.map((note) => note.source));
    return {
      ...changes,
      newProblems: base.problems.filter((problem) => !reported.has(formatProblem(problem))),
      restored: before.skipped.map((s) => s.file).filter((file) => served.has(file)),
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
    let result: ReloadResult;
    try {
      result = this.reload(paths);
    } catch (error) {
      options.onError(error);
      return;
    }
    if (result.changed.length > 0 || result.removed.length > 0) options.onReload(result);
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    const watcher = this.watcher;
    this.watcher = undefined;
    this.pending.clear();
    await watcher?.close();
  }
}
