/** The bot as a real process (`node --import tsx src/main.ts`, as `npm start` runs it), for the process tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');

export interface BotProcess {
  readonly child: ChildProcess;
  /** What the process wrote to stderr (its warnings and errors), for failure messages. */
  stderr(): string;
  /** Sends `signal` (SIGTERM by default) and resolves when the process has exited; at once if it already has. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Removes its data directory. */
  cleanup(): void;
}

/** Starts the bot with only `env` (plus PATH, a fresh DATA_DIR, loopback binding and warn-level logs). */
export function spawnBot(env: Record<string, string>): BotProcess {
  const dataDir = mkdtempSync(join(tmpdir(), 'summit-process-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, BIND_HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    stderr: () => stderr,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
    cleanup: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}
