import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
// A checkout with nothing beside it: no ../shared.
const lonely = mkdtempSync(join(tmpdir(), 'summit-eval-'));
const clone = join(lonely, 'clone');
mkdirSync(clone);
symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
afterAll(() => rmSync(lonely, { recursive: true, force: true }));

const evaluate = (args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'eval.ts'), ...args], { cwd: clone, encoding: 'utf8', timeout: 30_000 });

describe('npm run eval without a usable question file', () => {
  it('with no ../shared, explains what to pass and exits 2, without a stack trace', () => {
    const result = evaluate([]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`eval: there is no question file at ${join(lonely, 'shared', 'eval', 'dev.jsonl')}.`);
    expect(result.stderr).toContain('Pass a question file: npm run eval -- <questions.jsonl>');
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stdout).toBe('');
  });

  it('names the line of a file that is not questions', () => {
    writeFileSync(join(clone, 'bad.jsonl'), '{"q": "RPO", "expect": [["rpo"]]}\n{"q": 1}\n');
    const result = evaluate(['bad.jsonl']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain(`eval: ${join(clone, 'bad.jsonl')}:2: expected {"q": string, "expect": string[][]}`);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('runs on a file that is there', () => {
    const result = evaluate([join(ROOT, 'tests', 'fixtures', 'eval', 'holdout.jsonl')]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/hit@1 \d\.\d{3}/);
  });
});
