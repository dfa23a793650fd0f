import { t } from '../i18n.ts';
import { clip } from '../text.ts';
import { actions, citation, heading, list, reply, text, type Block, type Reply } from '../reply.ts';
import type { SearchHit, SearchOptions } from '../search/index.ts';
import type { Knowledge } from '../knowledge/knowledge.ts';
import type { Locale } from '../i18n.ts';
import { publicOption } from './options.ts';
import type { Command } from './types.ts';

/** Passages longer than this are cut in a reply; every platform renderer then has room to spare. */
export const MAX_PASSAGE_LENGTH = 1500;

/**
 * A hit is an answer when it matches most of the question's words (or their synonyms); a passage
 * that shares only one word of a two-word question ("피자 레시피" vs "two-pizza team") is noise,
 * and saying so is more useful.
 */
export const MIN_COVERAGE = 0.5;

export function isConfident(hit: SearchHit): boolean {
  return hit.coverage > MIN_COVERAGE;
}

/** A passage of at most `max` units with a "shortened" note, cut where the text breaks naturally. */
export function cut(value: string, max: number, locale: Locale): string {
  return clip(value, max, `\n${t('truncated', locale)}`);
}

/** What `/ask` decided to show: the passages, best first; none when it refuses. */
export interface AnswerDecision {
  question: string;
  /** Shown passages, best first; empty when the notes do not answer the question. */
  shown: SearchHit[];
  /** Every hit considered, including those not good enough to show (for suggestions). */
  ranked: SearchHit[];
}

/** How many passages an answer shows: the best one and up to two others. */
export const SHOWN_PASSAGES = 3;

export function decideAnswer(knowledge: Knowledge, question: string, scope: SearchOptions = {}): AnswerDecision {
  const ranked = knowledge.index.search(question, { ...scope, limit: 5 });
  return { question, ranked, shown: ranked.filter(isConfident).slice(0, SHOWN_PASSAGES) };
}

/** The best passage with its source, then a few other relevant ones; or an honest "not found". */
export function answer(knowledge: Knowledge, question: string, locale: Locale, command: string, scope: SearchOptions = {}): Reply {
  return renderAnswer(knowledge, decideAnswer(knowledge, question, scope), locale, command);
}

export function renderAnswer(knowledge: Knowledge, decision: AnswerDecision, locale: Locale, command: string): Reply {
  const { question, shown: confident } = decision;
  const best = confident[0];
  if (!best) return notFound(knowledge, question, decision.ranked, locale);

  const blocks: Block[] = [
    heading(best.citation),
    text(cut(best.section.text, MAX_PASSAGE_LENGTH, locale)),
    citation([{ label: best.citation, source: best.section.source }]),
  ];
  const others = confident.slice(1, 3);
  if (others.length > 0) {
    blocks.push(heading(t('alsoRelevant', locale)));
    blocks.push(list(others.map((hit) => `${hit.citation}: ${hit.snippet}`)));
  }
  blocks.push(actions([{ kind: 'share', label: t('share', locale), command: `/${command} ${question}` }]));
  return reply(blocks);
}

function notFound(knowledge: Knowledge, question: string, weakHits: SearchHit[], locale: Locale): Reply {
  const related = [...new Set(weakHits.map((hit) => hit.section.noteTitle))].slice(0, 3);
  const fallback = related.length > 0 ? related : knowledge.notes.slice(0, 3).map((n) => n.title);
  return reply(
    [
      text(t('noGoodMatch', locale, { query: question.length > 80 ? `${question.slice(0, 80)}…` : question })),
      heading(t('tryInstead', locale)),
      list(['/session', '/dr', '/tip', '/help']),
      heading(t('relatedNotes', locale)),
      list(fallback),
    ],
    { isError: true },
  );
}

export const askCommand: Command = {
  name: 'ask',
  description: { ko: '써밋 노트에서 질문의 답을 찾습니다', en: 'Find the answer to a question in the summit notes' },
  usage: ['/ask <질문 | question>'],
  examples: ['/ask RPO가 뭐야', '/ask what is pilot light'],
  options: [
    {
      name: 'question',
      type: 'string',
      required: true,
      form: 'text',
      description: { ko: '한국어나 영어로 된 질문', en: 'Your question, in Korean or English' },
    },
    publicOption,
  ],
  run: (ctx, input) => answer(ctx.knowledge, input.text, ctx.locale, 'ask'),
};
