import { t, type Locale } from '../i18n.ts';
import { actions, citation, errorReply, fields, heading, list, reply, text, type Block, type Reply } from '../reply.ts';
import type { DrStrategies, Knowledge } from '../knowledge/knowledge.ts';
import type { DrStrategy } from '../knowledge/schema.ts';
import { formatDuration, parseDuration } from '../duration.ts';
import { fieldIn, listIn, noteTitleIn } from '../knowledge/language.ts';
import { answer } from './ask.ts';
import { fullOption, publicOption } from './options.ts';
import { unavailableReply, unavailableText } from './unavailable.ts';
import { UsageError } from './parse.ts';
import type { Command, CommandContext, CommandInput } from './types.ts';

export const DR_EXAMPLE = '/dr rto=4h rpo=15m';
const MAX_FIGURES_SOURCE = 320;

/** A strategy with its typical worst-case RTO and RPO in seconds, read from the note. */
export interface MeasuredStrategy {
  strategy: DrStrategy;
  rto: number;
  rpo: number;
}

export interface Targets {
  rto: number;
  rpo: number;
  /** As the user typed them, for the share command. */
  rtoText: string;
  rpoText: string;
}

/** Strategies cheapest first with parsed thresholds; one with an unreadable figure is left out. */
export function measuredStrategies(dr: DrStrategies): MeasuredStrategy[] {
  return dr.strategies.flatMap((strategy) => {
    const rto = parseDuration(strategy.rto);
    const rpo = parseDuration(strategy.rpo);
    return rto === undefined || rpo === undefined ? [] : [{ strategy, rto, rpo }];
  });
}

/** The cheapest strategy meeting both targets, and the next cheaper one that does not. */
export function recommend(strategies: MeasuredStrategy[], targets: { rto: number; rpo: number }) {
  const index = strategies.findIndex((s) => s.rto <= targets.rto && s.rpo <= targets.rpo);
  if (index < 0) return { chosen: undefined, cheaper: undefined };
  return { chosen: strategies[index], cheaper: index > 0 ? strategies[index - 1] : undefined };
}

/** Whole sentences of a long text up to `max` characters, "…" when something was left out. */
export function shorten(value: string, max: number): string {
  const flat = value.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const sentences = flat.split(/(?<=[.!?。])\s+/);
  let out = '';
  for (const sentence of sentences) {
    if ((out ? out.length + 1 : 0) + sentence.length > max) break;
    out = out ? `${out} ${sentence}` : sentence;
  }
  if (out === '') {
    const slice = flat.slice(0, max);
    const space = slice.lastIndexOf(' ');
    out = space > max / 2 ? slice.slice(0, space) : slice;
  }
  return `${out} …`;
}

const strategyName = (s: DrStrategy, locale: Locale): string => (locale === 'en' ? s.name : `${s.name_ko} (${s.name})`);

function drCitation(dr: DrStrategies, locale: Locale): Block {
  return citation([{ label: noteTitleIn(dr.note, locale), source: dr.note.source }]);
}

const noStrategies = (locale: Locale): Reply => errorReply(t('drUnavailable', locale), t('seeHelp', locale));

/** No strategies to work with: the note is skipped because of an error (say where), or there is none. */
function unavailable(knowledge: Knowledge, locale: Locale): Reply {
  const skipped = knowledge.skippedNote({ kind: 'dr-strategies' });
  return skipped ? unavailableReply(unavailableText(skipped, locale), locale) : noStrategies(locale);
}

export function tableReply(dr: DrStrategies, locale: Locale): Reply {
  const blocks: Block[] = [heading(t('drTableTitle', locale, { count: dr.strategies.length }))];
  dr.strategies.forEach((s, i) => {
    blocks.push(heading(`${i + 1}. ${strategyName(s, locale)}`));
    blocks.push(
      fields([
        { label: t('drRto', locale), value: fieldIn(s, 'rto_label', locale) },
        { label: t('drRpo', locale), value: fieldIn(s, 'rpo_label', locale) },
        { label: t('drCost', locale), value: fieldIn(s, 'cost_label', locale) },
        { label: t('drIdle', locale), value: fieldIn(s, 'idle_footprint', locale) },
        { label: t('drWhen', locale), value: fieldIn(s, 'when', locale) },
      ]),
    );
  });
  const figuresSource = locale === 'en' && dr.figuresSourceEn ? dr.figuresSourceEn : dr.figuresSource;
  blocks.push(text(t('drFigures', locale, { text: shorten(figuresSource, MAX_FIGURES_SOURCE) })));
  blocks.push(text(t('drAdvisorHint', locale, { example: DR_EXAMPLE })));
  blocks.push(drCitation(dr, locale));
  blocks.push(actions([{ kind: 'share', label: t('share', locale), command: '/dr' }]));
  return reply(blocks);
}

function misses(cheaper: MeasuredStrategy, targets: Targets, locale: Locale): string {
  const objectives = [
    ['rto', 'drMissRto'],
    ['rpo', 'drMissRpo'],
  ] as const;
  const gaps = objectives
    .filter(([objective]) => cheaper[objective] > targets[objective])
    .map(([objective, message]) =>
      t(message, locale, {
        typical: formatDuration(cheaper[objective], locale),
        target: formatDuration(targets[objective], locale),
        over: formatDuration(cheaper[objective] - targets[objective], locale),
      }),
    );
  return `${strategyName(cheaper.strategy, locale)}: ${gaps.join('; ')}`;
}

function strategyFields(chosen: MeasuredStrategy, targets: Targets, locale: Locale, compare: boolean): Block {
  const vs = (label: string, typical: number, target: number) =>
    compare
      ? t('drTypicalVsTarget', locale, { label, typical: formatDuration(typical, locale), target: formatDuration(target, locale) })
      : t('drTypical', locale, { label, typical: formatDuration(typical, locale) });
  const s = chosen.strategy;
  return fields([
    { label: t('drRto', locale), value: vs(fieldIn(s, 'rto_label', locale), chosen.rto, targets.rto) },
    { label: t('drRpo', locale), value: vs(fieldIn(s, 'rpo_label', locale), chosen.rpo, targets.rpo) },
    { label: t('drCost', locale), value: fieldIn(s, 'cost_label', locale) },
    { label: t('drIdle', locale), value: fieldIn(s, 'idle_footprint', locale) },
    { label: t('drWhen', locale), value: fieldIn(s, 'when', locale) },
  ]);
}

export function adviceReply(dr: DrStrategies, targets: Targets, locale: Locale): Reply {
  const strategies = measuredStrategies(dr);
  const { chosen, cheaper } = recommend(strategies, targets);
  const rto = formatDuration(targets.rto, locale);
  const rpo = formatDuration(targets.rpo, locale);
  const blocks: Block[] = [];
  if (chosen) {
    blocks.push(heading(t('drRecommend', locale, { name: strategyName(chosen.strategy, locale) })));
    blocks.push(text(t('drWhy', locale, { rto, rpo })));
    blocks.push(strategyFields(chosen, targets, locale, true));
    blocks.push(heading(t('drCheaperMisses', locale)));
    blocks.push(text(cheaper ? misses(cheaper, targets, locale) : t('drAlreadyCheapest', locale)));
  } else {
    const fastest = [...strategies].sort((a, b) => a.rto - b.rto || a.rpo - b.rpo)[0];
    blocks.push(heading(t('drNoneMeets', locale, { rto, rpo })));
    if (!fastest) return noStrategies(locale);
    blocks.push(text(t('drFastest', locale, { name: strategyName(fastest.strategy, locale) })));
    blocks.push(strategyFields(fastest, targets, locale, false));
    blocks.push(text(misses(fastest, targets, locale)));
  }
  const pick = chosen ?? [...strategies].sort((a, b) => a.rto - b.rto || a.rpo - b.rpo)[0]!;
  const services = listIn(pick.strategy, 'services', locale);
  if (services.length > 0) {
    blocks.push(heading(t('drServices', locale)));
    blocks.push(list(services));
  }
  blocks.push(text(t('drApproximate', locale)));
  blocks.push(drCitation(dr, locale));
  blocks.push(actions([{ kind: 'share', label: t('share', locale), command: `/dr rto=${targets.rtoText} rpo=${targets.rpoText}` }]));
  return reply(blocks, chosen ? {} : { isError: true });
}

/** `rto = 4h` or `RPO: 15m` written in the free text, for people who add spaces. */
const LOOSE_TARGET = /(?<![\p{L}\p{N}])(rto|rpo)\s*[=:]\s*([^\s=]+)/giu;

function readTargets(input: CommandInput, locale: Locale): { targets?: Targets; rest: string } {
  const raw: Record<'rto' | 'rpo', string | undefined> = {
    rto: input.values.rto === undefined ? undefined : String(input.values.rto),
    rpo: input.values.rpo === undefined ? undefined : String(input.values.rpo),
  };
  const rest = input.text.replace(LOOSE_TARGET, (_whole, key: string, value: string) => {
    const k = key.toLowerCase() as 'rto' | 'rpo';
    raw[k] ??= value;
    return ' ';
  });
  if (raw.rto === undefined && raw.rpo === undefined) return { rest: input.text };
  if (raw.rto === undefined || raw.rpo === undefined) {
    throw new UsageError(t('drNeedBoth', locale, { missing: raw.rto === undefined ? 'rto' : 'rpo', example: DR_EXAMPLE }));
  }
  const parse = (key: 'rto' | 'rpo', value: string): number => {
    const seconds = parseDuration(value);
    if (seconds === undefined) {
      const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
      throw new UsageError(t('drBadDuration', locale, { key, value: shown, example: DR_EXAMPLE }));
    }
    return seconds;
  };
  const rtoText = raw.rto.trim();
  const rpoText = raw.rpo.trim();
  return { targets: { rto: parse('rto', rtoText), rpo: parse('rpo', rpoText), rtoText, rpoText }, rest: rest.trim() };
}

function run(ctx: CommandContext, input: CommandInput): Reply {
  const { knowledge, locale } = ctx;
  const { targets, rest } = readTargets(input, locale);
  if (targets) return knowledge.dr ? adviceReply(knowledge.dr, targets, locale) : unavailable(knowledge, locale);
  const question = rest.trim();
  if (question === '') return knowledge.dr ? tableReply(knowledge.dr, locale) : unavailable(knowledge, locale);
  return drAnswer(knowledge, question, locale, input.values.full === true);
}

/** An answer from the DR notes, or from all notes when the DR notes have nothing confident. */
export function drAnswer(knowledge: Knowledge, question: string, locale: Locale, full = false): Reply {
  const request = { question, locale, command: 'dr', full };
  const scoped = answer(knowledge, { ...request, scope: { tags: ['dr'] } });
  return scoped.isError ? answer(knowledge, request) : scoped;
}

export const drCommand: Command = {
  name: 'dr',
  description: {
    ko: '재해복구(DR) 전략을 비교하고, RTO·RPO 목표에 맞는 가장 저렴한 전략을 추천합니다',
    en: 'Compare disaster recovery strategies and pick the cheapest one for your RTO/RPO targets',
  },
  usage: ['/dr', '/dr rto=<기간 | duration> rpo=<기간 | duration>', '/dr <질문 | question>'],
  examples: ['/dr', DR_EXAMPLE, '/dr rto=4시간 rpo=30분', '/dr 파일럿 라이트와 웜 스탠바이 차이'],
  options: [
    {
      name: 'rto',
      label: { ko: 'rto', en: 'rto' },
      type: 'string',
      required: false,
      form: 'key',
      description: { ko: '허용 복구 시간 목표 (예: 4h, 30m, 1d, 4시간)', en: 'Recovery time objective (e.g. 4h, 30m, 1d)' },
    },
    {
      name: 'rpo',
      label: { ko: 'rpo', en: 'rpo' },
      type: 'string',
      required: false,
      form: 'key',
      description: { ko: '허용 데이터 손실 시간 (예: 15m, 1h, 0)', en: 'Recovery point objective (e.g. 15m, 1h, 0)' },
    },
    {
      name: 'question',
      label: { ko: '질문', en: 'question' },
      type: 'string',
      required: false,
      form: 'text',
      description: { ko: '재해복구에 관한 질문', en: 'A question about disaster recovery' },
    },
    fullOption,
    publicOption,
  ],
  run,
};
