import { describe, expect, it } from 'vitest';
import { createBot } from '../../../src/core/bot.ts';
import { createCommands } from '../../../src/core/commands/index.ts';
import { Knowledge } from '../../../src/core/knowledge/knowledge.ts';
import { loadKnowledge } from '../../../src/core/knowledge/loader.ts';
import { DEFAULT_KNOWLEDGE_DIR } from '../../../src/core/knowledge/paths.ts';
import type { Locale } from '../../../src/core/i18n.ts';
import { toPlainText, type Reply } from '../../../src/core/reply.ts';

const knowledge = new Knowledge(loadKnowledge(DEFAULT_KNOWLEDGE_DIR));
const GRAVITON = '그래비톤(Graviton) 인스턴스를 검토하세요';
const DAY = 86_400_000;

function makeBot(now: Date, timeZone = 'Asia/Seoul', locale: Locale = 'ko') {
  return createBot({
    commands: createCommands(),
    knowledge: () => knowledge,
    clock: { now: () => now },
    locale,
    timeZone,
    onError: (error) => {
      throw error;
    },
  });
}

async function tip(text: string, options: { now?: Date; timeZone?: string; locale?: Locale } = {}): Promise<{ reply: Reply; plain: string }> {
  const bot = makeBot(options.now ?? new Date(Date.UTC(2023, 4, 4, 3, 0)), options.timeZone, options.locale);
  const reply = await bot.handle({ command: 'tip', text, user: { id: 'u1' }, target: 'shell:local', platform: 'shell' });
  return { reply, plain: toPlainText(reply) };
}

/** The tip text shown in a reply. */
function shownTip(reply: Reply): string {
  const block = reply.blocks.find((b) => b.type === 'text' && b.text.startsWith('💡'));
  return block?.type === 'text' ? block.text : '';
}

describe('/tip of the day', () => {
  it('shows a tip from the notes with its source note', async () => {
    const { reply, plain } = await tip('');
    expect(reply.isError).toBeFalsy();
    expect(plain).toContain('오늘의 팁');
    const text = shownTip(reply).replace(/^💡 /, '');
    const entry = knowledge.tips.find((e) => e.tip.text === text);
    expect(entry).toBeDefined();
    const source = knowledge.note(entry!.tip.source)!;
    const cites = reply.blocks.flatMap((b) => (b.type === 'citation' ? b.citations : []));
    expect(cites).toEqual([{ label: source.title, source: source.source }]);
  });

  it('is the same all day in Asia/Seoul for clocks hours apart', async () => {
    const morning = await tip('', { now: new Date(Date.UTC(2023, 4, 3, 15, 10)) }); // 00:10 KST 05-04
    const evening = await tip('', { now: new Date(Date.UTC(2023, 4, 4, 14, 50)) }); // 23:50 KST 05-04
    expect(shownTip(morning.reply)).not.toBe('');
    expect(shownTip(morning.reply)).toBe(shownTip(evening.reply));
  });

  it('differs in a time zone where the date is different', async () => {
    const instant = new Date(Date.UTC(2023, 4, 3, 15, 10)); // 05-04 in Seoul, 05-03 in Los Angeles
    const seoul = await tip('', { now: instant, timeZone: 'Asia/Seoul' });
    const losAngeles = await tip('', { now: instant, timeZone: 'America/Los_Angeles' });
    expect(shownTip(seoul.reply)).not.toBe(shownTip(losAngeles.reply));
    // …and Los Angeles gets Seoul's tip of the day before.
    const seoulYesterday = await tip('', { now: new Date(instant.getTime() - DAY), timeZone: 'Asia/Seoul' });
    expect(shownTip(losAngeles.reply)).toBe(shownTip(seoulYesterday.reply));
  });

  it('shows all N tips exactly once over N consecutive days of a cycle', async () => {
    const n = knowledge.tips.length;
    const firstDay = 420 * n; // a cycle boundary
    const seen: string[] = [];
    for (let day = firstDay; day < firstDay + n; day++) {
      // 10:00 UTC = 19:00 KST, the same calendar date in both.
      seen.push(shownTip((await tip('', { now: new Date(day * DAY + 10 * 3_600_000) })).reply));
    }
    expect(new Set(seen).size).toBe(n);
    expect([...new Set(seen)].sort()).toEqual(knowledge.tips.map((e) => `💡 ${e.tip.text}`).sort());
  });
});

describe('/tip <topic>', () => {
  it.each(['그래비톤', 'graviton', 'Graviton', 'GRAVITON'])('%s gives the Graviton tip', async (topic) => {
    const { reply, plain } = await tip(topic);
    expect(reply.isError).toBeFalsy();
    expect(plain).toContain(GRAVITON);
    expect(plain).toContain(topic);
  });

  it('cites the note a tip comes from', async () => {
    const { reply } = await tip('줄서기');
    expect(shownTip(reply)).toContain('10분 전');
    const cites = reply.blocks.flatMap((b) => (b.type === 'citation' ? b.citations : []));
    expect(cites).toEqual([{ label: knowledge.note('event')!.title, source: 'event.md' }]);
  });

  it('finds a tip by its id, which the share action uses', async () => {
    const { reply } = await tip('graviton');
    const share = reply.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : []));
    expect(share).toContainEqual(expect.objectContaining({ kind: 'share', command: '/tip use-graviton' }));
    expect(shownTip((await tip('use-graviton')).reply)).toContain(GRAVITON);
  });

  it("says when no tip matches and shows today's tip", async () => {
    const today = shownTip((await tip('')).reply);
    const { plain, reply } = await tip('xyzzy');
    expect(plain).toContain('xyzzy');
    expect(plain).toContain('찾지 못해');
    expect(shownTip(reply)).toBe(today);
  });

  it.each([
    ['emoji', '🎉🔥💯'],
    ['huge', '그래비톤 '.repeat(2_500)],
    ['mixed script', 'Graviton그래비톤 cost 비용 😀'],
    ['punctuation', '??? !!!'],
  ])('%s input gives a friendly reply', async (_name, text) => {
    const { plain, reply } = await tip(text);
    expect(shownTip(reply)).not.toBe('');
    expect(plain.length).toBeLessThan(3500);
    expect(plain).not.toContain('문제가 생겼습니다');
  });
});

describe('/tip random', () => {
  it('shows some tip from the notes', async () => {
    for (const text of ['random', 'RANDOM', '랜덤']) {
      const { reply, plain } = await tip(text);
      expect(plain).toContain('랜덤 팁');
      const shown = shownTip(reply).replace(/^💡 /, '');
      expect(knowledge.tips.map((e) => e.tip.text)).toContain(shown);
    }
  });
});

describe('/tip autocomplete', () => {
  const bot = makeBot(new Date());

  it('offers distinct topics that match, prefix matches first', () => {
    const gr = bot.suggest('tip', 'topic', 'gr');
    expect(gr[0]!.value).toBe('Graviton');
    expect(gr.map((s) => s.value)).toContain('migration'); // inside the word
    const dr = bot.suggest('tip', 'topic', 'dr').map((s) => s.value.toLowerCase());
    expect(new Set(dr).size).toBe(dr.length);
    expect(dr[0]).toBe('dr');
    expect(bot.suggest('tip', 'topic', '그래').map((s) => s.value)).toEqual(['그래비톤']);
  });

  it('returns at most 25 and nothing for other options', () => {
    expect(bot.suggest('tip', 'topic', '')).toHaveLength(25);
    expect(bot.suggest('tip', 'other', 'gr')).toEqual([]);
    expect(bot.suggest('tip', 'topic', 'zzzzzz')).toEqual([]);
  });
});

describe('/tip in English', () => {
  it('speaks English with BOT_LOCALE=en: labels and the tip\'s English rendering', async () => {
    const today = await tip('', { locale: 'en' });
    expect(today.plain).toContain('Tip of the day');
    expect(today.plain).not.toContain('오늘의 팁');
    const none = await tip('xyzzy', { locale: 'en' });
    expect(none.plain).toContain('No tip matched');
    const topic = await tip('graviton', { locale: 'en' });
    expect(topic.plain).toContain('Consider Graviton instances');
    expect(topic.plain).not.toContain(GRAVITON);
  });

  it('answers a topic written in English in English, whatever the bot locale', async () => {
    const topic = await tip('graviton instances');
    expect(topic.plain).toContain('Consider Graviton instances');
  });
});
