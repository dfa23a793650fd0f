/**
 * `/tip subscribe`, `/tip unsubscribe`, `/tip schedule`: the daily tip of a conversation.
 * The `/tip` command dispatches here; the `TipScheduler` does the posting.
 */
import { parseClockTime, formatClockTime } from '../duration.ts';
import { t, type Locale } from '../i18n.ts';
import type { Permission, PostRefusal } from '../ports.ts';
import { errorReply, fields, heading, reply, text, type Block, type Reply } from '../reply.ts';
import { addDays, canonicalTimeZone, dayOfWeek, localDate, localTime } from '../tips/schedule-time.ts';
import { SubscriptionError } from '../tips/subscription-service.ts';
import type { SubscriptionRequest, SubscriptionStatus } from '../tips/subscriptions.ts';
import type { CommandContext } from './types.ts';

export const DEFAULT_SUBSCRIPTION_TIME = '09:00';

const WEEKDAYS_WORDS = new Set(['weekdays', 'weekday', 'weekdays-only', 'weekdaysonly', 'mon-fri', 'workdays', '평일', '평일만', '주중']);
const DAILY_WORDS = new Set(['daily', 'everyday', 'every-day', 'all-week', '매일']);
const TRUE_WORDS = new Set(['true', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'off', '0']);

const DAY_NAMES: Record<Locale, string[]> = {
  ko: ['일', '월', '화', '수', '목', '금', '토'],
  en: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
};

export type ParsedSubscribe = { ok: true; request: SubscriptionRequest } | { ok: false; reply: Reply };

/** Looks like someone meant a time: `25:00`, `9:5`, `9`, `13pm`. */
const TIME_LIKE = /^\d+$|^\d{1,2}([:.시h]\d*|\s*(am|pm|분))|^(오전|오후)/i;

/**
 * `[HH:MM] [time zone] [weekdays]` in any order. Times: `09:00`, `9:00`, `21:30`, `9pm`, `오후 9시`.
 * Defaults: 09:00, the bot's time zone, every day.
 */
export function parseSubscribeArgs(args: string, defaultTimeZone: string, locale: Locale): ParsedSubscribe {
  const words = args.trim().split(/\s+/).filter(Boolean).slice(0, 8);
  let time: string | undefined;
  let timeZone: string | undefined;
  let weekdaysOnly: boolean | undefined;
  const fail = (message: string, hint: string): ParsedSubscribe => ({ ok: false, reply: errorReply(message, hint) });

  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const lower = word.toLowerCase();
    if (time === undefined) {
      // Two-word times first: `오후 9시`, `9 pm`.
      const pair = i + 1 < words.length ? parseClockTime(`${word} ${words[i + 1]}`) : undefined;
      if (pair !== undefined) {
        time = formatClockTime(pair);
        i++;
        continue;
      }
      const single = parseClockTime(word);
      if (single !== undefined) {
        time = formatClockTime(single);
        continue;
      }
    }
    const flag = /^(weekdays?|평일)=(.*)$/i.exec(word);
    if (flag) {
      const value = flag[2]!.toLowerCase();
      if (TRUE_WORDS.has(value)) weekdaysOnly = true;
      else if (FALSE_WORDS.has(value)) weekdaysOnly = false;
      else return fail(t('tipBadSubscribeArgs', locale, { value: word }), t('tipSubscribeUsage', locale));
      continue;
    }
    if (WEEKDAYS_WORDS.has(lower)) {
      weekdaysOnly = true;
      continue;
    }
    if (DAILY_WORDS.has(lower)) {
      weekdaysOnly = false;
      continue;
    }
    if (TIME_LIKE.test(word)) {
      return fail(t('tipBadTime', locale, { value: word }), t('tipBadTimeHint', locale));
    }
    if (timeZone !== undefined) {
      return fail(t('tipBadSubscribeArgs', locale, { value: word }), t('tipSubscribeUsage', locale));
    }
    const zone = canonicalTimeZone(word);
    if (!zone) return fail(t('tipBadZone', locale, { value: word.slice(0, 64) }), t('tipBadZoneHint', locale));
    timeZone = zone;
  }
  return {
    ok: true,
    request: { time: time ?? DEFAULT_SUBSCRIPTION_TIME, timeZone: timeZone ?? defaultTimeZone, weekdaysOnly: weekdaysOnly ?? false },
  };
}

/** `today, 2026-03-09 (Mon) 09:00 Asia/Seoul`, in the subscription's zone. */
export function formatNextPost(status: SubscriptionStatus, now: Date, locale: Locale): string {
  const zone = status.timeZone;
  const date = localDate(status.nextPost, zone);
  const today = localDate(now, zone);
  const when = `${date} (${DAY_NAMES[locale][dayOfWeek(date)]}) ${localTime(status.nextPost, zone)} ${zone}`;
  if (date === today) return `${t('tipScheduleToday', locale)}, ${when}`;
  if (date === addDays(today, 1)) return `${t('tipScheduleTomorrow', locale)}, ${when}`;
  return when;
}

const daysText = (status: SubscriptionStatus, locale: Locale): string => t(status.weekdaysOnly ? 'tipScheduleWeekdays' : 'tipScheduleEveryDay', locale);

/** One line for an overview (Slack App Home): `Every day 09:00 Asia/Seoul · Next post: tomorrow, …`, or why it is paused. */
export function subscriptionSummary(status: SubscriptionStatus, now: Date, locale: Locale): string {
  const when = `${daysText(status, locale)} ${status.time} ${status.timeZone}`;
  if (status.pausedReason !== undefined) return `${when} · ⏸ ${pausedText(status.pausedReason, status.pausedRefusal, locale)}`;
  return `${when} · ${t('tipScheduleNext', locale)}: ${formatNextPost(status, now, locale)}`;
}

function scheduleFields(status: SubscriptionStatus, now: Date, locale: Locale): Block {
  const items = [
    { label: t('tipScheduleTime', locale), value: status.time },
    { label: t('tipScheduleZone', locale), value: status.timeZone },
    { label: t('tipScheduleDays', locale), value: daysText(status, locale) },
  ];
  // A paused subscription has no next post until it is resumed.
  if (status.pausedReason === undefined) items.push({ label: t('tipScheduleNext', locale), value: formatNextPost(status, now, locale) });
  return fields(items);
}

function unavailable(locale: Locale): Reply {
  return errorReply(t('tipSubscriptionsUnavailable', locale));
}

const PERMISSION_NAMES = {
  view: 'permissionView',
  send: 'permissionSend',
  'send-in-threads': 'permissionSendInThreads',
  embed: 'permissionEmbed',
} as const satisfies Record<Permission, string>;

/** Used in "/invite @…" when the platform did not name the bot. */
const DEFAULT_BOT_NAME = 'summit-bot';

/** Why posting is paused: what it means for the channel and what to do, when known, with what the platform said. */
function pausedText(platformSaid: string, refusal: PostRefusal | undefined, locale: Locale): string {
  const reason = refusal ? `${refusalText(refusal, locale)} (${platformSaid})` : platformSaid;
  return t('tipSchedulePaused', locale, { reason });
}

/** Why the bot cannot post here, and what the user can do about it. */
export function refusalText(refusal: PostRefusal, locale: Locale): string {
  switch (refusal.reason) {
    case 'invite-needed':
      return t('tipCannotPostInvite', locale, { bot: refusal.botName ?? DEFAULT_BOT_NAME });
    case 'not-found':
      return t('tipCannotPostNotFound', locale, { bot: refusal.botName ?? DEFAULT_BOT_NAME });
    case 'missing-permissions':
      return t('tipCannotPostPermissions', locale, { missing: refusal.missing.map((p) => t(PERMISSION_NAMES[p], locale)).join(', ') });
    case 'archived':
      return t('tipCannotPostArchived', locale);
    case 'no-access':
      return t('tipCannotPostAccess', locale, { detail: refusal.detail });
    case 'unavailable':
      return t('tipCannotPostUnavailable', locale);
  }
}

/**
 * `/tip subscribe [HH:MM] [time zone] [weekdays]`. The platform is asked first whether the bot can post
 * here (it may join an open channel); a subscription it could never deliver is not saved.
 */
export async function tipSubscribe(ctx: CommandContext, args: string): Promise<Reply> {
  const { locale } = ctx;
  if (!ctx.subscriptions) return unavailable(locale);
  const parsed = parseSubscribeArgs(args, ctx.timeZone, locale);
  if (!parsed.ok) return parsed.reply;
  const check = await ctx.subscriptions.canPost(ctx.request.target);
  if (!check.ok) return errorReply(refusalText(check, locale));
  let status: SubscriptionStatus;
  try {
    // The subscriber's own language, when the platform tells it, is kept for the daily posts; else they follow BOT_LOCALE.
    const userLocale = ctx.request.locale;
    status = await ctx.subscriptions.subscribe(ctx.request.target, { ...parsed.request, ...(userLocale ? { locale: userLocale } : {}) });
  } catch (error) {
    if (!(error instanceof SubscriptionError)) throw error;
    if (error.code === 'invalid-time') return errorReply(t('tipBadTime', locale, { value: error.value }), t('tipBadTimeHint', locale));
    if (error.code === 'invalid-time-zone') return errorReply(t('tipBadZone', locale, { value: error.value }), t('tipBadZoneHint', locale));
    return errorReply(error.message);
  }
  return reply([
    heading(t(status.weekdaysOnly ? 'tipSubscribedWeekdays' : 'tipSubscribedDaily', locale)),
    ...(check.joined ? [text(t('tipJoinedChannel', locale))] : []),
    scheduleFields(status, ctx.clock.now(), locale),
    text(t('tipUnsubscribeHint', locale)),
  ]);
}

/** `/tip unsubscribe`. */
export async function tipUnsubscribe(ctx: CommandContext): Promise<Reply> {
  const { locale } = ctx;
  if (!ctx.subscriptions) return unavailable(locale);
  const removed = await ctx.subscriptions.unsubscribe(ctx.request.target);
  return removed ? reply([text(t('tipUnsubscribed', locale))]) : reply([text(t('tipNotSubscribed', locale)), text(t('tipSubscribeHint', locale))]);
}

/** `/tip schedule`: this conversation's subscription and its next post, or how to subscribe. */
export async function tipSchedule(ctx: CommandContext): Promise<Reply> {
  const { locale } = ctx;
  if (!ctx.subscriptions) return unavailable(locale);
  const status = await ctx.subscriptions.status(ctx.request.target);
  if (!status) return reply([text(t('tipNotSubscribed', locale)), text(t('tipSubscribeHint', locale))]);
  const blocks: Block[] = [heading(t('tipScheduleTitle', locale))];
  if (status.pausedReason !== undefined) {
    blocks.push(text(pausedText(status.pausedReason, status.pausedRefusal, locale)));
    blocks.push(scheduleFields(status, ctx.clock.now(), locale), text(t('tipResumeHint', locale)));
  } else {
    blocks.push(scheduleFields(status, ctx.clock.now(), locale), text(t('tipUnsubscribeHint', locale)));
  }
  return reply(blocks);
}
