import { tipSchedule, tipSubscribe, tipUnsubscribe } from './tip-subscription.ts';
import { t, type Locale } from '../i18n.ts';
import { actions, citation, errorReply, heading, reply, text, type Block, type Reply } from '../reply.ts';
import type { Knowledge, TipEntry } from '../knowledge/knowledge.ts';
import { normalize } from '../search/tokenizer.ts';
import { questionLanguage } from '../search/question.ts';
import { fieldIn, noteTitleIn } from '../knowledge/language.ts';
import { bestTipFor, randomTip, tipOfTheDay } from '../tips/picker.ts';
import { publicOption } from './options.ts';
import { unavailableReply, unavailableText } from './unavailable.ts';
import type { Command, CommandContext, Suggestion } from './types.ts';

const MAX_SUGGESTIONS = 25;
const MAX_TIP_LENGTH = 1200;

/** A tip with where it comes from: the tip's source note, or the tips note when that is missing. */
export function tipReply(knowledge: Knowledge, entry: TipEntry, title: string, locale: Locale, lead?: string): Reply {
  const source = knowledge.note(entry.tip.source) ?? entry.note;
  const written = fieldIn(entry.tip, 'text', locale);
  const tipText = written.length > MAX_TIP_LENGTH ? `${written.slice(0, MAX_TIP_LENGTH)}…` : written;
  const blocks: Block[] = [];
  if (lead) blocks.push(text(lead));
  blocks.push(heading(title), text(`💡 ${tipText}`));
  blocks.push(citation([{ label: noteTitleIn(source, locale), source: source.source }]));
  blocks.push(text(t('tipMore', locale)));
  blocks.push(actions([{ kind: 'share', label: t('share', locale), command: `/tip ${entry.tip.id}` }]));
  return reply(blocks);
}

/** No tips to show: the tips note is skipped because of an error (say where), or there are none. */
function noTips(ctx: CommandContext): Reply {
  const skipped = ctx.knowledge.skippedNote({ kind: 'tips' });
  return skipped ? unavailableReply(unavailableText(skipped, ctx.locale), ctx.locale) : errorReply(t('tipNone', ctx.locale));
}

function today(ctx: CommandContext, lead?: string): Reply {
  const entry = tipOfTheDay(ctx.knowledge.tips, ctx.clock.now(), ctx.timeZone);
  if (!entry) return noTips(ctx);
  return tipReply(ctx.knowledge, entry, t('tipToday', ctx.locale), ctx.locale, lead);
}

function random(ctx: CommandContext): Reply {
  const entry = randomTip(ctx.knowledge.tips);
  if (!entry) return noTips(ctx);
  return tipReply(ctx.knowledge, entry, t('tipRandom', ctx.locale), ctx.locale);
}

function forTopic(ctx: CommandContext, topic: string): Reply {
  const tips = ctx.knowledge.tips;
  const wanted = normalize(topic).trim();
  const byId = tips.find((e) => e.tip.id === wanted);
  const entry = byId ?? bestTipFor(tips, topic);
  const shown = topic.length > 60 ? `${topic.slice(0, 60)}…` : topic;
  // A topic in words answers in their language; a tip id (what the share button sends) keeps the asker's.
  const locale = (byId ? undefined : questionLanguage(topic)) ?? ctx.locale;
  const answer = entry ? tipReply(ctx.knowledge, entry, t('tipForTopic', locale, { topic: shown }), locale) : today({ ...ctx, locale }, t('tipNoMatch', locale, { topic: shown }));
  return { ...answer, locale };
}

/**
 * The first word of the text picks a subcommand; anything else is a topic.
 * Subscription subcommands (`subscribe`, `unsubscribe`, `schedule`) plug in here.
 */
export const tipSubcommands: Record<string, (ctx: CommandContext, rest: string) => Reply | Promise<Reply>> = {
  random: (ctx) => random(ctx),
  랜덤: (ctx) => random(ctx),
  무작위: (ctx) => random(ctx),
  today: (ctx) => today(ctx),
  오늘: (ctx) => today(ctx),
  subscribe: tipSubscribe,
  구독: tipSubscribe,
  unsubscribe: (ctx) => tipUnsubscribe(ctx),
  구독취소: (ctx) => tipUnsubscribe(ctx),
  구독해지: (ctx) => tipUnsubscribe(ctx),
  schedule: (ctx) => tipSchedule(ctx),
  구독정보: (ctx) => tipSchedule(ctx),
};

function run(ctx: CommandContext, argument: string): Reply | Promise<Reply> {
  const trimmed = argument.trim();
  if (trimmed === '') return today(ctx);
  const [first = '', ...rest] = trimmed.split(/\s+/);
  const subcommand = Object.hasOwn(tipSubcommands, first.toLowerCase()) ? tipSubcommands[first.toLowerCase()] : undefined;
  if (subcommand) return subcommand(ctx, rest.join(' '));
  return forTopic(ctx, trimmed);
}

/** Distinct topics of all tips that contain what was typed, those starting with it first. */
export function suggestTopics(knowledge: Knowledge, partial: string): Suggestion[] {
  const q = normalize(partial).trim();
  const seen = new Map<string, string>();
  for (const entry of knowledge.tips) {
    for (const topic of entry.tip.topics) {
      const key = normalize(topic).trim();
      if (!seen.has(key)) seen.set(key, topic);
    }
  }
  return [...seen.entries()]
    .map(([key, topic], order) => ({ topic, order, rank: q === '' ? 1 : key === q ? 0 : key.startsWith(q) ? 1 : key.includes(q) ? 2 : -1 }))
    .filter((r) => r.rank >= 0)
    .sort((a, b) => a.rank - b.rank || a.order - b.order)
    .slice(0, MAX_SUGGESTIONS)
    .map((r) => ({ label: r.topic.slice(0, 100), value: r.topic.slice(0, 100) }));
}

export const tipCommand: Command = {
  name: 'tip',
  description: { ko: '써밋 후기에서 뽑은 팁을 보여줍니다 (오늘의 팁, 랜덤, 주제별)', en: 'Show a tip from the summit notes (today’s, random, or by topic)' },
  usage: ['/tip', '/tip random', '/tip <주제 | topic>', '/tip subscribe [HH:MM] [시간대 | time zone] [weekdays]', '/tip unsubscribe', '/tip schedule'],
  examples: ['/tip', '/tip random', '/tip 그래비톤', '/tip subscribe 09:00 Asia/Seoul', '/tip schedule'],
  options: [
    {
      name: 'topic',
      label: { ko: '주제', en: 'topic' },
      type: 'string',
      required: false,
      form: 'text',
      autocomplete: true,
      description: { ko: '주제 (예: 그래비톤, 줄서기, DR) 또는 random', en: 'A topic (e.g. graviton, queue, DR) or random' },
    },
    publicOption,
  ],
  run: (ctx, input) => run(ctx, input.text),
  suggest: (ctx, option, partial) => (option === 'topic' ? suggestTopics(ctx.knowledge, partial) : []),
};
