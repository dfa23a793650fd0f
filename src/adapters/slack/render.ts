/**
 * Reply → Slack Block Kit. Everything that reaches Slack goes through `escapeSlack`, so text echoed
 * back from a user (or from a note) can never turn into `<!channel>`, `<!here>`, `<@U123>` or a link;
 * the only mention the adapter ever sends is the "shared by" line it builds itself (`sharedByBlock`).
 *
 * Slack limits honoured here: section text ≤ 3000, ≤ 10 fields per section and ≤ 2000 per field,
 * ≤ 10 context elements, ≤ 25 buttons per actions block, button text ≤ 75 and value ≤ 2000,
 * ≤ 50 blocks per message (views, built in home.ts: ≤ 100 blocks, title ≤ 24). Anything longer is cut at a line or word boundary with "…" and a hint.
 */
import type { Action, ActionKind, Block, Reply } from '../../core/reply.ts';
import { DEFAULT_ACTION_LABELS, toPlainText } from '../../core/reply.ts';
import type { Locale } from '../../core/i18n.ts';

export const LIMITS = {
  sectionText: 3000,
  field: 2000,
  fieldsPerSection: 10,
  contextElements: 10,
  contextText: 2000,
  buttonsPerBlock: 25,
  buttonText: 75,
  buttonValue: 2000,
  blocks: 50,
  fallbackText: 3000,
  /** A view (App Home tab, modal) holds twice what a message does. */
  viewBlocks: 100,
  viewTitle: 24,
} as const;

export const SHARE_ACTION_ID = 'share_reply';
export const MORE_ACTION_ID = 'more_reply';
export const FEEDBACK_ACTION_ID = 'feedback_reply';

const ACTION_IDS: Record<ActionKind, string> = { share: SHARE_ACTION_ID, more: MORE_ACTION_ID, feedback: FEEDBACK_ACTION_ID };

/** Slack-only UI strings (the core's i18n table is not ours to extend). */
export const slackText = {
  truncated: { ko: '(내용이 길어 일부만 표시했습니다)', en: '(shortened to fit)' },
  busy: {
    ko: '지금 요청이 너무 많아 답하지 못했습니다. 잠시 후 다시 시도해 주세요.',
    en: 'Too many requests right now, so I could not answer. Please try again in a moment.',
  },
  deliveryFailed: {
    ko: '답변을 전달하지 못했습니다. 잠시 후 다시 시도해 주세요.',
    en: 'I could not deliver the answer. Please try again in a moment.',
  },
  shareFailed: {
    ko: '답변을 채널에 공유하지 못했습니다. 봇을 채널에 초대했는지 확인해 주세요.',
    en: 'I could not share the answer to the channel. Make sure the bot is invited to it.',
  },
  sharedBy: { ko: '공유한 사람: <@{user}>', en: 'shared by <@{user}>' },
  detailsTitle: { ko: '자세히 보기', en: 'Details' },
  close: { ko: '닫기', en: 'Close' },
  directMessage: { ko: '봇과의 DM', en: 'DM with the bot' },
  /** Slack shows it after the app's name: "Summit Bot is searching the notes…". */
  searching: { ko: '노트를 찾는 중…', en: 'is searching the notes…' },
} as const;

export interface SlackTextObject {
  type: 'mrkdwn' | 'plain_text';
  text: string;
  emoji?: boolean;
}

export type SlackBlock =
  | { type: 'section'; text: SlackTextObject }
  | { type: 'section'; fields: SlackTextObject[] }
  | { type: 'context'; elements: SlackTextObject[] }
  | { type: 'divider' }
  | {
      type: 'actions';
      elements: { type: 'button'; action_id: string; text: SlackTextObject; value: string; style?: 'primary' | 'danger' }[];
    };

export interface SlackMessage {
  /** Notification / fallback text (escaped, ≤ 3000 characters). */
  text: string;
  blocks: SlackBlock[];
}

// C0/C1 controls except \t and \n, plus explicit bidi embeddings/overrides/isolates (text-spoofing tricks).
// RTL text itself and the implicit marks (U+200E/U+200F) are left alone.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Plain-text broadcast words Slack may auto-link; a word joiner after "@" keeps them inert but readable.
const BROADCAST = /@(channel|here|everyone)\b/gi;

/** Makes text safe to show: well-formed UTF-16, no control characters, CRLF → LF. */
export function sanitize(value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(LONE_SURROGATE, '\uFFFD').replace(CONTROL, '');
}

/**
 * Escapes text for any Slack text field: `&`, `<`, `>` become entities (so no `<!channel>`, `<@U…>`,
 * `<#C…>` or `<url|label>` can be formed) and `@here`/`@channel`/`@everyone` are defused.
 */
export function escapeSlack(value: string): string {
  return sanitize(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(BROADCAST, '@\u2060$1');
}

/** Reverses the entity escaping (used for button values, which we escape on the way out). */
export function unescapeSlack(value: string): string {
  return value.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * Cuts already-escaped text to at most `max` characters at a line or word boundary, ending in "…"
 * and the hint. Never splits an entity (`&amp;`) or a surrogate pair.
 */
export function clip(value: string, max: number, hint: string): string {
  if (value.length <= max) return value;
  const suffix = hint ? `…\n_${hint}_` : '…';
  const room = Math.max(0, max - suffix.length);
  let slice = value.slice(0, room);
  // Prefer the end of a line when one is near, else the end of a word, else a hard cut.
  const lineBreak = slice.lastIndexOf('\n');
  const wordBreak = Math.max(lineBreak, slice.lastIndexOf(' '));
  if (lineBreak > room * 0.8) slice = slice.slice(0, lineBreak);
  else if (wordBreak > room / 2) slice = slice.slice(0, wordBreak);
  slice = slice.replace(/&[a-z]{0,4}$/, '');
  if (/[\uD800-\uDBFF]$/.test(slice)) slice = slice.slice(0, -1);
  return `${slice.trimEnd()}${suffix}`.slice(0, max);
}

export const mrkdwn = (text: string): SlackTextObject => ({ type: 'mrkdwn', text });
export const plain = (text: string): SlackTextObject => ({ type: 'plain_text', text, emoji: true });

/** Non-empty mrkdwn section of already-escaped text (Slack rejects empty text), cut to fit. */
export function section(text: string, hint: string): SlackBlock {
  return { type: 'section', text: mrkdwn(clip(text.trim() === '' ? ' ' : text, LIMITS.sectionText, hint)) };
}

function buttons(actions: Action[], visibility: Reply['visibility']): SlackBlock | undefined {
  const elements: Extract<SlackBlock, { type: 'actions' }>['elements'] = [];
  const counts: Record<ActionKind, number> = { share: 0, more: 0, feedback: 0 };
  for (const action of actions) {
    // Sharing only makes sense from a private (ephemeral) answer.
    if (action.kind === 'share' && visibility !== 'private') continue;
    const value = escapeSlack(action.command);
    // A cut command line would run a different command: better no button than a wrong one.
    if (value.length > LIMITS.buttonValue || value.trim() === '') continue;
    const base = ACTION_IDS[action.kind];
    const n = counts[action.kind]++;
    const label = escapeSlack(action.label).trim() || DEFAULT_ACTION_LABELS[action.kind];
    elements.push({
      type: 'button',
      action_id: n === 0 ? base : `${base}:${n}`,
      text: plain(clip(label, LIMITS.buttonText, '')),
      value,
      ...(action.kind === 'share' ? { style: 'primary' as const } : {}),
    });
    if (elements.length >= LIMITS.buttonsPerBlock) break;
  }
  return elements.length > 0 ? { type: 'actions', elements } : undefined;
}

function renderBlock(block: Block, reply: Reply, hint: string): SlackBlock[] {
  switch (block.type) {
    case 'heading': {
      const line = escapeSlack(block.text).replace(/\s*\n\s*/g, ' ').trim();
      return line ? [section(`*${clip(line, LIMITS.sectionText - 2, '')}*`, hint)] : [];
    }
    case 'text':
      return block.text.trim() ? [section(escapeSlack(block.text), hint)] : [];
    case 'fields': {
      const out: SlackBlock[] = [];
      const all = block.fields.map((f) => {
        const label = escapeSlack(f.label).replace(/\s*\n\s*/g, ' ').trim();
        const value = escapeSlack(f.value);
        return mrkdwn(clip(label ? `*${label}*\n${value}` : value || ' ', LIMITS.field, hint));
      });
      for (let i = 0; i < all.length; i += LIMITS.fieldsPerSection) {
        out.push({ type: 'section', fields: all.slice(i, i + LIMITS.fieldsPerSection) });
      }
      return out;
    }
    case 'list': {
      if (block.items.length === 0) return [];
      const lines = block.items.map((item, i) => `${block.ordered ? `${i + 1}.` : '•'} ${escapeSlack(item).replace(/\n/g, '\n    ')}`);
      return [section(lines.join('\n'), hint)];
    }
    case 'citation': {
      const elements = block.citations
        .slice(0, LIMITS.contextElements)
        .map((c) => mrkdwn(clip(`— ${escapeSlack(c.label)} (${escapeSlack(c.source)})`, LIMITS.contextText, '')));
      return elements.length > 0 ? [{ type: 'context', elements }] : [];
    }
    case 'divider':
      return [{ type: 'divider' }];
    case 'actions': {
      const rendered = buttons(block.actions, reply.visibility);
      return rendered ? [rendered] : [];
    }
  }
}

/** Block Kit and a notification text for a reply; respects every Slack size limit. */
export function renderSlack(reply: Reply, askerLocale: Locale = 'ko'): SlackMessage {
  // The reply's own language, when a command chose one, over the asker's.
  const locale = reply.locale ?? askerLocale;
  const hint = escapeSlack(slackText.truncated[locale]);
  const content: SlackBlock[] = [];
  const actionBlocks: SlackBlock[] = [];
  for (const block of reply.blocks) {
    for (const rendered of renderBlock(block, reply, hint)) (rendered.type === 'actions' ? actionBlocks : content).push(rendered);
  }
  if (reply.isError) {
    const first = content[0];
    if (first && first.type === 'section' && 'text' in first) {
      content[0] = { type: 'section', text: mrkdwn(clip(`:warning: ${first.text.text}`, LIMITS.sectionText, hint)) };
    }
  }

  // Keep the buttons (they are the point of a private answer); cut content to fit 50 blocks.
  const keptActions = actionBlocks.slice(0, 5);
  const room = LIMITS.blocks - keptActions.length;
  let blocks: SlackBlock[];
  if (content.length > room) {
    blocks = [...content.slice(0, room - 1), { type: 'context', elements: [mrkdwn(hint)] }, ...keptActions];
  } else {
    blocks = [...content, ...keptActions];
  }

  const plainText = escapeSlack(toPlainText(reply)).trim();
  const text = clip(`${reply.isError ? ':warning: ' : ''}${plainText || ' '}`, LIMITS.fallbackText, hint);
  return { text, blocks };
}

/** The context line on a shared answer. The user id is ours (from Slack's signed payload), validated anyway. */
export function sharedByBlock(userId: string, locale: Locale = 'ko'): Extract<SlackBlock, { type: 'context' }> | undefined {
  if (!/^[UW][A-Z0-9]{2,30}$/.test(userId)) return undefined;
  return { type: 'context', elements: [mrkdwn(slackText.sharedBy[locale].replace(/\{user\}/g, userId))] };
}
