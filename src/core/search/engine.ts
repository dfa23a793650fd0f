import MiniSearch, { type AsPlainObject, type Options } from 'minisearch';
import type { Section } from '../knowledge/types.ts';
import { hangulBigrams, pieces, stemLatin, wordTerms } from './tokenizer.ts';
import { Speller, type SpellerData } from './spelling.ts';

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
    case 'text': {
      const questions = section.questions ? ` \n ${section.questions.join(' \n ')}` : '';
      return `${section.text}${section.textEn ? ` \n ${section.textEn}` : ''}${questions}`;
    }
    case 'grams':
      return `${section.headingPath.join(' ')} \n ${section.text}`;
  }
}

const spaceSplit = (text: string) => text.split(' ').filter(Boolean);

/**
 * Every option key a search passes (and `queries`, which MiniSearch merges too), with values that
 * change nothing. MiniSearch merges options with object spread for every query term; in Node 20's
 * V8 a spread that adds a key the first object lacks takes a slow path, about 20 times slower, whose
 * garbage also survives into the old generation and made young-generation GC pauses of 5–7 ms.
 * With every key present in both objects, each spread only overwrites.
 */
export const EVERY_SEARCH_OPTION = {
  combineWith: 'OR',
  queries: undefined,
  fields: undefined,
  prefix: false,
  boost: {},
  boostTerm: undefined,
  filter: undefined,
} as const;

export type Bm25 = { k: number; b: number; d: number };

/** What an engine holds, as plain data: a snapshot on disk keeps it, so a start need not index the notes again. */
export interface EngineData {
  mini: AsPlainObject;
  fieldFrequency: [string, number][];
  sectionFrequency: [string, number][];
  speller: SpellerData;
}

/** How long a slice of indexing work may hold the event loop before it lets other work run. */
const SLICE_MS = 8;

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
  /** 1 while a section is added, -1 while it is removed: MiniSearch tokenizes a removed section again, and the statistics follow. */
  private direction: 1 | -1 = 1;

  private constructor(bm25: Bm25, stats?: EngineData) {
    this.fieldFrequency = new Map(stats?.fieldFrequency);
    this.sectionFrequency = new Map(stats?.sectionFrequency);
    this.speller = new Speller(stats?.speller);
    this.options = {
      fields: [...FIELDS],
      extractField: (doc, field) => {
        // MiniSearch reads a document's id before its fields: a new section starts.
        if (field === 'id') this.termsOfCurrentSection = new Set();
        return documentField(doc, field);
      },
      tokenize: (text, field) => this.tokenize(text, field ?? ''),
      // Terms arrive already normalized by the tokenizer.
      processTerm: (term) => term,
      searchOptions: { ...EVERY_SEARCH_OPTION, tokenize: spaceSplit, processTerm: (term) => term, bm25 },
    };
    this.miniSearch = new MiniSearch(this.options);
  }

  get mini(): MiniSearch<IndexedDoc> {
    return this.miniSearch;
  }

  /** An engine holding `sections`, built at once. */
  static build(sections: Section[], bm25: Bm25): SearchEngine {
    const engine = new SearchEngine(bm25);
    for (const _ of engine.changesTo(sections));
    return engine;
  }

  /** An empty engine, to be brought to some sections with `changeInSlices`. */
  static empty(bm25: Bm25): SearchEngine {
    return new SearchEngine(bm25);
  }

  /** The engine a snapshot holds for exactly `sections`; throws when the data does not fit them. */
  static fromData(data: EngineData, sections: Section[], bm25: Bm25): SearchEngine {
    const engine = new SearchEngine(bm25, data);
    engine.adopt(MiniSearch.loadJS(data.mini, engine.options), sections);
    return engine;
  }

  /** `fromData` in batches, leaving the event loop free between them (MiniSearch's own async load). */
  static async fromDataInSlices(data: EngineData, sections: Section[], bm25: Bm25): Promise<SearchEngine> {
    const engine = new SearchEngine(bm25, data);
    engine.adopt(await MiniSearch.loadJSAsync(data.mini, engine.options), sections);
    return engine;
  }

  /** Takes a loaded index over, checking that it holds exactly `sections`. */
  private adopt(mini: MiniSearch<IndexedDoc>, sections: Section[]): void {
    for (const section of sections) {
      if (!mini.has(section.id)) throw new Error(`search snapshot: section ${section.id} is not in it`);
      this.documents.set(section.id, section);
    }
    if (mini.documentCount !== this.documents.size) throw new Error('search snapshot: it holds sections the notes do not have');
    this.miniSearch = mini;
  }

  toData(): EngineData {
    return { mini: this.mini.toJSON(), fieldFrequency: [...this.fieldFrequency], sectionFrequency: [...this.sectionFrequency], speller: this.speller.toData() };
  }

  get size(): number {
    return this.documents.size;
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
   * Brings the engine to exactly `sections`, one section per step: a section no longer there, or whose content
   * changed (a new object: an unchanged file keeps its parsed sections), is removed; a new one is added. Removing
   * with MiniSearch's `remove` rather than `discard` takes the terms out at once, so the document frequencies
   * and field lengths BM25 reads equal a fresh build's, and no vacuuming runs later.
   */
  *changesTo(sections: Section[]): Generator<void, void, undefined> {
    const wanted = new Map(sections.map((section) => [section.id, section]));
    for (const [id, indexed] of this.documents) {
      if (wanted.get(id) === indexed) continue;
      this.apply(-1, indexed);
      yield;
    }
    for (const section of sections) {
      if (this.documents.has(section.id)) continue;
      this.apply(1, section);
      yield;
    }
  }

  /**
   * `changesTo` in slices of a few milliseconds with the event loop free in between (setImmediate, so timers and
   * sockets run), so that answers and Slack acks are not held up. Stops early when `cancelled` says so.
   */
  async changeInSlices(sections: Section[], cancelled: () => boolean = () => false): Promise<void> {
    const steps = this.changesTo(sections);
    let sliceStart = performance.now();
    for (let step = steps.next(); !step.done; step = steps.next()) {
      if (performance.now() - sliceStart < SLICE_MS) continue;
      await new Promise((resolve) => setImmediate(resolve));
      if (cancelled()) return;
      sliceStart = performance.now();
    }
  }

  private apply(direction: 1 | -1, section: Section): void {
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
      for (const term of terms) this.speller.add(term, by);
      for (const word of pieces(text)) if (/^[a-z]{4,}$/.test(word)) this.speller.addWritten(word, stemLatin(word), by);
    }
    return terms;
  }
}

/** Adds `by` to a term's count; a count that reaches 0 is dropped, as a fresh build would never have had it. */
function count(counts: Map<string, number>, term: string, by: 1 | -1): void {
  const next = (counts.get(term) ?? 0) + by;
  if (next > 0) counts.set(term, next);
  else counts.delete(term);
}
