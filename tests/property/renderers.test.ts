import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderReply } from '../../src/adapters/shell/render.ts';
import { LIMITS, renderSlack, type SlackMessage } from '../../src/adapters/slack/render.ts';
import { DISCORD_LIMITS, renderDiscord, type DiscordMessage, type RenderOptions } from '../../src/adapters/discord/render.ts';
import type { Action, Block, Reply } from '../../src/core/reply.ts';
import type { Locale } from '../../src/core/i18n.ts';
import { testBot } from '../helpers.ts';
import { SEPARATORS, textArbitrary } from './arbitraries.ts';

// Blank lines between fragments form paragraphs, also inside huge text.
// Huge text is rare per string: a reply holds many strings.
const { shortText, hugeText, anyText } = textArbitrary({ separators: [...SEPARATORS, '\n\n'], hugeJoin: 'separator', shortWeight: 30 });

const action: fc.Arbitrary<Action> = fc.record({
  kind: fc.constantFrom('share' as const, 'more' as const),
  label: anyText,
  command: fc.oneof(anyText, shortText.map((t) => `/ask ${t}`)),
});
const block: fc.Arbitrary<Block> = fc.oneof(
  anyText.map((text) => ({ type: 'heading' as const, text })),
  anyText.map((text) => ({ type: 'text' as const, text })),
  fc.array(fc.record({ label: anyText, value: anyText }), { maxLength: 60 }).map((fields) => ({ type: 'fields' as const, fields })),
  fc
    .record({ items: fc.array(anyText, { maxLength: 60 }), ordered: fc.option(fc.boolean(), { nil: undefined }) })
    .map(({ items, ordered }) => ({ type: 'list' as const, items, ...(ordered === undefined ? {} : { ordered }) })),
  fc.array(fc.record({ label: anyText, source: anyText }), { maxLength: 60 }).map((citations) => ({ type: 'citation' as const, citations })),
  fc.constant({ type: 'divider' as const }),
  fc.array(action, { maxLength: 60 }).map((actions) => ({ type: 'actions' as const, actions })),
);
const replyArb: fc.Arbitrary<Reply> = fc.record({
  blocks: fc.array(block, { maxLength: 60 }),
  visibility: fc.constantFrom('private' as const, 'public' as const),
  isError: fc.option(fc.boolean(), { nil: undefined }),
}).map(({ isError, ...rest }) => ({ ...rest, ...(isError === undefined ? {} : { isError }) }));
const locale = fc.constantFrom<Locale>('ko', 'en');

const RUNS = { numRuns: 200 };
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_NEWLINE_AND_TAB = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;
const BIDI_OVERRIDE = /[\u202A-\u202E\u2066-\u2069]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Every string inside a value, with where it is. */
function strings(value: unknown, path = '$'): [string, string][] {
  if (typeof value === 'string') return [[path, value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => strings(v, `${path}.${k}`));
  return [];
}

function expectCleanText(value: unknown) {
  for (const [path, s] of strings(value)) {
    expect(s, path).not.toMatch(CONTROL_BUT_NEWLINE_AND_TAB);
    expect(s, path).not.toMatch(BIDI_OVERRIDE);
    expect(s, path).not.toMatch(LONE_SURROGATE);
  }
}

type AnySlackBlock = {
  type: string;
  text?: { type: string; text: string };
  fields?: { text: string }[];
  elements?: { type: string; text: { text: string } | string; value?: string; action_id?: string }[];
};

export function checkSlack(message: SlackMessage) {
  expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
  expect(message.text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
  // Slack rejects an empty text; a reply with no blocks at all still gets a placeholder.
  expect(message.text.length).toBeGreaterThan(0);
  for (const b of message.blocks as AnySlackBlock[]) {
    expect(['section', 'context', 'divider', 'actions', 'header']).toContain(b.type);
    if (b.type === 'header') expect(b.text!.text.length).toBeLessThanOrEqual(150);
    if (b.type === 'section') {
      expect(Boolean(b.text) !== Boolean(b.fields)).toBe(true);
      if (b.text) {
        expect(b.text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
        expect(b.text.text.length).toBeGreaterThan(0);
      }
      if (b.fields) {
        expect(b.fields.length).toBeGreaterThan(0);
        expect(b.fields.length).toBeLessThanOrEqual(LIMITS.fieldsPerSection);
        for (const f of b.fields) {
          expect(f.text.length).toBeLessThanOrEqual(LIMITS.field);
          expect(f.text.length).toBeGreaterThan(0);
        }
      }
    }
    if (b.type === 'context') {
      expect(b.elements!.length).toBeGreaterThan(0);
      expect(b.elements!.length).toBeLessThanOrEqual(LIMITS.contextElements);
      for (const e of b.elements!) expect((e.text as string).length).toBeLessThanOrEqual(LIMITS.contextText);
    }
    if (b.type === 'actions') {
      expect(b.elements!.length).toBeGreaterThan(0);
      expect(b.elements!.length).toBeLessThanOrEqual(LIMITS.buttonsPerBlock);
      const ids = b.elements!.map((e) => e.action_id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const e of b.elements!) {
        const label = (e.text as { text: string }).text;
        expect(label.length).toBeGreaterThan(0);
        expect(label.length).toBeLessThanOrEqual(LIMITS.buttonText);
        expect(e.value!.length).toBeLessThanOrEqual(LIMITS.buttonValue);
      }
    }
  }
  const json = JSON.stringify(message);
  // No mention, channel link or URL markup can be formed: every < and > from any text is an entity.
  expect(json).not.toMatch(/<!(channel|here|everyone)>/);
  expect(json).not.toContain('<@');
  expect(json).not.toContain('<#');
  expect(json).not.toMatch(/[<>]/);
  // Plain broadcast words carry a word joiner after the "@".
  expect(json).not.toMatch(/@(channel|here|everyone)\b/i);
  // Entities are never cut in half.
  for (const [path, s] of strings(message)) expect(s, path).not.toMatch(/&(?!(amp|lt|gt);)/);
  expectCleanText(message);
}

export function checkDiscord(message: DiscordMessage) {
  const { content, embeds, components } = message;
  if (content !== undefined) {
    expect(content.length).toBeGreaterThan(0);
    expect(content.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
  }
  expect(Boolean(content) || embeds.length > 0).toBe(true);
  expect(embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embeds);
  let total = 0;
  for (const embed of embeds) {
    expect(Boolean(embed.title || embed.description || embed.fields?.length || embed.footer?.text)).toBe(true);
    if (embed.title !== undefined) expect(embed.title.length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
    if (embed.description !== undefined) {
      expect(embed.description.length).toBeGreaterThan(0);
      expect(embed.description.length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    }
    expect((embed.fields ?? []).length).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
    for (const f of embed.fields ?? []) {
      expect(f.name.trim().length).toBeGreaterThan(0);
      expect(f.value.trim().length).toBeGreaterThan(0);
      expect(f.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
      expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
    }
    if (embed.footer) expect(embed.footer.text.length).toBeLessThanOrEqual(DISCORD_LIMITS.footer);
    total += (embed.title ?? '').length + (embed.description ?? '').length + (embed.footer?.text ?? '').length + (embed.author?.name ?? '').length;
    total += (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
  }
  expect(total).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
  expect(components.length).toBeLessThanOrEqual(DISCORD_LIMITS.rows);
  const ids: string[] = [];
  for (const row of components) {
    expect(row.components.length).toBeGreaterThan(0);
    expect(row.components.length).toBeLessThanOrEqual(DISCORD_LIMITS.buttonsPerRow);
    for (const button of row.components) {
      expect((button.label ?? '').length).toBeGreaterThan(0);
      expect((button.label ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.buttonLabel);
      expect(button.custom_id.length).toBeLessThanOrEqual(DISCORD_LIMITS.customId);
      ids.push(button.custom_id);
    }
  }
  expect(new Set(ids).size).toBe(ids.length);
  // What Discord shows (a custom_id is never shown): no raw broadcast.
  const shown = [content, embeds, components.flatMap((r) => r.components.map((b) => b.label))];
  expect(JSON.stringify(shown)).not.toMatch(/@(everyone|here)/i);
  expectCleanText(shown);
}

function checkShell(reply: Reply) {
  const plain = renderReply(reply, { color: false });
  const coloured = renderReply(reply, { color: true });
  expect(plain).not.toMatch(CONTROL_BUT_NEWLINE_AND_TAB);
  // With colour on, the only escape sequences are our own SGR codes, intact, and removing them gives the plain text.
  // eslint-disable-next-line no-control-regex
  const withoutSgr = coloured.replace(/\x1b\[\d+m/g, '');
  expect(withoutSgr).not.toMatch(CONTROL_BUT_NEWLINE_AND_TAB);
  expect(withoutSgr).toBe(plain);
}

describe('the shell renderer with colour (a terminal)', () => {
  it('keeps its own colour codes intact while dropping the ones in the text', () => {
    const out = renderReply({ blocks: [{ type: 'heading', text: 'Hi' }, { type: 'text', text: 'a\u001b[31mb' }], visibility: 'private' }, { color: true });
    // Regression: the control-character filter used to run after painting and ate the ESC of our own codes,
    // printing "[1m[36mHi[0m" on every terminal.
    expect(out).toBe('\u001b[1m\u001b[36mHi\u001b[0m\n\na[31mb');
  });
});

describe('renderers, for arbitrary replies', () => {
  it('the shell never lets a control character through (except newline and tab), coloured or not', () => {
    fc.assert(fc.property(replyArb, checkShell), RUNS);
  });

  it('Slack: never throws, keeps every Block Kit limit, forms no mention and no raw broadcast', () => {
    fc.assert(fc.property(replyArb, locale, (reply, loc) => checkSlack(renderSlack(reply, loc))), RUNS);
  });

  it('Discord: never throws, keeps every message limit, shows no raw @everyone/@here', () => {
    fc.assert(fc.property(replyArb, locale, (reply, loc) => checkDiscord(renderDiscord(reply, loc))), RUNS);
  });

  it('Discord: a custom_id chooser of any kind never yields a too-long or duplicate id', () => {
    const chooser: fc.Arbitrary<RenderOptions['customId']> = fc
      .func(fc.option(fc.oneof(fc.string({ maxLength: 20 }), fc.string({ minLength: 90, maxLength: 130 })), { nil: undefined }));
    fc.assert(fc.property(replyArb, chooser, (reply, customId) => checkDiscord(renderDiscord(reply, 'ko', { customId }))), { numRuns: 100 });
  });
});

describe('renderers, for real bot replies to arbitrary user text', () => {
  const bots = { ko: testBot({ locale: 'ko' }), en: testBot({ locale: 'en' }) };
  const names = [...bots.ko.commands.map((c) => c.name), 'nope', ''];

  it('every command’s answer renders in all three within every limit and without pings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names), fc.oneof(anyText, hugeText), locale, async (command, text, loc) => {
        const reply = await bots[loc].handle({ command, text, user: { id: 'U1' }, target: 'slack:C1', platform: 'slack' });
        checkShell(reply);
        checkSlack(renderSlack(reply, loc));
        checkDiscord(renderDiscord(reply, loc));
      }),
      RUNS,
    );
  });
});
