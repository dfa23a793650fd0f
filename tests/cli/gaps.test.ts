import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gapsText, parseGapsArgs } from '../../src/cli/gaps-report.ts';
import { knowledgeGaps } from '../../src/core/feedback/gaps.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `command` in the project with only `env` (and PATH, and no .env), bounded in time. */
function run(command: string, args: string[], env: Record<string, string>, stdin = ''): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(
      command,
      args,
      { cwd: ROOT, timeout: 30_000, env: { PATH: process.env.PATH ?? '', DOTENV_CONFIG_PATH: join(tmpdir(), 'summit-no-such.env'), DOTENV_CONFIG_QUIET: 'true', ...env } },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin);
  });
}

describe('npm run gaps', () => {
  it('shows a question the bot refused, and one rated 👎 with the citation shown, after the bot recorded them', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'summit-gaps-'));
    dirs.push(dataDir);
    // The bot as `npm start` runs it, in the terminal: two wordings of an unanswerable question, an answer rated 👎.
    const bot = await run(process.execPath, ['--import', 'tsx', 'src/main.ts'], { DATA_DIR: dataDir }, '/ask 주차장 정기권은 어디서 신청해\n/ask 주차장 정기권 어디서 신청해요?\n/ask RPO가 뭐야\n/feedback bad\n');
    expect(bot.code, bot.stderr).toBe(0);
    expect(bot.stdout).toContain('👎 알려 주셔서 고맙습니다');

    const report = await run('npm', ['run', '--silent', 'gaps'], { DATA_DIR: dataDir });
    expect(report.code, report.stderr).toBe(0);
    expect(report.stdout).toMatch(/2 refused, 1 rated 👎, 0 rated 👍/);
    expect(report.stdout).toMatch(/^1\. "주차장 정기권 어디서 신청해요\?" \(\/ask\): refused 2×/m);
    expect(report.stdout).toContain('also asked as: "주차장 정기권은 어디서 신청해"');
    expect(report.stdout).toContain('shown: nothing; the notes have no answer');
    expect(report.stdout).toMatch(/^2\. "RPO가 뭐야" \(\/ask\): 👎 1/m);
    expect(report.stdout).toContain('(sessions/multi-region-dr.md): 👎 1, 👍 0');

    // npm keeps --since and --json for itself when they come before `--`; both spellings work.
    for (const args of [['--since', '1d', '--json'], ['--', '--since', '1d', '--json']]) {
      const json = await run('npm', ['run', '--silent', 'gaps', ...args], { DATA_DIR: dataDir });
      expect(json.code, json.stderr).toBe(0);
      const parsed = JSON.parse(json.stdout) as { totals: { refused: number }; gaps: { question: string; refused: number; shown: { source: string }[] }[] };
      expect(parsed.totals.refused).toBe(2);
      expect(parsed.gaps[0]?.refused).toBe(2);
      expect(parsed.gaps[1]?.shown[0]?.source).toBe('sessions/multi-region-dr.md');
    }
  }, 60_000);

  it('records nothing with FEEDBACK=off, and says so', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'summit-gaps-'));
    dirs.push(dataDir);
    const bot = await run(process.execPath, ['--import', 'tsx', 'src/main.ts'], { DATA_DIR: dataDir, FEEDBACK: 'off' }, '/ask 회사 주차장 정기권은 어디서 신청해\n/ask RPO가 뭐야\n/feedback bad\n');
    expect(bot.code, bot.stderr).toBe(0);
    expect(bot.stdout).toContain('FEEDBACK=off');
    expect(bot.stdout).not.toContain('/feedback good');
    const report = await run('npm', ['run', '--silent', 'gaps'], { DATA_DIR: dataDir, FEEDBACK: 'off' });
    expect(report.stdout).toContain(': 0 recorded (0 refused, 0 rated 👎, 0 rated 👍)');
    expect(report.stdout).toContain('Note: FEEDBACK=off');
  }, 60_000);

  it('exits 2 with the usage for arguments it cannot read', async () => {
    const bad = await run('npm', ['run', '--silent', 'gaps', '--', '--since', 'soon'], { DATA_DIR: mkdtempSync(join(tmpdir(), 'summit-gaps-')) });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since soon: give a duration such as 12h, 7d or 30d');
    expect(bad.stderr).toContain('usage: npm run gaps');
  }, 30_000);
});

describe('parseGapsArgs', () => {
  it('reads --since, --json and --limit after `--`, with or without `=`', () => {
    expect(parseGapsArgs(['--since', '7d', '--json', '--limit=5'], {})).toEqual({ sinceMs: 7 * 86_400_000, json: true, limit: 5 });
    expect(parseGapsArgs([], {})).toEqual({ json: false, limit: 20 });
  });

  it('reads what npm kept for itself when the flags come before `--`', () => {
    expect(parseGapsArgs(['7d'], { npm_config_since: 'true', npm_config_json: 'true' })).toEqual({ sinceMs: 7 * 86_400_000, json: true, limit: 20 });
    expect(parseGapsArgs([], { npm_config_since: '12h', npm_config_limit: '3' })).toEqual({ sinceMs: 12 * 3_600_000, json: false, limit: 3 });
  });

  it('names what it cannot read', () => {
    expect(parseGapsArgs(['--since'], {})).toEqual({ problem: '--since needs a value' });
    expect(parseGapsArgs(['--since', '0'], {})).toMatchObject({ problem: expect.stringContaining('--since 0') });
    expect(parseGapsArgs(['--limit', 'lots'], {})).toMatchObject({ problem: expect.stringContaining('--limit lots') });
    expect(parseGapsArgs(['--verbose'], {})).toEqual({ problem: 'unexpected --verbose' });
    expect(parseGapsArgs(['please'], {})).toEqual({ problem: 'unexpected please' });
  });
});

describe('gapsText', () => {
  it('lists at most the limit, and says how many more there are', () => {
    const window = { since: new Date('2026-05-01T00:00:00Z'), until: new Date('2026-05-08T00:00:00Z') };
    const records = ['badge', 'parking', 'wifi'].map((question, i) => ({ kind: 'unanswered' as const, platform: 'slack' as const, command: 'ask', question, language: 'en', at: new Date(Date.UTC(2026, 4, 2 + i)) }));
    const text = gapsText(knowledgeGaps(records, window), 2);
    expect(text.split('\n')[0]).toBe('Knowledge gaps from 2026-05-01 to 2026-05-08: 3 recorded (3 refused, 0 rated 👎, 0 rated 👍)');
    expect(text).toContain('1. "wifi" (/ask): refused 1×; last 2026-05-04');
    expect(text).toContain('2. "parking"');
    expect(text).not.toContain('"badge"');
    expect(text).toContain('…and 1 more (--limit 3 shows all)');
    expect(gapsText(knowledgeGaps([], window), 2)).toContain('No refused or 👎 questions in that time.');
  });
});
