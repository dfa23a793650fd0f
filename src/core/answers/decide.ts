import { LOCALES, type Locale } from '../i18n.ts';
import type { Knowledge, SessionNote } from '../knowledge/knowledge.ts';
import { SESSION_INFO_HEADING } from '../knowledge/describe.ts';
import { textIn, type Section } from '../knowledge/types.ts';
import { findClockTime, minutesOfDay } from '../duration.ts';
import { coverage, type SearchHit, type SearchOptions, type WeightedPiece } from '../search/index.ts';
import { matchTerms } from '../search/tokenizer.ts';
import { cleanQuestion, comparisonSides, questionLanguage, sessionSlot, smallTalk, type SmallTalk } from '../search/question.ts';
import { countedWord, expectedAnswer, PLACE_STATED } from './answer-type.ts';
import { INTENTS } from '../search/intents.ts';
import { focus, sectionTerms, statesAbout, withStatement, type Focus } from './focus.ts';
import { units } from '../search/units.ts';

/**
 * A passage is an answer when it holds more than this share of the question's information (question
 * words weighed by how rare they are in the notes). Calibrated on answerable and unanswerable questions
 * together (see README): since each section lists some fifteen questions, the sections that answer hold
 * more of a question's words, and 0.55 refuses more without losing answers that 0.5 kept before.
 */
export const MIN_COVERAGE = 0.55;

/**
 * Once the question is answered, a further passage is shown beside the best one when it holds this
 * much of the question: the answer is known to be in the notes, so a passage sharing less of its words
 * is still likely the one holding the part asked (our sets: hit@3 0.917 → 0.919 with no other change).
 */
export const MIN_FURTHER_COVERAGE = 0.4;

/**
 * A section answers outright when one of the questions it lists asks the same thing this closely
 * (see `SearchIndex.questionMatches`).
 */
export const MIN_QUESTION_SIMILARITY = 0.55;

/**
 * A question is refused when one of the questions a section lists as unanswered by the notes asks the same
 * thing this closely, and more closely than any question the notes answer, and the question asks every kind of
 * answer that one asks. Calibrated on our sets (see README): at 0.65 the lists refused 0.03–0.045 more of the
 * unanswerable questions and lost no right first answer; at 0.6 they lost some.
 */
export const MIN_UNANSWERED_SIMILARITY = 0.65;

/** How many passages an answer shows: the best one and up to two others. */
export const SHOWN_PASSAGES = 3;

/** A session named by its time may start this long after the time asked ("the 3pm session" → 15:20). */
const SESSION_TIME_SLACK_MINUTES = 30;

export interface ShownPassage {
  hit: SearchHit;
  /** The sentences or bullets of the passage, in the answer's language, that answer the question. */
  lead: string[];
}

export type AnswerKind = 'passage' | 'comparison' | 'session';

export interface AnswerDecision {
  /** The question as understood: mention markup removed. */
  question: string;
  /** The language the answer is given in: the question's own, else the asker's. */
  language: Locale;
  kind: AnswerKind;
  /** Shown passages, best first; empty when the notes do not answer the question. */
  shown: ShownPassage[];
  /** Every hit considered, including those not good enough to show (for suggestions). */
  ranked: SearchHit[];
  /** Set when the question asks who spoke at a session whose speakers the notes do not name: nothing is shown, and the reply says so. */
  speakersUnnamed?: SessionNote;
  /** Set when the question asks a detail the notes are known to lack (a section's unanswered question): the section it is about. */
  unrecorded?: Section;
  /** Set when the message only greets or thanks: nothing is searched or shown, and the reply answers in kind. */
  smallTalk?: SmallTalk;
}

export interface DecideOptions {
  /** The asker's language, used when the question does not show one (a bare product name). */
  fallbackLanguage: Locale;
  scope?: SearchOptions;
  /** Override `MIN_COVERAGE`, `MIN_QUESTION_SIMILARITY` and `MIN_UNANSWERED_SIMILARITY`, for calibration. */
  minCoverage?: number;
  minQuestionSimilarity?: number;
  minUnansweredSimilarity?: number;
}

export function isConfident(hit: SearchHit, minCoverage = MIN_COVERAGE): boolean {
  return hit.coverage > minCoverage;
}

/** Decides what `/ask` shows for a question: which passages, led by which sentences, or nothing. */
export function decideAnswer(knowledge: Knowledge, rawQuestion: string, options: DecideOptions): AnswerDecision {
  const question = cleanQuestion(rawQuestion);
  const language = questionLanguage(question) ?? options.fallbackLanguage;
  const courtesy = smallTalk(question);
  if (courtesy) return { question, language, kind: 'passage', shown: [], ranked: [], smallTalk: courtesy };
  const scope = options.scope ?? {};
  const minCoverage = options.minCoverage ?? MIN_COVERAGE;
  const covers = (hit: SearchHit) => isConfident(hit, minCoverage);
  const analysis = knowledge.index.analyze(question);
  const ranked = knowledge.index.searchAnalyzed(analysis, { ...scope, limit: 10 });
  const wanted = expectedAnswer(question);
  // A passage's answering sentences, worked out once: they order the passages shown and then lead each.
  const focused = new Map<Section, Focus>();
  const focusOf = (section: Section): Focus => {
    let found = focused.get(section);
    if (!found) {
      found = focus(section, language, analysis.pieces, wanted?.evidence);
      focused.set(section, found);
    }
    return found;
  };
  const decision = (kind: AnswerKind, hits: SearchHit[]): AnswerDecision => ({
    question,
    language,
    kind,
    shown: unique(hits).slice(0, SHOWN_PASSAGES).map((hit) => ({ hit, lead: leadOf(hit, focusOf, language, question) })),
    ranked: ranked.slice(0, 5),
  });

  // "Who presented X?" when the notes say X's speakers are not known: the honest answer is that, not X's abstract.
  const speakersUnnamed = (session: SessionNote): AnswerDecision | undefined =>
    PERSON.question.test(question) && session.meta.speakers.length === 0 ? { ...decision('session', []), speakersUnnamed: session } : undefined;

  const named = namedSession(knowledge, question);
  if (named && inScope(named.note.sections, scope)) {
    const unnamed = speakersUnnamed(named);
    if (unnamed) return unnamed;
    const info = sessionInfo(knowledge, named, ranked);
    const topical = ranked.filter((hit) => hit.section.noteId === named.note.id && hit !== info && covers(hit));
    return decision('session', info ? [info, ...topical] : topical);
  }

  const sides = comparisonSides(question);
  if (sides) {
    const compared = compare(knowledge, sides, ranked, scope, covers);
    if (compared.length > 0) return decision('comparison', compared);
  }

  // A listed question that asks the same thing makes its section an answer; otherwise the best-ranked
  // section must cover enough of the question (sections further down that do are shown only then).
  const listed = knowledge.index.questionMatches(analysis, options.minQuestionSimilarity ?? MIN_QUESTION_SIMILARITY);
  // A detail the notes are known to lack ("what did the lunch box cost?") is refused, though its topic's passages hold the other words.
  const asked = askedKinds(question);
  const unanswered = knowledge.index.questionMatches(analysis, options.minUnansweredSimilarity ?? MIN_UNANSWERED_SIMILARITY, {
    limit: 1,
    list: 'unanswered',
    // "Who gave the Day 1 keynote?" is not "when did the Day 1 keynote run?": the question must ask every kind of
    // answer the listed one asks ("DR 데모 리전 어디였어?" may add "where" to "which regions did the demo use?").
    accept: (unansweredQuestion) => [...askedKinds(unansweredQuestion)].every((kind) => asked.has(kind)),
  })[0];
  if (unanswered && unanswered.similarity > (listed[0]?.similarity ?? 0) && !isTopicLookup(question, asked, ranked[0])) return { ...decision('passage', []), unrecorded: unanswered.section };
  const byListed = listed.map((match) => ranked.find((hit) => hit.section === match.section) ?? knowledge.index.hitFor(match.section, match.similarity));
  const answerable = byListed.length > 0 || (ranked[0] !== undefined && covers(ranked[0]));
  // Shown in ranking order; a section named by a listed question but ranked below the top five comes last.
  let confident = answerable
    ? unique([...ranked.slice(0, 5).filter((hit, i) => covers(hit) || byListed.includes(hit) || (i > 0 && hit.coverage > MIN_FURTHER_COVERAGE)), ...byListed])
    : [];
  if (wanted) {
    // "How many booths…": a passage whose sentences about the booths state no count does not answer it.
    // "How many tables were migrated…": a count of steps in the same paragraph is not a count of tables.
    const counted = wanted.name === 'count' ? countedPiece(analysis.pieces, countedWord(question)) : undefined;
    confident = confident.filter((hit) =>
      LOCALES.some((lang) =>
        counted
          ? statesAbout(hit.section, lang, counted, wanted.evidence)
          : focus(hit.section, lang, analysis.pieces, wanted.evidence).units.some((unit) => wanted.evidence.test(unit)),
      ),
    );
  }
  confident = byAnsweringSentences(confident, focusOf);
  const best = confident[0];
  if (best && asksAboutSessionMetadata(question)) {
    const session = knowledge.sessions.find((s) => s.note.id === best.section.noteId);
    const unnamed = session && speakersUnnamed(session);
    if (unnamed) return unnamed;
    const info = session ? sessionInfo(knowledge, session, ranked) : undefined;
    if (info) return decision('session', [info, ...confident]);
  }
  return decision('passage', confident);
}

/** How strongly the share of the question a passage's answering sentences hold re-orders the passages shown. */
const ANSWERING_SHARE_EXPONENT = 0.75;

/**
 * The passages to show, the first few re-ordered by their ranking score times the share of the question that their
 * answering sentences (read with the heading) hold: an overview names the question's words in sentences about other
 * things, the passage that answers holds them in the sentences it leads with. Only ranked passages are re-ordered; a
 * passage found through a listed question alone keeps its place.
 */
function byAnsweringSentences(hits: SearchHit[], focusOf: (section: Section) => Focus): SearchHit[] {
  const head = hits.slice(0, SHOWN_PASSAGES);
  if (head.length < 2 || head.some((hit) => hit.score <= 0)) return hits;
  const weighed = head.map((hit, order) => {
    const { share } = focusOf(hit.section);
    return { hit, order, score: hit.score * Math.max(share, MIN_ANSWERING_SHARE) ** ANSWERING_SHARE_EXPONENT };
  });
  weighed.sort((a, b) => b.score - a.score || a.order - b.order);
  return [...weighed.map(({ hit }) => hit), ...hits.slice(SHOWN_PASSAGES)];
}

/** A passage whose answering sentences hold none of the question keeps a little of its score. */
const MIN_ANSWERING_SHARE = 0.05;

/** The question piece that stands for the counted word ("booths" → the piece of "booths", stem and synonyms). */
function countedPiece(pieces: WeightedPiece[], word: string | undefined): WeightedPiece | undefined {
  if (!word) return undefined;
  return pieces.find((piece) => piece.text === word || piece.words.has(word) || word.startsWith(piece.text) || piece.text.startsWith(word));
}

function unique(hits: SearchHit[]): SearchHit[] {
  const seen = new Set<string>();
  return hits.filter((hit) => !seen.has(hit.section.id) && seen.add(hit.section.id));
}

function inScope(sections: Section[], scope: SearchOptions): boolean {
  if (!scope.tags && !scope.noteIds) return true;
  return sections.some((s) => scope.noteIds?.includes(s.noteId) || s.tags.some((tag) => scope.tags?.includes(tag)));
}

/** The session a question names by its slot ("session 3") or its time ("the 3pm session", "15시 20분"). */
function namedSession(knowledge: Knowledge, question: string): SessionNote | undefined {
  const day = knowledge.plannedDay();
  const sessions = knowledge.sessions.filter((s) => s.meta.day === day);
  const slot = sessionSlot(question);
  if (slot !== undefined) return sessions.find((s) => s.meta.slot === slot);
  const minutes = findClockTime(question);
  if (minutes === undefined) return undefined;
  return (
    sessions.find((s) => minutesOfDay(s.meta.start) <= minutes && minutes < minutesOfDay(s.meta.end)) ??
    sessions.find((s) => minutesOfDay(s.meta.start) > minutes && minutesOfDay(s.meta.start) - minutes <= SESSION_TIME_SLACK_MINUTES)
  );
}

/** The hit for the session's generated info section (time, slot, speakers, abstract). */
function sessionInfo(knowledge: Knowledge, session: SessionNote, ranked: SearchHit[]): SearchHit | undefined {
  const section = session.note.sections.find((s) => s.headingPath[0] === SESSION_INFO_HEADING);
  if (!section) return undefined;
  return ranked.find((hit) => hit.section === section) ?? knowledge.index.hitFor(section);
}

const PERSON = INTENTS.find((intent) => intent.name === 'person')!;
const TIME = INTENTS.find((intent) => intent.name === 'time')!;
const PLACE = INTENTS.find((intent) => intent.name === 'place')!;

/** Intents too broad to tell two questions apart ("뭐야" asks a definition and a detail alike). */
const BROAD_INTENTS = new Set(['definition']);

/** The kinds of answer a question asks for: its intents (who, when, where, why) and the answer type it expects (a count, a price…). */
function askedKinds(question: string): Set<string> {
  const kinds = new Set(INTENTS.filter((intent) => !BROAD_INTENTS.has(intent.name) && intent.question.test(question)).map((intent) => intent.name));
  const wanted = expectedAnswer(question);
  if (wanted) kinds.add(wanted.name);
  return kinds;
}

/** Every word of the question, allowing for rounding. */
const WHOLE_QUESTION = 0.999;

/** Words that ask for something in particular: which, how many, what kind… */
const QUESTION_WORD = /[?？]|뭐|무엇|무슨|어떤|어느|어디|언제|누구|누가|왜|몇|얼마|\b(?:what|which|who|whom|whose|when|where|why|how)\b/iu;

/**
 * A topic looked up by its words ("SQL 전환 가이드", "skt도 부스 있었어"): no question mark or question word, no kind of
 * answer asked, and every word held by the best passage. It asks for that passage; an unanswered question listed
 * for the topic that adds a detail to the same words ("SQL 전환 가이드 몇 페이지짜리였어?") asks something else.
 */
function isTopicLookup(question: string, asked: Set<string>, best: SearchHit | undefined): boolean {
  return best !== undefined && best.coverage >= WHOLE_QUESTION && asked.size === 0 && !QUESTION_WORD.test(question);
}

/** "When…", "what time…", "언제…". */
function asksWhen(question: string): boolean {
  return TIME.question.test(question) || /언제|\bwhen\b/i.test(question);
}

/** "Who…", "when…", "what time…": answered by a session's metadata when the topic is a session. */
function asksAboutSessionMetadata(question: string): boolean {
  return PERSON.question.test(question) || asksWhen(question);
}

/**
 * Both sides of a comparison: first a passage that covers both, when one does (a comparison table),
 * then the best passage for each side on its own.
 */
function compare(
  knowledge: Knowledge,
  sides: [string, string],
  ranked: SearchHit[],
  scope: SearchOptions,
  covers: (hit: SearchHit) => boolean,
): SearchHit[] {
  const sidePieces = sides.map((side) => knowledge.index.analyze(side).pieces);
  /** How much of both sides a section covers (the sum), or 0 when it misses either. */
  const bothSides = (section: Section) => {
    const terms = sectionTerms(section);
    const shares = sidePieces.map((pieces) => coverage(pieces, terms));
    return shares.every((share) => share > MIN_COVERAGE) ? shares.reduce((a, b) => a + b, 0) : 0;
  };
  const sideHits = sides.map((side) => knowledge.index.search(side, { ...scope, limit: 5 }));
  // A passage that covers both sides (a comparison table, "Day 1 and Day 2 differ in…") may rank
  // low for either side alone, so every section of the notes the searches found is considered.
  const notes = new Set([...ranked.slice(0, 3), ...sideHits.flatMap((hits) => hits.slice(0, 3))].map((hit) => hit.section.noteId));
  const candidates = [...notes].flatMap((id) => knowledge.note(id)?.sections ?? []);
  // A heading that names both sides ("RTO와 RPO 설명") is about the comparison; one that covers them in passing is not.
  const namesBoth = (section: Section) => {
    const heading = matchTerms(section.headingPath.join(' '));
    return sidePieces.every((pieces) => coverage(pieces, heading) > MIN_COVERAGE) ? 1 : 0;
  };
  const both = candidates
    .map((section) => ({ section, covered: bothSides(section) }))
    .filter((c) => c.covered > 0)
    .map(({ section, covered }) => ({ section, covered, named: namesBoth(section) }))
    .sort((a, b) => b.covered - a.covered || b.named - a.named || a.section.text.length - b.section.text.length)[0];
  const bothHit = both && (ranked.find((hit) => hit.section === both.section) ?? knowledge.index.hitFor(both.section));
  const perSide = sideHits.map((hits) => hits.find(covers));
  if (!bothHit && perSide.some((hit) => hit === undefined)) return [];
  return [bothHit, ...perSide].filter((hit): hit is SearchHit => hit !== undefined);
}

/** The part of a session's info a metadata question asks for: its speakers, or its time. */
function sessionInfoLead(text: string, question: string): string[] {
  const lines = units(text);
  if (PERSON.question.test(question)) {
    const speakers = lines.find((line) => /^(Speakers|연사)/.test(line));
    if (speakers) return [speakers];
  }
  if (asksWhen(question)) return lines.slice(0, 1);
  return lines.filter((line) => /^(Day \d|Speakers|연사|Abstract|소개)/.test(line));
}

function leadOf(hit: SearchHit, focusOf: (section: Section) => Focus, language: Locale, question: string): string[] {
  const text = textIn(hit.section, language);
  if (hit.section.headingPath[0] === SESSION_INFO_HEADING) return sessionInfoLead(text, question);
  const lead = focusOf(hit.section).units;
  return PLACE.question.test(question) ? withStatement(lead, hit.section, language, PLACE_STATED) : lead;
}

