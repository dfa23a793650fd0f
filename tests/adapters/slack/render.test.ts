import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actions, citation, divider, fields, heading, list, reply, text, type Block, type Reply } from '../../../src/core/reply.ts';
import {
  FEEDBACK_ACTION_ID,
  LIMITS,
  MORE_ACTION_ID,
  SHARE_ACTION_ID,
  clip,
  escapeSlack,
  renderSlack,
  sharedByBlock,
  unescapeSlack,
  type SlackBlock,
  type SlackMessage,
} from '../../../src/adapters/slack/render.ts';
import { RATED_ACTIONS } from '../../helpers.ts';

/** Every text string in a rendered message (block texts, fields, context elements, button labels), plus the fallback. */
function allTexts(message: SlackMessage): string[] {
  const out = [message.text];
  for (const block of message.blocks) {
    if (block.type === 'section' && 'text' in block) out.push(block.text.text);
    if (block.type === 'section' && 'fields' in block) out.push(...block.fields.map((f) => f.text));
    if (block.type === 'context') out.push(...block.elements.map((e) => e.text));
    if (block.type === 'actions') out.push(...block.elements.map((e) => e.text.text), ...block.elements.map((e) => e.value));
  }
  return out;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

/** Slack's limits and our safety rules, for any rendered message. */
function assertSafe(message: SlackMessage): void {
  expect(message.blocks.length).toBeLessThanOrEqual(LIMITS.blocks);
  expect(message.text.length).toBeLessThanOrEqual(LIMITS.fallbackText);
  expect(message.text.length).toBeGreaterThan(0);
  for (const block of message.blocks) {
    if (block.type === 'section' && 'text' in block) {
      expect(block.text.text.length).toBeLessThanOrEqual(LIMITS.sectionText);
      expect(block.text.text.trim().length + block.text.text.length).toBeGreaterThan(0);
    }
    if (block.type === 'section' && 'fields' in block) {
      expect(block.fields.length).toBeLessThanOrEqual(LIMITS.fieldsPerSection);
      for (const f of block.fields) expect(f.text.length).toBeLessThanOrEqual(LIMITS.field);
    }
    if (block.type === 'context') {
      expect(block.elements.length).toBeLessThanOrEqual(LIMITS.contextElements);
      expect(block.elements.length).toBeGreaterThan(0);
    }
    if (block.type === 'actions') {
      expect(block.elements.length).toBeLessThanOrEqual(LIMITS.buttonsPerBlock);
      for (const b of block.elements) {
        expect(b.value.length).toBeLessThanOrEqual(LIMITS.buttonValue);
        expect(b.text.text.length).toBeLessThanOrEqual(LIMITS.buttonText);
        expect(b.text.text.length).toBeGreaterThan(0);
      }
    }
  }
  for (const value of allTexts(message)) {
    expect(value).not.toMatch(/[<>]/); // so no <!channel>, <!here>, <@U…>, <#C…>, <url|…>
    expect(value).not.toMatch(/@(channel|here|everyone)\b/i);
    expect(value).not.toMatch(LONE_SURROGATE);
    expect(value).not.toMatch(CONTROL);
  }
  // The whole payload must serialize to well-formed JSON Slack accepts.
  expect(() => JSON.parse(JSON.stringify(message))).not.toThrow();
}

describe('escapeSlack', () => {
  it('escapes &, < and > so no mention, channel link or URL can be formed', () => {
    expect(escapeSlack('<!channel> <!here> <!everyone> <@U123> <#C1|x> <https://evil|ok> a&b')).toBe(
      '&lt;!channel&gt; &lt;!here&gt; &lt;!everyone&gt; &lt;@U123&gt; &lt;#C1|x&gt; &lt;https://evil|ok&gt; a&amp;b',
    );
  });

  it('defuses plain @channel/@here/@everyone but leaves other @words alone', () => {
    const out = escapeSlack('@channel @HERE @everyone @alice email@here.com');
    expect(out).not.toMatch(/@(channel|here|everyone)\b/i);
    expect(out).toContain('@alice');
    expect(out.replace(/\u2060/g, '')).toBe('@channel @HERE @everyone @alice email@here.com');
  });

  it('removes control characters, repairs lone surrogates, keeps emoji, RTL and newlines', () => {
    expect(escapeSlack('a\u0000b\u0007c\u001b[31md\r\ne\tf')).toBe('abc[31md\ne\tf');
    expect(escapeSlack('x\uD800y\uDC00z')).toBe('x\uFFFDy\uFFFDz');
    expect(escapeSlack('🚀 👩‍💻 שלום مرحبا 한국어')).toBe('🚀 👩‍💻 שלום مرحبا 한국어');
    expect(escapeSlack('a\u202Eevil\u202Cb')).toBe('aevilb');
  });

  it('unescapeSlack reverses the entity escaping exactly', () => {
    for (const s of ['/ask <!channel> & <@U1>', 'a &amp; b', '&lt;&gt;', '']) expect(unescapeSlack(escapeSlack(s).replace(/\u2060/g, ''))).toBe(s);
  });
});

describe('clip', () => {
  it('cuts at a word boundary with … and the hint, never over the limit', () => {
    const long = 'word '.repeat(1000);
    const out = clip(long, 100, 'more');
    expect(out.length).toBeLessThanOrEqual(100);
    expect(out).toMatch(/word…\n_more_$/);
  });

  it('never splits an entity or a surrogate pair', () => {
    const entities = '&amp;'.repeat(100);
    const out = clip(entities, 53, '');
    expect(out).toMatch(/^(&amp;)+…$/);
    const emoji = '🚀'.repeat(100);
    const cut = clip(emoji, 51, '');
    expect(cut).not.toMatch(LONE_SURROGATE);
    expect(cut.length).toBeLessThanOrEqual(51);
  });
});

describe('renderSlack', () => {
  const sample: Reply = reply([
    heading('RPO 란?'),
    text('복구 시점 목표 <b>RPO</b> & RTO'),
    fields([{ label: 'RTO', value: '1h' }, { label: 'RPO', value: '15m' }]),
    list(['one', 'two']),
    list(['first', 'second'], true),
    citation([{ label: 'DR › 개요', source: 'sessions/multi-region-dr.md' }]),
    divider(),
    actions([{ kind: 'share', label: '채널에 공유', command: '/ask RPO가 뭐야' }]),
  ]);

  it('maps every block type to Block Kit', () => {
    const { blocks, text: fallback } = renderSlack(sample, 'ko');
    expect(blocks.map((b) => b.type)).toEqual(['section', 'section', 'section', 'section', 'section', 'context', 'divider', 'actions']);
    expect(blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*RPO 란?*' } });
    expect(blocks[1]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '복구 시점 목표 &lt;b&gt;RPO&lt;/b&gt; &amp; RTO' } });
    expect(blocks[2]).toEqual({ type: 'section', fields: [{ type: 'mrkdwn', text: '*RTO*\n1h' }, { type: 'mrkdwn', text: '*RPO*\n15m' }] });
    expect(blocks[3]).toMatchObject({ text: { text: '• one\n• two' } });
    expect(blocks[4]).toMatchObject({ text: { text: '1. first\n2. second' } });
    expect(blocks[5]).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '— DR › 개요 (sessions/multi-region-dr.md)' }] });
    expect(blocks[7]).toEqual({
      type: 'actions',
      elements: [
        { type: 'button', action_id: SHARE_ACTION_ID, text: { type: 'plain_text', text: '채널에 공유', emoji: true }, value: '/ask RPO가 뭐야', style: 'primary' },
      ],
    });
    expect(fallback).toContain('RPO 란?');
    expect(fallback).toContain('&lt;b&gt;');
    assertSafe(renderSlack(sample));
  });

  it('shows the share button only on private replies; "more" buttons always', () => {
    const withMore = reply([text('x'), actions([{ kind: 'share', label: 'S', command: '/ask a' }, { kind: 'more', label: 'M', command: '/session 3' }])]);
    const priv = renderSlack(withMore).blocks.find((b) => b.type === 'actions');
    expect(priv).toMatchObject({ elements: [{ action_id: SHARE_ACTION_ID }, { action_id: MORE_ACTION_ID, value: '/session 3' }] });
    const pub = renderSlack({ ...withMore, visibility: 'public' }).blocks.find((b) => b.type === 'actions');
    expect(pub).toMatchObject({ elements: [{ action_id: MORE_ACTION_ID }] });
    expect((pub as Extract<SlackBlock, { type: 'actions' }>).elements).toHaveLength(1);
    const onlyShare = renderSlack({ ...reply([text('x'), actions([{ kind: 'share', label: 'S', command: '/ask a' }])]), visibility: 'public' });
    expect(onlyShare.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('renders 👍/👎 as feedback buttons with numbered action ids, on private and public replies alike', () => {
    const rated = reply([text('x'), actions([...RATED_ACTIONS])]);
    for (const visibility of ['private', 'public'] as const) {
      const row = renderSlack({ ...rated, visibility }).blocks.find((b) => b.type === 'actions') as Extract<SlackBlock, { type: 'actions' }>;
      expect(row.elements.filter((e) => e.action_id.startsWith(FEEDBACK_ACTION_ID))).toEqual([
        { type: 'button', action_id: FEEDBACK_ACTION_ID, text: { type: 'plain_text', text: '👍 Helpful', emoji: true }, value: '/feedback good abcdefghijkl' },
        { type: 'button', action_id: `${FEEDBACK_ACTION_ID}:1`, text: { type: 'plain_text', text: '👎 Not helpful', emoji: true }, value: '/feedback bad abcdefghijkl' },
      ]);
    }
  });

  it('escapes the button value and drops a button whose command would not fit', () => {
    const nasty = renderSlack(reply([text('x'), actions([{ kind: 'share', label: 'S', command: '/ask <!channel> & co' }])]));
    const button = (nasty.blocks[1] as Extract<SlackBlock, { type: 'actions' }>).elements[0]!;
    expect(button.value).toBe('/ask &lt;!channel&gt; &amp; co');
    expect(unescapeSlack(button.value)).toBe('/ask <!channel> & co');
    const huge = renderSlack(reply([text('x'), actions([{ kind: 'share', label: 'S', command: `/ask ${'a'.repeat(2100)}` }])]));
    expect(huge.blocks.some((b) => b.type === 'actions')).toBe(false);
  });

  it('cuts long text at a line boundary with … and the "shortened" hint', () => {
    const para = Array.from({ length: 400 }, (_, i) => `줄 ${i}: 백업 및 복구 전략`).join('\n');
    const { blocks } = renderSlack(reply([text(para)]), 'ko');
    const section = blocks[0] as { text: { text: string } };
    expect(section.text.text.length).toBeLessThanOrEqual(3000);
    expect(section.text.text).toMatch(/전략…\n_\(내용이 길어 일부만 표시했습니다\)_$/);
    const en = renderSlack(reply([text(para)]), 'en').blocks[0] as { text: { text: string } };
    expect(en.text.text).toMatch(/_\(shortened to fit\)_$/);
  });

  it('splits more than 10 fields into several sections and cuts long fields to 2000', () => {
    const many = Array.from({ length: 23 }, (_, i) => ({ label: `k${i}`, value: 'v'.repeat(i === 0 ? 5000 : 3) }));
    const { blocks } = renderSlack(reply([fields(many)]));
    expect(blocks.map((b) => ('fields' in b ? b.fields.length : 0))).toEqual([10, 10, 3]);
    assertSafe(renderSlack(reply([fields(many)])));
  });

  it('keeps at most 50 blocks, ending with a hint, and keeps the buttons', () => {
    const blocks: Block[] = Array.from({ length: 80 }, (_, i) => text(`para ${i}`));
    blocks.push(actions([{ kind: 'share', label: 'S', command: '/ask x' }]));
    const out = renderSlack(reply(blocks), 'en');
    expect(out.blocks).toHaveLength(50);
    expect(out.blocks.at(-1)?.type).toBe('actions');
    expect(out.blocks.at(-2)).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: '(shortened to fit)' }] });
  });

  it('marks errors and never sends empty text', () => {
    const out = renderSlack(reply([text('nothing found')], { isError: true }));
    expect(out.blocks[0]).toMatchObject({ text: { text: ':warning: nothing found' } });
    const empty = renderSlack(reply([text(''), heading('  '), list([])]));
    expect(empty.blocks).toEqual([]);
    expect(empty.text.length).toBeGreaterThan(0);
  });

  it('sharedByBlock mentions only a valid user id', () => {
    expect(sharedByBlock('U0HUMAN01', 'en')).toEqual({ type: 'context', elements: [{ type: 'mrkdwn', text: 'shared by <@U0HUMAN01>' }] });
    expect(sharedByBlock('U0HUMAN01', 'ko')?.elements[0]?.text).toBe('공유한 사람: <@U0HUMAN01>');
    expect(sharedByBlock('<!channel>')).toBeUndefined();
    expect(sharedByBlock('U1> <!here')).toBeUndefined();
  });
});

describe('renderSlack on nasty input (property-ish)', () => {
  const NASTY = [
    '<!channel>',
    '<!here|here>',
    '<!everyone>',
    '@everyone',
    '@here',
    '@channel',
    '<@U123>',
    '<@U123|bob>',
    '<#C123|general>',
    '<!subteam^S123|@team>',
    '<https://evil.example|click me>',
    '&lt;!channel&gt;',
    '&amp;lt;',
    '\u0000\u0001\u001b[2J\u007f\u0085',
    '\uD83D',
    '\uDE80',
    '🚀👩‍👩‍👧‍👦🇰🇷',
    'שלום עולם مرحبا بالعالم',
    '\u202Ereversed\u202C',
    '*bold* _it_ ~st~ `code` ```block```',
    '\r\n\r\n',
    '   ',
    '>>> quote',
    'a'.repeat(5000),
    'word '.repeat(2000),
    '줄\n'.repeat(3000),
    '&'.repeat(3000),
    '<'.repeat(3000),
  ];
  const nastyString = fc.oneof(
    fc.constantFrom(...NASTY),
    fc.string({ unit: 'binary', maxLength: 200 }),
    fc.array(fc.constantFrom(...NASTY), { maxLength: 6 }).map((parts) => parts.join(' ')),
    fc.string({ unit: 'grapheme', maxLength: 4000 }),
  );
  const block: fc.Arbitrary<Block> = fc.oneof(
    nastyString.map((s) => heading(s)),
    nastyString.map((s) => text(s)),
    fc.array(fc.record({ label: nastyString, value: nastyString }), { maxLength: 25 }).map((f) => fields(f)),
    fc.tuple(fc.array(nastyString, { maxLength: 30 }), fc.boolean()).map(([items, ordered]) => list(items, ordered)),
    fc.array(fc.record({ label: nastyString, source: nastyString }), { maxLength: 15 }).map((c) => citation(c)),
    fc.constant(divider()),
    fc
      .array(fc.record({ kind: fc.constantFrom('share' as const, 'more' as const), label: nastyString, command: nastyString.map((s) => `/ask ${s}`) }), { maxLength: 30 })
      .map((a) => actions(a)),
  );
  const anyReply: fc.Arbitrary<Reply> = fc.record({
    blocks: fc.array(block, { maxLength: 70 }),
    visibility: fc.constantFrom('private' as const, 'public' as const),
    isError: fc.boolean(),
  });

  it('never lets a mention, broadcast or link through and always respects the limits', () => {
    fc.assert(
      fc.property(anyReply, fc.constantFrom('ko' as const, 'en' as const), (r, locale) => {
        assertSafe(renderSlack(r, locale));
      }),
      { numRuns: 300, seed: 20230608 },
    );
  });

  it('handles each nasty string alone in every block type', () => {
    for (const s of NASTY) {
      const r = reply([
        heading(s),
        text(s),
        fields([{ label: s, value: s }]),
        list([s, s]),
        citation([{ label: s, source: s }]),
        actions([{ kind: 'share', label: s, command: `/ask ${s}` }]),
      ]);
      assertSafe(renderSlack(r));
      assertSafe(renderSlack({ ...r, visibility: 'public' }));
    }
  });
});
