import { t } from '../i18n.ts';
import { clip } from '../text.ts';
import { actions, citation, heading, list, reply, text, type Action, type Block, type Reply } from '../reply.ts';
import { citationOf, type SearchHit, type SearchOptions } from '../search/index.ts';
import { titleIn, textIn } from '../knowledge/types.ts';
import { noteTitleIn } from '../knowledge/language.ts';
import type { Knowledge } from '../knowledge/knowledge.ts';
import type { Locale } from '../i18n.ts';
import { decideAnswer, type AnswerDecision, type ShownPassage } from '../answers/decide.ts';
import { snippet } from '../search/index.ts';
import { fullOption, publicOption } from './options.ts';
import { skippedName } from './unavailable.ts';
import type { Command } from './types.ts';
import type { SmallTalk } from '../search/question.ts';

/** Passages longer than this are cut in a reply; every platform renderer then has room to spare. */
export const MAX_PASSAGE_LENGTH = 1500;

/**
 * A passage hardly longer than its answering sentences is shown whole; a longer one is shown by those
 * sentences, with a "more" button for the rest.
 */
const WHOLE_PASSAGE_RATIO = 1.5;
const WHOLE_PASSAGE_SLACK = 80;

/** A passage of at most `max` units with a "shortened" note, cut where the text breaks naturally. */
export function cut(value: string, max: number, locale: Locale): string {
  return clip(value, max, `\n${t('truncated', locale)}`);
}

export interface AnswerRequest {
  question: string;
  /** The asker's language; the question's own language wins when it shows one. */
  locale: Locale;
  /** The command that asked, for the share and "more" buttons. */
  command: string;
  /** Show whole passages instead of their answering sentences. */
  full?: boolean;
  scope?: SearchOptions;
}

/** The passages that answer, led by the sentences that answer, with sources; or an honest "not found". */
export function answer(knowledge: Knowledge, request: AnswerRequest): Reply {
  const decision = decideAnswer(knowledge, request.question, { fallbackLanguage: request.locale, ...(request.scope ? { scope: request.scope } : {}) });
  return renderAnswer(knowledge, decision, request);
}

export function renderAnswer(knowledge: Knowledge, decision: AnswerDecision, request: AnswerRequest): Reply {
  const { language, shown } = decision;
  // A greeting or a thanks is answered in kind, and is not a question the notes failed to answer.
  if (decision.smallTalk) return smallTalkReply(decision.smallTalk, language);
  const best = shown[0];
  if (!best) return { ...notFound(knowledge, decision), answer: { command: request.command, question: decision.question, language } };

  const blocks: Block[] = [];
  const more: Action[] = [];
  // A comparison leads with each side; any other answer with its best passage, the rest listed below.
  const leading = decision.kind === 'comparison' ? shown : [best];
  for (const passage of leading) {
    blocks.push(heading(citationOf(passage.hit.section, language)), ...passageBlocks(passage, language, request.full === true));
    if (!request.full && hidesPassage(passage, language)) {
      more.push({ kind: 'more', label: t('more', language), command: `/${request.command} ${decision.question} full=true` });
    }
  }
  blocks.push(citation(leading.map((p) => ({ label: citationOf(p.hit.section, language), source: p.hit.section.source }))));
  const others = shown.filter((p) => !leading.includes(p));
  if (others.length > 0) {
    blocks.push(heading(t('alsoRelevant', language)));
    blocks.push(list(others.map((p) => `${citationOf(p.hit.section, language)}: ${p.lead.join(' ') || snippet(textIn(p.hit.section, language), [])}`)));
  }
  blocks.push(actions([{ kind: 'share', label: t('share', language), command: `/${request.command} ${decision.question}` }, ...more.slice(0, 1)]));
  const citationShown = { label: citationOf(best.hit.section, language), source: best.hit.section.source };
  return { ...reply(blocks, { locale: language }), answer: { command: request.command, question: decision.question, language, citation: citationShown } };
}

/** The answering sentences, or the whole passage when it says little more (or `full` asks for it). */
function passageBlocks(passage: ShownPassage, language: Locale, full: boolean): Block[] {
  const shown = full || !hidesPassage(passage, language) ? textIn(passage.hit.section, language) : passage.lead.join('\n');
  return [text(cut(shown, MAX_PASSAGE_LENGTH, language))];
}

function hidesPassage(passage: ShownPassage, language: Locale): boolean {
  const whole = textIn(passage.hit.section, language).trim();
  const lead = passage.lead.join('\n');
  return lead.length > 0 && whole.length > lead.length * WHOLE_PASSAGE_RATIO + WHOLE_PASSAGE_SLACK;
}

/** What to ask, offered after a greeting or a thanks. */
const ASK_EXAMPLES: Record<Locale, string[]> = {
  ko: ['/ask RPO가 뭐야', '/ask 점심 어디서 받아?', '/session 15시'],
  en: ['/ask what is pilot light', '/ask where do I pick up my badge', '/session 3pm'],
};

function smallTalkReply(courtesy: SmallTalk, language: Locale): Reply {
  return reply([text(t(courtesy === 'thanks' ? 'smallTalkThanks' : 'smallTalkGreeting', language)), heading(t('examples', language)), list(ASK_EXAMPLES[language])], {
    locale: language,
  });
}

function notFound(knowledge: Knowledge, decision: AnswerDecision): Reply {
  const { question, language } = decision;
  const weak: SearchHit[] = decision.ranked;
  const { unrecorded } = decision;
  // The topic the question is about comes first: the notes have it, only not the detail asked.
  const related = [...new Set([...(unrecorded ? [titleIn(unrecorded, language)] : []), ...weak.map((hit) => titleIn(hit.section, language))])].slice(0, 3);
  const fallback = related.length > 0 ? related : knowledge.notes.slice(0, 3).flatMap((n) => (n.sections[0] ? [titleIn(n.sections[0], language)] : [n.title]));
  const unnamed = decision.speakersUnnamed;
  const query = question.length > 80 ? `${question.slice(0, 80)}…` : question;
  const blocks: Block[] = [
    unnamed
      ? text(t('speakersUnnamed', language, { session: noteTitleIn(unnamed.note, language) }))
      : unrecorded
        ? text(t('notRecorded', language, { query, topic: citationOf(unrecorded, language) }))
        : text(t('noGoodMatch', language, { query })),
    heading(t('tryInstead', language)),
    list(['/session', '/dr', '/tip', '/help']),
  ];
  if (fallback.length > 0) blocks.push(heading(t('relatedNotes', language)), list(fallback));
  // The answer may be in a note that is skipped because of an error: say which, so nobody concludes it is not written down.
  const skipped = knowledge.skipped.slice(0, 3).map((s) => `${skippedName(s)} (${s.problem.file}:${s.problem.line})`);
  if (skipped.length > 0) blocks.push(text(t('notesUnavailableMayAnswer', language, { notes: skipped.join(', ') })));
  return reply(blocks, { isError: true, locale: language });
}

export const askCommand: Command = {
  name: 'ask',
  description: { ko: '써밋 노트에서 질문의 답을 찾습니다', en: 'Find the answer to a question in the summit notes' },
  usage: ['/ask <질문 | question>'],
  examples: ['/ask RPO가 뭐야', '/ask what is pilot light'],
  options: [
    {
      name: 'question',
      label: { ko: '질문', en: 'question' },
      type: 'string',
      required: true,
      form: 'text',
      description: { ko: '한국어나 영어로 된 질문', en: 'Your question, in Korean or English' },
    },
    fullOption,
    publicOption,
  ],
  run: (ctx, input) => answer(ctx.knowledge, { question: input.text, locale: ctx.locale, command: 'ask', full: input.values.full === true }),
};
