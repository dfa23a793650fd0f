/**
 * Slack views built from the core's own replies: the App Home tab (`views.publish` on `app_home_opened`)
 * and the modal a "details" button opens from it. Every reply goes through `renderSlack`, so escaping and
 * per-block limits are the messages' own; here only the view's limits are added (≤ 100 blocks, title ≤ 24).
 */
import type { Bot, SubscriptionSummary } from '../../core/bot.ts';
import { t, type Locale } from '../../core/i18n.ts';
import type { Reply } from '../../core/reply.ts';
import { slackChannelOf } from './poster.ts';
import { LIMITS, clip, escapeSlack, mrkdwn, plain, renderSlack, section, slackText, type SlackBlock, type SlackTextObject } from './render.ts';

export const HOME_CALLBACK_ID = 'summit_home';

export interface SlackHomeView {
  type: 'home';
  callback_id: string;
  blocks: SlackBlock[];
}

export interface SlackModalView {
  type: 'modal';
  title: SlackTextObject;
  close: SlackTextObject;
  blocks: SlackBlock[];
}

/** A reply as view blocks: public (a view has no channel to share to), without its notification text. */
const blocksOf = (reply: Reply, locale: Locale): SlackBlock[] => renderSlack({ ...reply, visibility: 'public' }, locale).blocks;

/** `<#C123>` for a channel (Slack shows its name to members), a plain label for the bot's DM. */
function conversationLabel(summary: SubscriptionSummary, locale: Locale): string {
  const channel = slackChannelOf(summary.target) ?? '';
  return /^[CG][A-Z0-9]{2,30}$/.test(channel) ? `<#${channel}>` : escapeSlack(slackText.directMessage[locale]);
}

/** The workspace's subscriptions, one line each, in at most `room` blocks. */
function subscriptionBlocks(summaries: SubscriptionSummary[], room: number, locale: Locale): SlackBlock[] {
  const hint = escapeSlack(slackText.truncated[locale]);
  const blocks: SlackBlock[] = [section(`*${escapeSlack(t('homeSubscriptionsTitle', locale))}*`, hint)];
  if (summaries.length === 0) return [...blocks, section(escapeSlack(t('homeNoSubscriptions', locale)), hint)];
  const shown = summaries.length <= room - 1 ? summaries : summaries.slice(0, Math.max(0, room - 2));
  for (const summary of shown) blocks.push(section(`${conversationLabel(summary, locale)} · ${escapeSlack(summary.line)}`, hint));
  if (shown.length < summaries.length) {
    blocks.push({ type: 'context', elements: [mrkdwn(escapeSlack(t('homeMoreSubscriptions', locale, { count: summaries.length - shown.length })))] });
  }
  return blocks;
}

/**
 * The App Home tab: a greeting, today's tip, the schedule with its "details" buttons, the workspace's
 * daily-tip subscriptions (paused ones with their reason) and the command list, as `/tip`, `/session`,
 * `/tip schedule` and `/help` answer them.
 */
export async function buildHomeView(bot: Bot, userId: string): Promise<SlackHomeView> {
  const locale = bot.locale;
  const hint = escapeSlack(slackText.truncated[locale]);
  const answer = (command: string) => bot.handle({ command, text: '', user: { id: userId }, target: `slack:${userId}`, platform: 'slack' });
  const [tip, schedule, help] = await Promise.all([answer('tip'), answer('session'), answer('help')]);
  const divider: SlackBlock = { type: 'divider' };
  const before = [section(escapeSlack(t('homeIntro', locale)), hint), divider, ...blocksOf(tip, locale), divider, ...blocksOf(schedule, locale), divider];
  const after = [divider, ...blocksOf(help, locale)];
  const room = LIMITS.viewBlocks - before.length - after.length;
  const subscriptions = subscriptionBlocks(await bot.subscriptionSummaries('slack', locale), Math.max(2, room), locale);
  return { type: 'home', callback_id: HOME_CALLBACK_ID, blocks: [...before, ...subscriptions, ...after].slice(0, LIMITS.viewBlocks) };
}

/** A reply in a modal: what a "details" button on the App Home tab opens. */
export function buildDetailsModal(reply: Reply, locale: Locale): SlackModalView {
  return {
    type: 'modal',
    title: plain(clip(slackText.detailsTitle[locale], LIMITS.viewTitle, '')),
    close: plain(clip(slackText.close[locale], LIMITS.viewTitle, '')),
    blocks: blocksOf(reply, locale),
  };
}
