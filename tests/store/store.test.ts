import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/store/memory.ts';
import { databasePath, migrate, MIGRATIONS, openSqliteStore, SqliteStore } from '../../src/store/sqlite.ts';
import { DEFAULT_CLAIM_LEASE_MS, isClaimable, isSettled, type Store } from '../../src/core/store.ts';
import { tempDir } from './fixtures.ts';

const T0 = new Date('2026-03-02T00:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const sub = (target: string, time = '09:00') => ({ target, time, timeZone: 'Asia/Seoul', weekdaysOnly: false });

interface Harness {
  open(): Store;
  cleanup(): void;
}

const implementations: [string, () => Harness][] = [
  ['MemoryStore', () => ({ open: () => new MemoryStore(), cleanup: () => {} })],
  [
    'SqliteStore',
    () => {
      const temp = tempDir();
      return { open: () => openSqliteStore(temp.dir), cleanup: temp.remove };
    },
  ],
];

describe.each(implementations)('%s (Store contract)', (_name, makeHarness) => {
  let harness: Harness;
  let store: Store;
  beforeEach(() => {
    harness = makeHarness();
    store = harness.open();
  });
  afterEach(() => {
    store.close();
    harness.cleanup();
  });

  describe('subscriptions', () => {
    it('upserts, reads, lists and deletes', () => {
      expect(store.getSubscription('slack:C1')).toBeUndefined();
      const created = store.upsertSubscription({ ...sub('slack:C1'), weekdaysOnly: true }, at(0));
      expect(created).toEqual({ target: 'slack:C1', time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: true, since: at(0) });
      expect(store.getSubscription('slack:C1')).toEqual(created);

      store.upsertSubscription(sub('discord:123', '21:30'), at(1));
      store.upsertSubscription(sub('shell:local'), at(2));
      expect(store.listActiveSubscriptions().map((s) => s.target)).toEqual(['discord:123', 'shell:local', 'slack:C1']);

      expect(store.deleteSubscription('shell:local')).toBe(true);
      expect(store.deleteSubscription('shell:local')).toBe(false);
      expect(store.listActiveSubscriptions().map((s) => s.target)).toEqual(['discord:123', 'slack:C1']);
    });

    it('replaces a subscription and restarts its since', () => {
      store.upsertSubscription(sub('slack:C1'), at(0));
      store.upsertSubscription({ ...sub('slack:C1', '07:15'), timeZone: 'Europe/London' }, at(5));
      expect(store.getSubscription('slack:C1')).toEqual({ target: 'slack:C1', time: '07:15', timeZone: 'Europe/London', weekdaysOnly: false, since: at(5) });
    });

    it('pauses with a reason, hides paused ones from the active list, and resubscribing clears the pause', () => {
      store.upsertSubscription(sub('slack:C1'), at(0));
      store.upsertSubscription(sub('slack:C2'), at(0));
      expect(store.pauseSubscription('slack:C1', 'channel_not_found', at(3))).toBe(true);
      expect(store.pauseSubscription('slack:NOPE', 'x', at(3))).toBe(false);
      expect(store.getSubscription('slack:C1')).toMatchObject({ pausedReason: 'channel_not_found', pausedAt: at(3) });
      expect(store.listActiveSubscriptions().map((s) => s.target)).toEqual(['slack:C2']);

      store.upsertSubscription(sub('slack:C1'), at(4));
      const resumed = store.getSubscription('slack:C1')!;
      expect(resumed.pausedReason).toBeUndefined();
      expect(resumed.pausedAt).toBeUndefined();
      expect(store.listActiveSubscriptions().map((s) => s.target)).toEqual(['slack:C1', 'slack:C2']);
    });
  });

  describe('rotation', () => {
    it('starts at cycle 1 with nothing used and keeps what is saved, per target', () => {
      expect(store.getRotation('slack:C1')).toEqual({ cycle: 1, used: [] });
      store.saveRotation('slack:C1', { cycle: 2, used: ['b', 'a'] }, at(0));
      expect(store.getRotation('slack:C1')).toEqual({ cycle: 2, used: ['b', 'a'] });
      expect(store.getRotation('slack:C2')).toEqual({ cycle: 1, used: [] });
    });

    it('returns copies', () => {
      store.saveRotation('slack:C1', { cycle: 1, used: ['a'] }, at(0));
      store.getRotation('slack:C1').used.push('mutated');
      expect(store.getRotation('slack:C1').used).toEqual(['a']);
    });
  });

  describe('post log', () => {
    it('lets exactly one claim win, whoever asks', () => {
      expect(store.claimPost('slack:C1', '2026-03-02', 'a', at(0))).toBe(true);
      expect(store.claimPost('slack:C1', '2026-03-02', 'b', at(0))).toBe(false);
      expect(store.claimPost('slack:C1', '2026-03-02', 'a', at(1))).toBe(false);
      // Other days and other targets are independent.
      expect(store.claimPost('slack:C1', '2026-03-03', 'b', at(0))).toBe(true);
      expect(store.claimPost('slack:C2', '2026-03-02', 'b', at(0))).toBe(true);
      expect(store.postState('slack:C1', '2026-03-02')).toMatchObject({ status: 'claimed', owner: 'a', attempts: 1, claimedAt: at(0) });
    });

    it('never reclaims a posted day', () => {
      store.claimPost('slack:C1', '2026-03-02', 'a', at(0));
      store.markPosted('slack:C1', '2026-03-02', 'tip-1', at(1));
      expect(store.postState('slack:C1', '2026-03-02')).toMatchObject({ status: 'posted', tipId: 'tip-1', postedAt: at(1) });
      expect(isSettled(store.postState('slack:C1', '2026-03-02'))).toBe(true);
      expect(store.claimPost('slack:C1', '2026-03-02', 'b', at(24 * 60))).toBe(false);
    });

    it('lets a stale claim (older than the lease, never finished) be taken over once', () => {
      const lease = DEFAULT_CLAIM_LEASE_MS / 60_000;
      store.claimPost('slack:C1', '2026-03-02', 'crashed', at(0));
      expect(store.claimPost('slack:C1', '2026-03-02', 'b', at(lease - 1))).toBe(false);
      expect(store.claimPost('slack:C1', '2026-03-02', 'b', at(lease))).toBe(true);
      expect(store.claimPost('slack:C1', '2026-03-02', 'c', at(lease))).toBe(false);
      expect(store.postState('slack:C1', '2026-03-02')).toMatchObject({ status: 'claimed', owner: 'b', attempts: 2, claimedAt: at(lease) });
    });

    it('makes a transient failure claimable again at retryAt, and counts attempts', () => {
      store.claimPost('slack:C1', '2026-03-02', 'a', at(0));
      store.markFailed('slack:C1', '2026-03-02', 'rate limited', true, at(0), at(2));
      expect(store.postState('slack:C1', '2026-03-02')).toMatchObject({ status: 'failed', error: 'rate limited', retryable: true, retryAt: at(2), attempts: 1 });
      expect(isSettled(store.postState('slack:C1', '2026-03-02'))).toBe(false);
      expect(store.claimPost('slack:C1', '2026-03-02', 'a', at(1))).toBe(false);
      expect(store.claimPost('slack:C1', '2026-03-02', 'b', at(2))).toBe(true);
      expect(store.claimPost('slack:C1', '2026-03-02', 'a', at(2))).toBe(false);
      const state = store.postState('slack:C1', '2026-03-02')!;
      expect(state).toMatchObject({ status: 'claimed', owner: 'b', attempts: 2, retryable: false });
      expect(state.retryAt).toBeUndefined();
    });

    it('makes a transient failure without retryAt claimable at once', () => {
      store.claimPost('slack:C1', '2026-03-02', 'a', at(0));
      store.markFailed('slack:C1', '2026-03-02', 'socket hang up', true, at(0));
      expect(store.claimPost('slack:C1', '2026-03-02', 'a', at(0))).toBe(true);
    });

    it('gives a day up for good on a non-transient failure', () => {
      store.claimPost('slack:C1', '2026-03-02', 'a', at(0));
      store.markFailed('slack:C1', '2026-03-02', 'channel_not_found', false, at(0));
      expect(store.postState('slack:C1', '2026-03-02')).toMatchObject({ status: 'failed', retryable: false, error: 'channel_not_found' });
      expect(isSettled(store.postState('slack:C1', '2026-03-02'))).toBe(true);
      expect(store.claimPost('slack:C1', '2026-03-02', 'b', at(24 * 60))).toBe(false);
    });

    it('does not let a late failure overwrite a success', () => {
      store.claimPost('slack:C1', '2026-03-02', 'a', at(0));
      store.markPosted('slack:C1', '2026-03-02', 'tip-1', at(1));
      store.markFailed('slack:C1', '2026-03-02', 'late', true, at(2));
      expect(store.postState('slack:C1', '2026-03-02')).toMatchObject({ status: 'posted', tipId: 'tip-1' });
    });

    it('has no state for days nobody touched', () => {
      expect(store.postState('slack:C1', '2026-03-02')).toBeUndefined();
      expect(isSettled(undefined)).toBe(false);
    });
  });

  it('reports itself writable until closed, and closes idempotently', () => {
    expect(store.isWritable()).toBe(true);
    store.close();
    expect(store.isWritable()).toBe(false);
    store.close();
  });
});

describe('isClaimable', () => {
  const base = { target: 't', localDate: 'd', owner: 'o', claimedAt: at(0), attempts: 1, retryable: false };
  it('matches the documented rules', () => {
    expect(isClaimable(undefined, at(0), 1000)).toBe(true);
    expect(isClaimable({ ...base, status: 'posted' }, at(100), 1000)).toBe(false);
    expect(isClaimable({ ...base, status: 'claimed' }, new Date(at(0).getTime() + 999), 1000)).toBe(false);
    expect(isClaimable({ ...base, status: 'claimed' }, new Date(at(0).getTime() + 1000), 1000)).toBe(true);
    expect(isClaimable({ ...base, status: 'failed' }, at(100), 1000)).toBe(false);
    expect(isClaimable({ ...base, status: 'failed', retryable: true, retryAt: at(5) }, at(4), 1000)).toBe(false);
    expect(isClaimable({ ...base, status: 'failed', retryable: true, retryAt: at(5) }, at(5), 1000)).toBe(true);
  });
});

describe('MemoryStore', () => {
  it('honours a custom lease', () => {
    const store = new MemoryStore({ leaseMs: 60_000 });
    store.claimPost('slack:C1', 'd', 'a', at(0));
    expect(store.claimPost('slack:C1', 'd', 'b', at(1))).toBe(true);
  });
});

describe('SqliteStore', () => {
  let temp: ReturnType<typeof tempDir>;
  const opened: SqliteStore[] = [];
  const open = (options = {}) => {
    const store = openSqliteStore(temp.dir, options);
    opened.push(store);
    return store;
  };
  beforeEach(() => {
    temp = tempDir();
  });
  afterEach(() => {
    for (const store of opened.splice(0)) store.close();
    temp.remove();
  });

  it('lives in <dataDir>/summit-bot.sqlite with WAL, a busy timeout and the current schema version', () => {
    const store = open();
    expect(databasePath(temp.dir)).toBe(join(temp.dir, 'summit-bot.sqlite'));
    expect(existsSync(join(temp.dir, 'summit-bot.sqlite'))).toBe(true);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  });

  it('creates a missing data directory', () => {
    const store = new SqliteStore(join(temp.dir, 'nested', 'deeper', 'bot.sqlite'));
    opened.push(store);
    expect(store.isWritable()).toBe(true);
  });

  it('keeps subscriptions, pauses, rotation and the post log across reopening', () => {
    const first = open();
    first.upsertSubscription({ ...sub('slack:C1'), weekdaysOnly: true }, at(0));
    first.upsertSubscription(sub('discord:123', '21:30'), at(1));
    first.pauseSubscription('discord:123', 'Missing Access', at(2));
    first.saveRotation('slack:C1', { cycle: 3, used: ['x', 'y'] }, at(3));
    first.claimPost('slack:C1', '2026-03-02', 'a', at(4));
    first.markPosted('slack:C1', '2026-03-02', 'x', at(5));
    first.close();

    const second = open();
    expect(second.getSubscription('slack:C1')).toEqual({ target: 'slack:C1', time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: true, since: at(0) });
    expect(second.getSubscription('discord:123')).toMatchObject({ pausedReason: 'Missing Access', pausedAt: at(2) });
    expect(second.listActiveSubscriptions().map((s) => s.target)).toEqual(['slack:C1']);
    expect(second.getRotation('slack:C1')).toEqual({ cycle: 3, used: ['x', 'y'] });
    expect(second.postState('slack:C1', '2026-03-02')).toMatchObject({ status: 'posted', tipId: 'x' });
    expect(second.claimPost('slack:C1', '2026-03-02', 'b', at(60 * 24))).toBe(false);
  });

  it('lets only one of two connections to the same file win a claim', () => {
    const a = open();
    const b = open();
    a.upsertSubscription(sub('slack:C1'), at(0));
    expect(b.getSubscription('slack:C1')).toBeDefined();
    let wins = 0;
    for (let day = 1; day <= 20; day++) {
      const date = `2026-03-${String(day).padStart(2, '0')}`;
      const results = day % 2 ? [a.claimPost('slack:C1', date, 'a', at(0)), b.claimPost('slack:C1', date, 'b', at(0))] : [b.claimPost('slack:C1', date, 'b', at(0)), a.claimPost('slack:C1', date, 'a', at(0))];
      expect(results.filter(Boolean)).toHaveLength(1);
      wins += results.filter(Boolean).length;
    }
    expect(wins).toBe(20);
  });

  it('lets only one of several processes win each claim on the same file', async () => {
    open(); // create and migrate the file first
    const worker = fileURLToPath(new URL('./claim-worker.ts', import.meta.url));
    const file = databasePath(temp.dir);
    const startAt = String(Date.now() + 3_000);
    const runWorker = (owner: string) =>
      new Promise<string[]>((resolve, reject) => {
        execFile(process.execPath, ['--import', 'tsx', worker, file, owner, '400', startAt], { timeout: 30_000 }, (error, stdout, stderr) => {
          if (error) reject(new Error(`${error.message}\n${stderr}`));
          else resolve(JSON.parse(stdout) as string[]);
        });
      });
    const results = await Promise.all(['p1', 'p2', 'p3'].map(runWorker));
    const all = results.flat();
    expect(all).toHaveLength(400);
    expect(new Set(all).size).toBe(400);
  }, 60_000);

  it('is not writable once closed', () => {
    const store = open();
    store.close();
    expect(store.isWritable()).toBe(false);
  });

  describe('migrate', () => {
    it('applies the missing steps in order and records each in user_version', () => {
      const db = new Database(':memory:');
      try {
        migrate(db, ['CREATE TABLE a (x INTEGER)']);
        expect(db.pragma('user_version', { simple: true })).toBe(1);
        migrate(db, ['CREATE TABLE a (x INTEGER)', 'ALTER TABLE a ADD COLUMN y TEXT', 'CREATE TABLE b (z TEXT)']);
        expect(db.pragma('user_version', { simple: true })).toBe(3);
        expect(db.prepare('SELECT name FROM sqlite_master WHERE type = ? ORDER BY name').all('table')).toEqual([{ name: 'a' }, { name: 'b' }]);
        // Running again changes nothing.
        migrate(db, ['CREATE TABLE a (x INTEGER)', 'ALTER TABLE a ADD COLUMN y TEXT', 'CREATE TABLE b (z TEXT)']);
        expect(db.pragma('user_version', { simple: true })).toBe(3);
      } finally {
        db.close();
      }
    });

    it('rolls a failing step back whole', () => {
      const db = new Database(':memory:');
      try {
        expect(() => migrate(db, ['CREATE TABLE a (x INTEGER); CREATE TABLE oops ('])).toThrow();
        expect(db.pragma('user_version', { simple: true })).toBe(0);
        expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get()).toEqual({ n: 0 });
      } finally {
        db.close();
      }
    });

    it('refuses a database from a newer build', () => {
      const file = databasePath(temp.dir);
      const db = new Database(file);
      db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
      db.close();
      expect(() => open()).toThrow(/newer than this build knows/);
    });
  });
});
