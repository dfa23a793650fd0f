import { describe, expect, it } from 'vitest';
import type { APIEmbed } from 'discord.js';
import { actions, citation, divider, fields, heading, list, reply, text, type Block, type Reply } from '../../../src/core/reply.ts';
import { COLOURS, DISCORD_LIMITS, embedLength, renderDiscord, sanitizeDiscord, sharedByLine, splitText, type DiscordMessage } from '../../../src/adapters/discord/render.ts';
import { clip } from '../../../src/core/text.ts';
import { CommandLineStore, decodeCustomId, encodeCustomId } from '../../../src/adapters/discord/share.ts';
import { MemoryStore } from '../../../src/store/memory.ts';
import { RATED_ACTIONS, run, testBot } from '../../helpers.ts';

const LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

/** Every Discord limit the renderer promises, plus the safety properties. */
function assertWithinLimits(message: DiscordMessage): void {
  if (message.content !== undefined) {
    expect(message.content.length).toBeLessThanOrEqual(DISCORD_LIMITS.content);
    expect(message.content.length).toBeGreaterThan(0);
  }
  expect(message.embeds.length).toBeLessThanOrEqual(DISCORD_LIMITS.embeds);
  expect(message.content !== undefined || message.embeds.length > 0).toBe(true);
  let total = 0;
  for (const embed of message.embeds) {
    expect(embed.title || embed.description || embed.fields?.length).toBeTruthy();
    expect(embed.title?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.title);
    expect(embed.description?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.description);
    expect(embed.footer?.text.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.footer);
    expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(DISCORD_LIMITS.fields);
    for (const f of embed.fields ?? []) {
      expect(f.name.length).toBeGreaterThan(0);
      expect(f.value.length).toBeGreaterThan(0);
      expect(f.name.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldName);
      expect(f.value.length).toBeLessThanOrEqual(DISCORD_LIMITS.fieldValue);
    }
    total += embedLength(embed);
  }
  expect(total).toBeLessThanOrEqual(DISCORD_LIMITS.embedTotal);
  expect(message.components.length).toBeLessThanOrEqual(DISCORD_LIMITS.rows);
  for (const row of message.components) {
    expect(row.components.length).toBeLessThanOrEqual(DISCORD_LIMITS.buttonsPerRow);
    for (const button of row.components) {
      expect(button.custom_id.length).toBeLessThanOrEqual(DISCORD_LIMITS.customId);
      expect((button.label ?? '').length).toBeLessThanOrEqual(DISCORD_LIMITS.buttonLabel);
    }
  }
  const all = JSON.stringify(message);
  const raw = `${message.content ?? ''}${message.embeds.map((e) => `${e.title ?? ''}${e.description ?? ''}${e.footer?.text ?? ''}${(e.fields ?? []).map((f) => f.name + f.value).join('')}`).join('')}`;
  expect(raw).not.toMatch(/@everyone|@here/i);
  expect(raw).not.toMatch(LONE);
  expect(raw).not.toMatch(CONTROL);
  expect(all).not.toContain('\\u0000');
}

const textOf = (message: DiscordMessage): string =>
  [message.content ?? '', ...message.embeds.map((e: APIEmbed) => [e.title, e.description, e.footer?.text, ...(e.fields ?? []).map((f) => `${f.name}: ${f.value}`)].filter(Boolean).join('\n'))].join('\n');

describe('sanitizeDiscord / clip / splitText', () => {
  it('defuses @everyone and @here with a zero-width space, strips controls, repairs lone surrogates', () => {
    expect(sanitizeDiscord('hi @everyone and @here and @Everyone')).toBe('hi @\u200beveryone and @\u200bhere and @\u200bEveryone');
    expect(sanitizeDiscord('a\u0000b\u0007c\u202Ed\r\ne')).toBe('abcd\ne');
    expect(sanitizeDiscord('x\uD800y')).toBe('x\uFFFDy');
    expect(sanitizeDiscord('שלום עולם 😀 <@123>')).toBe('שלום עולם 😀 <@123>');
    expect(sanitizeDiscord(sanitizeDiscord('@everyone'))).toBe('@\u200beveryone');
  });

  it('clips at a word or line end with "…" and never splits a surrogate pair', () => {
    expect(clip('short', 10)).toBe('short');
    expect(clip('hello brave new world', 12)).toBe('hello brave…');
    expect(clip('line one\nline two\nline three', 20)).toBe('line one\nline two…');
    const emoji = '😀'.repeat(10);
    const cut = clip(emoji, 6);
    expect(cut.length).toBeLessThanOrEqual(6);
    expect(cut).not.toMatch(LONE);
    expect(clip('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('splits long text into pieces at line ends', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `line ${i} ${'word '.repeat(8)}`).join('\n');
    const pieces = splitText(lines, 500);
    expect(pieces.length).toBeGreaterThan(1);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(500);
    expect(pieces.join('\n').replace(/\s+/g, ' ').trim()).toBe(lines.replace(/\s+/g, ' ').trim());
  });
});

describe('renderDiscord mapping', () => {
  it('first heading → title, text and lists → description, fields → inline fields, citations → footer, share → button', () => {
    const message = renderDiscord(
      reply([
        heading('Answer title'),
        text('First paragraph.'),
        list(['one', 'two']),
        list(['first', 'second'], true),
        heading('Later heading'),
        text('More text.'),
        fields([
          { label: 'RTO', value: '4h' },
          { label: 'Long', value: 'x'.repeat(200) },
        ]),
        citation([{ label: 'Note › Part', source: 'notes/a.md' }]),
        actions([{ kind: 'share', label: '채널에 공유', command: '/ask hello' }]),
      ]),
      'ko',
    );
    expect(message.content).toBeUndefined();
    expect(message.embeds).toHaveLength(1);
    const [embed] = message.embeds;
    expect(embed?.title).toBe('Answer title');
    expect(embed?.description).toBe('First paragraph.\n\n- one\n- two\n\n1. first\n2. second\n\n**Later heading**\nMore text.');
    expect(embed?.fields).toEqual([
      { name: 'RTO', value: '4h', inline: true },
      { name: 'Long', value: 'x'.repeat(200), inline: false },
    ]);
    expect(embed?.footer?.text).toBe('출처: Note › Part (notes/a.md)');
    expect(embed?.color).toBe(COLOURS.normal);
    expect(message.components).toEqual([{ type: 1, components: [{ type: 2, style: 1, label: '채널에 공유', custom_id: 'share:/ask hello' }] }]);
  });

  it('a short lead before the first heading is the message content; errors get the warning colour and ⚠️', () => {
    const message = renderDiscord(reply([text('14:20에 진행 중인 세션입니다.'), heading('RDS'), text('body')], { isError: true }), 'ko');
    expect(message.content).toBe('⚠️ 14:20에 진행 중인 세션입니다.');
    expect(message.embeds[0]).toMatchObject({ title: 'RDS', description: 'body', color: COLOURS.warning });
    const plain = renderDiscord(reply([text('Nothing found.'), text('Try /help')], { isError: true }), 'en');
    expect(plain.content).toBeUndefined();
    expect(plain.embeds[0]?.description).toBe('⚠️ Nothing found.\n\nTry /help');
  });

  it('a heading after fields opens a new embed so the order on screen is kept', () => {
    const message = renderDiscord(
      reply([heading('Table'), heading('1. A'), fields([{ label: 'k', value: 'v' }]), heading('2. B'), fields([{ label: 'k', value: 'w' }]), text('tail')]),
      'en',
    );
    expect(message.embeds.map((e) => e.title)).toEqual(['Table', '2. B', undefined]);
    expect(message.embeds[0]?.description).toBe('**1. A**');
    expect(message.embeds[2]?.description).toBe('tail');
  });

  it('no share button on public replies; "more" buttons stay; long command lines need a stored key', async () => {
    const acts = actions([
      { kind: 'share', label: 'Share', command: '/ask x' },
      { kind: 'more', label: 'More', command: '/session 3' },
    ]);
    expect(renderDiscord(reply([text('a'), acts], { visibility: 'public' })).components[0]?.components.map((b) => b.custom_id)).toEqual(['more:/session 3']);
    const long = `/ask ${'긴 질문 '.repeat(40)}`.trim();
    expect(renderDiscord(reply([text('a'), actions([{ kind: 'share', label: 'Share', command: long }])])).components).toEqual([]);

    const store = new CommandLineStore(new MemoryStore());
    const message = renderDiscord(reply([text('a'), actions([{ kind: 'share', label: 'Share', command: long }])]), 'ko', {
      customId: (a) => encodeCustomId(a, store),
    });
    const id = message.components[0]?.components[0]?.custom_id ?? '';
    expect(id).toMatch(/^share#[\w-]+$/);
    expect(id.length).toBeLessThanOrEqual(100);
    expect(await decodeCustomId(id, store)).toEqual({ kind: 'share', command: long });
    // Another replica resolves the key once it is saved.
    const shared = new MemoryStore();
    const first = new CommandLineStore(shared);
    const other = new CommandLineStore(shared);
    const key = first.put(long);
    expect(await other.get(key)).toBeUndefined();
    await first.save();
    expect(await other.get(key)).toBe(long);
    expect(new CommandLineStore(shared).put(long)).toBe(key);
  });

  it('renders 👍/👎 as secondary buttons that carry their command line, on private and public replies alike', async () => {
    const rated = reply([text('a'), actions([...RATED_ACTIONS])]);
    for (const visibility of ['private', 'public'] as const) {
      const buttons = renderDiscord({ ...rated, visibility }).components[0]?.components.filter((b) => b.custom_id.startsWith('feedback'));
      expect(buttons).toEqual([
        { type: 2, style: 2, label: '👍 Helpful', custom_id: 'feedback:/feedback good abcdefghijkl' },
        { type: 2, style: 2, label: '👎 Not helpful', custom_id: 'feedback:/feedback bad abcdefghijkl' },
      ]);
    }
    expect(await decodeCustomId('feedback:/feedback bad abcdefghijkl', new CommandLineStore(new MemoryStore()))).toEqual({ kind: 'feedback', command: '/feedback bad abcdefghijkl' });
  });

  it('a divider is a rule line; an empty reply still renders something', () => {
    expect(renderDiscord(reply([text('a'), divider(), text('b')])).embeds[0]?.description).toBe('a\n\n───\n\nb');
    const empty = renderDiscord(reply([]));
    expect(empty.embeds).toHaveLength(1);
    assertWithinLimits(empty);
  });

  it('sharedByLine shows the display name as text, never a mention', () => {
    expect(sharedByLine('Jane', 'en')).toBe('📣 shared by Jane');
    const line = sharedByLine('@everyone <@123> *bold*', 'en');
    expect(line).not.toContain('@everyone');
    expect(line).not.toContain('<@1');
    expect(line).toContain('\\*bold\\*');
  });
});

describe('renderDiscord limits over nasty inputs', () => {
  const huge = 'word '.repeat(20_000); // 100k characters
  const nasty = [
    '@everyone look at this @here',
    '<@123> <@&456> <#789> @everyone',
    '😀👍🏽🇰🇷 emoji '.repeat(300),
    'שלום עולם مرحبا بالعالم '.repeat(200),
    'lone \uD800 high and \uDC00 low surrogates',
    'controls \u0000\u0001\u0008\u000B\u001F\u007F\u0085\u202E\u2066 end',
    'x'.repeat(5000),
    'line\n'.repeat(3000),
  ];
  const cases: [string, Reply][] = [
    ['huge text', reply([text(huge)])],
    ['huge lead + heading', reply([text(huge), heading('h'), text(huge)])],
    ['huge heading', reply([heading(huge), text('x')])],
    ['40 fields', reply([heading('f'), fields(Array.from({ length: 40 }, (_, i) => ({ label: `label ${i} ${'@everyone '.repeat(40)}`, value: `${i} ${huge.slice(0, 3000)}` })))])],
    ['many headings and fields', reply(Array.from({ length: 30 }, (_, i): Block[] => [heading(`H${i}`), fields([{ label: 'a', value: 'b'.repeat(900) }, { label: '', value: '' }])]).flat())],
    ['huge list', reply([heading('list'), list(Array.from({ length: 2000 }, (_, i) => `item ${i} @here`))])],
    ['huge citations', reply([text('a'), citation(Array.from({ length: 200 }, (_, i) => ({ label: `Note ${i} @everyone`, source: `notes/${'n'.repeat(50)}.md` })))])],
    ['many buttons', reply([text('a'), actions(Array.from({ length: 40 }, (_, i) => ({ kind: 'more' as const, label: `${'L'.repeat(120)}${i}`, command: `/session ${i}` })))])],
    ...nasty.map((value, i): [string, Reply] => [`nasty ${i}`, reply([text(value), heading(value), text(value), fields([{ label: value, value }]), list([value, value]), citation([{ label: value, source: value }]), actions([{ kind: 'share', label: value, command: `/ask ${value}` }])])]),
    ...nasty.map((value, i): [string, Reply] => [`nasty error ${i}`, reply([text(value), heading('x')], { isError: true })]),
  ];

  it.each(cases)('%s stays within every limit with no raw @everyone/@here', (_name, value) => {
    for (const locale of ['ko', 'en'] as const) {
      const message = renderDiscord(value, locale);
      assertWithinLimits(message);
    }
  });

  it('cut text ends cleanly with "…" and says so', () => {
    const message = renderDiscord(reply([heading('big'), text(huge), citation([{ label: 'Src', source: 's.md' }])]), 'en');
    assertWithinLimits(message);
    const all = message.embeds.map((e) => e.description ?? '').join('\n');
    expect(all).toContain('…');
    expect(all).toContain('(shortened to fit)');
    expect(message.embeds.at(-1)?.footer?.text).toBe('Source: Src (s.md)');
    for (const e of message.embeds) expect(e.description ?? '').not.toMatch(/wor…$|wo…$|w…$/);
  });
});

describe('renderDiscord on the real replies', () => {
  const bot = testBot();
  it.each([
    ['ask', '그래비톤'],
    ['session', ''],
    ['session', '14:20'],
    ['dr', ''],
    ['dr', 'rto=1d rpo=1d'],
    ['tip', ''],
    ['help', ''],
    ['help', 'dr'],
    ['ask', '@everyone <@123> 피자'],
  ])('/%s %s', async (command, args) => {
    const { reply: value } = await run(bot, command, args);
    const message = renderDiscord(value, 'ko');
    assertWithinLimits(message);
    expect(textOf(message).length).toBeGreaterThan(10);
  });

  it('/session 14:20: the RDS session with its speaker; /dr rto=1d rpo=1d: Backup & Restore', async () => {
    const session = renderDiscord((await run(bot, 'session', '14:20')).reply, 'ko');
    expect(session.content).toContain('14:20');
    expect(session.embeds[0]?.title).toContain('RDS');
    expect(textOf(session)).toContain('서호석');
    const dr = renderDiscord((await run(bot, 'dr', 'rto=1d rpo=1d')).reply, 'ko');
    expect(dr.embeds[0]?.title).toContain('Backup & Restore');
    expect(dr.components[0]?.components[0]?.custom_id).toBe('share:/dr rto=1d rpo=1d');
  });
});
