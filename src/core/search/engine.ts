import MiniSearch, { type Options } from 'minisearch';
import type { Section } from '../knowledge/types.ts';
import { hangulBigrams, pieces, stemLatin, wordTerms } from './tokenizer.ts';
import { Speller, type SpellerState } from './spelling.ts';
import { inSlices, runToEnd, withResult } from '../slices.ts';
import { UnpackingCounts } from './packed-tree.ts';
import { Bm25Ranker, type FieldTermData } from './ranking.ts';

/**
 * Fields of a search document. `title` and `text` hold both languages; `context` is what the section
 * inherits from its note (a session's speakers and time); `questions` are the questions the section answers;
 * `grams` holds Hangul bigrams of the headings and text.
 */
export const WORD_FIELDS = ['title', 'headings', 'keywords', 'text'] as const;
export const FIELDS = [...WORD_FIELDS, 'grams'] as const;
export type FieldName = (typeof FIELDS)[number];

export interface IndexedDoc {
  id: string;
  section: Section;
}

/** What MiniSearch indexes of a section, field by field. `sameDocument` compares every part of a section read here. */
function documentField(doc: IndexedDoc, field: string): string {
  const { section } = doc;
  if (field === 'id') return doc.id;
  switch (field as FieldName) {
    case 'title':
      return section.noteTitleEn ? `${section.noteTitle} \n ${section.noteTitleEn}` : section.noteTitle;
    case 'headings':
      return section.headingPath.join(' \n ');
    case 'keywords':
      return section.context ? `${section.keywords.join(' \n ')} \n ${section.context}` : section.keywords.join(' \n ');
    case 'text':
      return section.questions ? `${writtenText(section)} \n ${section.questions.join(' \n ')}` : writtenText(section);
    case 'grams':
      return `${section.headingPath.join(' ')} \n ${section.text}`;
  }
}

/** A section's text in both languages, as the notes write it: what the speller learns words from. */
function writtenText(section: Section): string {
  return section.textEn ? `${section.text} \n ${section.textEn}` : section.text;
}

export type Bm25 = { k: number; b: number; d: number };

/**
 * MiniSearch's own state (its private fields, as of minisearch 7.2). An engine copies it in slices, which
 * MiniSearch cannot, and a snapshot keeps it as V8 serializes it, which loads several times faster than
 * MiniSearch's JSON (that parses into objects and then converts every one into a Map). `readMiniState`
 * checks the fields are there, so a MiniSearch that changes them fails loudly rather than searching wrongly.
 */
interface MiniState {
  _index: {
    _tree: Map<string, unknown>;
    _prefix: string;
    _size: number | undefined;
    get(term: string): FieldTermData | undefined;
    atPrefix(prefix: string): Iterable<[string, FieldTermData]>;
  };
  _fieldIds: Record<string, number>;
  _documentCount: number;
  _documentIds: Map<number, string>;
  _idToShortId: Map<string, number>;
  _fieldLength: Map<number, number[]>;
  _avgFieldLength: number[];
  _nextId: number;
  _dirtCount: number;
  _storedFields: Map<number, Record<string, unknown>>;
}

/** What an engine holds: `copyInSlices` copies it, and a snapshot on disk keeps it. */
export interface EngineState {
  tree: Map<string, unknown>;
  documentCount: number;
  documentIds: Map<number, string>;
  fieldLength: Map<number, number[]>;
  averageFieldLength: number[];
  nextId: number;
  dirtCount: number;
  storedFields: Map<number, Record<string, unknown>>;
  fieldFrequency: Map<string, number>;
  sectionFrequency: Map<string, number>;
  speller: SpellerState;
}

function readMiniState(mini: MiniSearch<IndexedDoc>): MiniState {
  const state = mini as unknown as Partial<MiniState>;
  if (
    !(state._index?._tree instanceof Map) ||
    typeof state._index.atPrefix !== 'function' ||
    !(state._documentIds instanceof Map) ||
    !(state._fieldLength instanceof Map) ||
    !Array.isArray(state._avgFieldLength) ||
    typeof state._fieldIds !== 'object'
  ) {
    throw new Error('search engine: this MiniSearch version keeps its index differently; update SearchEngine (and SEARCH_CODE_VERSION)');
  }
  return state as MiniState;
}

/**
 * The inverted index and the term statistics the ranking needs (how many sections and fields use each term,
 * the speller's vocabulary), kept consistent with each other as sections are added and removed: after any
 * sequence of changes it holds what a build from scratch of the same sections would hold. Mutable: a
 * `SearchIndex` serves one engine only while the engine does not change (see LiveKnowledge).
 */
export class SearchEngine {
  private miniSearch: MiniSearch<IndexedDoc>;
  private readonly options: Options<IndexedDoc>;
  readonly speller: Speller;
  /** In how many (section, field) pairs each term occurs: how common it is, for leaving common terms out. */
  private readonly fieldFrequency: Map<string, number>;
  /** In how many sections each term occurs: how informative it is (IDF). */
  private readonly sectionFrequency: Map<string, number>;
  /** The sections indexed, by id: what a change compares against. */
  private readonly documents = new Map<string, Section>();
  /** Terms of the section being indexed, so each section counts once per term. */
  private termsOfCurrentSection = new Set<string>();
  /** The section MiniSearch is reading the fields of. */
  private currentSection: Section | undefined;
  /** 1 while a section is added, -1 while it is removed: MiniSearch tokenizes a removed section again, and the statistics follow. */
  private direction: 1 | -1 = 1;
  /** The ranker over the engine as it is: sized to it and reading its statistics, so dropped at any change. */
  private currentRanker: Bm25Ranker | undefined;

  private constructor(
    private readonly bm25: Bm25,
    stats?: Pick<EngineState, 'fieldFrequency' | 'sectionFrequency' | 'speller'>,
  ) {
    this.fieldFrequency = stats?.fieldFrequency ?? new Map();
    this.sectionFrequency = stats?.sectionFrequency ?? new Map();
    this.speller = new Speller(stats?.speller);
    this.options = {
      fields: [...FIELDS],
      extractField: (doc, field) => {
        // MiniSearch reads a document's id before its fields: a new section starts.
        if (field === 'id') {
          this.termsOfCurrentSection = new Set();
          this.currentSection = doc.section;
        }
        return documentField(doc, field);
      },
      tokenize: (text, field) => this.tokenize(text, field ?? ''),
      // Terms arrive already normalized by the tokenizer.
      processTerm: (term) => term,
    };
    this.miniSearch = new MiniSearch(this.options);
  }

  get mini(): MiniSearch<IndexedDoc> {
    return this.miniSearch;
  }

  /** An engine holding `sections`, built at once. */
  static build(sections: Section[], bm25: Bm25): SearchEngine {
    const engine = new SearchEngine(bm25);
    runToEnd(engine.changesTo(sections));
    return engine;
  }

  /** An empty engine, to be brought to some sections with `changeInSlices`. */
  static empty(bm25: Bm25): SearchEngine {
    return new SearchEngine(bm25);
  }

  /**
   * An engine over `state` (taken over, not copied) holding exactly `sections`; throws when the state does not
   * hold them, so a snapshot of other notes is never served.
   */
  static fromState(state: EngineState, sections: Section[], bm25: Bm25): SearchEngine {
    const engine = new SearchEngine(bm25, state);
    const mini = readMiniState(engine.mini);
    mini._index._tree = state.tree;
    mini._index._prefix = '';
    mini._index._size = undefined;
    mini._documentCount = state.documentCount;
    mini._documentIds = state.documentIds;
    mini._idToShortId = new Map([...state.documentIds].map(([shortId, id]) => [id, shortId]));
    mini._fieldLength = state.fieldLength;
    mini._avgFieldLength = state.averageFieldLength;
    mini._nextId = state.nextId;
    mini._dirtCount = state.dirtCount;
    mini._storedFields = state.storedFields;
    for (const section of sections) {
      if (!mini._idToShortId.has(section.id)) throw new Error(`search engine: section ${section.id} is not in the index`);
      engine.documents.set(section.id, section);
    }
    if (mini._documentCount !== engine.documents.size || mini._idToShortId.size !== engine.documents.size) {
      throw new Error('search engine: the index holds sections the notes do not have');
    }
    return engine;
  }

  /** The engine's state: its own maps, not copies. */
  state(): EngineState {
    const mini = readMiniState(this.mini);
    return {
      tree: mini._index._tree,
      documentCount: mini._documentCount,
      documentIds: mini._documentIds,
      fieldLength: mini._fieldLength,
      averageFieldLength: mini._avgFieldLength,
      nextId: mini._nextId,
      dirtCount: mini._dirtCount,
      storedFields: mini._storedFields,
      fieldFrequency: this.fieldFrequency,
      sectionFrequency: this.sectionFrequency,
      speller: this.speller.state(),
    };
  }

  /**
   * A second engine equal to this one, copied in slices (the event loop stays free between them) rather than
   * built again, which is several times slower. This engine must not change until the copy is done.
   */
  async copyInSlices(cancelled: () => boolean = () => false): Promise<SearchEngine | undefined> {
    const copy = await inSlices(deepCopy(this.state()), cancelled);
    return copy && SearchEngine.fromState(copy, [...this.documents.values()], this.bm25);
  }

  get size(): number {
    return this.documents.size;
  }

  /** Ranks queries over the engine as it is now (see Bm25Ranker); made on first use after a change. */
  ranker(): Bm25Ranker {
    if (this.currentRanker) return this.currentRanker;
    const mini = readMiniState(this.mini);
    // The engine removes sections rather than discarding them, so every posting is a live section's: the
    // ranker, unlike MiniSearch's search, does not look for postings of discarded ones.
    if (mini._dirtCount !== 0) throw new Error('search engine: the index holds discarded sections, which the ranker does not skip');
    this.currentRanker = new Bm25Ranker(
      {
        index: mini._index,
        fieldIds: mini._fieldIds,
        fieldLength: mini._fieldLength,
        averageFieldLength: mini._avgFieldLength,
        documentCount: mini._documentCount,
        documentIds: mini._documentIds,
        nextId: mini._nextId,
      },
      this.bm25,
    );
    return this.currentRanker;
  }

  /** In how many (section, field) pairs the term occurs. */
  frequency(term: string): number {
    return this.fieldFrequency.get(term) ?? 0;
  }

  /** In how many sections the term occurs. */
  sectionsWith(term: string): number {
    return this.sectionFrequency.get(term) ?? 0;
  }

  /**
   * Brings the engine to exactly `sections`, one section per step: a section no longer there, or whose indexed
   * content changed, is removed; a new one is added. A section parsed again with the same indexed content (an edit
   * elsewhere in its note, or lines moved) stays indexed as it is: an edit that adds a section to a note of twenty
   * re-indexes one section, not twenty-one (and a checkout that touches every note, only what changed). Removing
   * with MiniSearch's `remove` rather than `discard` takes the terms out at once, so the document frequencies
   * and field lengths BM25 reads equal a fresh build's, and no vacuuming runs later.
   */
  *changesTo(sections: Section[]): Generator<void, true, undefined> {
    const wanted = new Map<string, Section>();
    for (const section of sections) {
      wanted.set(section.id, section);
      if (wanted.size % SCAN_BATCH === 0) yield;
    }
    let scanned = 0;
    for (const [id, indexed] of this.documents) {
      const section = wanted.get(id);
      if (section === indexed || (section && sameDocument(section, indexed))) {
        // Setting a key that is there keeps the map's order, so this iteration goes on unchanged.
        if (section !== indexed) this.documents.set(id, section!);
        if (++scanned % SCAN_BATCH === 0) yield;
        continue;
      }
      this.apply(-1, indexed);
      yield;
    }
    for (const section of sections) {
      if (this.documents.has(section.id)) {
        if (++scanned % SCAN_BATCH === 0) yield;
        continue;
      }
      this.apply(1, section);
      yield;
    }
    return true;
  }

  /**
   * `changesTo`, then the speller's correction table brought up to date, in slices of a few milliseconds with the
   * event loop free in between (setImmediate, so timers and sockets run), so that answers and Slack acks are not
   * held up. Stops early (false) when `cancelled` says so.
   */
  async changeInSlices(sections: Section[], cancelled: () => boolean = () => false): Promise<boolean> {
    return (await inSlices(this.changesTo(sections), cancelled)) !== undefined && (await this.prepareInSlices(cancelled));
  }

  /**
   * Builds what the first queries would otherwise build at once (the speller's correction table: a quarter of
   * a second at 10k sections), or brings it up to date after changes, in slices. Safe on an engine that serves:
   * a table built anew is swapped in when complete. An engine from a snapshot first unpacks its term counts
   * (see UnpackingCounts): the table is built from them.
   */
  async prepareInSlices(cancelled: () => boolean = () => false): Promise<boolean> {
    return (await inSlices(withResult(this.preparing()), cancelled)) !== undefined;
  }

  private *preparing(): Generator<void, void, undefined> {
    for (const counts of [this.fieldFrequency, this.sectionFrequency, this.speller.state().counts]) {
      if (counts instanceof UnpackingCounts) yield* counts.unpackSteps();
    }
    yield* this.speller.prepare();
  }

  private apply(direction: 1 | -1, section: Section): void {
    this.currentRanker = undefined;
    this.direction = direction;
    const doc = { id: section.id, section };
    if (direction === 1) {
      this.mini.add(doc);
      this.documents.set(section.id, section);
    } else {
      this.mini.remove(doc);
      this.documents.delete(section.id);
    }
    this.direction = 1;
  }

  private tokenize(text: string, field: string): string[] {
    const by = this.direction;
    const terms = field === 'grams' ? hangulBigrams(text) : wordTerms(text);
    for (const term of new Set(terms)) {
      count(this.fieldFrequency, term, by);
      if (!this.termsOfCurrentSection.has(term)) {
        this.termsOfCurrentSection.add(term);
        count(this.sectionFrequency, term, by);
      }
    }
    if (field !== 'grams') {
      // The listed questions are searched, not learned from: their typos and paraphrases ("partly") must not
      // become what the speller corrects a question's words to ("party").
      const written = field === 'text' && this.currentSection ? writtenText(this.currentSection) : text;
      for (const term of written === text ? terms : wordTerms(written)) this.speller.add(term, by);
      for (const word of pieces(written)) if (/^[a-z]{4,}$/.test(word)) this.speller.addWritten(word, stemLatin(word), by);
    }
    return terms;
  }
}

/** How many sections a change looks at between two yields when it has nothing to index: a scan of 10k takes tens of milliseconds. */
const SCAN_BATCH = 1000;

/**
 * Whether two versions of a section are indexed alike: every part of it that `documentField` reads is the same.
 * Compared part by part rather than as the fields' text, which a checkout of 10k sections would build twice over.
 */
function sameDocument(a: Section, b: Section): boolean {
  return (
    a.id === b.id &&
    a.text === b.text &&
    a.textEn === b.textEn &&
    a.noteTitle === b.noteTitle &&
    a.noteTitleEn === b.noteTitleEn &&
    a.context === b.context &&
    sameList(a.headingPath, b.headingPath) &&
    sameList(a.keywords, b.keywords) &&
    sameList(a.questions, b.questions)
  );
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true;
  return a !== undefined && b !== undefined && a.length === b.length && a.every((item, i) => item === b[i]);
}

/** Adds `by` to a term's count; a count that reaches 0 is dropped, as a fresh build would never have had it. */
function count(counts: Map<string, number>, term: string, by: 1 | -1): void {
  const next = (counts.get(term) ?? 0) + by;
  if (next > 0) counts.set(term, next);
  else counts.delete(term);
}

/** How many entries a copy takes between two looks at the clock. */
const COPY_BATCH = 512;

/** A deep copy of maps, arrays and plain objects of numbers and strings, yielding every few hundred entries. */
function* deepCopy<T>(value: T): Generator<void, T, undefined> {
  let copied = 0;
  function* copyOf(item: unknown): Generator<void, unknown, undefined> {
    if (typeof item !== 'object' || item === null) return item;
    copied += 1;
    if (copied % COPY_BATCH === 0) yield;
    if (item instanceof Map) {
      const copy = new Map<unknown, unknown>();
      for (const [key, entry] of item) {
        // Counted whatever the entry is: a map of 300k term counts must not be copied in one step.
        copied += 1;
        if (copied % COPY_BATCH === 0) yield;
        copy.set(key, typeof entry === 'object' && entry !== null ? yield* copyOf(entry) : entry);
      }
      return copy;
    }
    if (Array.isArray(item)) {
      const copy: unknown[] = [];
      for (const entry of item) copy.push(typeof entry === 'object' && entry !== null ? yield* copyOf(entry) : entry);
      return copy;
    }
    const copy: Record<string, unknown> = {};
    for (const [key, entry] of Object.entries(item)) copy[key] = yield* copyOf(entry);
    return copy;
  }
  return (yield* copyOf(value)) as T;
}
