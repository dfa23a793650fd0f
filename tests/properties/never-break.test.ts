import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderDiscord, DISCORD_LIMITS } from '../../src/adapters/discord/render.ts';
import { renderReply } from '../../src/adapters/shell/render.ts';
import { LIMITS, renderSlack } from '../../src/adapters/slack/render.ts';
import { parseCommandLine } from '../../src/core/commands/parse.ts';
import { toPlainText, type Block, type Reply } from '../../src/core/reply.ts';
import { shippedKnowledge, testBot } from '../helpers.ts';

/**
 * For any input, however odd, nothing throws, every platform limit holds and nothing can ping:
 * huge text, control characters, RTL overrides, emoji sequences, lone surrogates, Slack and
 * Discord mention markup.
 */
const nasty = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 100 }),
  fc.constantFrom('<!channel>', '<!here>', '<!everyone>', '<@U123>', '<#C1|x>', '@everyone', '@here', '&lt;!channel&gt;', '<@&123>', '<@!123>'),
  fc.constantFrom('\u202E\u200F역방향', '\uD800', '\uDFFF', '👩‍👩‍👧‍👦🏳️‍🌈', '\u0000\u0007\u001b[31m', 'ＡＷＳ 재해복구를', 'مرحبا'),
  fc.integer({ min: 1000, max: 20_000 }).map((n) => '재해복구 disaster '.repeat(Math.ceil(n / 14)).slice(0, n)),
);
const text = fc.array(nasty, { minLength: 1, maxLength: 4 }).map((parts) => parts.join(' '));

const block: fc.Arbitrary<Block> = fc.oneof(
  text.map((t) => ({ type: 'heading' as const, text: t })),
  text.map((t) => ({ type: 'text' as const, text: t })),
  fc.array(fc.record({ label: text, value: text }), { maxLength: 40 }).map((f) => ({ type: 'fields' as const, fields: f })),
  fc.array(text, { maxLength: 60 }).map((items) => ({ type: 'list' as const, items })),
  fc.array(fc.record({ label: text, source: text }), { maxLength: 12 }).map((c) => ({ type: 'citation' as const, citations: c })),
  fc.constant({ type: 'divider' as const }),
  fc.array(fc.record({ kind: fc.constantFrom('share' as const, 'more' as const), label: text, command: text }), { maxLength: 8 }).map((a) => ({ type: 'actions' as const, actions: a })),
);
const replies: fc.Arbitrary<Reply> = fc.record({
  blocks: fc.array(block, { minLength: 1, maxLength: 60 }),
  visibility: fc.constantFrom('private' as const, 'public' as const),
});

const RUNS = { numRuns: 150 };
const PINGS = /<!(channel|here|everyone)|<@[UW&!]?\d|<@U/;

function assertSlack(reply: Reply) {
  const message = renderSlack(reply);
  expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
  expect(message.text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
  for (const b of message.blocks as { type: string; text?: { text: string }; fields?: { text: string }[]; elements?: { text?: string | { text: string } }[] }[]) {
    if (b.type === 'section') {
      if (b.text) expect(b.text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
      expect((b.fields ?? []).length).toBeLessThanOrEqual(LIMITS.fieldsPerSection);
      for (const f of b.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(LIMITS.field);
    }
    if (b.type === 'header' && b.text) expect(b.text.text.length).toBeLessThanOrEqual(150);
    if (b.type === 'context') expect((b.elements ?? []).length).toBeLessThanOrEqual(LIMITS.contextElements);
  }
  const all = JSON.stringify(message);
  expect(all).not.toMatch(PINGS);
  expect(all).not.toMatch(/@(everyone|here|channel)\b/);
}

function assertDiscord(reply: Reply) {
  const message = renderDiscord(reply, 'ko');
  expect((message.content ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
  expect(message.embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embeds);
  let total = 0;
  for (const embed of message.embeds) {
    expect((embed.title ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.title);
    expect((embed.description ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect((embed.fields ?? []).length).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
    for (const f of embed.fields ?? []) {
      expect(f.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
      expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
    }
    expect((embed.footer?.text ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.footer);
    total += (embed.title ?? '').length + (embed.description ?? '').length + (embed.footer?.text ?? '').length;
    total += (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
  }
  expect(total).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
  // What Discord displays: content, embeds and button labels (a button's custom_id is never shown).
  const labels = message.components.flatMap((row) => row.components.map((c) => ('label' in c ? c.label : '')));
  expect(JSON.stringify([message.content, message.embeds, labels])).not.toMatch(/@(everyone|here)\b/);
}

describe('for any input', () => {
  const bot = testBot();
  const commands = [...bot.commands.map((c) => c.name), 'nope', ''];

  it('the command-line parser never throws', () => {
    fc.assert(
      fc.property(text, (line) => {
        const parsed = parseCommandLine(line);
        expect(typeof parsed.command).toBe('string');
      }),
      RUNS,
    );
  });

  it('search never throws and returns at most the limit', () => {
    const index = shippedKnowledge().index;
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 10 }), (q, limit) => {
        expect(index.search(q, { limit }).length).toBeLessThanOrEqual(limit);
      }),
      RUNS,
    );
  });

  it('every command answers with at least one block, and the answer renders within every platform limit without pings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...commands), text, async (command, argument) => {
        const reply = await bot.handle({ command, text: argument, user: { id: 'U1' }, target: 'shell:local', platform: 'shell' });
        expect(reply.blocks.length).toBeGreaterThan(0);
        expect(toPlainText(reply).length).toBeGreaterThan(0);
        assertSlack(reply);
        assertDiscord(reply);
      }),
      { numRuns: 100 },
    );
  });

  it('the Slack renderer holds its limits and never pings, for arbitrary replies', () => {
    fc.assert(fc.property(replies, assertSlack), RUNS);
  });

  it('the Discord renderer holds its limits and never pings, for arbitrary replies', () => {
    fc.assert(fc.property(replies, assertDiscord), RUNS);
  });

  it('the terminal renderer never lets control characters through', () => {
    fc.assert(
      fc.property(replies, (reply) => {
        // eslint-disable-next-line no-control-regex
        expect(renderReply(reply, { color: false })).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
      }),
      RUNS,
    );
  });
});
