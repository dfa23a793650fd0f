import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const ROOT = join(import.meta.dirname, '..');

/**
 * Process start to first answer: spawns the bot with `line` (`/help` unless told) on stdin and times until the
 * answer appears on stdout. `args` picks the entry point (compiled dist or TypeScript through tsx); `env` adds
 * to the environment (KNOWLEDGE_DIR, a DATA_DIR holding a snapshot).
 */
export function startToFirstAnswer(args: string[], env: Record<string, string> = {}, line = '/help'): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'summit-bench-'));
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
    // Bounded, and long enough for 10k sections indexed without a snapshot on a busy machine.
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error('no answer within 60 s'));
    }, 60_000);
    child.stdout.once('data', () => {
      const elapsed = performance.now() - start;
      clearTimeout(timer);
      child.kill();
      resolve(elapsed);
    });
    child.stdin.end(`${line}\n`);
  });
}
