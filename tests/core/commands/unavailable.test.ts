import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Knowledge } from '../../../src/core/knowledge/knowledge.ts';
import { loadKnowledge } from '../../../src/core/knowledge/loader.ts';
import { DEFAULT_KNOWLEDGE_DIR } from '../../../src/core/knowledge/paths.ts';
import type { Locale } from '../../../src/core/i18n.ts';
import { run as runCommand, testBot } from '../../helpers.ts';

const roots: string[] = [];
afterAll(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

/** The shipped notes with some files edited: each edit takes a line's text and what to put instead. */
function knowledgeWith(edits: Record<string, [from: RegExp, to: string]>): Knowledge {
  const root = mkdtempSync(join(tmpdir(), 'summit-unavailable-'));
  roots.push(root);
  cpSync(DEFAULT_KNOWLEDGE_DIR, root, { recursive: true });
  for (const [file, [from, to]] of Object.entries(edits)) {
    const path = join(root, file);
    const before = readFileSync(path, 'utf8');
    const after = before.replace(from, to);
    expect(after, `${file} was edited`).not.toBe(before);
    writeFileSync(path, after);
  }
  return new Knowledge(loadKnowledge(root));
}

const run = async (knowledge: Knowledge, command: string, text: string, locale: Locale = 'ko') => {
  const { reply, text: plain } = await runCommand(testBot({ knowledge, locale }), command, text);
  return { reply, plain };
};

// The RDS session note loses the colon of its `outline:` line: the YAML is broken there.
const OUTLINE_LINE = readFileSync(join(DEFAULT_KNOWLEDGE_DIR, 'sessions', 'rds-migration.md'), 'utf8').split('\n').indexOf('outline:') + 1;
const AT = `sessions/rds-migration.md:${OUTLINE_LINE}`;
const rdsBroken = knowledgeWith({ 'sessions/rds-migration.md': [/^outline:$/m, 'outline'] });

describe('a session whose note is skipped', () => {
  it('/session 3 says that session’s note is temporarily unavailable and why, not that there is no such session', async () => {
    const { reply, plain } = await run(rdsBroken, 'session', '3');
    expect(reply.isError).toBe(true);
    expect(plain).toBe(`Day 2 Session 3 노트는 지금 잠시 쓸 수 없습니다. ${AT}에 오류가 있습니다: invalid YAML: a colon is missing after "outline"\n\n파일을 고치면 바로 다시 볼 수 있습니다.`);
    expect(plain).not.toContain('없는 세션 번호');
    const english = await run(rdsBroken, 'session', '3', 'en');
    expect(english.plain).toBe(`The note for Day 2 Session 3 is temporarily unavailable: ${AT} has an error: invalid YAML: a colon is missing after "outline"\n\nIt is back as soon as the file is fixed.`);
  });

  it('a time during it, or just before it when it is the next one, says the same', async () => {
    expect((await run(rdsBroken, 'session', '14:30')).plain).toContain('Day 2 Session 3 노트는 지금 잠시 쓸 수 없습니다');
    expect((await run(rdsBroken, 'session', '14:10')).plain).toContain('Day 2 Session 3 노트는 지금 잠시 쓸 수 없습니다');
    // After it, the next served session is shown as before.
    expect((await run(rdsBroken, 'session', '15:00')).plain).toContain('AWS에서 최소한의 비용으로 구현하는 멀티리전 DR 자동화 구성');
  });

  it('the schedule keeps its place, marked unavailable with the file and line', async () => {
    const { plain } = await run(rdsBroken, 'session', '');
    const lines = plain.split('\n');
    const at = lines.findIndex((l) => l.includes('(Session 3)'));
    expect(lines[at]).toContain('14:20–14:50  성공적인 AWS RDS 마이그레이션을 위한 여정과 필수 고려사항 (Session 3)');
    expect(lines[at + 1]).toContain(`⚠️ 지금 잠시 쓸 수 없음: ${AT}`);
    expect(plain.indexOf('(Session 2)')).toBeLessThan(plain.indexOf('(Session 3)'));
    expect(plain.indexOf('(Session 3)')).toBeLessThan(plain.indexOf('(Session 4)'));
  });

  it('a search that finds nothing mentions the unavailable session; a related-notes list marks it', async () => {
    expect((await run(rdsBroken, 'session', 'zzqxv')).plain).toContain('Day 2 Session 3 노트는 지금 잠시 쓸 수 없습니다');
    const record = (await run(rdsBroken, 'session', '1')).plain;
    expect(record).toContain(`성공적인 AWS RDS 마이그레이션을 위한 여정과 필수 고려사항 (지금 잠시 쓸 수 없음: ${AT})`);
  });

  it('/ask that finds nothing says which notes are unavailable, so nobody concludes the answer is not written down (in the asker’s language)', async () => {
    const { plain } = await run(rdsBroken, 'ask', 'zzqxv flurbonic');
    expect(plain).toContain(`Some notes are temporarily unavailable, and the answer may be in one of them: 성공적인 AWS RDS 마이그레이션을 위한 여정과 필수 고려사항 (${AT})`);
  });
});

describe('/dr and /tip whose note is skipped', () => {
  it('/dr and /dr rto=… rpo=… say the strategies note is temporarily unavailable and why', async () => {
    const drBroken = knowledgeWith({ 'dr-strategies.md': [/^(\s+)cost_rank: 1$/m, '$1cost_rank: first'] });
    const line = readFileSync(join(DEFAULT_KNOWLEDGE_DIR, 'dr-strategies.md'), 'utf8').split('\n').findIndex((l) => /^\s+cost_rank: 1$/.test(l)) + 1;
    for (const text of ['', 'rto=4h rpo=15m']) {
      const { reply, plain } = await run(drBroken, 'dr', text, 'en');
      expect(reply.isError).toBe(true);
      expect(plain).toMatch(new RegExp(`^The note ".+" is temporarily unavailable: dr-strategies\\.md:${line} has an error: strategies\\.0\\.cost_rank: `));
    }
  });

  it('/tip says the tips note is temporarily unavailable and why', async () => {
    const tipsBroken = knowledgeWith({ 'tips.md': [/^tips:$/m, 'tips: ['] });
    const { reply, plain } = await run(tipsBroken, 'tip', '');
    expect(reply.isError).toBe(true);
    expect(plain).toMatch(/^"써밋 팁 모음" 노트는 지금 잠시 쓸 수 없습니다\. tips\.md:\d+에 오류가 있습니다: invalid YAML: /);
    expect((await run(tipsBroken, 'tip', 'random')).plain).toContain('"써밋 팁 모음" 노트는 지금 잠시 쓸 수 없습니다');
  });
});
