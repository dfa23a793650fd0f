import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import type { PostRefusal, Target } from '../core/ports.ts';
import {
  DEFAULT_CLAIM_LEASE_MS,
  type FailureDetails,
  type FeedbackRecord,
  type PostRecord,
  type QuestionRecordInput,
  type RotationState,
  type Store,
  type StoreOptions,
  type SubscriptionInput,
  type SubscriptionRecord,
  type Vote,
  type VoteInput,
  type VoteOutcome,
} from '../core/store.ts';
import {
  feedbackSinceSql,
  MAX_ERROR_LENGTH,
  POST_COLUMNS,
  toFeedback,
  toPost,
  toRotation,
  toSubscription,
  type FeedbackRow,
  type PostRow,
  type SubscriptionRow,
} from './rows.ts';

export const DATABASE_FILE = 'summit-bot.sqlite';

/** `<dataDir>/summit-bot.sqlite`. */
export function databasePath(dataDir: string): string {
  return join(dataDir, DATABASE_FILE);
}

/**
 * Schema versions. Step `i` takes the database from `user_version = i` to `i + 1`, in one transaction.
 * Never edit a released step: append a new one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE subscriptions (
    target        TEXT PRIMARY KEY,
    time          TEXT NOT NULL,
    time_zone     TEXT NOT NULL,
    weekdays_only INTEGER NOT NULL,
    since         INTEGER NOT NULL,
    paused_reason TEXT,
    paused_at     INTEGER
  ) STRICT;

  CREATE TABLE tip_rotation (
    target     TEXT PRIMARY KEY,
    cycle      INTEGER NOT NULL,
    used       TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE post_log (
    target     TEXT NOT NULL,
    local_date TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('claimed', 'posted', 'failed')),
    owner      TEXT NOT NULL,
    claimed_at INTEGER NOT NULL,
    attempts   INTEGER NOT NULL,
    tip_id     TEXT,
    posted_at  INTEGER,
    error      TEXT,
    retryable  INTEGER NOT NULL DEFAULT 0,
    retry_at   INTEGER,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (target, local_date)
  ) STRICT;

  CREATE TABLE health (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    checked_at INTEGER NOT NULL
  ) STRICT;
  `,
  `
  CREATE TABLE shared_keys (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX shared_keys_expiry ON shared_keys (expires_at);
  `,
  // Exactly once on an unsure platform: when the day was first claimed (no copy of its post is older), whether
  // an attempt may have posted after all, and the id of the message once posted.
  `
  ALTER TABLE post_log ADD COLUMN first_claimed_at INTEGER;
  UPDATE post_log SET first_claimed_at = claimed_at;
  ALTER TABLE post_log ADD COLUMN maybe_posted INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE post_log ADD COLUMN message_id TEXT;
  `,
  // Feedback on answers: votes (one per voter per answer), questions the bot could not answer, settings (the salt).
  `
  CREATE TABLE feedback_votes (
    answer_id  TEXT NOT NULL,
    voter      TEXT NOT NULL,
    vote       TEXT NOT NULL CHECK (vote IN ('good', 'bad')),
    platform   TEXT NOT NULL,
    command    TEXT NOT NULL,
    question   TEXT NOT NULL,
    language   TEXT NOT NULL,
    citation   TEXT,
    source     TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (answer_id, voter)
  ) STRICT;
  CREATE INDEX feedback_votes_time ON feedback_votes (updated_at);

  CREATE TABLE unanswered_questions (
    id       INTEGER PRIMARY KEY,
    platform TEXT NOT NULL,
    command  TEXT NOT NULL,
    question TEXT NOT NULL,
    language TEXT NOT NULL,
    asked_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX unanswered_questions_time ON unanswered_questions (asked_at);

  CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
  ) STRICT;
  `,
  // The language a subscription's daily posts are written in (the subscriber's), and what a pause means for the channel.
  `
  ALTER TABLE subscriptions ADD COLUMN locale TEXT;
  ALTER TABLE subscriptions ADD COLUMN paused_refusal TEXT;
  `,
];

/** Applies the migrations `db` has not seen yet. Safe when several processes open the file at once. */
export function migrate(db: Database.Database, migrations: readonly string[] = MIGRATIONS): void {
  const version = () => db.pragma('user_version', { simple: true }) as number;
  if (version() > migrations.length) {
    throw new Error(
      `${db.name} has schema version ${version()}, newer than this build knows (${migrations.length}): run a newer summit-bot, or point DATA_DIR elsewhere`,
    );
  }
  for (let step = version(); step < migrations.length; step = version()) {
    db.transaction(() => {
      // Another process may have migrated while we waited for the write lock.
      const current = version();
      if (current !== step) return;
      db.exec(migrations[step]!);
      db.pragma(`user_version = ${step + 1}`);
    }).immediate();
  }
}

function prepareStatements(db: Database.Database) {
  return {
    upsertSubscription: db.prepare<[string, string, string, number, number, string | null]>(
      `INSERT INTO subscriptions (target, time, time_zone, weekdays_only, since, locale, paused_reason, paused_at)
       VALUES (?, ?, ?, ?, ?, ?, NULL, NULL)
       ON CONFLICT (target) DO UPDATE SET time = excluded.time, time_zone = excluded.time_zone,
         weekdays_only = excluded.weekdays_only, since = excluded.since, locale = excluded.locale, paused_reason = NULL, paused_refusal = NULL, paused_at = NULL`,
    ),
    getSubscription: db.prepare<[string], SubscriptionRow>(`SELECT * FROM subscriptions WHERE target = ?`),
    deleteSubscription: db.prepare<[string]>(`DELETE FROM subscriptions WHERE target = ?`),
    listActive: db.prepare<[], SubscriptionRow>(`SELECT * FROM subscriptions WHERE paused_reason IS NULL ORDER BY target`),
    listAll: db.prepare<[], SubscriptionRow>(`SELECT * FROM subscriptions ORDER BY target`),
    pause: db.prepare<[string, string | null, number, string]>(`UPDATE subscriptions SET paused_reason = ?, paused_refusal = ?, paused_at = ? WHERE target = ?`),
    getRotation: db.prepare<[string], { cycle: number; used: string }>(`SELECT cycle, used FROM tip_rotation WHERE target = ?`),
    saveRotation: db.prepare<[string, number, string, number]>(
      `INSERT INTO tip_rotation (target, cycle, used, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (target) DO UPDATE SET cycle = excluded.cycle, used = excluded.used, updated_at = excluded.updated_at`,
    ),
    insertClaim: db.prepare<{ target: string; date: string; owner: string; now: number }>(
      `INSERT INTO post_log (target, local_date, status, owner, claimed_at, first_claimed_at, attempts, updated_at)
       VALUES (:target, :date, 'claimed', :owner, :now, :now, 1, :now)
       ON CONFLICT (target, local_date) DO NOTHING`,
    ),
    // The SQL twin of `isClaimable` in core/store.ts. A stale claim's owner died mid-attempt: it may have posted.
    reclaim: db.prepare<{ target: string; date: string; owner: string; now: number; staleBefore: number }>(
      `UPDATE post_log
          SET status = 'claimed', owner = :owner, claimed_at = :now, attempts = attempts + 1,
              maybe_posted = CASE WHEN status = 'claimed' THEN 1 ELSE maybe_posted END,
              retryable = 0, retry_at = NULL, updated_at = :now
        WHERE target = :target AND local_date = :date
          AND ((status = 'claimed' AND claimed_at <= :staleBefore)
            OR (status = 'failed' AND retryable = 1 AND (retry_at IS NULL OR retry_at <= :now)))`,
    ),
    markPosted: db.prepare<{ target: string; date: string; tipId: string; messageId: string | null; now: number }>(
      `INSERT INTO post_log (target, local_date, status, owner, claimed_at, first_claimed_at, attempts, tip_id, posted_at, message_id, updated_at)
       VALUES (:target, :date, 'posted', '', :now, :now, 1, :tipId, :now, :messageId, :now)
       ON CONFLICT (target, local_date) DO UPDATE SET status = 'posted', tip_id = :tipId, posted_at = :now, message_id = :messageId,
         retryable = 0, retry_at = NULL, updated_at = :now`,
    ),
    markFailed: db.prepare<{ target: string; date: string; error: string; retryable: number; retryAt: number | null; maybePosted: number; now: number }>(
      `INSERT INTO post_log (target, local_date, status, owner, claimed_at, first_claimed_at, maybe_posted, attempts, error, retryable, retry_at, updated_at)
       VALUES (:target, :date, 'failed', '', :now, :now, :maybePosted, 1, :error, :retryable, :retryAt, :now)
       ON CONFLICT (target, local_date) DO UPDATE SET status = 'failed', error = :error, retryable = :retryable,
         retry_at = :retryAt, maybe_posted = max(post_log.maybe_posted, :maybePosted), updated_at = :now
       WHERE post_log.status <> 'posted'`,
    ),
    postState: db.prepare<[string, string], PostRow>(`SELECT ${POST_COLUMNS} FROM post_log WHERE target = ? AND local_date = ?`),
    postStatesFrom: db.prepare<[string, string], PostRow>(`SELECT ${POST_COLUMNS} FROM post_log WHERE target = ? AND local_date >= ? ORDER BY local_date`),
    claimKey: db.prepare<{ key: string; now: number; expiresAt: number }>(
      `INSERT INTO shared_keys (key, value, expires_at) VALUES (:key, '', :expiresAt)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
       WHERE shared_keys.expires_at <= :now`,
    ),
    putValue: db.prepare<[string, string, number]>(
      `INSERT INTO shared_keys (key, value, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
    ),
    getValue: db.prepare<[string, number], { value: string }>(`SELECT value FROM shared_keys WHERE key = ? AND expires_at > ?`),
    purgeExpired: db.prepare<[number]>(`DELETE FROM shared_keys WHERE expires_at <= ?`),
    currentVote: db.prepare<[string, string], { vote: Vote }>(`SELECT vote FROM feedback_votes WHERE answer_id = ? AND voter = ?`),
    insertVote: db.prepare<{ answerId: string; voter: string; vote: Vote; platform: string; command: string; question: string; language: string; citation: string | null; source: string | null; now: number }>(
      `INSERT INTO feedback_votes (answer_id, voter, vote, platform, command, question, language, citation, source, created_at, updated_at)
       VALUES (:answerId, :voter, :vote, :platform, :command, :question, :language, :citation, :source, :now, :now)`,
    ),
    changeVote: db.prepare<{ answerId: string; voter: string; vote: Vote; now: number }>(
      `UPDATE feedback_votes SET vote = :vote, updated_at = :now WHERE answer_id = :answerId AND voter = :voter`,
    ),
    insertUnanswered: db.prepare<[string, string, string, string, number]>(
      `INSERT INTO unanswered_questions (platform, command, question, language, asked_at) VALUES (?, ?, ?, ?, ?)`,
    ),
    feedbackSince: db.prepare<{ since: number }, FeedbackRow>(feedbackSinceSql(':since')),
    purgeVotes: db.prepare<[number]>(`DELETE FROM feedback_votes WHERE updated_at < ?`),
    purgeUnanswered: db.prepare<[number]>(`DELETE FROM unanswered_questions WHERE asked_at < ?`),
    initSetting: db.prepare<[string, string]>(`INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`),
    getSetting: db.prepare<[string], { value: string }>(`SELECT value FROM settings WHERE name = ?`),
    health: db.prepare<[number]>(
      `INSERT INTO health (id, checked_at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at`,
    ),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

/**
 * The store in one SQLite file. Several processes may share the file: WAL lets readers and the one
 * writer proceed together, `busy_timeout` makes a writer wait for the lock instead of failing, and every
 * claim is a single write transaction taken with BEGIN IMMEDIATE, so two processes never both win.
 */
export class SqliteStore implements Store {
  readonly db: Database.Database;
  private readonly leaseMs: number;
  private readonly sql: Statements;

  /** `path`: a file (created with its folder) or `:memory:`. */
  constructor(path: string, options: StoreOptions & { busyTimeoutMs?: number } = {}) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.leaseMs = options.leaseMs ?? DEFAULT_CLAIM_LEASE_MS;
    const busyTimeoutMs = options.busyTimeoutMs ?? 5_000;
    this.db = new Database(path, { timeout: busyTimeoutMs });
    try {
      this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
      if (path !== ':memory:') this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      migrate(this.db);
    } catch (error) {
      this.db.close();
      throw error;
    }
    this.sql = prepareStatements(this.db);
  }

  async upsertSubscription(input: SubscriptionInput, now: Date): Promise<SubscriptionRecord> {
    this.sql.upsertSubscription.run(input.target, input.time, input.timeZone, input.weekdaysOnly ? 1 : 0, now.getTime(), input.locale ?? null);
    return { ...input, since: new Date(now) };
  }

  async getSubscription(target: Target): Promise<SubscriptionRecord | undefined> {
    const row = this.sql.getSubscription.get(target);
    return row && toSubscription(row);
  }

  async deleteSubscription(target: Target): Promise<boolean> {
    return this.sql.deleteSubscription.run(target).changes > 0;
  }

  async listActiveSubscriptions(): Promise<SubscriptionRecord[]> {
    return this.sql.listActive.all().map(toSubscription);
  }

  async listSubscriptions(): Promise<SubscriptionRecord[]> {
    return this.sql.listAll.all().map(toSubscription);
  }

  async pauseSubscription(target: Target, reason: string, now: Date, refusal?: PostRefusal): Promise<boolean> {
    return this.sql.pause.run(reason, refusal ? JSON.stringify(refusal) : null, now.getTime(), target).changes > 0;
  }

  async getRotation(target: Target): Promise<RotationState> {
    const row = this.sql.getRotation.get(target);
    if (!row) return { cycle: 1, used: [] };
    let used: unknown;
    try {
      used = JSON.parse(row.used);
    } catch {
      used = [];
    }
    return toRotation(row.cycle, used);
  }

  async saveRotation(target: Target, state: RotationState, now: Date): Promise<void> {
    this.sql.saveRotation.run(target, state.cycle, JSON.stringify(state.used), now.getTime());
  }

  async claimPost(target: Target, localDate: string, owner: string, now: Date): Promise<boolean> {
    const at = now.getTime();
    // BEGIN IMMEDIATE takes the write lock first, so the insert-or-reclaim below is one atomic decision
    // for every connection to the file. Each statement would be atomic alone; the transaction makes the pair so.
    return this.db
      .transaction(() => {
        if (this.sql.insertClaim.run({ target, date: localDate, owner, now: at }).changes === 1) return true;
        return this.sql.reclaim.run({ target, date: localDate, owner, now: at, staleBefore: at - this.leaseMs }).changes === 1;
      })
      .immediate();
  }

  async markPosted(target: Target, localDate: string, tipId: string, now: Date, messageId?: string): Promise<void> {
    this.sql.markPosted.run({ target, date: localDate, tipId, messageId: messageId ?? null, now: now.getTime() });
  }

  async markFailed(target: Target, localDate: string, error: string, transient: boolean, now: Date, details: FailureDetails = {}): Promise<void> {
    this.sql.markFailed.run({
      target,
      date: localDate,
      error: error.slice(0, MAX_ERROR_LENGTH),
      retryable: transient ? 1 : 0,
      retryAt: transient && details.retryAt ? details.retryAt.getTime() : null,
      maybePosted: details.maybePosted ? 1 : 0,
      now: now.getTime(),
    });
  }

  async postState(target: Target, localDate: string): Promise<PostRecord | undefined> {
    const row = this.sql.postState.get(target, localDate);
    return row && toPost(row);
  }

  async postStatesFrom(target: Target, fromDate: string): Promise<PostRecord[]> {
    return this.sql.postStatesFrom.all(target, fromDate).map(toPost);
  }

  async claimKey(key: string, ttlMs: number, now: Date): Promise<boolean> {
    return this.sql.claimKey.run({ key, now: now.getTime(), expiresAt: now.getTime() + ttlMs }).changes === 1;
  }

  async putValue(key: string, value: string, ttlMs: number, now: Date): Promise<void> {
    this.sql.putValue.run(key, value, now.getTime() + ttlMs);
  }

  async getValue(key: string, now: Date): Promise<string | undefined> {
    return this.sql.getValue.get(key, now.getTime())?.value;
  }

  async purgeExpired(now: Date): Promise<number> {
    return this.sql.purgeExpired.run(now.getTime()).changes;
  }

  async recordVote(input: VoteInput, now: Date): Promise<VoteOutcome> {
    // One write transaction, so two clicks racing from two processes cannot both insert.
    return this.db
      .transaction((): VoteOutcome => {
        const current = this.sql.currentVote.get(input.answerId, input.voter)?.vote;
        if (current === input.vote) return 'unchanged';
        if (current !== undefined) {
          this.sql.changeVote.run({ answerId: input.answerId, voter: input.voter, vote: input.vote, now: now.getTime() });
          return 'changed';
        }
        this.sql.insertVote.run({
          answerId: input.answerId,
          voter: input.voter,
          vote: input.vote,
          platform: input.platform,
          command: input.command,
          question: input.question,
          language: input.language,
          citation: input.citation ?? null,
          source: input.source ?? null,
          now: now.getTime(),
        });
        return 'recorded';
      })
      .immediate();
  }

  async recordUnanswered(input: QuestionRecordInput, now: Date): Promise<void> {
    this.sql.insertUnanswered.run(input.platform, input.command, input.question, input.language, now.getTime());
  }

  async feedbackSince(since: Date): Promise<FeedbackRecord[]> {
    return this.sql.feedbackSince.all({ since: since.getTime() }).map(toFeedback);
  }

  async purgeFeedback(before: Date): Promise<number> {
    return this.db.transaction(() => this.sql.purgeVotes.run(before.getTime()).changes + this.sql.purgeUnanswered.run(before.getTime()).changes)();
  }

  async settingOrInit(name: string, initial: string): Promise<string> {
    this.sql.initSetting.run(name, initial);
    return this.sql.getSetting.get(name)!.value;
  }

  async isWritable(): Promise<boolean> {
    if (!this.db.open) return false;
    try {
      this.sql.health.run(Date.now());
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** Opens (creating and migrating as needed) `<dataDir>/summit-bot.sqlite`. */
export function openSqliteStore(dataDir: string, options: StoreOptions = {}): SqliteStore {
  return new SqliteStore(databasePath(dataDir), options);
}
