import { headingPathIn, titleIn, type Section } from '../knowledge/types.ts';
import type { Locale } from '../i18n.ts';
import { expandQuery, Glossary, type Expansion } from './glossary.ts';
import { hangulBigramsOf, isHangul, LABEL, matchTerms, pieces, SMALL_NUMBER, stemLatin, stripParticle, wordTermsOf } from './tokenizer.ts';
import { SearchEngine, WORD_FIELDS, type FieldName } from './engine.ts';
import type { MatchedTerms, Ranking, TermGroup, TermSet } from './ranking.ts';
import { intentBoost } from './intents.ts';
import { isEverydayWord, namesIn, unknownWordKind } from './everyday.ts';
import { runToEnd } from '../slices.ts';
import { NUMBER_NAMES } from './transliteration.ts';

export interface SearchTuning {
  fieldBoost: Record<FieldName, number>;
  /** Weight of a glossary expansion relative to the user's own words. */
  expansionWeight: number;
  /** Weight of a Hangul bigram relative to a whole word. */
  gramWeight: number;
  /**
   * How much a question word the notes never use weighs in coverage, as a share of the weight of the
   * rarest word they do use: it may be the point of the question ("hackathon") or a paraphrase ("wrap up").
   */
  unknownWordWeight: number;
  /**
   * The most a word the notes do use can weigh, as a share of the rarest possible term: in a small
   * corpus a word used once ("plan") is rare by chance, not because it tells more than a word the
   * notes never use.
   */
  knownWordCap: number;
  /** The same for an unknown name (Busan, DMS, v2): the notes cannot answer about what they never name. */
  unknownNameWeight: number;
  /** The same for an unknown everyday verb, adjective or adverb ("wrap", "tricky", "걸어두면"): mostly paraphrase. */
  unknownEverydayWeight: number;
  /**
   * How much a question word counts as covered when a section matches it only through what it inherits
   * from its note (title, keywords, session context) rather than its own heading or text.
   */
  inheritedCoverage: number;
  /** How strongly coverage re-orders the head of the ranking: score × coverage^this. */
  coverageExponent: number;
  /** BM25+ parameters: term-frequency saturation, length normalization (long "overview" sections), lower bound. */
  bm25: { k: number; b: number; d: number };
}

/** Chosen by a grid search over the dev and held-out question sets together (see README). */
export const DEFAULT_TUNING: SearchTuning = {
  fieldBoost: { title: 2, headings: 1.5, keywords: 1.2, text: 1, grams: 0.5 },
  expansionWeight: 0.3,
  gramWeight: 0.25,
  unknownWordWeight: 1,
  knownWordCap: 1,
  unknownNameWeight: 2,
  unknownEverydayWeight: 0.2,
  inheritedCoverage: 0.5,
  coverageExponent: 1,
  bm25: { k: 1.2, b: 0.7, d: 0.5 },
};

export interface SearchHit {
  section: Section;
  score: number;
  /**
   * Share of the question's information that the section matches, 0..1: each question word weighs as
   * much as it is rare in the notes, so "badge" outweighs "pick" and "up".
   */
  coverage: number;
  /** "Note title › Heading". */
  citation: string;
}

export interface SearchOptions {
  limit?: number;
  /** Only sections of notes carrying one of these tags. */
  tags?: string[];
  /** Only sections of these notes. */
  noteIds?: string[];
}

/** Queries longer than this are cut: no real question is longer, and it bounds the work per query. */
export const MAX_QUERY_LENGTH = 500;

/** "Note title › Heading", in `lang` where the note has that language. */
export function citationOf(section: Section, lang: Locale = 'ko'): string {
  const path = headingPathIn(section, lang);
  const title = titleIn(section, lang);
  return path.length > 0 ? `${title} › ${path.join(' › ')}` : title;
}

/**
 * A class: hits of one shape, built without the object spreads that V8 (Node 20) builds on a slow path
 * whose garbage the young-generation GC has to copy, which showed in the query p99.
 */
class Hit implements SearchHit {
  readonly citation: string;

  constructor(
    readonly section: Section,
    readonly score: number,
    readonly coverage: number,
  ) {
    this.citation = citationOf(section);
  }
}

/**
 * Search over one version of the notes. It reads a SearchEngine that must not change while it is served: a
 * live reload changes a second engine and serves a new SearchIndex over it (see LiveKnowledge), and the index
 * it replaces is retired, answering from its successor from then on, so that a request that still holds it
 * never reads an engine in the middle of a change.
 */
export class SearchIndex {
  private readonly indexedSections: Section[];
  private readonly engine: SearchEngine;
  private readonly glossary: Glossary;
  private readonly tuning: SearchTuning;
  private successor: SearchIndex | undefined;

  /** Indexes `sections`, or serves `engine`, which must hold exactly them. */
  constructor(sections: Section[], options: { glossary?: Glossary; tuning?: SearchTuning; engine?: SearchEngine } = {}) {
    this.indexedSections = sections;
    this.glossary = options.glossary ?? SHARED_GLOSSARY;
    this.tuning = options.tuning ?? DEFAULT_TUNING;
    this.engine = options.engine ?? SearchEngine.build(sections, this.tuning.bm25);
  }

  /** From now on this index answers from `successor`: its engine is about to change. */
  retire(successor: SearchIndex): void {
    this.successor = successor;
  }

  /** The index that answers for this one: itself, or the newest successor once retired. */
  private get serving(): SearchIndex {
    let index: SearchIndex = this;
    while (index.successor) index = index.successor;
    return index;
  }

  get sections(): Section[] {
    return this.serving.indexedSections;
  }

  get size(): number {
    return this.sections.length;
  }

  /**
   * What the search makes of a question: its words with their stems, spelling fixes and synonyms,
   * each weighed by how informative it is. Answers use it to pick the sentences that answer.
   */
  analyze(query: string): QuestionAnalysis {
    const serving = this.serving;
    if (serving !== this) return serving.analyze(query);
    const text = query.slice(0, MAX_QUERY_LENGTH);
    // Split once; everything below works on these pieces.
    const parts = this.withGluedVerbsApart(this.withClosedCompounds(withLatinLabels(withQuestionWordsApart(pieces(text)))));
    const terms = new PieceTerms();
    const corrections = this.corrections(parts, terms);
    const words = unique([...wordTermsOf(parts), ...[...corrections.values()].flat()]);
    const grams = unique(hangulBigramsOf(parts));
    const expansion = expandQuery(parts, this.glossary);
    const known = (term: string) => this.frequency(term) > 0;
    const weighted = this.weighPieces(contentPieces(parts, terms, expansion.synonyms, corrections, known), namesIn(text));
    return { text, words, grams, expansion, pieces: weighted };
  }

  search(query: string, options: SearchOptions = {}): SearchHit[] {
    return this.searchAnalyzed(this.analyze(query), options);
  }

  /** `search` for a question already analyzed (callers that also need the analysis do it once). */
  searchAnalyzed(analysis: QuestionAnalysis, options: SearchOptions = {}): SearchHit[] {
    const serving = this.serving;
    if (serving !== this) return serving.searchAnalyzed(analysis, options);
    const { words, grams, expansion } = analysis;
    if (words.length === 0 && grams.length === 0) return [];
    const ownWords = new Set(words);
    const ownGrams = new Set(grams);
    const informative = this.informative();
    const frequency = (term: string) => this.frequency(term);
    // The rarest synonyms carry the meaning; a long tail of common ones only costs time.
    const extraWords = rarest(expansion.words.filter((w) => !ownWords.has(w) && informative(w)), frequency, MAX_EXPANSIONS);
    const extraGrams = rarest(expansion.grams.filter((g) => !ownGrams.has(g) && informative(g)), frequency, MAX_EXPANSIONS);
    // The user's own longer English words stay even when unknown: they may be prefixes (migrat…).
    const queryWords = keepSome(words, (w) => informative(w) || (matchesAsPrefix(w) && frequency(w) === 0), frequency);
    const queryGrams = keepSome(grams, informative, frequency);
    const { fieldBoost, expansionWeight, gramWeight } = this.tuning;

    const groups: TermGroup[] = [
      {
        terms: [...queryWords, ...extraWords],
        fields: WORD_FIELDS,
        boost: (term) => (ownWords.has(term) ? 1 : expansionWeight),
        // Typos are handled by the speller before the search, which is cheaper and more precise
        // than fuzzy matching every term; prefixes catch English inflections (migrat → migration).
        prefix: (term) => matchesAsPrefix(term) && frequency(term) === 0,
      },
      { terms: [...queryGrams, ...extraGrams], fields: GRAM_FIELDS, boost: (term) => gramWeight * (ownGrams.has(term) ? 1 : expansionWeight) },
    ];
    const limit = options.limit ?? 5;
    const ranking = this.engine.ranker().rank(
      groups.filter((group) => group.terms.length > 0),
      fieldBoost,
      Math.max(limit, RERANK_DEPTH),
      this.filterFor(options),
    );
    return this.rerank(ranking, analysis.text, analysis.pieces, limit).map(({ id, score, coverage }) => new Hit(this.byId(id), score, coverage));
  }

  /** A hit for a section chosen other than by ranking (a session named by its time, a listed question). */
  hitFor(section: Section, coverage = 1): SearchHit {
    return new Hit(section, 0, coverage);
  }

  private readonly listed: Partial<Record<QuestionList, ListedQuestions>> = {};

  /**
   * Sections whose listed questions (`Section.questions`, or `Section.unanswered` for `list` 'unanswered') ask
   * what the question asks, best first: similarity is the lower of how much of the question a listed question
   * covers and how much of the listed question the question covers, so both must say the same thing. `accept`
   * may rule out listed questions by their text.
   */
  questionMatches(analysis: QuestionAnalysis, minSimilarity: number, options: QuestionMatchOptions = {}): QuestionMatch[] {
    const serving = this.serving;
    if (serving !== this) return serving.questionMatches(analysis, minSimilarity, options);
    const { limit = 3, list = 'answered', accept } = options;
    const { questions, byTerm, reach, lastPiece } = (this.listed[list] ??= runToEnd(this.listing(list)));
    const askedTerms = new Set<string>();
    // What each listed question holds of the question's pieces, by weight: at least its coverage of the question
    // (a piece's bigrams or a phrase's words count here when any one is held), so most candidates are passed over
    // without working out their coverage.
    let total = 0;
    const reached: number[] = [];
    analysis.pieces.forEach((piece, index) => {
      total += piece.weight;
      const terms = [...piece.words, ...piece.phrases.flat(), ...piece.grams];
      for (const term of terms) {
        askedTerms.add(term);
        for (const id of byTerm.get(term) ?? []) {
          if (lastPiece[id] === index + 1) continue;
          if (lastPiece[id] === 0) reached.push(id);
          lastPiece[id] = index + 1;
          reach[id]! += piece.weight;
        }
      }
    });
    // Candidates share a term with the question that not every other listed question has.
    const candidates = new Set<number>();
    const common = Math.max(COMMON_LISTED_FLOOR, questions.length * COMMON_LISTED_SHARE);
    for (const term of askedTerms) {
      const ids = byTerm.get(term) ?? [];
      if (ids.length <= common) for (const id of ids) if (reach[id]! >= minSimilarity * total) candidates.add(id);
    }
    for (const id of reached) {
      reach[id] = 0;
      lastPiece[id] = 0;
    }
    const best = new Map<Section, number>();
    for (const id of candidates) {
      const listed = questions[id]!;
      const forward = coverage(analysis.pieces, listed.terms);
      if (forward < minSimilarity || forward <= (best.get(listed.section) ?? 0)) continue;
      if (accept && !accept(listed.text)) continue;
      const similarity = Math.min(forward, coverage(listed.pieces, askedTerms));
      if (similarity > (best.get(listed.section) ?? 0)) best.set(listed.section, similarity);
    }
    return [...best]
      .map(([section, similarity]) => ({ section, similarity }))
      .filter((match) => match.similarity >= minSimilarity)
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, limit);
  }

  /**
   * Analyzes every section's listed questions, a section per step, so that a caller can do it in slices before the
   * first question needs them (for the shipped notes' two lists, about half a second at once).
   */
  *prepareListed(): Generator<void, void, undefined> {
    for (const list of QUESTION_LISTS) if (!this.listed[list]) this.listed[list] = yield* this.listing(list);
  }

  private *listing(list: QuestionList): Generator<void, ListedQuestions, undefined> {
    const questions: ListedQuestion[] = [];
    const byTerm = new Map<string, number[]>();
    for (const section of this.indexedSections) {
      yield;
      for (const question of (list === 'answered' ? section.questions : section.unanswered) ?? []) {
        const id = questions.length;
        const terms = matchTerms(question);
        questions.push({ section, text: question, terms, pieces: this.analyze(question).pieces });
        for (const term of terms) {
          const ids = byTerm.get(term);
          if (ids) ids.push(id);
          else byTerm.set(term, [id]);
        }
      }
    }
    return { questions, byTerm, reach: new Float64Array(questions.length), lastPiece: new Int32Array(questions.length) };
  }

  /**
   * Terms the index does not have cannot match, and terms found in a large share of a large corpus
   * say little and cost much (every section they occur in is scored): both are left out of the query.
   */
  private informative(): (term: string) => boolean {
    const cap = Math.max(COMMON_TERM_FLOOR, COMMON_TERM_SHARE * this.indexedSections.length);
    return (term) => {
      const frequency = this.frequency(term);
      return frequency > 0 && frequency <= cap;
    };
  }

  /** In how many (section, field) pairs the term occurs. */
  private frequency(term: string): number {
    return this.engine.frequency(term);
  }

  /** Inverse section frequency (BM25's form): high for a term few sections use; 0 for one the notes lack. */
  private idf(term: string): number {
    const df = this.engine.sectionsWith(term);
    if (df === 0) return 0;
    const n = this.indexedSections.length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /**
   * How much each question word tells: the IDF of its rarest form the notes use (the word, its stem,
   * a synonym, a spelling fix), or of its bigrams for a Hangul compound; a word the notes never use
   * weighs a fixed share of the rarest possible term.
   */
  private weighPieces(questionPieces: QuestionPiece[], names: Set<string>): WeightedPiece[] {
    const rarest = Math.log(1 + (this.indexedSections.length - 0.5) / 1.5);
    const { unknownWordWeight, unknownNameWeight, unknownEverydayWeight } = this.tuning;
    const unknownShare = { name: unknownNameWeight, everyday: unknownEverydayWeight, other: unknownWordWeight };
    return questionPieces.map((piece) => {
      let weight = 0;
      for (const word of piece.words) weight = Math.max(weight, this.idf(word));
      // A synonym phrase is as rare as its rarest word is common: its least informative word bounds it.
      for (const phrase of piece.phrases) weight = Math.max(weight, Math.min(...phrase.map((word) => this.idf(word))));
      if (weight === 0 && piece.grams.length > 0) {
        const known = piece.grams.map((g) => this.idf(g)).filter((w) => w > 0);
        if (known.length * 2 >= piece.gramSpan) weight = known.reduce((a, b) => a + b, 0) / known.length;
      }
      // Everyday words weigh little whether or not the notes use them; a used word weighs at most the cap.
      const cap = (isEverydayWord(piece.text) ? unknownEverydayWeight : this.tuning.knownWordCap) * rarest;
      // Written out rather than spread: in Node 20's V8 a spread that adds a key takes a slow path, about 20 times
      // slower, whose garbage also outlives the young generation.
      const { text, phrases, gramSpan, words, grams } = piece;
      return { text, phrases, gramSpan, words, grams, weight: weight > 0 ? Math.min(weight, cap) : unknownShare[unknownWordKind(piece.text, names)] * rarest };
    });
  }

  /**
   * The first `limit` results, the head re-scored by the question's intent ("who…" favours speaker
   * sections) and by how much of the question each section covers; the rest keeps MiniSearch's order.
   */
  private rerank(ranking: Ranking, question: string, questionPieces: WeightedPiece[], limit: number): Ranked[] {
    const boost = intentBoost(question);
    const { coverageExponent, inheritedCoverage } = this.tuning;
    const { ids, scores, matched } = ranking;
    const covers = (i: number) => coverage(questionPieces, matched[i]!, inheritedCoverage);
    const head: Ranked[] = [];
    for (let i = 0; i < Math.min(ids.length, RERANK_DEPTH); i++) {
      const id = ids[i]!;
      const covered = covers(i);
      const intent = boost ? boost(this.byId(id).headingPath.join(' ')) : 1;
      // A hit that answers none of the question words (a bigram of a longer word) keeps a little of its score.
      head.push({ id, coverage: covered, score: scores[i]! * intent * (coverageExponent > 0 ? Math.max(covered, MIN_SHARE) ** coverageExponent : 1) });
    }
    head.sort((a, b) => b.score - a.score);
    if (limit <= head.length) return head.slice(0, limit);
    const tail: Ranked[] = [];
    for (let i = RERANK_DEPTH; i < Math.min(ids.length, limit); i++) tail.push({ id: ids[i]!, score: scores[i]!, coverage: covers(i) });
    return [...head, ...tail];
  }

  /**
   * A Korean noun written together with the verb after it (부스돌면서, 보호해줌, 마감됫다던데) as the two words: glued
   * into a word the notes never write, it reads as a verb, weighs as the asking, and the noun is lost. Split before
   * the rest that reads as a verb, after the longest noun of two syllables or more that the notes write.
   */
  private withGluedVerbsApart(parts: string[]): string[] {
    const written = (word: string) => wordTermsOf([word]).some((term) => this.engine.speller.has(term));
    // The verb may hold a noun too (백업자동화하려면 → 백업, 자동화하려면 → 자동화, 하려면).
    const apart = (part: string): string[] => {
      if (!isHangul(part) || part.length < 2 * MIN_GLUED_SYLLABLES || !isEverydayWord(part) || written(part)) return [part];
      for (let end = part.length - MIN_GLUED_SYLLABLES; end >= MIN_GLUED_SYLLABLES; end--) {
        const noun = part.slice(0, end);
        const verb = part.slice(end);
        if (isEverydayWord(verb) && !LIGHT_VERB.test(verb) && !isEverydayWord(noun) && written(noun)) return [noun, ...apart(verb)];
      }
      return [part];
    };
    return parts.flatMap(apart);
  }

  /**
   * Two English words the notes write as one (key note → keynote, stand by → standby) as that one word: apart,
   * they match other things, and a stop word among them ("by") would not count at all.
   */
  private withClosedCompounds(parts: string[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      const piece = parts[i]!;
      const next = parts[i + 1];
      if (next !== undefined && LATIN_WORD.test(piece) && LATIN_WORD.test(next) && this.writtenAsOne(piece, next)) {
        out.push(piece + next);
        i++;
      } else out.push(piece);
    }
    return out;
  }

  /**
   * Whether the notes write two words as one about as often as they use the rarer of them: "keynote" is the
   * notes' word for "key note", while "drstrategy" written once does not make "DR strategies" one word.
   */
  private writtenAsOne(first: string, second: string): boolean {
    const joined = this.engine.sectionsWith(stemLatin(first + second));
    const apart = Math.min(this.engine.sectionsWith(stemLatin(first)), this.engine.sectionsWith(stemLatin(second)));
    return joined > 0 && joined * 2 >= apart;
  }

  /** For each word of the question the index has never seen in any form, its likely spellings (a typo fix, or the English words a Korean spelling stands for). */
  private corrections(parts: string[], terms: PieceTerms): Map<string, string[]> {
    const corrected = new Map<string, string[]>();
    for (const piece of parts) {
      const forms = terms.words(piece);
      // A word the index has (a listed question's, which the speller does not learn) is not a typo.
      if (forms.length === 0 || forms.some((form) => this.engine.speller.has(form) || this.frequency(form) > 0)) continue;
      const base = isHangul(piece) ? (stripParticle(piece) ?? piece) : forms[0]!;
      const fix = this.engine.speller.correct(base);
      // A conjugated Korean verb is not an English word spelled in Hangul.
      const loanword = isHangul(piece) && !isEverydayWord(piece);
      const fixes = fix ? [fix] : loanword ? unique([...this.engine.speller.transliterate(base), ...this.engine.speller.transliterate(piece)]) : [];
      if (fixes.length > 0) corrected.set(piece, fixes);
    }
    return corrected;
  }

  private byIdMap?: Map<string, Section>;

  private byId(id: string): Section {
    this.byIdMap ??= new Map(this.indexedSections.map((s) => [s.id, s]));
    const section = this.byIdMap.get(id);
    if (!section) throw new Error(`search index: unknown section id ${id}`);
    return section;
  }

  private filterFor(options: SearchOptions): ((id: string) => boolean) | undefined {
    if (!options.tags && !options.noteIds) return undefined;
    const tags = new Set(options.tags ?? []);
    const notes = new Set(options.noteIds ?? []);
    return (id) => {
      const section = this.byId(id);
      return notes.has(section.noteId) || section.tags.some((t) => tags.has(t));
    };
  }
}

/** Compiled once per process: every index (and every hot reload) shares it. */
const SHARED_GLOSSARY = new Glossary();

const LATIN_WORD = /^[a-z]+$/;

/**
 * Whether an English stem the notes lack may match as the start of longer words (migrat… → migration): five
 * letters or more, and not one the stemmer ended in i for a final y (party → parti), which is a whole word,
 * not the start of participant.
 */
export function matchesAsPrefix(term: string): boolean {
  return !isHangul(term) && term.length >= 5 && !term.endsWith('i');
}

const COMMON_TERM_FLOOR = 500;
/** A term in more than this share of the listed questions (and more than the floor) finds no candidates by itself. */
const COMMON_LISTED_SHARE = 0.15;
const COMMON_LISTED_FLOOR = 20;
const COMMON_TERM_SHARE = 0.01;
const RERANK_DEPTH = 30;
/** Korean question words that chat glues to the noun after them (어느회사, 무슨세션, 어떤경우에). */
const GLUED_QUESTION_WORD = /^(어떤|무슨|어느)(?=[가-힣]{2,})/u;

/** 어느회사 → 어느 회사: glued, the word is one the notes never write, weighed as a rare word, and the noun is lost. */
function withQuestionWordsApart(parts: string[]): string[] {
  return parts.flatMap((part) => {
    const word = GLUED_QUESTION_WORD.exec(part)?.[1];
    return word ? [word, part.slice(word.length)] : [part];
  });
}

/** The shortest noun, and the shortest verb, that a glued Korean word is split into (부스 + 돌면서). */
const MIN_GLUED_SYLLABLES = 2;
/** 하다 and 되다 after a noun make one verb of it (발표하면서, 마감됐대): not a noun and a verb. */
const LIGHT_VERB = /^[하해했한할합함되돼됐된될]/u;
/** The least coverage a reranked hit is taken to have, so that one answering no question word keeps a little of its score. */
const MIN_SHARE = 0.05;
const GRAM_FIELDS = ['grams'] as const;

interface Ranked {
  id: string;
  score: number;
  coverage: number;
}

/** Labels as Korean writes them before a number (데이 1, 세션2, 파트 3): the notes write such a label in Latin letters (Day 1). */
const KOREAN_LABELS = new Map([
  ['데이', 'day'],
  ['세션', 'session'],
  ['파트', 'part'],
  ['스텝', 'step'],
  ['슬롯', 'slot'],
  ['트랙', 'track'],
  ['버전', 'version'],
  ['레벨', 'level'],
]);

/**
 * The pieces with a Korean label before a small number written as the Latin label, so it joins its number as the notes'
 * label does (day1); a number said as an English word after the label, apart or together (데이 원, 데이원), is that number.
 */
function withLatinLabels(parts: string[]): string[] {
  return parts.flatMap((piece, i) => {
    // A Map, not an object literal: a question word such as "constructor" must not find Object's own properties.
    const label = KOREAN_LABELS.get(piece);
    const next = parts[i + 1];
    if (label && next !== undefined && (SMALL_NUMBER.test(next) || NUMBER_NAMES.has(next))) return [label];
    if (NUMBER_NAMES.has(piece) && KOREAN_LABELS.has(parts[i - 1] ?? '')) return [NUMBER_NAMES.get(piece)!];
    // Written together (데이원, 세션투).
    for (const [name, digit] of NUMBER_NAMES) {
      const glued = piece.endsWith(name) ? KOREAN_LABELS.get(piece.slice(0, -name.length)) : undefined;
      if (glued) return [glued, digit];
    }
    return [piece];
  });
}

/** The terms that pass or, when none does, the rarest one the index has, so a question never goes empty. */
function keepSome(terms: string[], keep: (term: string) => boolean, frequency: (term: string) => number): string[] {
  const kept = terms.filter(keep);
  if (kept.length > 0) return kept;
  const present = terms.filter((t) => frequency(t) > 0).sort((a, b) => frequency(a) - frequency(b));
  return present.slice(0, 1);
}

const MAX_EXPANSIONS = 12;

function rarest(terms: string[], frequency: (term: string) => number, max: number): string[] {
  return terms.length <= max ? terms : [...terms].sort((a, b) => frequency(a) - frequency(b)).slice(0, max);
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

export interface QuestionPiece {
  /** The word as written (normalized). */
  text: string;
  /** Glossary synonyms, each the terms that must all occur (see `GlossaryEntry.phrases`). */
  phrases: string[][];
  /**
   * How many bigrams the word is long: half of them must match for its bigrams to answer it, so a
   * word that repeats one syllable ("가가가가가가") is not answered by the one bigram it has.
   */
  gramSpan: number;
  /** Whole word, stem and synonyms: any one of them matching answers the piece. */
  words: Set<string>;
  /** Hangul bigrams: most of them matching answers the piece too (재해 복구 ~ 재해복구). */
  grams: string[];
}

/** The question's content words, each with the terms that would count as matching it. */
function contentPieces(
  parts: string[],
  pieceTerms: PieceTerms,
  synonyms: Map<string, string[][]>,
  corrections: Map<string, string[]>,
  known: (term: string) => boolean,
): QuestionPiece[] {
  // Only words that carry content count; a stop word ("why") does not become one through its synonyms.
  // A word said twice counts once; a compound counts once: a hyphenated one (easy-to-miss) through its parts,
  // not again as its joined form, and a dotted name (Node.js) as itself, not again as its parts; a label and its
  // number ("Day 1", "session 3") are one word (day1) when the notes use it so, not any word before a number
  // ("started 9:30").
  const countedElsewhere = new Set<string>();
  parts.forEach((piece, i) => {
    if (!isJoinedForm(piece, parts.slice(i + 1))) return;
    if (piece.includes('.')) for (const part of piece.split('.')) countedElsewhere.add(part);
    else countedElsewhere.add(piece);
  });
  const words: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const piece = parts[i]!;
    const next = parts[i + 1];
    if (next !== undefined && LABEL.test(piece) && SMALL_NUMBER.test(next) && known(`${piece}${next}`)) {
      words.push(`${piece}${next}`);
      i++;
    } else words.push(piece);
  }
  const content: QuestionPiece[] = [];
  for (const piece of new Set(words)) {
    if (countedElsewhere.has(piece)) continue;
    const terms = pieceTerms.words(piece);
    const grams = pieceTerms.grams(piece);
    if (terms.length === 0 && grams.length === 0) continue;
    content.push({
      text: piece,
      words: new Set([...terms, ...(corrections.get(piece) ?? [])]),
      phrases: synonyms.get(piece) ?? [],
      grams,
      gramSpan: Math.max(grams.length, isHangul(piece) ? piece.length - 1 : 0),
    });
  }
  return content;
}

/**
 * The word terms and Hangul bigrams of each piece of one question, each computed once: the spelling fixes and
 * the content words both need them, and each computation splits and normalizes the piece again.
 */
class PieceTerms {
  private readonly split = new Map<string, string[]>();
  private readonly wordsOf = new Map<string, string[]>();
  private readonly gramsOf = new Map<string, string[]>();

  /** `wordTerms(piece)`, from the piece split once for both. */
  words(piece: string): readonly string[] {
    return remembered(this.wordsOf, piece, () => wordTermsOf(this.parts(piece)));
  }

  /** `hangulBigrams(piece)`, likewise. */
  grams(piece: string): string[] {
    return remembered(this.gramsOf, piece, () => hangulBigramsOf(this.parts(piece)));
  }

  private parts(piece: string): string[] {
    return remembered(this.split, piece, pieces);
  }
}

function remembered(memo: Map<string, string[]>, key: string, compute: (key: string) => string[]): string[] {
  let value = memo.get(key);
  if (value === undefined) {
    value = compute(key);
    memo.set(key, value);
  }
  return value;
}

/**
 * Whether `piece` is the next pieces written together (`pieces` yields "multisite" before "multi", "site", and
 * "node.js" before "node", "js").
 */
function isJoinedForm(piece: string, following: string[]): boolean {
  let rest = piece.replaceAll('.', '');
  for (const [index, next] of following.entries()) {
    if (!rest.startsWith(next) || next === rest) return next === rest && index > 0;
    rest = rest.slice(next.length);
  }
  return false;
}

export interface WeightedPiece extends QuestionPiece {
  /** How informative the piece is (IDF), so it counts that much in coverage. */
  weight: number;
}

interface ListedQuestion {
  section: Section;
  text: string;
  terms: Set<string>;
  pieces: WeightedPiece[];
}

/** The questions a section answers (`Section.questions`), or those on its topic the notes leave unanswered. */
export type QuestionList = 'answered' | 'unanswered';
const QUESTION_LISTS: readonly QuestionList[] = ['answered', 'unanswered'];

export interface QuestionMatchOptions {
  /** At most this many sections (3). */
  limit?: number;
  /** Which questions of the sections to match ('answered'). */
  list?: QuestionList;
  /** Whether a listed question, by its text, may match. */
  accept?: (listed: string) => boolean;
}

/** One list's questions of every section, with the ids of those holding each term. */
interface ListedQuestions {
  questions: ListedQuestion[];
  byTerm: Map<string, number[]>;
  /** Per listed question, kept zero between queries: the weight of the question's pieces it holds a term of. */
  reach: Float64Array;
  /** Per listed question, kept zero between queries: 1 + the last piece that added to its reach. */
  lastPiece: Int32Array;
}

export interface QuestionMatch {
  section: Section;
  /** 0..1: how closely one of the section's listed questions asks the same thing. */
  similarity: number;
}

export interface QuestionAnalysis {
  /** The question as searched (cut to `MAX_QUERY_LENGTH`). */
  text: string;
  /** The question's own word terms and spelling fixes. */
  words: string[];
  grams: string[];
  expansion: Expansion;
  /** The question's content words, weighed. */
  pieces: WeightedPiece[];
}

/** Whether terms of a passage (or what a search matched) answer one question word. */
export function answersPiece(piece: QuestionPiece, terms: TermSet): boolean {
  for (const word of piece.words) if (terms.has(word)) return true;
  for (const phrase of piece.phrases) if (phrase.every((word) => terms.has(word))) return true;
  if (piece.grams.length === 0) return false;
  let found = 0;
  for (const gram of piece.grams) if (terms.has(gram)) found++;
  return found * 2 >= piece.gramSpan;
}

const NO_TERMS: TermSet = { has: () => false };

/**
 * Share of the question's information (its pieces, each by weight) that a section answers; a piece
 * answered only by what the section inherits from its note counts `inheritedShare` of its weight.
 */
export function coverage(questionPieces: WeightedPiece[], terms: MatchedTerms | TermSet, inheritedShare = 1): number {
  const { own, inherited } = 'inherited' in terms ? terms : { own: terms, inherited: NO_TERMS };
  let total = 0;
  let answered = 0;
  for (const piece of questionPieces) {
    total += piece.weight;
    if (answersPiece(piece, own)) answered += piece.weight;
    else if (answersPiece(piece, inherited)) answered += piece.weight * inheritedShare;
  }
  return total === 0 ? 0 : answered / total;
}

const SNIPPET_LENGTH = 220;

/** A window of the text around the first matched term, cut at word boundaries. */
export function snippet(text: string, terms: string[]): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= SNIPPET_LENGTH) return flat;
  const lower = flat.toLowerCase();
  const positions = terms.map((t) => lower.indexOf(t)).filter((p) => p >= 0);
  const first = positions.length > 0 ? Math.min(...positions) : 0;
  let start = Math.max(0, first - 60);
  if (start > 0) {
    const space = flat.indexOf(' ', start);
    start = space >= 0 && space < first ? space + 1 : start;
  }
  let end = Math.min(flat.length, start + SNIPPET_LENGTH);
  if (end < flat.length) {
    const space = flat.lastIndexOf(' ', end);
    end = space > start + SNIPPET_LENGTH / 2 ? space : end;
  }
  return `${start > 0 ? '…' : ''}${flat.slice(start, end)}${end < flat.length ? '…' : ''}`;
}
