import { watch, type FSWatcher } from 'node:fs';
import { Knowledge } from './knowledge.ts';
import { loadKnowledge } from './loader.ts';
import type { Problem } from './types.ts';

export interface ReloadResult {
  applied: boolean;
  problems: Problem[];
}

/**
 * The notes currently served. Reloading swaps in a new index only when the edited notes load
 * without errors; otherwise the last good index stays and the problems are reported.
 */
export class LiveKnowledge {
  private knowledge: Knowledge;
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(readonly root: string) {
    this.knowledge = new Knowledge(loadKnowledge(root));
  }

  get current(): Knowledge {
    return this.knowledge;
  }

  reload(): ReloadResult {
    const base = loadKnowledge(this.root);
    const errors = base.problems.filter((p) => p.severity === 'error');
    if (errors.length > 0) return { applied: false, problems: base.problems };
    this.knowledge = new Knowledge(base);
    return { applied: true, problems: base.problems };
  }

  /** Re-indexes shortly after files change (editors write in bursts, so changes are debounced). */
  watch(onReload: (result: ReloadResult) => void, debounceMs = 150): void {
    if (this.watcher) return;
    this.watcher = watch(this.root, { recursive: true }, () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => onReload(this.reload()), debounceMs);
    });
  }

  close(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
    this.watcher = undefined;
  }
}
