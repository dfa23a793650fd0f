import type { DrStrategy, SessionFrontMatter, Tip } from './schema.ts';
import type { KnowledgeBase, Note, SkippedNote } from './types.ts';
import { SearchIndex, type SearchTuning } from '../search/index.ts';

export interface SessionNote {
  note: Note;
  meta: SessionFrontMatter;
}

export interface DrStrategies {
  note: Note;
  figuresSource: string;
  figuresSourceEn?: string;
  /** Cheapest first. */
  strategies: DrStrategy[];
}

/** A session note that is skipped, with the day and slot it would fill. */
export type SkippedSession = SkippedNote & { day: number; slot: number };

export interface TipEntry {
  tip: Tip;
  note: Note;
}

/** The loaded notes, their search index and typed views that commands use. */
export class Knowledge {
  readonly index: SearchIndex;
  readonly sessions: SessionNote[];
  readonly tips: TipEntry[];
  readonly dr: DrStrategies | undefined;
  readonly skippedSessions: SkippedSession[];
  private readonly byId: Map<string, Note>;

  /** `index`: one already made over `base.sections` (a live reload changes an engine rather than building one). */
  constructor(
    readonly base: KnowledgeBase,
    options: { tuning?: SearchTuning; index?: SearchIndex } = {},
  ) {
    this.index = options.index ?? new SearchIndex(base.sections, options);
    this.byId = new Map(base.notes.map((n) => [n.id, n]));
    this.sessions = base.notes
      .flatMap((note) => (note.meta.kind === 'session' ? [{ note, meta: note.meta }] : []))
      .sort((a, b) => a.meta.day - b.meta.day || a.meta.start.localeCompare(b.meta.start));
    this.tips = base.notes.flatMap((note) => (note.meta.kind === 'tips' ? note.meta.tips.map((tip) => ({ tip, note })) : []));
    const drNote = base.notes.find((n) => n.meta.kind === 'dr-strategies');
    this.dr =
      drNote && drNote.meta.kind === 'dr-strategies'
        ? {
            note: drNote,
            figuresSource: drNote.meta.figures_source,
            ...(drNote.meta.figures_source_en ? { figuresSourceEn: drNote.meta.figures_source_en } : {}),
            strategies: [...drNote.meta.strategies].sort((a, b) => a.cost_rank - b.cost_rank),
          }
        : undefined;
    this.skippedSessions = base.skipped.filter(
      (s): s is SkippedSession => s.kind === 'session' && s.day !== undefined && s.slot !== undefined && !this.byId.has(s.id ?? ''),
    );
  }

  /** The day the attendee planned: the one with the most sessions (the later one on a tie), skipped ones included. */
  plannedDay(): number {
    const days = [...this.sessions.map((s) => s.meta.day), ...this.skippedSessions.map((s) => s.day)];
    const counts = new Map<number, number>();
    for (const day of days) counts.set(day, (counts.get(day) ?? 0) + 1);
    let best = days[0] ?? 1;
    for (const [day, count] of counts) {
      const bestCount = counts.get(best) ?? 0;
      if (count > bestCount || (count === bestCount && day > best)) best = day;
    }
    return best;
  }

  note(id: string): Note | undefined {
    return this.byId.get(id);
  }

  get notes(): Note[] {
    return this.base.notes;
  }

  /** Files left out because they have errors. */
  get skipped(): SkippedNote[] {
    return this.base.skipped;
  }

  /** The skipped file that would serve note `id`, or of `kind`, when no served note does. */
  skippedNote(which: { id: string } | { kind: string }): SkippedNote | undefined {
    if ('id' in which) return this.byId.has(which.id) ? undefined : this.base.skipped.find((s) => s.id === which.id);
    return this.base.notes.some((n) => n.meta.kind === which.kind) ? undefined : this.base.skipped.find((s) => s.kind === which.kind);
  }
}
