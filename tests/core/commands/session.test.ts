import { describe, expect, it } from 'vitest';
import { createBot } from '../../../src/core/bot.ts';
import { createCommands } from '../../../src/core/commands/index.ts';
import { Knowledge } from '../../../src/core/knowledge/knowledge.ts';
import { loadKnowledge } from '../../../src/core/knowledge/loader.ts';
import { DEFAULT_KNOWLEDGE_DIR } from '../../../src/core/knowledge/paths.ts';
import { ui, type Locale } from '../../../src/core/i18n.ts';
import { toPlainText, type Reply } from '../../../src/core/reply.ts';

const knowledge = new Knowledge(loadKnowledge(DEFAULT_KNOWLEDGE_DIR));
const RDS_TITLE = '성공적인 AWS RDS 마이그레이션을 위한 여정과 필수 고려사항';
const ORACLE_TITLE = '오픈소스 데이터베이스로 탈 오라클! Why not?';
const DYNAMODB_TITLE = '갤럭시 규모의 서비스를 위한 Amazon DynamoDB의 역할과 비용 최적화 방법';
const DR_TITLE = 'AWS에서 최소한의 비용으로 구현하는 멀티리전 DR 자동화 구성';

function makeBot(locale: Locale = 'ko') {
  return createBot({
    commands: createCommands(),
    knowledge: () => knowledge,
    clock: { now: () => new Date(Date.UTC(2023, 4, 4, 3, 0)) },
    locale,
    timeZone: 'Asia/Seoul',
    onError: (error) => {
      throw error;
    },
  });
}

async function session(text: string, locale: Locale = 'ko'): Promise<{ reply: Reply; plain: string }> {
  const reply = await makeBot(locale).handle({ command: 'session', text, user: { id: 'u1' }, target: 'shell:local', platform: 'shell' });
  return { reply, plain: toPlainText(reply) };
}

/** The session a record reply is about: its first heading. */
function recordTitle(reply: Reply): string | undefined {
  const first = reply.blocks.find((b) => b.type === 'heading');
  return first?.type === 'heading' ? first.text : undefined;
}

/** The session a record shows, whatever its language: the title as written, from the note it cites. */
function recordNote(reply: Reply): string | undefined {
  const cited = reply.blocks.flatMap((b) => (b.type === 'citation' ? b.citations : []))[0]?.source;
  return { 'sessions/rds-migration.md': RDS_TITLE, 'sessions/de-oracle.md': ORACLE_TITLE, 'sessions/dynamodb.md': DYNAMODB_TITLE, 'sessions/multi-region-dr.md': DR_TITLE }[cited ?? ''];
}

describe('/session without an argument', () => {
  it('lists the Day 2 schedule in time order with speakers and attendance', async () => {
    const { reply, plain } = await session('');
    expect(reply.isError).toBeFalsy();
    expect(plain).toContain('Day 2');
    const positions = [ORACLE_TITLE, DYNAMODB_TITLE, RDS_TITLE, DR_TITLE].map((title) => plain.indexOf(title));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(plain).toContain('11:10–11:50');
    expect(plain).toContain('14:20–14:50');
    expect(plain).toContain('서호석 (에티버스 Etevers)');
    expect(plain).toContain('박승전 (SK Telecom)');
    expect(plain).toContain('✅');
    // The DynamoDB session was full: the schedule says why it was missed.
    const dynamoLine = plain.slice(plain.indexOf(DYNAMODB_TITLE), plain.indexOf(RDS_TITLE));
    expect(dynamoLine).toContain('❌');
    expect(dynamoLine).toContain('스탠딩석');
    expect(plain.length).toBeLessThan(3500);
  });

  it('offers a share action that reproduces it', async () => {
    const { reply } = await session('');
    const share = reply.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : []));
    expect(share).toContainEqual(expect.objectContaining({ kind: 'share', command: '/session' }));
  });
});

describe('/session <slot>', () => {
  it('shows the full record of Day 2 Session 3', async () => {
    const { reply, plain } = await session('3');
    expect(recordTitle(reply)).toBe(RDS_TITLE);
    expect(plain).toContain('서호석 (컨설팅팀 상무, 에티버스 Etevers)');
    expect(plain).toContain('14:20–14:50');
    expect(plain).toContain('Session 3');
    expect(plain).toContain('Day 2');
    expect(plain).toContain('✅');
    expect(plain).toContain('DB Migration Tools'); // outline
    expect(plain).toContain('CDC(Change Data Capture) 도구'); // takeaways
    expect(plain).toContain(ORACLE_TITLE); // related note
    expect(plain).toContain('sessions/rds-migration.md'); // citation
    const cites = reply.blocks.flatMap((b) => (b.type === 'citation' ? b.citations : []));
    expect(cites).toContainEqual({ label: RDS_TITLE, source: 'sessions/rds-migration.md' });
    const share = reply.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : []));
    expect(share).toContainEqual(expect.objectContaining({ kind: 'share', command: '/session 3' }));
  });

  it.each(['세션 3', '3번', 'session 3', 'Day 2 Session 3'])('reads %j as slot 3', async (text) => {
    expect(recordNote((await session(text)).reply)).toBe(RDS_TITLE);
  });

  it('answers words in English in English, a number in the asker\'s language', async () => {
    expect(recordTitle((await session('Day 2 Session 3')).reply)).toBe('The Journey to a Successful AWS RDS Migration and the Essential Considerations');
    expect(recordTitle((await session('3')).reply)).toBe(RDS_TITLE);
  });

  it('shows why a missed session was not attended', async () => {
    const { reply, plain } = await session('2');
    expect(recordTitle(reply)).toBe(DYNAMODB_TITLE);
    expect(plain).toContain('❌');
    expect(plain).toContain('스탠딩석까지 모두 마감');
    expect(plain).toContain('발표자 기록 없음');
  });

  it('says when a slot does not exist and lists the sessions to pick from', async () => {
    const { reply, plain } = await session('9');
    expect(reply.isError).toBe(true);
    expect(plain).toContain('Session 9');
    expect(plain).toContain('/session 1');
    expect(plain).toContain(RDS_TITLE);
  });
});

describe('/session <time>', () => {
  it('shows the session running at 14:20', async () => {
    const { reply, plain } = await session('14:20');
    expect(recordTitle(reply)).toBe(RDS_TITLE);
    expect(plain).toContain('서호석');
  });

  it('gives the same record as the slot number', async () => {
    const byTime = (await session('14:30')).reply;
    const bySlot = (await session('3')).reply;
    expect(recordTitle(byTime)).toBe(recordTitle(bySlot));
  });

  it.each(['2:20pm', '2:20 PM', '오후 2시 20분', '14시 20분'])('understands %j', async (text) => {
    expect(recordTitle((await session(text)).reply)).toBe(RDS_TITLE);
  });

  it('picks the next session when nothing is running (오후 2시, 2pm)', async () => {
    for (const text of ['오후 2시', '2pm', '14시']) {
      const { reply, plain } = await session(text);
      expect(recordTitle(reply)).toBe(RDS_TITLE);
      expect(plain).toContain('14:00');
      expect(plain).toContain('14:20');
    }
  });

  it('picks the first session for a morning time and the DR session in the afternoon break', async () => {
    expect(recordTitle((await session('09:00')).reply)).toBe(ORACLE_TITLE);
    expect(recordTitle((await session('15:00')).reply)).toBe(DR_TITLE);
  });

  it('says so when no session starts after the time', async () => {
    const { reply, plain } = await session('오후 6시');
    expect(reply.isError).toBe(true);
    expect(plain).toContain('18:00');
    expect(plain).toContain('/session');
  });
});

describe('/session <speaker | company | keyword>', () => {
  it.each([
    ['서호석', RDS_TITLE],
    ['호석', RDS_TITLE],
    ['에티버스', RDS_TITLE],
    ['Etevers', RDS_TITLE],
    ['SK Telecom', ORACLE_TITLE],
    ['sk telecom', ORACLE_TITLE],
    ['박승전', ORACLE_TITLE],
    ['Yongzhe Ren', DR_TITLE],
    ['안준환', DR_TITLE],
    ['오라클', ORACLE_TITLE],
    ['탈 오라클', ORACLE_TITLE],
    ['DR', DR_TITLE],
    ['dr', DR_TITLE],
    ['재해복구', DR_TITLE],
    ['dynamodb', DYNAMODB_TITLE],
    ['DynamoDB', DYNAMODB_TITLE],
    ['갤럭시', DYNAMODB_TITLE],
    ['RDS', RDS_TITLE],
    ['마이그레이션', RDS_TITLE],
    ['그래비톤', ORACLE_TITLE],
    ['CDC', RDS_TITLE],
    ['만석', DYNAMODB_TITLE],
  ])('%j → the matching session', async (text, title) => {
    const { reply } = await session(text);
    expect(reply.isError).toBeFalsy();
    expect(recordNote(reply)).toBe(title);
  });

  it('lists sessions to pick from when several match equally (AWS speakers)', async () => {
    const { reply, plain } = await session('AWS');
    expect(reply.isError).toBeFalsy();
    expect(plain).toContain(ORACLE_TITLE);
    expect(plain).toContain(DR_TITLE);
    expect(plain).toContain('/session 1');
    expect(plain).toContain('/session 4');
    expect(plain).not.toContain(DYNAMODB_TITLE);
    // A pick list, not a record.
    expect(plain).not.toContain('핵심 내용');
  });

  it('says when nothing matches and lists the sessions', async () => {
    const { reply, plain } = await session('xyzzy 양자컴퓨터');
    expect(reply.isError).toBe(true);
    expect(plain).toContain('xyzzy');
    expect(plain).toContain('/session 3');
    expect(plain).toContain(RDS_TITLE);
  });
});

describe('/session with odd input', () => {
  it.each([
    ['emoji', '🎉🔥💯'],
    ['huge', '가나다 abc '.repeat(1_200)],
    ['mixed script', 'RDS마이그레이션 migration 세션 😀 ＳＫ'],
    ['punctuation', '!!! ??? ---'],
    ['key=value noise', 'a=b c=d'],
    ['zero width', '\u200b\u200b'],
  ])('%s input gives a friendly reply', async (_name, text) => {
    const { reply, plain } = await session(text);
    expect(plain.length).toBeGreaterThan(0);
    expect(plain.length).toBeLessThan(3500);
    expect(plain).not.toContain('문제가 생겼습니다'); // not the internal-error message
    expect(reply.blocks.length).toBeGreaterThan(0);
  });

  it('keeps every record inside one chat message', async () => {
    for (const slot of ['1', '2', '3', '4']) {
      const { plain } = await session(slot);
      expect(plain.length).toBeLessThan(3500);
    }
  });
});

describe('/session autocomplete', () => {
  const bot = makeBot();

  it('lists all sessions in time order for an empty partial', () => {
    const suggestions = bot.suggest('session', 'query', '');
    expect(suggestions.map((s) => s.value)).toEqual(['1', '2', '3', '4']);
    expect(suggestions[2]!.label).toMatch(/^14:20 성공적인 AWS RDS/);
    expect(suggestions[2]!.label).toContain('서호석');
    for (const s of suggestions) expect(s.label.length).toBeLessThanOrEqual(100);
  });

  it('matches speakers, companies, times and titles, prefix matches first', () => {
    expect(bot.suggest('session', 'query', '서호').map((s) => s.value)).toEqual(['3']);
    expect(bot.suggest('session', 'query', '14').map((s) => s.value)).toEqual(['3']);
    expect(bot.suggest('session', 'query', '14:30').map((s) => s.value)).toEqual(['3']);
    expect(bot.suggest('session', 'query', 'SK').map((s) => s.value)).toContain('1');
    const aws = bot.suggest('session', 'query', 'aws').map((s) => s.value);
    expect(aws).toEqual(expect.arrayContaining(['1', '3', '4']));
    expect(aws.indexOf('1')).toBeLessThan(aws.indexOf('3')); // exact company before a title match
    expect(bot.suggest('session', 'query', 'zzzz')).toEqual([]);
  });

  it('suggests values that /session resolves to the same session', async () => {
    for (const suggestion of bot.suggest('session', 'query', '')) {
      const { reply } = await session(suggestion.value);
      expect(reply.isError).toBeFalsy();
      expect(suggestion.label).toContain(knowledge.sessions.find((s) => String(s.meta.slot) === suggestion.value)!.meta.start);
    }
  });
});

describe('/session in English', () => {
  it('speaks English throughout with BOT_LOCALE=en: labels and the notes\' English renderings', async () => {
    const { plain } = await session('3', 'en');
    expect(plain).toContain('Speakers');
    expect(plain).toContain('Attended');
    expect(plain).toContain('Key takeaways');
    expect(plain).not.toContain('핵심 내용');
    expect(plain).not.toContain('참석 여부');
    expect(plain).toContain('The Journey to a Successful AWS RDS Migration');
    expect(plain).toContain('Seo Ho-seok (서호석)');
    // Korean stays only beside names, in parentheses: Seo Ho-seok (서호석).
    expect(plain.replace(/\([^)]*\)/g, '')).not.toMatch(/\p{Script=Hangul}/u);
  });

  it('speaks English when nothing matches', async () => {
    const { plain } = await session('xyzzy', 'en');
    expect(plain).toContain('No session matches');
  });
});

describe('UI strings of /session, /dr and /tip', () => {
  it('exist in Korean and English with the same placeholders', () => {
    const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
    const mine = Object.entries(ui).filter(([key]) => /^(session|dr|tip)[A-Z]/.test(key));
    expect(mine.length).toBeGreaterThan(30);
    for (const [key, value] of mine) {
      expect(value.ko.trim(), key).not.toBe('');
      expect(value.en.trim(), key).not.toBe('');
      expect(placeholders(value.en), key).toEqual(placeholders(value.ko));
      expect(/[\uac00-\ud7a3]/.test(value.en), `${key} en has Korean`).toBe(false);
    }
  });
});
