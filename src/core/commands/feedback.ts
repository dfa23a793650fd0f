import { t, type Locale } from '../i18n.ts';
import { clip } from '../text.ts';
import { errorReply, reply, text, type Reply } from '../reply.ts';
import { ANSWER_ID, type VoteResult } from '../feedback/service.ts';
import type { Vote } from '../store.ts';
import { publicOption } from './options.ts';
import { UsageError } from './parse.ts';
import type { Command, CommandInput } from './types.ts';

/** What people type (or a button sends) for each rating; emoji skin tones and variation selectors are ignored. */
const VOTE_WORDS: Record<string, Vote> = {
  good: 'good',
  '👍': 'good',
  '+1': 'good',
  up: 'good',
  yes: 'good',
  좋아요: 'good',
  좋음: 'good',
  bad: 'bad',
  '👎': 'bad',
  '-1': 'bad',
  down: 'bad',
  no: 'bad',
  싫어요: 'bad',
  별로: 'bad',
  나쁨: 'bad',
};

const VOTE_EMOJI: Record<Vote, string> = { good: '👍', bad: '👎' };

/** `good`, `bad ab12CD34ef_-` (the answer id a button carries): the rating and, optionally, which answer. */
function readVote(input: CommandInput, locale: Locale): { vote: Vote; answerId?: string } {
  const [word = '', answerId, ...rest] = input.text.split(/\s+/).filter(Boolean);
  const vote = VOTE_WORDS[word.toLowerCase().replace(/[\u{1F3FB}-\u{1F3FF}\uFE0F]/gu, '')];
  if (!vote || rest.length > 0 || (answerId !== undefined && !ANSWER_ID.test(answerId))) {
    throw new UsageError(t('feedbackBadVote', locale, { value: clip(input.text, 40) }));
  }
  return answerId === undefined ? { vote } : { vote, answerId };
}

function voteReply(result: VoteResult, locale: Locale): Reply {
  switch (result.status) {
    case 'unknown':
      return errorReply(t('feedbackUnknown', locale), t('feedbackUnknownHint', locale));
    case 'refused':
      return reply([text(t('feedbackAlreadyRefused', locale))]);
    case 'recorded':
    case 'changed':
    case 'unchanged': {
      const emoji = VOTE_EMOJI[result.vote];
      const ack =
        result.status === 'recorded'
          ? t(result.vote === 'good' ? 'feedbackRecordedGood' : 'feedbackRecordedBad', locale)
          : t(result.status === 'changed' ? 'feedbackChanged' : 'feedbackUnchanged', locale, { vote: emoji });
      return reply([text(ack), text(t('feedbackQuestion', locale, { question: clip(result.question, 200) }))]);
    }
  }
}

export const feedbackCommand: Command = {
  name: 'feedback',
  description: { ko: '방금 받은 답변을 평가합니다 (good 또는 bad)', en: 'Rate the answer you just got: good or bad' },
  usage: ['/feedback good|bad'],
  examples: ['/feedback good', '/feedback bad'],
  options: [
    {
      name: 'rating',
      label: { ko: '평가', en: 'rating' },
      type: 'string',
      required: true,
      form: 'text',
      autocomplete: true,
      description: { ko: 'good (👍) 또는 bad (👎)', en: 'good (👍) or bad (👎)' },
    },
    publicOption,
  ],
  async run(ctx, input) {
    const { vote, answerId } = readVote(input, ctx.locale);
    if (!ctx.feedback) return errorReply(t('feedbackOff', ctx.locale));
    return voteReply(await ctx.feedback.vote(vote, ctx.request, answerId), ctx.locale);
  },
  suggest(_ctx, option, partial) {
    if (option !== 'rating') return [];
    const typed = partial.trim().toLowerCase();
    return (['good', 'bad'] as const).filter((vote) => vote.startsWith(typed)).map((vote) => ({ label: `${VOTE_EMOJI[vote]} ${vote}`, value: vote }));
  },
};
