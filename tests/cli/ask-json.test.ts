import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const ask = (args: string[], input = '') =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/ask.ts', ...args], { cwd: ROOT, input, encoding: 'utf8', timeout: 20_000 });

interface AskJson {
  query: string;
  answered?: boolean;
  results: { id: string; title: string; heading: string; source: string; text: string; score: number }[];
}

describe('ask --json', () => {
  it('prints the passages /ask shows, best first, with their full text', () => {
    const result = ask(['--json', 'what is pilot light']);
    expect(result.status).toBe(0);
    const parsed = JSON.parse(result.stdout) as AskJson;
    expect(parsed.query).toBe('what is pilot light');
    expect(parsed.answered).toBe(true);
    expect(parsed.results.length).toBeGreaterThan(0);
    expect(parsed.results.length).toBeLessThanOrEqual(3);
    expect(Object.keys(parsed.results[0]!).sort()).toEqual(['heading', 'id', 'score', 'source', 'text', 'title']);
    // An English question gets the English rendering of the passage.
    expect(parsed.results[0]!.heading).toBe('Pilot Light');
    expect(parsed.results[0]!.text).toContain('compute resources switched off');
  });

  it('answers a Korean question with the Korean passage', () => {
    const parsed = JSON.parse(ask(['--json', '파일럿 라이트가 뭐야']).stdout) as AskJson;
    expect(parsed.results[0]!.text).toContain('컴퓨팅 자원은 꺼 두거나');
  });

  it('says answered: false with no results when /ask finds nothing', () => {
    const parsed = JSON.parse(ask(['--json', '피자 레시피 알려줘']).stdout) as AskJson;
    expect(parsed).toEqual({ query: '피자 레시피 알려줘', answered: false, results: [] });
  });

  it('gives the raw top five with --ranked, whatever /ask would show', () => {
    const parsed = JSON.parse(ask(['--ranked', '피자 레시피 알려줘']).stdout) as AskJson;
    expect(parsed.answered).toBeUndefined();
    expect(parsed.results.length).toBeGreaterThan(0);
    expect(parsed.results.length).toBeLessThanOrEqual(5);
  });

  it('answers one JSON line per stdin line, in order', () => {
    const result = ask(['--json'], '그래비톤\nRPO가 뭐야\n');
    const lines = result.stdout.trim().split('\n').map((l) => JSON.parse(l) as AskJson);
    expect(lines.map((l) => l.query)).toEqual(['그래비톤', 'RPO가 뭐야']);
  });
});

describe('check', () => {
  it('passes on the shipped notes', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/check.ts'], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('0 problems');
  });

  it('fails, saying so, for a folder that does not exist', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/check.ts', 'no-such-folder'], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    expect(result.status).toBe(1);
    expect(result.stderr).toBe('check: there is no folder no-such-folder\n');
  });
});
