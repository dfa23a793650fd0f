/** Shared test doubles for the store, the subscription service and the tip scheduler. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Knowledge } from '../../src/core/knowledge/knowledge.ts';
import type { Note } from '../../src/core/knowledge/types.ts';
import type { Clock } from '../../src/core/ports.ts';

/** A clock that only moves when told. */
export class FakeClock implements Clock {
  private current: number;
  constructor(start: Date | string) {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  set(instant: Date | string | number): void {
    this.current = new Date(instant).getTime();
  }
  advance(ms: number): void {
    this.current += ms;
  }
}

/** A fresh temporary directory and a function that removes it. */
export function tempDir(prefix = 'summit-bot-store-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Knowledge with `count` tips (`tip-1` …), each citing the note `session-a`. */
export function tipsKnowledge(count: number): Knowledge {
  const sourceNote: Note = {
    id: 'session-a',
    title: 'Session A',
    source: 'sessions/session-a.md',
    meta: { id: 'session-a', kind: 'topic', title: 'Session A', keywords: [], tags: [], related: [] },
    sections: [],
    idLine: 2,
    references: [],
  };
  const tips = Array.from({ length: count }, (_, i) => ({ id: `tip-${i + 1}`, text: `Tip number ${i + 1}`, topics: ['topic'], source: 'session-a' }));
  const tipsNote: Note = {
    id: 'tips',
    title: 'Tips',
    source: 'tips.md',
    meta: { id: 'tips', kind: 'tips', title: 'Tips', keywords: [], tags: [], related: [], tips },
    sections: [],
    idLine: 2,
    references: [],
  };
  return new Knowledge({ root: '/knowledge', notes: [sourceNote, tipsNote], sections: [], problems: [], untranslated: [], skipped: [] });
}
