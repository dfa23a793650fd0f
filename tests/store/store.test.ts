import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { MemoryStore } from '../../src/store/memory.ts';
import pg from 'pg';
import { migratePostgres, openPostgresStore, PG_MIGRATIONS } from '../../src/store/postgres.ts';
import { freePort } from '../doubles/net.ts';
import { createTestDatabase } from '../support/postgres.ts';
import { databasePath, migrate, MIGRATIONS, openSqliteStore, SqliteStore } from '../../src/store/sqlite.ts';
import { DEFAULT_CLAIM_LEASE_MS, isClaimable, isSettled, type Store } from '../../src/core/store.ts';
import { tempDir } from './fixtures.ts';

const T0 = new Date('2026-03-02T00:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const sub = (target: string, time = '09:00') => ({ target, time, timeZone: 'Asia/Seoul', weekdaysOnly: false });

interface Harness {
  open(): Promise<Store>;
  cleanup(): void;
}

const implementations: [string, () => Harness][] = [
  ['MemoryStore', () => ({ open: async () => new MemoryStore(), cleanup: () => {} })],
  [
    'SqliteStore',
    () => {
      const temp = tempDir();
      return { open: async () => openSqliteStore(temp.dir), cleanup: temp.remove };
    },
  ],
  [
    'PostgresStore',
    () => ({
      // A database of its own per test, on the run's PostgreSQL server (tests/support/global-setup.ts).
      open: async () => openPostgresStore(await createTestDatabase(inject('postgresAdminUrl'))),
      cleanup: () => {},
    }),
  ],
];

describe.each(implementations)('%s (Store contract)', (_name, makeHarness) => {
  let harness: Harness;
  let store: Store;
  beforeEach(async () => {
    harness = makeHarness();
    store = await harness.open();
  });
  afterEach(async () => {
    await store.close();
    harness.cleanup();
  });

  describe('subscriptions', () => {
    it('upserts, reads, lists and deletes', async () => {
      expect(await store.getSubscription('slack:C1')).toBeUndefined();
      const created = await store.upsertSubscription({ ...sub('slack:C1'), weekdaysOnly: true }, at(0));
      expect(created).toEqual({ target: 'slack:C1', time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: true, since: at(0) });
      expect(await store.getSubscription('slack:C1')).toEqual(created);

      await store.upsertSubscription(sub('discord:123', '21:30'), at(1));
      await store.upsertSubscription(sub('shell:local'), at(2));
      expect((await store.listActiveSubscriptions()).map((s) => s.target)).toEqual(['discord:123', 'shell:local', 'slack:C1']);

      expect(await store.deleteSubscription('shell:local')).toBe(true);
      expect(await store.deleteSubscription('shell:local')).toBe(false);
      expect((await store.listActiveSubscriptions()).map((s) => s.target)).toEqual(['discord:123', 'slack:C1']);
    });

    it('replaces a subscription and restarts its since', async () => {
      await store.upsertSubscription(sub('slack:C1'), at(0));
      await store.upsertSubscription({ ...sub('slack:C1', '07:15'), timeZone: 'Europe/London' }, at(5));
      expect(await store.getSubscription('slack:C1')).toEqual({ target: 'slack:C1', time: '07:15', timeZone: 'Europe/London', weekdaysOnly: false, since: at(5) });
    });

    it('keeps what a pause means for the channel, and subscribing again clears it', async () => {
      await store.upsertSubscription(sub('discord:123'), at(0));
      await store.pauseSubscription('discord:123', 'discord: HTTP 403 code 50013 Missing Permissions', at(1), { reason: 'missing-permissions', missing: ['send', 'embed'] });
      expect(await store.getSubscription('discord:123')).toMatchObject({
        pausedReason: 'discord: HTTP 403 code 50013 Missing Permissions',
        pausedRefusal: { reason: 'missing-permissions', missing: ['send', 'embed'] },
      });
      await store.upsertSubscription(sub('discord:123'), at(2));
      expect(await store.getSubscription('discord:123')).not.toHaveProperty('pausedRefusal');
    });

    it('keeps the subscriber\'s language, and a new subscription replaces it', async () => {
      await store.upsertSubscription({ ...sub('discord:123'), locale: 'en' }, at(0));
      expect(await store.getSubscription('discord:123')).toMatchObject({ locale: 'en' });
      await store.upsertSubscription({ ...sub('discord:123'), locale: 'ko' }, at(1));
      expect(await store.getSubscription('discord:123')).toMatchObject({ locale: 'ko' });
      await store.upsertSubscription(sub('discord:123'), at(2));
      expect(await store.getSubscription('discord:123')).not.toHaveProperty('locale');
    });

    it('pauses with a reason, hides paused ones from the active list, and resubscribing clears the pause', async () => {
      await store.upsertSubscription(sub('slack:C1'), at(0));
      await store.upsertSubscription(sub('slack:C2'), at(0));
      expect(await store.pauseSubscription('slack:C1', 'channel_not_found', at(3))).toBe(true);
      expect(await store.pauseSubscription('slack:NOPE', 'x', at(3))).toBe(false);
      expect(await store.getSubscription('slack:C1')).toMatchObject({ pausedReason: 'channel_not_found', pausedAt: at(3) });
      expect((await store.listActiveSubscriptions()).map((s) => s.target)).toEqual(['slack:C2']);
      expect((await store.listSubscriptions()).map((s) => [s.target, s.pausedReason])).toEqual([
        ['slack:C1', 'channel_not_found'],
        ['slack:C2', undefined],
      ]);

      await store.upsertSubscription(sub('slack:C1'), at(4));
      const resumed = (await store.getSubscription('slack:C1'))!;
      expect(resumed.pausedReason).toBeUndefined();
      expect(resumed.pausedAt).toBeUndefined();
      expect((await store.listActiveSubscriptions()).map((s) => s.target)).toEqual(['slack:C1', 'slack:C2']);
    });
  });

  describe('rotation', () => {
    it('starts at cycle 1 with nothing used and keeps what is saved, per target', async () => {
      expect(await store.getRotation('slack:C1')).toEqual({ cycle: 1, used: [] });
      await store.saveRotation('slack:C1', { cycle: 2, used: ['b', 'a'] }, at(0));
      expect(await store.getRotation('slack:C1')).toEqual({ cycle: 2, used: ['b', 'a'] });
      expect(await store.getRotation('slack:C2')).toEqual({ cycle: 1, used: [] });
    });

    it('returns copies', async () => {
      await store.saveRotation('slack:C1', { cycle: 1, used: ['a'] }, at(0));
      (await store.getRotation('slack:C1')).used.push('mutated');
      expect((await store.getRotation('slack:C1')).used).toEqual(['a']);
    });
  });

  describe('post log', () => {
    it('lets exactly one claim win, whoever asks', async () => {
      expect(await store.claimPost('slack:C1', '2026-03-02', 'a', at(0))).toBe(true);
      expect(await store.claimPost('slack:C1', '2026-03-02', 'b', at(0))).toBe(false);
      expect(await store.claimPost('slack:C1', '2026-03-02', 'a', at(1))).toBe(false);
      // Other days and other targets are independent.
      expect(await store.claimPost('slack:C1', '2026-03-03', 'b', at(0))).toBe(true);
      expect(await store.claimPost('slack:C2', '2026-03-02', 'b', at(0))).toBe(true);
      expect(await store.postState('slack:C1', '2026-03-02')).toMatchObject({ status: 'claimed', owner: 'a', attempts: 1, claimedAt: at(0) });
    });

    it('never reclaims a posted day', async () => {
      await store.claimPost('slack:C1', '2026-03-02', 'a', at(0));
      await store.markPosted('slack:C1', '2026-03-02', 'tip-1', at(1));
      expect(await store.postState('slack:C1', '2026-03-02')).toMatchObject({ status: 'posted', tipId: 'tip-1', postedAt: at(1) });
      expect(isSettled(await store.postState('slack:C1', '2026-03-02'))).toBe(true);
      expect(await store.claimPost('slack:C1', '2026-03-02', 'b', at(24 * 60))).toBe(false);
    });

    it('lets a stale claim (older than the lease, never finished) be taken over once', async () => {
      const lease = DEFAULT_CLAIM_LEASE_MS / 60_000;
      await store.claimPost('slack:C1', '2026-03-02', 'crashed', at(0));
      expect(await store.claimPost('slack:C1', '2026-03-02', 'b', at(lease - 1))).toBe(false);
      expect(await store.claimPost('slack:C1', '2026-03-02', 'b', at(lease))).toBe(true);
      expect(await store.claimPost('slack:C1', '2026-03-02', 'c', at(lease))).toBe(false);
      expect(await store.postState('slack:C1', '2026-03-02')).toMatchObject({ status: 'claimed', owner: 'b', attempts: 2, claimedAt: at(lease) });
    });

    it('makes a transient failure claimable again at retryAt, and counts attempts', async () => {
      await store.claimPost('slack:C1', '2026-03-02', 'a', at(0));
      await store.markFailed('slack:C1', '2026-03-02', 'rate limited', true, at(0), { retryAt: at(2) });
      expect(await store.postState('slack:C1', '2026-03-02')).toMatchObject({ status: 'failed', error: 'rate limited', retryable: true, retryAt: at(2), attempts: 1 });
      expect(isSettled(await store.postState('slack:C1', '2026-03-02'))).toBe(false);
      expect(await store.claimPost('slack:C1', '2026-03-02', 'a', at(1))).toBe(false);
      expect(await store.claimPost('slack:C1', '2026-03-02', 'b', at(2))).toBe(true);
      expect(await store.claimPost('slack:C1', '2026-03-02', 'a', at(2))).toBe(false);
      const state = (await store.postState('slack:C1', '2026-03-02'))!;
      expect(state).toMatchObject({ status: 'claimed', owner: 'b', attempts: 2, retryable: false });
      expect(state.retryAt).toBeUndefined();
    });

    it('makes a transient failure without retryAt claimable at once', async () => {
      await store.claimPost('slack:C1', '2026-03-02', 'a', at(0));
      await store.markFailed('slack:C1', '2026-03-02', 'socket hang up', true, at(0));
      expect(await store.claimPost('slack:C1', '2026-03-02', 'a', at(0))).toBe(true);
    });

    it('gives a day up for good on a non-transient failure', async () => {
      await store.claimPost('slack:C1', '2026-03-02', 'a', at(0));
      await store.markFailed('slack:C1', '2026-03-02', 'channel_not_found', false, at(0));
      expect(await store.postState('slack:C1', '2026-03-02')).toMatchObject({ status: 'failed', retryable: false, error: 'channel_not_found' });
      expect(isSettled(await store.postState('slack:C1', '2026-03-02'))).toBe(true);
      expect(await store.claimPost('slack:C1', '2026-03-02', 'b', at(24 * 60))).toBe(false);
    });

    it('does not let a late failure overwrite a success', async () => {
      await store.claimPost('slack:C1', '2026-03-02', 'a', at(0));
      await store.markPosted('slack:C1', '2026-03-02', 'tip-1', at(1));
      await store.markFailed('slack:C1', '2026-03-02', 'late', true, at(2));
      expect(await store.postState('slack:C1', '2026-03-02')).toMatchObject({ status: 'posted', tipId: 'tip-1' });
    });

    it('remembers when the day was first claimed, and the message id once posted', async () => {
      await store.claimPost('slack:C1', '2026-03-02', 'a', at(0));
      await store.markFailed('slack:C1', '2026-03-02', 'ratelimited', true, at(1), { retryAt: at(3) });
      await store.claimPost('slack:C1', '2026-03-02', 'b', at(3));
      await store.markPosted('slack:C1', '2026-03-02', 'tip-1', at(4), '1770000000.000100');
      expect(await store.postState('slack:C1', '2026-03-02')).toMatchObject({
        status: 'posted',
        claimedAt: at(3),
        firstClaimedAt: at(0),
        attempts: 2,
        messageId: '1770000000.000100',
        maybePosted: false,
      });
      // A day recorded without a claim starts its window then, and a post without an id keeps none.
      await store.markPosted('slack:C1', '2026-03-03', 'tip-2', at(5));
      const unclaimed = (await store.postState('slack:C1', '2026-03-03'))!;
      expect(unclaimed).toMatchObject({ firstClaimedAt: at(5), maybePosted: false });
      expect(unclaimed.messageId).toBeUndefined();
    });

    it('marks a day maybe-posted when an attempt failed ambiguously or its claimer died, and keeps it so', async () => {
      const lease = DEFAULT_CLAIM_LEASE_MS / 60_000;
      await store.claimPost('slack:C1', '2026-03-02', 'a', at(0));
      expect(await store.postState('slack:C1', '2026-03-02')).toMatchObject({ maybePosted: false });
      await store.markFailed('slack:C1', '2026-03-02', 'slack: network', true, at(1), { maybePosted: true });
      expect(await store.postState('slack:C1', '2026-03-02')).toMatchObject({ status: 'failed', maybePosted: true });
      // A later definite failure does not clear it, nor does a new claim.
      await store.claimPost('slack:C1', '2026-03-02', 'a', at(1));
      await store.markFailed('slack:C1', '2026-03-02', 'ratelimited', true, at(2));
      await store.claimPost('slack:C1', '2026-03-02', 'b', at(2));
      expect(await store.postState('slack:C1', '2026-03-02')).toMatchObject({ status: 'claimed', owner: 'b', maybePosted: true, firstClaimedAt: at(0) });

      // A claim taken over after the lease: its owner may have posted before it died.
      await store.claimPost('slack:C2', '2026-03-02', 'crashed', at(0));
      await store.claimPost('slack:C2', '2026-03-02', 'b', at(lease));
      expect(await store.postState('slack:C2', '2026-03-02')).toMatchObject({ owner: 'b', attempts: 2, maybePosted: true, firstClaimedAt: at(0) });

      // A retry after a definite failure is not a takeover.
      await store.claimPost('slack:C3', '2026-03-02', 'a', at(0));
      await store.markFailed('slack:C3', '2026-03-02', 'ratelimited', true, at(0));
      await store.claimPost('slack:C3', '2026-03-02', 'a', at(1));
      expect(await store.postState('slack:C3', '2026-03-02')).toMatchObject({ attempts: 2, maybePosted: false });
    });

    it('has no state for days nobody touched', async () => {
      expect(await store.postState('slack:C1', '2026-03-02')).toBeUndefined();
      expect(isSettled(undefined)).toBe(false);
    });

    it('lists the days of one target from a date on, oldest first', async () => {
      await store.claimPost('slack:C1', '2026-03-04', 'a', at(0));
      await store.markPosted('slack:C1', '2026-03-02', 'tip-1', at(0));
      await store.markFailed('slack:C1', '2026-03-03', 'gone', false, at(0));
      await store.claimPost('slack:C1', '2026-03-01', 'a', at(0));
      await store.claimPost('slack:C2', '2026-03-03', 'a', at(0));
      const days = await store.postStatesFrom('slack:C1', '2026-03-02');
      expect(days.map((d) => [d.localDate, d.status])).toEqual([
        ['2026-03-02', 'posted'],
        ['2026-03-03', 'failed'],
        ['2026-03-04', 'claimed'],
      ]);
      expect(await store.postStatesFrom('slack:C9', '2026-03-01')).toEqual([]);
    });
  });

  describe('shared keys', () => {
    const minute = 60_000;

    it('lets exactly one caller claim a key until it expires, then one more', async () => {
      expect(await store.claimKey('event:Ev1', 10 * minute, at(0))).toBe(true);
      expect(await store.claimKey('event:Ev1', 10 * minute, at(0))).toBe(false);
      expect(await store.claimKey('event:Ev1', 10 * minute, at(9))).toBe(false);
      expect(await store.claimKey('event:Ev2', 10 * minute, at(9))).toBe(true);
      expect(await store.claimKey('event:Ev1', 10 * minute, at(10))).toBe(true);
      expect(await store.claimKey('event:Ev1', 10 * minute, at(15))).toBe(false);
    });

    it('lets one of many concurrent claims of a key win', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, () => store.claimKey('share:M1', minute, at(0))));
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('keeps values until they expire, replacing on put', async () => {
      expect(await store.getValue('line:k1', at(0))).toBeUndefined();
      await store.putValue('line:k1', '/ask 그래비톤 비용', 5 * minute, at(0));
      expect(await store.getValue('line:k1', at(4))).toBe('/ask 그래비톤 비용');
      expect(await store.getValue('line:k1', at(5))).toBeUndefined();
      await store.putValue('line:k1', '/dr', 5 * minute, at(5));
      expect(await store.getValue('line:k1', at(6))).toBe('/dr');
    });

    it('purges expired keys only', async () => {
      await store.claimKey('a', minute, at(0));
      await store.claimKey('b', 3 * minute, at(0));
      await store.putValue('c', 'x', minute, at(0));
      expect(await store.purgeExpired(at(2))).toBe(2);
      expect(await store.purgeExpired(at(2))).toBe(0);
      expect(await store.claimKey('b', minute, at(2))).toBe(false);
      expect(await store.claimKey('a', minute, at(2))).toBe(true);
    });
  });

  describe('feedback', () => {
    const answered = { platform: 'slack' as const, command: 'ask', question: 'RPO가 뭐야', language: 'ko', citation: '재해복구 › RPO', source: 'topics/dr.md' };
    const voteBy = (voter: string, vote: 'good' | 'bad', answerId = 'answer-1') => ({ ...answered, answerId, voter, vote });

    it('keeps one vote per voter per answer: a second, different vote replaces the first, the same one changes nothing', async () => {
      expect(await store.recordVote(voteBy('voter-a', 'good'), at(0))).toBe('recorded');
      expect(await store.recordVote(voteBy('voter-a', 'good'), at(1))).toBe('unchanged');
      expect(await store.recordVote(voteBy('voter-a', 'bad'), at(2))).toBe('changed');
      expect(await store.recordVote(voteBy('voter-b', 'good'), at(3))).toBe('recorded');
      expect(await store.recordVote(voteBy('voter-a', 'good', 'answer-2'), at(4))).toBe('recorded');
      const records = await store.feedbackSince(at(0));
      expect(records).toEqual([
        { kind: 'vote', vote: 'bad', ...answered, at: at(2) },
        { kind: 'vote', vote: 'good', ...answered, at: at(3) },
        { kind: 'vote', vote: 'good', ...answered, at: at(4) },
      ]);
      // Who voted never leaves the store.
      expect(JSON.stringify(records)).not.toContain('voter-');
    });

    it('counts one of many concurrent identical votes as recorded', async () => {
      const outcomes = await Promise.all(Array.from({ length: 10 }, () => store.recordVote(voteBy('voter-a', 'bad'), at(0))));
      expect(outcomes.filter((o) => o === 'recorded')).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'unchanged')).toHaveLength(9);
      expect(await store.feedbackSince(at(0))).toHaveLength(1);
    });

    it('records unanswered questions without a citation, and reads votes and questions together, oldest first, from a time on', async () => {
      await store.recordUnanswered({ platform: 'discord', command: 'ask', question: '주차는 어디에', language: 'ko' }, at(5));
      await store.recordVote(voteBy('voter-a', 'bad'), at(1));
      await store.recordUnanswered({ platform: 'shell', command: 'dr', question: 'what about chaos engineering', language: 'en' }, at(3));
      expect((await store.feedbackSince(at(0))).map((r) => [r.kind, r.question, r.at])).toEqual([
        ['vote', 'RPO가 뭐야', at(1)],
        ['unanswered', 'what about chaos engineering', at(3)],
        ['unanswered', '주차는 어디에', at(5)],
      ]);
      expect(await store.feedbackSince(at(3))).toEqual([
        { kind: 'unanswered', platform: 'shell', command: 'dr', question: 'what about chaos engineering', language: 'en', at: at(3) },
        { kind: 'unanswered', platform: 'discord', command: 'ask', question: '주차는 어디에', language: 'ko', at: at(5) },
      ]);
    });

    it('purges votes (by their latest vote) and questions older than the retention cut-off', async () => {
      await store.recordVote(voteBy('voter-a', 'good'), at(0));
      await store.recordVote(voteBy('voter-a', 'bad'), at(10));
      await store.recordVote(voteBy('voter-b', 'good'), at(1));
      await store.recordUnanswered({ platform: 'slack', command: 'ask', question: 'old', language: 'en' }, at(2));
      await store.recordUnanswered({ platform: 'slack', command: 'ask', question: 'new', language: 'en' }, at(10));
      expect(await store.purgeFeedback(at(10))).toBe(2);
      expect(await store.purgeFeedback(at(10))).toBe(0);
      expect((await store.feedbackSince(at(0))).map((r) => `${r.kind}:${r.vote ?? r.question}`)).toEqual(['vote:bad', 'unanswered:new']);
    });
  });

  it('keeps the first value of a setting for every caller', async () => {
    const first = await Promise.all(['salt-1', 'salt-2', 'salt-3'].map((candidate) => store.settingOrInit('feedback_salt', candidate)));
    expect(new Set(first).size).toBe(1);
    expect(await store.settingOrInit('feedback_salt', 'salt-4')).toBe(first[0]);
    expect(await store.settingOrInit('other', 'x')).toBe('x');
  });

  it('reports itself writable until closed, and closes idempotently', async () => {
    expect(await store.isWritable()).toBe(true);
    await store.close();
    expect(await store.isWritable()).toBe(false);
    await store.close();
  });
});

describe('isClaimable', () => {
  const base = { target: 't', localDate: 'd', owner: 'o', claimedAt: at(0), firstClaimedAt: at(0), maybePosted: false, attempts: 1, retryable: false };
  it('matches the documented rules', async () => {
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
  it('honours a custom lease', async () => {
    const store = new MemoryStore({ leaseMs: 60_000 });
    await store.claimPost('slack:C1', 'd', 'a', at(0));
    expect(await store.claimPost('slack:C1', 'd', 'b', at(1))).toBe(true);
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
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
    temp.remove();
  });

  it('lives in <dataDir>/summit-bot.sqlite with WAL, a busy timeout and the current schema version', async () => {
    const store = open();
    expect(databasePath(temp.dir)).toBe(join(temp.dir, 'summit-bot.sqlite'));
    expect(existsSync(join(temp.dir, 'summit-bot.sqlite'))).toBe(true);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
  });

  it('creates a missing data directory', async () => {
    const store = new SqliteStore(join(temp.dir, 'nested', 'deeper', 'bot.sqlite'));
    opened.push(store);
    expect(await store.isWritable()).toBe(true);
  });

  it('keeps subscriptions, pauses, rotation and the post log across reopening', async () => {
    const first = open();
    await first.upsertSubscription({ ...sub('slack:C1'), weekdaysOnly: true }, at(0));
    await first.upsertSubscription(sub('discord:123', '21:30'), at(1));
    await first.pauseSubscription('discord:123', 'Missing Access', at(2));
    await first.saveRotation('slack:C1', { cycle: 3, used: ['x', 'y'] }, at(3));
    await first.claimPost('slack:C1', '2026-03-02', 'a', at(4));
    await first.markPosted('slack:C1', '2026-03-02', 'x', at(5));
    await first.close();

    const second = open();
    expect(await second.getSubscription('slack:C1')).toEqual({ target: 'slack:C1', time: '09:00', timeZone: 'Asia/Seoul', weekdaysOnly: true, since: at(0) });
    expect(await second.getSubscription('discord:123')).toMatchObject({ pausedReason: 'Missing Access', pausedAt: at(2) });
    expect((await second.listActiveSubscriptions()).map((s) => s.target)).toEqual(['slack:C1']);
    expect(await second.getRotation('slack:C1')).toEqual({ cycle: 3, used: ['x', 'y'] });
    expect(await second.postState('slack:C1', '2026-03-02')).toMatchObject({ status: 'posted', tipId: 'x' });
    expect(await second.claimPost('slack:C1', '2026-03-02', 'b', at(60 * 24))).toBe(false);
  });

  it('keeps votes, unanswered questions and settings across reopening', async () => {
    const first = open();
    const question = { platform: 'discord' as const, command: 'dr', question: 'pilot light', language: 'en', citation: 'DR › Pilot Light', source: 'dr.md' };
    await first.recordVote({ ...question, answerId: 'a1', voter: 'v1', vote: 'bad' }, at(0));
    await first.recordUnanswered({ platform: 'slack', command: 'ask', question: 'wifi password', language: 'en' }, at(1));
    const salt = await first.settingOrInit('feedback_salt', 'generated');
    await first.close();

    const second = open();
    expect(await second.recordVote({ ...question, answerId: 'a1', voter: 'v1', vote: 'good' }, at(2))).toBe('changed');
    expect((await second.feedbackSince(at(0))).map((r) => r.kind)).toEqual(['unanswered', 'vote']);
    expect(await second.settingOrInit('feedback_salt', 'another')).toBe(salt);
  });

  it('lets only one of two connections to the same file win a claim', async () => {
    const a = open();
    const b = open();
    await a.upsertSubscription(sub('slack:C1'), at(0));
    expect(await b.getSubscription('slack:C1')).toBeDefined();
    let wins = 0;
    for (let day = 1; day <= 20; day++) {
      const date = `2026-03-${String(day).padStart(2, '0')}`;
      const results = day % 2 ? [await a.claimPost('slack:C1', date, 'a', at(0)), await b.claimPost('slack:C1', date, 'b', at(0))] : [await b.claimPost('slack:C1', date, 'b', at(0)), await a.claimPost('slack:C1', date, 'a', at(0))];
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

  it('is not writable once closed', async () => {
    const store = open();
    await store.close();
    expect(await store.isWritable()).toBe(false);
  });

  describe('migrate', () => {
    it('applies the missing steps in order and records each in user_version', async () => {
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

    it('rolls a failing step back whole', async () => {
      const db = new Database(':memory:');
      try {
        expect(() => migrate(db, ['CREATE TABLE a (x INTEGER); CREATE TABLE oops ('])).toThrow();
        expect(db.pragma('user_version', { simple: true })).toBe(0);
        expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get()).toEqual({ n: 0 });
      } finally {
        db.close();
      }
    });

    it('carries post-log rows of the schema before exactly-once posting over: their window starts at their claim', async () => {
      const db = new Database(databasePath(temp.dir));
      migrate(db, MIGRATIONS.slice(0, 2));
      db.prepare(`INSERT INTO post_log (target, local_date, status, owner, claimed_at, attempts, updated_at) VALUES ('slack:C1', '2026-03-02', 'claimed', 'old', ?, 1, ?)`).run(
        at(0).getTime(),
        at(0).getTime(),
      );
      db.close();
      const store = open();
      expect(await store.postState('slack:C1', '2026-03-02')).toMatchObject({ status: 'claimed', firstClaimedAt: at(0), maybePosted: false });
    });

    it('refuses a database from a newer build', async () => {
      const file = databasePath(temp.dir);
      const db = new Database(file);
      db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
      db.close();
      expect(() => open()).toThrow(/newer than this build knows/);
    });
  });
});

describe('PostgresStore', () => {
  const opened: Store[] = [];
  const open = async (url: string, options = {}) => {
    const store = await openPostgresStore(url, options);
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });

  it('migrates once when several replicas open a fresh database together, and records the version', async () => {
    const url = await createTestDatabase(inject('postgresAdminUrl'));
    const stores = await Promise.all([open(url), open(url), open(url)]);
    const { rows } = await stores[0]!.pool.query<{ version: number }>('SELECT version FROM summit_bot_schema ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(PG_MIGRATIONS.map((_, i) => i + 1));
    await stores[1]!.upsertSubscription(sub('slack:C1'), at(0));
    expect(await stores[2]!.getSubscription('slack:C1')).toMatchObject({ target: 'slack:C1' });
  });

  it('carries post-log rows of the schema before exactly-once posting over: their window starts at their claim', async () => {
    const url = await createTestDatabase(inject('postgresAdminUrl'));
    const pool = new pg.Pool({ connectionString: url });
    try {
      await migratePostgres(pool, PG_MIGRATIONS.slice(0, 1));
      await pool.query(`INSERT INTO post_log (target, local_date, status, owner, claimed_at, attempts, updated_at) VALUES ('slack:C1', '2026-03-02', 'claimed', 'old', $1, 1, $1)`, [at(0)]);
    } finally {
      await pool.end();
    }
    const store = await open(url);
    expect(await store.postState('slack:C1', '2026-03-02')).toMatchObject({ status: 'claimed', firstClaimedAt: at(0), maybePosted: false });
  });

  it('refuses a database from a newer build', async () => {
    const url = await createTestDatabase(inject('postgresAdminUrl'));
    const store = await open(url);
    await store.pool.query('INSERT INTO summit_bot_schema (version) VALUES ($1)', [PG_MIGRATIONS.length + 1]);
    await expect(openPostgresStore(url)).rejects.toThrow(/newer than this build knows/);
  });

  it('lets exactly one of two replicas (two pools) win each racing claim', async () => {
    const url = await createTestDatabase(inject('postgresAdminUrl'));
    const [a, b] = [await open(url), await open(url)];
    const days = Array.from({ length: 100 }, (_, i) => `day-${String(i).padStart(3, '0')}`);
    const results = await Promise.all(days.flatMap((day) => [a.claimPost('slack:CRACE', day, 'a', at(0)), b.claimPost('slack:CRACE', day, 'b', at(0))]));
    const wins = days.map((_, i) => Number(results[2 * i]) + Number(results[2 * i + 1]));
    expect(wins.every((n) => n === 1)).toBe(true);
    const keys = await Promise.all(days.flatMap((day) => [a.claimKey(`event:${day}`, 60_000, at(0)), b.claimKey(`event:${day}`, 60_000, at(0))]));
    expect(keys.filter(Boolean)).toHaveLength(days.length);
  });

  it('fails with a clear message when the server cannot be reached', async () => {
    const url = new URL(inject('postgresAdminUrl'));
    url.port = String(await freePort());
    await expect(openPostgresStore(url.toString(), { startupTimeoutMs: 300 })).rejects.toThrow(/PostgreSQL store \(DATABASE_URL\) could not be opened: .*ECONNREFUSED|connect/);
  });
});
