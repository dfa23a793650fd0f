import { describe, expect, it } from 'vitest';
import { createBot } from '../../../src/core/bot.ts';
import { createCommands } from '../../../src/core/commands/index.ts';
import { Knowledge } from '../../../src/core/knowledge/knowledge.ts';
import { loadKnowledge } from '../../../src/core/knowledge/loader.ts';
import { DEFAULT_KNOWLEDGE_DIR } from '../../../src/core/knowledge/paths.ts';
import type { DrStrategy } from '../../../src/core/knowledge/schema.ts';
import type { KnowledgeBase } from '../../../src/core/knowledge/types.ts';
import type { Locale } from '../../../src/core/i18n.ts';
import { toPlainText, type Reply } from '../../../src/core/reply.ts';

const base = loadKnowledge(DEFAULT_KNOWLEDGE_DIR);
const knowledge = new Knowledge(base);

function makeBot(k: Knowledge = knowledge, locale: Locale = 'ko') {
  return createBot({
    commands: createCommands(),
    knowledge: () => k,
    clock: { now: () => new Date(Date.UTC(2023, 4, 4, 3, 0)) },
    locale,
    timeZone: 'Asia/Seoul',
    onError: (error) => {
      throw error;
    },
  });
}

async function dr(text: string, options: { k?: Knowledge; locale?: Locale } = {}): Promise<{ reply: Reply; plain: string }> {
  const reply = await makeBot(options.k, options.locale).handle({ command: 'dr', text, user: { id: 'u1' }, target: 'shell:local', platform: 'shell' });
  return { reply, plain: toPlainText(reply) };
}

const recommended = (reply: Reply): string | undefined => {
  const first = reply.blocks.find((b) => b.type === 'heading');
  return first?.type === 'heading' ? first.text : undefined;
};

/** The knowledge with the DR note's strategies replaced, to prove figures come from the note. */
function withStrategies(edit: (strategies: DrStrategy[]) => DrStrategy[]): Knowledge {
  const notes = base.notes.map((note) =>
    note.meta.kind === 'dr-strategies' ? { ...note, meta: { ...note.meta, strategies: edit(note.meta.strategies.map((s) => ({ ...s }))) } } : note,
  );
  return new Knowledge({ ...base, notes } as KnowledgeBase);
}

describe('/dr without an argument', () => {
  it('compares all four strategies, cheapest first', async () => {
    const { reply, plain } = await dr('');
    expect(reply.isError).toBeFalsy();
    const names = ['백업 및 복구 (Backup & Restore)', '파일럿 라이트 (Pilot Light)', '웜 스탠바이 (Warm Standby)', '멀티 사이트 액티브/액티브 (Multi-site Active/Active)'];
    const positions = names.map((n) => plain.indexOf(n));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    for (const label of ['수 시간 (최대 하루)', '수십 분', '거의 0 (실시간)', '$ 가장 저렴', '$$$$ 가장 비쌈']) expect(plain).toContain(label);
    expect(plain).toContain('실행 중인 리소스는 없다'); // idle footprint
    expect(plain).toContain('신입사원 교육용 시스템'); // when
    expect(plain).toContain('Disaster Recovery of Workloads on AWS'); // where the figures come from
    expect(plain).toContain('/dr rto=4h rpo=15m');
    const cites = reply.blocks.flatMap((b) => (b.type === 'citation' ? b.citations : []));
    expect(cites.map((c) => c.source)).toContain('dr-strategies.md');
    expect(plain.length).toBeLessThan(3500);
  });
});

describe('/dr rto=… rpo=…', () => {
  it.each([
    ['rto=1d rpo=1d', 'Backup & Restore'],
    ['rto=24h rpo=24h', 'Backup & Restore'],
    ['rto=0 rpo=0', 'Multi-site Active/Active'],
    ['rto=2h rpo=30m', 'Pilot Light'],
    ['rto=20m rpo=15m', 'Warm Standby'],
    ['rto=4시간 rpo=30분', 'Pilot Light'],
    ['rto=1시간 rpo=10분', 'Pilot Light'],
    ['RTO=4H RPO=15M', 'Pilot Light'],
    ['rto=15m rpo=5m', 'Multi-site Active/Active'],
    ['rto = 20m rpo: 15m', 'Warm Standby'],
    ['rpo=30m rto=2h', 'Pilot Light'],
  ])('%s → %s', async (text, name) => {
    const { reply } = await dr(text);
    expect(reply.isError).toBeFalsy();
    expect(recommended(reply)).toContain(name);
  });

  it('explains the pick against the targets and what the cheaper strategy misses', async () => {
    const { reply, plain } = await dr('rto=20m rpo=15m');
    expect(plain).toContain('20분');
    expect(plain).toContain('15분');
    // Pilot Light recovers in about an hour: 40 minutes over the RTO target; its RPO is fine.
    const misses = plain.slice(plain.indexOf('못 미치는 점'));
    expect(misses).toContain('파일럿 라이트 (Pilot Light)');
    expect(misses).toContain('1시간');
    expect(misses).toContain('40분');
    expect(misses).not.toMatch(/RPO 약/);
    expect(plain).toContain('AWS Elastic Disaster Recovery'); // services paired with Warm Standby
    const cites = reply.blocks.flatMap((b) => (b.type === 'citation' ? b.citations : []));
    expect(cites.map((c) => c.source)).toContain('dr-strategies.md');
    const share = reply.blocks.flatMap((b) => (b.type === 'actions' ? b.actions : []));
    expect(share).toContainEqual(expect.objectContaining({ command: '/dr rto=20m rpo=15m' }));
  });

  it('says the cheapest strategy cannot be undercut', async () => {
    const { plain } = await dr('rto=1d rpo=1d');
    expect(plain).toContain('이미 가장 저렴한 전략');
    expect(plain).toContain('AWS Backup');
  });

  it('names both failing targets with their gaps', async () => {
    const { plain } = await dr('rto=2h rpo=30m');
    expect(plain).toContain('백업 및 복구 (Backup & Restore)');
    expect(plain).toContain('22시간'); // 24h vs 2h
    expect(plain).toContain('23시간 30분'); // 24h vs 30m
  });

  it('reads the thresholds from the note, not from code', async () => {
    const slowerPilot = withStrategies((list) => list.map((s) => (s.id === 'pilot-light' ? { ...s, rto: '3h' } : s)));
    expect(recommended((await dr('rto=2h rpo=30m', { k: slowerPilot })).reply)).toContain('Warm Standby');
    const fasterBackup = withStrategies((list) => list.map((s) => (s.id === 'backup-restore' ? { ...s, rto: '1h', rpo: '30m' } : s)));
    expect(recommended((await dr('rto=2h rpo=30m', { k: fasterBackup })).reply)).toContain('Backup & Restore');
  });

  it('recommends the fastest strategy when none meets the targets', async () => {
    const noMultiSite = withStrategies((list) => list.filter((s) => s.id !== 'multi-site'));
    const { reply, plain } = await dr('rto=0 rpo=0', { k: noMultiSite });
    expect(plain).toContain('만족하는 전략이 노트에 없습니다');
    expect(plain).toContain('웜 스탠바이 (Warm Standby)');
    expect(reply.blocks.length).toBeGreaterThan(2);
  });

  it.each([
    ['rto=-5m rpo=1h', '-5m'],
    ['rto=99999d rpo=1h', '99999d'],
    ['rto=4h rpo=abc', 'abc'],
    ['rto=4h rpo=5', '5'],
    ['rto=🎉 rpo=1h', '🎉'],
  ])('rejects %s with usage and an example', async (text, bad) => {
    const { reply, plain } = await dr(text);
    expect(reply.isError).toBe(true);
    expect(plain).toContain(bad);
    expect(plain).toContain('/dr rto=4h rpo=15m');
    expect(plain).toContain('사용법');
  });

  it.each(['rto=4h', 'rpo=15m', 'rto=4h 파일럿'])('requires both targets (%s)', async (text) => {
    const { reply, plain } = await dr(text);
    expect(reply.isError).toBe(true);
    expect(plain).toContain('rto');
    expect(plain).toContain('rpo');
    expect(plain).toContain('/dr rto=4h rpo=15m');
  });

  it('rejects an empty value', async () => {
    const { reply } = await dr('rto= rpo=1h');
    expect(reply.isError).toBe(true);
  });
});

describe('/dr <question>', () => {
  it('answers from the DR notes with a citation', async () => {
    const { reply, plain } = await dr('파일럿 라이트와 웜 스탠바이 차이');
    expect(reply.isError).toBeFalsy();
    const cites = reply.blocks.flatMap((b) => (b.type === 'citation' ? b.citations : []));
    expect(cites.some((c) => c.source === 'dr-strategies.md' || c.source === 'sessions/multi-region-dr.md')).toBe(true);
    expect(plain).toMatch(/웜 스탠바이|Warm Standby/);
  });

  it('answers English questions too', async () => {
    const { reply } = await dr('what is pilot light');
    expect(reply.isError).toBeFalsy();
    const cites = reply.blocks.flatMap((b) => (b.type === 'citation' ? b.citations : []));
    expect(cites.some((c) => c.source === 'dr-strategies.md' || c.source === 'sessions/multi-region-dr.md')).toBe(true);
  });

  it('falls back to all notes when the DR notes have nothing', async () => {
    const { reply, plain } = await dr('그래비톤');
    expect(reply.isError).toBeFalsy();
    expect(plain).toContain('Graviton');
  });

  it.each([
    ['emoji', '🎉🔥'],
    ['huge', 'RTO가 뭐야 '.repeat(1_000)],
    ['mixed script', 'RTO랑 RPO difference 차이 😀'],
    ['junk', '!!! ???'],
  ])('%s input gives a friendly reply', async (_name, text) => {
    const { plain } = await dr(text);
    expect(plain.length).toBeGreaterThan(0);
    expect(plain.length).toBeLessThan(3500);
    expect(plain).not.toContain('문제가 생겼습니다');
  });
});

describe('/dr in English', () => {
  it('uses English UI strings', async () => {
    const table = (await dr('', { locale: 'en' })).plain;
    expect(table).toContain('disaster recovery strategies');
    expect(table).toContain('Relative cost');
    expect(table).not.toContain('상대 비용');
    const advice = (await dr('rto=20m rpo=15m', { locale: 'en' })).plain;
    expect(advice).toContain('Recommended');
    expect(advice).toContain('20 min');
    expect(advice).toContain('40 min over');
    const error = (await dr('rto=4h', { locale: 'en' })).plain;
    expect(error).toContain('Give both rto and rpo');
  });
});
