/**
 * Reply → Discord message (content + embeds + a button row), always inside Discord's limits:
 * content ≤ 2000; per embed title ≤ 256, description ≤ 4096, ≤ 25 fields (name ≤ 256, value ≤ 1024),
 * footer ≤ 2048; ≤ 10 embeds and ≤ 6000 characters across all of them; ≤ 5 buttons per row, label ≤ 80,
 * custom_id ≤ 100. Anything longer is split into further embeds or cut at a line or word boundary with "…".
 *
 * Layout: a lead text before the first heading becomes the message content (when short); the first heading is
 * the embed title; text and lists go to the description (markdown bullets); a later heading is a bold line, or
 * the title of a new embed when it follows fields (so the order on screen is the order of the reply); fields are
 * embed fields (inline when short); citations are the footer of the last embed ("출처: …"); `isError` gives
 * a warning colour; actions become buttons (share only on private replies).
 *
 * Every string passes `sanitizeDiscord`: no control characters, no lone surrogates, and `@everyone`/`@here`
 * get a zero-width space after the "@" so they never even look like a ping. Real pings are prevented by sending
 * `allowedMentions: { parse: [] }` with every message (the adapter's job).
 */
import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIButtonComponentWithCustomId, type APIEmbed, type APIEmbedField } from 'discord.js';
import { t, type Locale, type Localized } from '../../core/i18n.ts';
import { DEFAULT_ACTION_LABELS, type Action, type Block, type Reply } from '../../core/reply.ts';
import { ELLIPSIS, clip, cutIndex } from '../../core/text.ts';

export const DISCORD_LIMITS = {
  content: 2000,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  embeds: 10,
  embedTotal: 6000,
  buttonsPerRow: 5,
  rows: 5,
  buttonLabel: 80,
  customId: 100,
} as const;

/** AWS orange for answers; amber for problems with the request. */
export const COLOURS = { normal: 0xff9900, warning: 0xf0b232 } as const;

/** Discord-only UI strings (the core's i18n table is not ours to extend). */
export const discordText = {
  unknownInteraction: {
    ko: '이 요청은 처리할 수 없습니다. `/help`로 쓸 수 있는 명령을 확인하세요.',
    en: 'I cannot handle that request. Try `/help` to see what I can do.',
  },
  buttonExpired: {
    ko: '이 버튼은 만료되었습니다. 명령을 다시 실행해 주세요.',
    en: 'This button has expired. Please run the command again.',
  },
  deliveryFailed: {
    ko: '답변을 전달하지 못했습니다. 잠시 후 다시 시도해 주세요.',
    en: 'I could not deliver the answer. Please try again in a moment.',
  },
  shareFailed: {
    ko: '답변을 채널에 공유하지 못했습니다. 잠시 후 다시 시도해 주세요.',
    en: 'I could not share the answer to the channel. Please try again in a moment.',
  },
  sharedBy: { ko: '📣 {name} 님이 공유함', en: '📣 shared by {name}' },
} as const satisfies Record<string, Localized>;

export type DiscordButtonRow = APIActionRowComponent<APIButtonComponentWithCustomId>;

export interface DiscordMessage {
  content?: string;
  embeds: APIEmbed[];
  components: DiscordButtonRow[];
}

export interface RenderOptions {
  /**
   * The custom_id for an action button, or undefined to leave the button out. Default: `share:<command>` /
   * `more:<command>` when that fits in 100 characters (the adapter swaps in a short key for longer lines).
   */
  customId?: (action: Action) => string | undefined;
}

// C0/C1 controls except \t and \n, plus explicit bidi embeddings/overrides/isolates (text-spoofing tricks).
// RTL text itself and the implicit marks (U+200E/U+200F) are left alone.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const BROADCAST = /@(everyone|here)/gi;
const ZWSP = '\u200b';

/** Well-formed UTF-16, LF line ends and no control characters (text that is not shown, e.g. custom_ids). */
export function stripControls(value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(LONE_SURROGATE, '\uFFFD').replace(CONTROL, '');
}

/** Well-formed UTF-16, LF line ends, no control characters, and `@everyone`/`@here` defused. */
export function sanitizeDiscord(value: string): string {
  return value
    .replace(/\r\n?/g, '\n')
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(CONTROL, '')
    .replace(BROADCAST, `@${ZWSP}$1`);
}

/** One line: newlines and runs of whitespace become single spaces. */
const oneLine = (value: string): string => value.replace(/\s+/g, ' ').trim();

/** Splits text into pieces of at most `max` units at line or word ends (no "…": the pieces follow each other). */
export function splitText(value: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = value;
  while (rest.length > max) {
    const cut = cutIndex(rest, max);
    const piece = rest.slice(0, cut).trimEnd();
    if (piece) pieces.push(piece);
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  if (rest.trim()) pieces.push(rest);
  return pieces;
}

/** Discord's count for the 6000-character rule: title, description, field names and values, footer, author. */
export function embedLength(embed: APIEmbed): number {
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.fields ?? []).reduce((sum, f) => sum + f.name.length + f.value.length, 0)
  );
}

interface Draft {
  title?: string;
  parts: string[];
  fields: APIEmbedField[];
}

const descriptionOf = (draft: Draft): string => draft.parts.join('\n\n');

class Layout {
  readonly drafts: Draft[] = [];
  private pendingHeading: string | undefined;

  constructor() {
    this.drafts.push({ parts: [], fields: [] });
  }

  get current(): Draft {
    return this.drafts[this.drafts.length - 1]!;
  }

  private canOpen(): boolean {
    return this.drafts.length < DISCORD_LIMITS.embeds;
  }

  /** Starts a new embed when allowed; returns false at the 10-embed limit (the current one keeps filling). */
  private open(title?: string): boolean {
    if (!this.canOpen()) return false;
    this.drafts.push({ ...(title ? { title } : {}), parts: [], fields: [] });
    return true;
  }

  heading(text: string): void {
    const line = oneLine(text);
    if (!line) return;
    this.flushHeading();
    const cur = this.current;
    const empty = cur.parts.length === 0 && cur.fields.length === 0;
    if (empty && !cur.title) {
      cur.title = clip(line, DISCORD_LIMITS.title);
      return;
    }
    // After fields, a heading opens a new embed so the screen keeps the reply's order.
    if (cur.fields.length > 0 && this.open(clip(line, DISCORD_LIMITS.title))) return;
    this.pendingHeading = line;
  }

  private flushHeading(): void {
    if (this.pendingHeading === undefined) return;
    const heading = `**${clip(this.pendingHeading, 300)}**`;
    this.pendingHeading = undefined;
    this.addPart(heading);
  }

  /** A paragraph for the description; a pending heading is glued to it as a bold first line. */
  text(value: string): void {
    if (!value.trim()) return;
    if (this.pendingHeading !== undefined) {
      const heading = `**${clip(this.pendingHeading, 300)}**`;
      this.pendingHeading = undefined;
      this.addPart(`${heading}\n${value}`);
    } else {
      this.addPart(value);
    }
  }

  private addPart(value: string): void {
    const max = DISCORD_LIMITS.description;
    let cur = this.current;
    // Text after fields would show above them: continue in a new embed instead.
    if (cur.fields.length > 0) {
      if (this.open()) cur = this.current;
    }
    const used = descriptionOf(cur).length;
    const sep = cur.parts.length > 0 ? 2 : 0;
    if (used + sep + value.length <= max) {
      cur.parts.push(value);
      return;
    }
    // Too long for this description: split into the room left, then further embeds.
    const pieces = splitText(value, max);
    for (const piece of pieces) {
      cur = this.current;
      const usedNow = descriptionOf(cur).length;
      const sepNow = cur.parts.length > 0 ? 2 : 0;
      if (usedNow + sepNow + piece.length <= max) {
        cur.parts.push(piece);
      } else if (cur.parts.length === 0 && cur.fields.length === 0) {
        cur.parts.push(clip(piece, max));
      } else if (this.open()) {
        this.current.parts.push(piece);
      } else {
        // At the embed limit: fill what is left of this description (ending in "…") and drop the rest.
        const room = max - usedNow - sepNow;
        if (room > 20) cur.parts.push(clip(piece, room));
        else if (usedNow + 2 <= max && cur.parts.length > 0) cur.parts[cur.parts.length - 1] += ` ${ELLIPSIS}`;
        return;
      }
    }
  }

  fields(fields: { label: string; value: string }[]): void {
    const heading = this.pendingHeading;
    this.pendingHeading = undefined;
    // A heading right before fields (`heading()` already opened a new embed if this one had fields): a bold line.
    if (heading !== undefined) this.addPart(`**${clip(heading, 300)}**`);
    for (const f of fields) {
      const name = clip(oneLine(f.label), DISCORD_LIMITS.fieldName) || ZWSP;
      const value = clip(f.value.trim(), DISCORD_LIMITS.fieldValue) || ZWSP;
      const inline = name.length <= 40 && value.length <= 40 && !value.includes('\n');
      let cur = this.current;
      if (cur.fields.length >= DISCORD_LIMITS.fields) {
        if (!this.open()) return;
        cur = this.current;
      }
      cur.fields.push({ name, value, inline });
    }
  }

  finish(): void {
    this.flushHeading();
  }
}

function listText(items: string[], ordered: boolean): string {
  return items
    .map((raw, i) => {
      const item = raw.trim().replace(/\n\s*/g, '\n   ');
      return `${ordered ? `${i + 1}.` : '-'} ${item}`;
    })
    .join('\n');
}

function defaultCustomId(action: Action): string | undefined {
  const id = `${action.kind}:${stripControls(action.command).replace(/\s+/g, ' ').trim()}`;
  return id.length <= DISCORD_LIMITS.customId ? id : undefined;
}

function buttonRows(actions: Action[], reply: Reply, options: RenderOptions): DiscordButtonRow[] {
  const customId = options.customId ?? defaultCustomId;
  const buttons: APIButtonComponentWithCustomId[] = [];
  const seen = new Set<string>();
  for (const action of actions) {
    // Sharing only makes sense from a private (ephemeral) answer.
    if (action.kind === 'share' && reply.visibility !== 'private') continue;
    if (!action.command.trim()) continue;
    const id = customId(action);
    if (!id || id.length > DISCORD_LIMITS.customId || seen.has(id)) continue;
    seen.add(id);
    const label = clip(oneLine(sanitizeDiscord(action.label)), DISCORD_LIMITS.buttonLabel) || DEFAULT_ACTION_LABELS[action.kind];
    buttons.push({
      type: ComponentType.Button,
      style: action.kind === 'share' ? ButtonStyle.Primary : ButtonStyle.Secondary,
      label,
      custom_id: id,
    });
    if (buttons.length >= DISCORD_LIMITS.buttonsPerRow * DISCORD_LIMITS.rows) break;
  }
  const rows: DiscordButtonRow[] = [];
  for (let i = 0; i < buttons.length; i += DISCORD_LIMITS.buttonsPerRow) {
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + DISCORD_LIMITS.buttonsPerRow) });
  }
  return rows;
}

/** Shrinks one embed to at most `room` characters (title, then description, then whole fields). */
function shrinkEmbed(embed: APIEmbed, room: number, hint: string): APIEmbed | undefined {
  if (room < 40) return undefined;
  const out: APIEmbed = { ...(embed.color !== undefined ? { color: embed.color } : {}) };
  let left = room;
  if (embed.title) {
    out.title = clip(embed.title, Math.min(DISCORD_LIMITS.title, Math.floor(left / 4)));
    left -= out.title.length;
  }
  if (embed.description) {
    out.description = clip(embed.description, Math.min(DISCORD_LIMITS.description, left), `\n*${hint}*`);
    left -= out.description.length;
  } else {
    out.description = `*${hint}*`.slice(0, Math.max(0, left));
    left -= out.description.length;
  }
  const fields: APIEmbedField[] = [];
  for (const field of embed.fields ?? []) {
    const size = field.name.length + field.value.length;
    if (size > left) break;
    fields.push(field);
    left -= size;
  }
  if (fields.length > 0) out.fields = fields;
  return out;
}

/** Keeps the embeds inside the 6000-character total, cutting cleanly and keeping the footer (the sources). */
function fitTotal(embeds: APIEmbed[], footer: string | undefined, hint: string): APIEmbed[] {
  const total = embeds.reduce((sum, e) => sum + embedLength(e), 0) + (footer?.length ?? 0);
  const attach = (list: APIEmbed[], text: string | undefined): APIEmbed[] => {
    if (!text || list.length === 0) return list;
    const last = list[list.length - 1]!;
    return [...list.slice(0, -1), { ...last, footer: { text } }];
  };
  if (total <= DISCORD_LIMITS.embedTotal) return attach(embeds, footer);
  const footerText = footer ? clip(footer, Math.min(DISCORD_LIMITS.footer, 1500)) : undefined;
  const budget = DISCORD_LIMITS.embedTotal - (footerText?.length ?? 0);
  const kept: APIEmbed[] = [];
  let used = 0;
  for (const embed of embeds) {
    const size = embedLength(embed);
    if (used + size <= budget) {
      kept.push(embed);
      used += size;
      continue;
    }
    const shrunk = shrinkEmbed(embed, budget - used, hint);
    if (shrunk) kept.push(shrunk);
    break;
  }
  if (kept.length === 0) kept.push({ ...(embeds[0]?.color !== undefined ? { color: embeds[0].color } : {}), description: `*${hint}*` });
  return attach(kept, footerText);
}

/** The Discord message for a reply; see the file comment for the layout. */
export function renderDiscord(reply: Reply, askerLocale: Locale = 'ko', options: RenderOptions = {}): DiscordMessage {
  // The reply's own language, when a command chose one, over the asker's.
  const locale = reply.locale ?? askerLocale;
  const hint = t('truncated', locale);
  const layout = new Layout();
  const citations: string[] = [];
  const actions: Action[] = [];
  let content: string | undefined;

  // A short lead before the first heading reads best as the message text above the card.
  const firstHeading = reply.blocks.findIndex((b) => b.type === 'heading');
  let start = 0;
  if (firstHeading > 0 && reply.blocks.slice(0, firstHeading).every((b) => b.type === 'text')) {
    const lead = reply.blocks
      .slice(0, firstHeading)
      .map((b) => sanitizeDiscord((b as Extract<Block, { type: 'text' }>).text).trim())
      .filter(Boolean)
      .join('\n\n');
    const prefixed = reply.isError && lead ? `⚠️ ${lead}` : lead;
    if (prefixed && prefixed.length <= DISCORD_LIMITS.content) {
      content = prefixed;
      start = firstHeading;
    }
  }

  for (const block of reply.blocks.slice(start)) {
    switch (block.type) {
      case 'heading':
        layout.heading(sanitizeDiscord(block.text));
        break;
      case 'text':
        layout.text(sanitizeDiscord(block.text).trim());
        break;
      case 'list':
        if (block.items.length > 0) layout.text(listText(block.items.map(sanitizeDiscord), block.ordered === true));
        break;
      case 'fields':
        layout.fields(block.fields.map((f) => ({ label: sanitizeDiscord(f.label), value: sanitizeDiscord(f.value) })));
        break;
      case 'citation':
        for (const c of block.citations) citations.push(oneLine(sanitizeDiscord(`${c.label} (${c.source})`)));
        break;
      case 'divider':
        layout.text('───');
        break;
      case 'actions':
        actions.push(...block.actions);
        break;
    }
  }
  layout.finish();

  const colour = reply.isError ? COLOURS.warning : COLOURS.normal;
  let embeds: APIEmbed[] = layout.drafts
    .map((d) => {
      const description = descriptionOf(d);
      const embed: APIEmbed = { color: colour };
      if (d.title) embed.title = d.title;
      if (description) embed.description = clip(description, DISCORD_LIMITS.description);
      if (d.fields.length > 0) embed.fields = d.fields.slice(0, DISCORD_LIMITS.fields);
      return embed;
    })
    .filter((e) => e.title || e.description || e.fields);

  if (reply.isError && content === undefined && embeds[0]) {
    const first = embeds[0];
    if (first.title) first.title = clip(`⚠️ ${first.title}`, DISCORD_LIMITS.title);
    else if (first.description) first.description = clip(`⚠️ ${first.description}`, DISCORD_LIMITS.description);
  }

  const unique = [...new Set(citations)].filter(Boolean);
  const footer = unique.length > 0 ? clip(`${t('source', locale)}: ${unique.join(' · ')}`, DISCORD_LIMITS.footer) : undefined;
  if (embeds.length === 0 && (footer || content === undefined)) embeds.push({ color: colour, description: content === undefined ? ELLIPSIS : ZWSP });
  embeds = fitTotal(embeds.slice(0, DISCORD_LIMITS.embeds), footer, hint);

  const components = buttonRows(actions, reply, options);
  return { ...(content !== undefined ? { content } : {}), embeds, components };
}

/** The "shared by" line on a shared answer: the display name as plain text, never a mention. */
export function sharedByLine(displayName: string, locale: Locale = 'ko'): string {
  const name = clip(oneLine(sanitizeDiscord(displayName)).replace(/@/g, `@${ZWSP}`).replace(/([\\*_~`|<>[\]])/g, '\\$1'), 64) || '?';
  return discordText.sharedBy[locale].replace(/\{name\}/g, name);
}
