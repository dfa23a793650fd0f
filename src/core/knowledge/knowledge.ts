import type { DrStrategy, SessionFrontMatter, Tip } from './schema.ts';
import type { KnowledgeBase, Note } from './types.ts';
import { SearchIndex, type SearchTuning } from '../search/index.ts';

export interface SessionNote {
  note: Note;
  meta: SessionFrontMatter;
}

export interface DrStrategies {
  note: Note;
  figuresSource: string;
  /** Cheapest first. */
  strategies: DrStrategy[];
}

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
  private readonly byId: Map<string, Note>;

  constructor(
    readonly base: KnowledgeBase,
    options: { tuning?: SearchTuning } = {},
  ) {
    this.index = new SearchIndex(base.sections, options);
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
            strategies: [...drNote.meta.strategies].sort((a, b) => a.cost_rank - b.cost_rank),
          }
        : undefined;
  }

  /** The day the attendee planned: the one with the most sessions (the later one on a tie). */
  plannedDay(): number {
    const counts = new Map<number, number>();
    for (const s of this.sessions) counts.set(s.meta.day, (counts.get(s.meta.day) ?? 0) + 1);
    let best = this.sessions[0]?.meta.day ?? 1;
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
}
