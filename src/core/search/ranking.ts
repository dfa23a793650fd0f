import type { Bm25, FieldName } from './engine.ts';

/** What MiniSearch keeps for a term: for each field id, each document's (short id's) term frequency. */
export type FieldTermData = Map<number, Map<number, number>>;

/** The parts of MiniSearch's index that ranking reads (its private fields as of minisearch 7.2; see engine.ts). */
export interface IndexData {
  index: { get(term: string): FieldTermData | undefined; atPrefix(prefix: string): Iterable<[string, FieldTermData]> };
  fieldIds: Record<string, number>;
  fieldLength: Map<number, number[]>;
  averageFieldLength: number[];
  documentCount: number;
  documentIds: Map<number, string>;
  /** Every short id is below it. */
  nextId: number;
}

/** Terms searched in some fields, each boosted, and some also matching the longer terms they begin. */
export interface TermGroup {
  terms: string[];
  fields: readonly FieldName[];
  boost: (term: string) => number;
  prefix?: (term: string) => boolean;
}

/** Terms a section or a search matched: all a coverage test asks of them. */
export interface TermSet {
  has(term: string): boolean;
}

/** Query terms a section matched, split by where: its own heading and text, or only what it inherits from its note. */
export interface MatchedTerms {
  own: TermSet;
  inherited: TermSet;
}

/** The best sections of a query, best first, with the terms each matched. */
export interface Ranking {
  ids: string[];
  scores: number[];
  matched: MatchedTerms[];
}

/** Fields a section inherits from its note (title, and keywords with the session context). */
const INHERITED_FIELDS = new Set<FieldName>(['title', 'keywords']);

/** MiniSearch's default weight of a prefix match. */
const PREFIX_WEIGHT = 0.375;

/** A section's flags for a query term: it matched the term, and (also) in a field of its own; own needs both. */
const MATCHED = 1;
const OWN = 2;

/** A term's postings in one field, in MiniSearch's order. */
interface FieldPostings {
  docs: Int32Array;
  frequencies: Float64Array;
  /** calcBM25Score's length normalization of each document's field, `k * (1 - b + b * length / average)`. */
  norms: Float64Array;
  /** calcBM25Score's inverse document frequency of the term in the field. */
  idf: number;
}

/** A term's postings, by field id. */
type TermPostings = (FieldPostings | undefined)[];

interface FieldPlan {
  id: number;
  boost: number;
  own: boolean;
}

/** The term forms a query read (a term, or a longer term it begins), by the number the postings log gives them. */
interface Forms {
  text: string[];
  /** The query term each form was read for, by its number among the query's distinct terms. */
  queryTerm: number[];
}

/**
 * MiniSearch's search, for the queries SearchIndex makes (an OR of term groups, no fuzzy matching, no document
 * boost), computing exactly its scores and order from its index: the same BM25+ formula, summed in the same
 * order (fields within a term, terms within a group, then groups), times the number of distinct query terms
 * matched, sorted by score with ties in the order MiniSearch first meets the documents. MiniSearch builds an
 * object per document per term and field and merges maps of them, about 160 KB per question (60% of all a
 * question allocated) and half of its time. This sums into typed arrays kept between queries, and logs which
 * terms each posting matched, to read them only for the few sections the reranking looks at.
 *
 * It reads an engine that does not change while it is used (SearchEngine makes a new one after any change);
 * queries run one at a time, as JavaScript runs them, so they can share the arrays.
 */
export class Bm25Ranker {
  private readonly termScore: Float64Array;
  private readonly groupScore: Float64Array;
  private readonly totalScore: Float64Array;
  /** Distinct query terms each document matched. */
  private readonly termCount: Uint16Array;
  /** Bit 1: the current term reached the document; 2: the current group did; 4: the query did. */
  private readonly reached: Uint8Array;
  /** Documents reached by the current term, the current group, the query, each in the order first reached. */
  private readonly termMet: Int32Array;
  private readonly groupMet: Int32Array;
  private readonly queryMet: Int32Array;
  /** Per document: 1 + its place among the sections whose matched terms are read, or 0. */
  private readonly place: Int32Array;
  /** (document, form, 1 if in a field of its own) for every posting read. */
  private log = new Int32Array(3 * 1024);
  private logged = 0;
  /**
   * Postings read so far, by term, as typed arrays with what BM25 needs of them computed once: MiniSearch's
   * radix tree looks a term up through every child of each node on its path, and iterating its maps allocated
   * per entry. Holds only terms the index has, so it is bounded by the index.
   */
  private readonly postings = new Map<string, TermPostings>();

  constructor(
    private readonly data: IndexData,
    private readonly bm25: Bm25,
  ) {
    const size = data.nextId;
    this.termScore = new Float64Array(size);
    this.groupScore = new Float64Array(size);
    this.totalScore = new Float64Array(size);
    this.termCount = new Uint16Array(size);
    this.reached = new Uint8Array(size);
    this.termMet = new Int32Array(size);
    this.groupMet = new Int32Array(size);
    this.queryMet = new Int32Array(size);
    this.place = new Int32Array(size);
  }

  /** The first `depth` documents that `allowed` accepts, of an OR of `groups` with fields boosted by `fieldBoost`. */
  rank(groups: TermGroup[], fieldBoost: Record<FieldName, number>, depth: number, allowed?: (id: string) => boolean): Ranking {
    try {
      return this.ranked(groups, fieldBoost, depth, allowed);
    } catch (error) {
      // A query that failed half-way (a boost or a filter threw) left sums and marks in the shared arrays.
      for (const array of [this.termScore, this.groupScore, this.totalScore, this.termCount, this.reached, this.place]) array.fill(0);
      throw error;
    }
  }

  private ranked(groups: TermGroup[], fieldBoost: Record<FieldName, number>, depth: number, allowed?: (id: string) => boolean): Ranking {
    const { termScore, groupScore, totalScore, termCount, reached, termMet, groupMet, queryMet } = this;
    const queryTerms = new Map<string, number>();
    // A term in two groups (a word that is also a bigram) counts once per document, as in MiniSearch: the
    // documents it reached before, for each such term.
    const repeated = new Map<string, Set<number>>();
    for (const group of groups) {
      for (const term of group.terms) {
        if (queryTerms.has(term)) repeated.set(term, new Set());
        else queryTerms.set(term, queryTerms.size);
      }
    }
    const forms: Forms = { text: [], queryTerm: [] };
    this.logged = 0;
    let met = 0;
    for (const group of groups) {
      // As MiniSearch: a field without a boost, or with 0, counts once.
      const fields: FieldPlan[] = group.fields.map((field) => ({ id: this.data.fieldIds[field]!, boost: fieldBoost[field] || 1, own: !INHERITED_FIELDS.has(field) }));
      let inGroup = 0;
      for (const term of group.terms) {
        const termBoost = group.boost(term);
        const queryTerm = queryTerms.get(term)!;
        const exact = this.postingsOf(term);
        let inTerm = exact ? this.read(exact, 1, termBoost, fields, addForm(forms, term, queryTerm), 0) : 0;
        if (group.prefix?.(term)) {
          for (const [longer, data] of this.data.index.atPrefix(term)) {
            if (longer.length === term.length) continue;
            // MiniSearch's weight for a prefix match, falling as the matched term is longer than the prefix.
            const weight = (PREFIX_WEIGHT * longer.length) / (longer.length + 0.3 * (longer.length - term.length));
            inTerm = this.read(this.postings.get(longer) ?? this.compiled(longer, data), weight, termBoost, fields, addForm(forms, longer, queryTerm), inTerm);
          }
        }
        const before = repeated.get(term);
        for (let i = 0; i < inTerm; i++) {
          const doc = termMet[i]!;
          reached[doc]! &= ~1;
          groupScore[doc]! += termScore[doc]!;
          termScore[doc] = 0;
          if (!before?.has(doc)) termCount[doc]! += 1;
          before?.add(doc);
          if ((reached[doc]! & 2) === 0) {
            reached[doc]! |= 2;
            groupMet[inGroup++] = doc;
          }
        }
      }
      for (let i = 0; i < inGroup; i++) {
        const doc = groupMet[i]!;
        reached[doc]! &= ~2;
        totalScore[doc]! += groupScore[doc]!;
        groupScore[doc] = 0;
        if ((reached[doc]! & 4) === 0) {
          reached[doc]! |= 4;
          queryMet[met++] = doc;
        }
      }
    }

    const top = this.best(met, depth, allowed);
    const ranking: Ranking = {
      ids: top.map((doc) => this.data.documentIds.get(doc)!),
      scores: top.map((doc) => totalScore[doc]!),
      matched: this.matchedTerms(top, forms, queryTerms),
    };
    for (let i = 0; i < met; i++) {
      const doc = queryMet[i]!;
      reached[doc] = 0;
      totalScore[doc] = 0;
      termCount[doc] = 0;
    }
    return ranking;
  }

  private postingsOf(term: string): TermPostings | undefined {
    const known = this.postings.get(term);
    if (known !== undefined) return known;
    const data = this.data.index.get(term);
    return data && this.compiled(term, data);
  }

  /** `data`, the term's postings in MiniSearch's index, as typed arrays, kept for the next queries. */
  private compiled(term: string, data: FieldTermData): TermPostings {
    const { fieldLength, averageFieldLength, documentCount } = this.data;
    const { k, b } = this.bm25;
    const postings: TermPostings = [];
    for (const [field, frequencies] of data) {
      const { size } = frequencies;
      const docs = new Int32Array(size);
      const frequencyOf = new Float64Array(size);
      const norms = new Float64Array(size);
      const average = averageFieldLength[field]!;
      let i = 0;
      for (const [doc, frequency] of frequencies) {
        docs[i] = doc;
        frequencyOf[i] = frequency;
        norms[i] = k * (1 - b + (b * fieldLength.get(doc)![field]!) / average);
        i++;
      }
      postings[field] = { docs, frequencies: frequencyOf, norms, idf: Math.log(1 + (documentCount - size + 0.5) / (size + 0.5)) };
    }
    this.postings.set(term, postings);
    return postings;
  }

  /**
   * Adds one term form's BM25+ scores to the current term's, as MiniSearch's `termResults` does, in its order
   * of operations, so that every score is the same to the last bit; returns how many documents the term has
   * reached so far (`inTerm` before).
   */
  private read(postings: TermPostings, weight: number, termBoost: number, fields: FieldPlan[], form: number, inTerm: number): number {
    const { d } = this.bm25;
    const k1 = this.bm25.k + 1;
    const { termScore, reached, termMet } = this;
    let reachedCount = inTerm;
    for (const field of fields) {
      const inField = postings[field.id];
      if (inField === undefined) continue;
      const { docs, frequencies, norms, idf } = inField;
      const factor = weight * termBoost * field.boost;
      if (this.logged + 3 * docs.length > this.log.length) this.log = grown(this.log, this.logged + 3 * docs.length);
      for (let i = 0; i < docs.length; i++) {
        const doc = docs[i]!;
        const frequency = frequencies[i]!;
        termScore[doc]! += factor * (idf * (d + (frequency * k1) / (frequency + norms[i]!)));
        if ((reached[doc]! & 1) === 0) {
          reached[doc]! |= 1;
          termMet[reachedCount++] = doc;
        }
        this.log[this.logged++] = doc;
        this.log[this.logged++] = form;
        this.log[this.logged++] = field.own ? 1 : 0;
      }
    }
    return reachedCount;
  }

  /**
   * The first `depth` of the `met` documents `allowed` accepts, by final score (MiniSearch's, times the distinct
   * query terms matched), as a stable sort of them in the order met would put them: equal scores keep that order.
   */
  private best(met: number, depth: number, allowed?: (id: string) => boolean): number[] {
    const { totalScore, termCount, queryMet } = this;
    const top: number[] = [];
    for (let i = 0; i < met; i++) {
      const doc = queryMet[i]!;
      totalScore[doc]! *= termCount[doc]!;
      if (allowed && !allowed(this.data.documentIds.get(doc)!)) continue;
      const score = totalScore[doc]!;
      if (top.length === depth && score <= totalScore[top[depth - 1]!]!) continue;
      // After every document scoring at least as high: those were met first.
      let at = top.length;
      while (at > 0 && totalScore[top[at - 1]!]! < score) at--;
      top.splice(at, 0, doc);
      if (top.length > depth) top.pop();
    }
    return top;
  }

  /**
   * For each of `docs`, the query terms it matched, split as MiniSearch's `match` tells: own when the document has
   * the term, or a longer term it begins (a form of any query term), in a field of its own; inherited otherwise.
   */
  private matchedTerms(docs: number[], forms: Forms, queryTerms: Map<string, number>): MatchedTerms[] {
    const { place, log } = this;
    const terms = [...queryTerms.keys()];
    docs.forEach((doc, i) => (place[doc] = i + 1));
    const flags = new Uint8Array(docs.length * terms.length);
    // The query terms each form begins with, of those it is in a field of its own.
    const ownFor = new Map<number, number[]>();
    for (let i = 0; i < this.logged; i += 3) {
      const at = place[log[i]!]! - 1;
      if (at < 0) continue;
      const form = log[i + 1]!;
      flags[at * terms.length + forms.queryTerm[form]!]! |= MATCHED;
      if (log[i + 2] !== 1) continue;
      let beginnings = ownFor.get(form);
      if (beginnings === undefined) {
        const text = forms.text[form]!;
        beginnings = [];
        for (let index = 0; index < terms.length; index++) if (text.startsWith(terms[index]!)) beginnings.push(index);
        ownFor.set(form, beginnings);
      }
      for (const index of beginnings) flags[at * terms.length + index]! |= OWN;
    }
    for (const doc of docs) place[doc] = 0;
    return docs.map((_, i) => ({
      own: new FlaggedTerms(queryTerms, flags, i * terms.length, MATCHED | OWN),
      inherited: new FlaggedTerms(queryTerms, flags, i * terms.length, MATCHED),
    }));
  }
}

/** The query terms whose flags (of one section) are exactly `wanted`: a class, not closures made per section. */
class FlaggedTerms implements TermSet {
  constructor(
    private readonly queryTerms: Map<string, number>,
    private readonly flags: Uint8Array,
    private readonly offset: number,
    private readonly wanted: number,
  ) {}

  has(term: string): boolean {
    const index = this.queryTerms.get(term);
    return index !== undefined && this.flags[this.offset + index] === this.wanted;
  }
}

function addForm(forms: Forms, text: string, queryTerm: number): number {
  forms.text.push(text);
  forms.queryTerm.push(queryTerm);
  return forms.text.length - 1;
}

/** A larger copy of the log, holding at least `needed` entries. */
function grown(log: Int32Array, needed: number): Int32Array<ArrayBuffer> {
  const larger = new Int32Array(Math.max(log.length * 2, needed));
  larger.set(log);
  return larger;
}
