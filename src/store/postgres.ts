/**
 * The store on a PostgreSQL server (`DATABASE_URL`), for several replicas on several hosts.
 *
 * - node-postgres (`pg`) with a pool: a connection that breaks (the server restarted, a network cut) is
 *   dropped from the pool and a new one is opened by the next query.
 * - A query that fails because the connection failed is retried with backoff for up to `retryWindowMs`,
 *   so a database restart delays commands instead of failing them. Such a failure is ambiguous (the
 *   statement may have committed before the connection dropped), so the two claims look before they
 *   retry: a claim this very call already won is recognised by its owner and time (posts) or its token (keys).
 * - Every claim is one `INSERT … ON CONFLICT DO UPDATE … WHERE` statement: PostgreSQL locks the
 *   conflicting row and evaluates the condition on its latest version, so of any number of replicas
 *   racing for a day or a key exactly one gets a row back.
 * - Versioned migrations run under an advisory lock, so replicas starting together migrate once.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
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

/**
 * Schema versions. Step `i` takes the database from version `i` to `i + 1` (recorded in
 * `summit_bot_schema`). Never edit a released step: append a new one.
 */
export const PG_MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE subscriptions (
    target        text PRIMARY KEY,
    time          text NOT NULL,
    time_zone     text NOT NULL,
    weekdays_only boolean NOT NULL,
    since         timestamptz NOT NULL,
    paused_reason text,
    paused_at     timestamptz
  );

  CREATE TABLE tip_rotation (
    target     text PRIMARY KEY,
    cycle      integer NOT NULL,
    used       jsonb NOT NULL,
    updated_at timestamptz NOT NULL
  );

  CREATE TABLE post_log (
    target     text NOT NULL,
    local_date text NOT NULL,
    status     text NOT NULL CHECK (status IN ('claimed', 'posted', 'failed')),
    owner      text NOT NULL,
    claimed_at timestamptz NOT NULL,
    attempts   integer NOT NULL,
    tip_id     text,
    posted_at  timestamptz,
    error      text,
    retryable  boolean NOT NULL DEFAULT false,
    retry_at   timestamptz,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (target, local_date)
  );

  CREATE TABLE shared_keys (
    key        text PRIMARY KEY,
    value      text NOT NULL,
    expires_at timestamptz NOT NULL
  );
  CREATE INDEX shared_keys_expiry ON shared_keys (expires_at);

  CREATE TABLE health (
    id         integer PRIMARY KEY CHECK (id = 1),
    checked_at timestamptz NOT NULL
  );
  `,
  // Exactly once on an unsure platform: when the day was first claimed (no copy of its post is older), whether
  // an attempt may have posted after all, and the id of the message once posted.
  `
  ALTER TABLE post_log ADD COLUMN first_claimed_at timestamptz;
  UPDATE post_log SET first_claimed_at = claimed_at;
  ALTER TABLE post_log ADD COLUMN maybe_posted boolean NOT NULL DEFAULT false;
  ALTER TABLE post_log ADD COLUMN message_id text;
  `,
  // Feedback on answers: votes (one per voter per answer), questions the bot could not answer, settings (the salt).
  `
  CREATE TABLE feedback_votes (
    answer_id  text NOT NULL,
    voter      text NOT NULL,
    vote       text NOT NULL CHECK (vote IN ('good', 'bad')),
    platform   text NOT NULL,
    command    text NOT NULL,
    question   text NOT NULL,
    language   text NOT NULL,
    citation   text,
    source     text,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (answer_id, voter)
  );
  CREATE INDEX feedback_votes_time ON feedback_votes (updated_at);

  CREATE TABLE unanswered_questions (
    id       bigserial PRIMARY KEY,
    platform text NOT NULL,
    command  text NOT NULL,
    question text NOT NULL,
    language text NOT NULL,
    asked_at timestamptz NOT NULL
  );
  CREATE INDEX unanswered_questions_time ON unanswered_questions (asked_at);

  CREATE TABLE settings (
    name  text PRIMARY KEY,
    value text NOT NULL
  );
  `,
  // The language a subscription's daily posts are written in (the subscriber's), and what a pause means for the channel.
  `
  ALTER TABLE subscriptions ADD COLUMN locale text;
  ALTER TABLE subscriptions ADD COLUMN paused_refusal text;
  `,
];

/** Any fixed number: replicas that start together take this advisory lock to migrate one at a time. */
const MIGRATION_LOCK = 0x5a4d4954;

/** The subset of a pino logger the store uses. */
export interface StoreLogger {
  warn(obj: object, msg?: string): void;
}

export interface PostgresStoreOptions extends StoreOptions {
  /** How long a query keeps being retried while the database cannot be reached. Default 15 s. */
  retryWindowMs?: number;
  /** Connections in the pool. Default 10. */
  maxConnections?: number;
  /** Told about connections that broke while idle and about retried queries. */
  logger?: StoreLogger;
}

/** SQLSTATE classes and socket errors that mean "the connection failed", not "the statement is wrong". */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', '57P01', '57P02', '57P03', '53300']);

/** Whether `error` is a lost or refused connection, after which the same query may succeed. */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (CONNECTION_CODES.has(code) || code.startsWith('08'))) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|connection is closed/i.test(error.message);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs the migrations `pool`'s database has not seen yet, in one transaction under an advisory lock. */
export async function migratePostgres(pool: pg.Pool, migrations: readonly string[] = PG_MIGRATIONS): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await client.query('CREATE TABLE IF NOT EXISTS summit_bot_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())');
    const { rows } = await client.query<{ version: number }>('SELECT coalesce(max(version), 0)::integer AS version FROM summit_bot_schema');
    const version = rows[0]?.version ?? 0;
    if (version > migrations.length) {
      throw new Error(`the database has schema version ${version}, newer than this build knows (${migrations.length}): run a newer summit-bot, or point DATABASE_URL elsewhere`);
    }
    for (let step = version; step < migrations.length; step++) {
      await client.query(migrations[step]!);
      await client.query('INSERT INTO summit_bot_schema (version) VALUES ($1)', [step + 1]);
    }
    await client.query('COMMIT');
    return migrations.length;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

export class PostgresStore implements Store {
  readonly pool: pg.Pool;
  private readonly leaseMs: number;
  private readonly retryWindowMs: number;
  private readonly logger: StoreLogger | undefined;
  private closing: Promise<void> | undefined;

  /** Use `openPostgresStore`, which also migrates. */
  constructor(connectionString: string, options: PostgresStoreOptions = {}) {
    this.leaseMs = options.leaseMs ?? DEFAULT_CLAIM_LEASE_MS;
    this.retryWindowMs = options.retryWindowMs ?? 15_000;
    this.logger = options.logger;
    this.pool = new pg.Pool({
      connectionString,
      max: options.maxConnections ?? 10,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      application_name: 'summit-bot',
    });
    // An idle connection that the server closed (a restart) must not crash the process; the pool drops it.
    this.pool.on('error', (error) => this.logger?.warn({ err: { message: error.message, code: (error as { code?: string }).code } }, 'postgres: an idle connection broke; it will be replaced'));
  }

  /**
   * Runs `work`, again after a connection failure until `retryWindowMs` has passed. `work` learns
   * whether an earlier try failed ambiguously, so a claim can look for its own success first.
   */
  private async withRetry<T>(what: string, work: (retrying: boolean) => Promise<T>): Promise<T> {
    const deadline = Date.now() + this.retryWindowMs;
    let delay = 50;
    for (let attempt = 0; ; attempt++) {
      try {
        return await work(attempt > 0);
      } catch (error) {
        if (this.closing || !isConnectionError(error) || Date.now() + delay > deadline) throw error;
        if (attempt === 0) this.logger?.warn({ what, err: { message: (error as Error).message } }, 'postgres: connection failed; retrying');
        await sleep(delay);
        delay = Math.min(delay * 2, 1_000);
      }
    }
  }

  private async query<R extends pg.QueryResultRow>(what: string, text: string, values: unknown[]): Promise<pg.QueryResult<R>> {
    return this.withRetry(what, () => this.pool.query<R>(text, values));
  }

  async upsertSubscription(input: SubscriptionInput, now: Date): Promise<SubscriptionRecord> {
    await this.query(
      'upsertSubscription',
      `INSERT INTO subscriptions (target, time, time_zone, weekdays_only, since, locale, paused_reason, paused_at)
       VALUES ($1, $2, $3, $4, $5, $6, NULL, NULL)
       ON CONFLICT (target) DO UPDATE SET time = excluded.time, time_zone = excluded.time_zone,
         weekdays_only = excluded.weekdays_only, since = excluded.since, locale = excluded.locale, paused_reason = NULL, paused_refusal = NULL, paused_at = NULL`,
      [input.target, input.time, input.timeZone, input.weekdaysOnly, now, input.locale ?? null],
    );
    return { ...input, since: new Date(now) };
  }

  async getSubscription(target: Target): Promise<SubscriptionRecord | undefined> {
    const { rows } = await this.query<SubscriptionRow>('getSubscription', 'SELECT * FROM subscriptions WHERE target = $1', [target]);
    return rows[0] && toSubscription(rows[0]);
  }

  async deleteSubscription(target: Target): Promise<boolean> {
    const { rowCount } = await this.query('deleteSubscription', 'DELETE FROM subscriptions WHERE target = $1', [target]);
    return (rowCount ?? 0) > 0;
  }

  async listActiveSubscriptions(): Promise<SubscriptionRecord[]> {
    const { rows } = await this.query<SubscriptionRow>('listActiveSubscriptions', 'SELECT * FROM subscriptions WHERE paused_reason IS NULL ORDER BY target COLLATE "C"', []);
    return rows.map(toSubscription);
  }

  async listSubscriptions(): Promise<SubscriptionRecord[]> {
    const { rows } = await this.query<SubscriptionRow>('listSubscriptions', 'SELECT * FROM subscriptions ORDER BY target COLLATE "C"', []);
    return rows.map(toSubscription);
  }

  async pauseSubscription(target: Target, reason: string, now: Date, refusal?: PostRefusal): Promise<boolean> {
    const { rowCount } = await this.query('pauseSubscription', 'UPDATE subscriptions SET paused_reason = $1, paused_refusal = $2, paused_at = $3 WHERE target = $4', [
      reason,
      refusal ? JSON.stringify(refusal) : null,
      now,
      target,
    ]);
    return (rowCount ?? 0) > 0;
  }

  async getRotation(target: Target): Promise<RotationState> {
    const { rows } = await this.query<{ cycle: number; used: unknown }>('getRotation', 'SELECT cycle, used FROM tip_rotation WHERE target = $1', [target]);
    return rows[0] ? toRotation(rows[0].cycle, rows[0].used) : { cycle: 1, used: [] };
  }

  async saveRotation(target: Target, state: RotationState, now: Date): Promise<void> {
    await this.query(
      'saveRotation',
      `INSERT INTO tip_rotation (target, cycle, used, updated_at) VALUES ($1, $2, $3::jsonb, $4)
       ON CONFLICT (target) DO UPDATE SET cycle = excluded.cycle, used = excluded.used, updated_at = excluded.updated_at`,
      [target, state.cycle, JSON.stringify(state.used), now],
    );
  }

  async claimPost(target: Target, localDate: string, owner: string, now: Date): Promise<boolean> {
    return this.withRetry('claimPost', async (retrying) => {
      if (retrying) {
        const state = await this.postState(target, localDate);
        if (state?.status === 'claimed' && state.owner === owner && state.claimedAt.getTime() === now.getTime()) return true;
      }
      // The SQL twin of `isClaimable` in core/store.ts. A stale claim's owner died mid-attempt: it may have posted.
      const { rowCount } = await this.pool.query(
        `INSERT INTO post_log (target, local_date, status, owner, claimed_at, first_claimed_at, attempts, updated_at)
         VALUES ($1, $2, 'claimed', $3, $4, $4, 1, $4)
         ON CONFLICT (target, local_date) DO UPDATE
            SET status = 'claimed', owner = excluded.owner, claimed_at = excluded.claimed_at, attempts = post_log.attempts + 1,
                maybe_posted = post_log.maybe_posted OR post_log.status = 'claimed',
                retryable = false, retry_at = NULL, updated_at = excluded.updated_at
          WHERE (post_log.status = 'claimed' AND post_log.claimed_at <= $5)
             OR (post_log.status = 'failed' AND post_log.retryable AND (post_log.retry_at IS NULL OR post_log.retry_at <= $4))`,
        [target, localDate, owner, now, new Date(now.getTime() - this.leaseMs)],
      );
      return rowCount === 1;
    });
  }

  async markPosted(target: Target, localDate: string, tipId: string, now: Date, messageId?: string): Promise<void> {
    await this.query(
      'markPosted',
      `INSERT INTO post_log (target, local_date, status, owner, claimed_at, first_claimed_at, attempts, tip_id, posted_at, message_id, updated_at)
       VALUES ($1, $2, 'posted', '', $4, $4, 1, $3, $4, $5, $4)
       ON CONFLICT (target, local_date) DO UPDATE SET status = 'posted', tip_id = excluded.tip_id, posted_at = excluded.posted_at,
         message_id = excluded.message_id, retryable = false, retry_at = NULL, updated_at = excluded.updated_at`,
      [target, localDate, tipId, now, messageId ?? null],
    );
  }

  async markFailed(target: Target, localDate: string, error: string, transient: boolean, now: Date, details: FailureDetails = {}): Promise<void> {
    await this.query(
      'markFailed',
      `INSERT INTO post_log (target, local_date, status, owner, claimed_at, first_claimed_at, maybe_posted, attempts, error, retryable, retry_at, updated_at)
       VALUES ($1, $2, 'failed', '', $6, $6, $7, 1, $3, $4, $5, $6)
       ON CONFLICT (target, local_date) DO UPDATE SET status = 'failed', error = excluded.error, retryable = excluded.retryable,
         retry_at = excluded.retry_at, maybe_posted = post_log.maybe_posted OR excluded.maybe_posted, updated_at = excluded.updated_at
       WHERE post_log.status <> 'posted'`,
      [target, localDate, error.slice(0, MAX_ERROR_LENGTH), transient, transient && details.retryAt ? details.retryAt : null, now, details.maybePosted === true],
    );
  }

  async postState(target: Target, localDate: string): Promise<PostRecord | undefined> {
    const { rows } = await this.query<PostRow>('postState', `SELECT ${POST_COLUMNS} FROM post_log WHERE target = $1 AND local_date = $2`, [target, localDate]);
    return rows[0] && toPost(rows[0]);
  }

  async postStatesFrom(target: Target, fromDate: string): Promise<PostRecord[]> {
    const { rows } = await this.query<PostRow>(
      'postStatesFrom',
      `SELECT ${POST_COLUMNS} FROM post_log WHERE target = $1 AND local_date >= $2 ORDER BY local_date COLLATE "C"`,
      [target, fromDate],
    );
    return rows.map(toPost);
  }

  async claimKey(key: string, ttlMs: number, now: Date): Promise<boolean> {
    // The token tells this call's own earlier success from another caller's after an ambiguous failure.
    const token = randomUUID();
    return this.withRetry('claimKey', async (retrying) => {
      if (retrying && (await this.getValue(key, now)) === token) return true;
      const { rowCount } = await this.pool.query(
        `INSERT INTO shared_keys (key, value, expires_at) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
         WHERE shared_keys.expires_at <= $4`,
        [key, token, new Date(now.getTime() + ttlMs), now],
      );
      return rowCount === 1;
    });
  }

  async putValue(key: string, value: string, ttlMs: number, now: Date): Promise<void> {
    await this.query(
      'putValue',
      `INSERT INTO shared_keys (key, value, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
      [key, value, new Date(now.getTime() + ttlMs)],
    );
  }

  async getValue(key: string, now: Date): Promise<string | undefined> {
    const { rows } = await this.query<{ value: string }>('getValue', 'SELECT value FROM shared_keys WHERE key = $1 AND expires_at > $2', [key, now]);
    return rows[0]?.value;
  }

  async purgeExpired(now: Date): Promise<number> {
    const { rowCount } = await this.query('purgeExpired', 'DELETE FROM shared_keys WHERE expires_at <= $1', [now]);
    return rowCount ?? 0;
  }

  async recordVote(input: VoteInput, now: Date): Promise<VoteOutcome> {
    // One statement decides: a row comes back when it was inserted (xmax = 0) or changed, none when the vote is the same.
    // After an ambiguous failure the retry sees its own earlier write as "unchanged"; the vote itself is right either way.
    const { rows } = await this.query<{ inserted: boolean }>(
      'recordVote',
      `INSERT INTO feedback_votes (answer_id, voter, vote, platform, command, question, language, citation, source, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
       ON CONFLICT (answer_id, voter) DO UPDATE SET vote = excluded.vote, updated_at = excluded.updated_at
       WHERE feedback_votes.vote <> excluded.vote
       RETURNING (xmax = 0) AS inserted`,
      [input.answerId, input.voter, input.vote, input.platform, input.command, input.question, input.language, input.citation ?? null, input.source ?? null, now],
    );
    const row = rows[0];
    return row === undefined ? 'unchanged' : row.inserted ? 'recorded' : 'changed';
  }

  async recordUnanswered(input: QuestionRecordInput, now: Date): Promise<void> {
    await this.query(
      'recordUnanswered',
      'INSERT INTO unanswered_questions (platform, command, question, language, asked_at) VALUES ($1, $2, $3, $4, $5)',
      [input.platform, input.command, input.question, input.language, now],
    );
  }

  async feedbackSince(since: Date): Promise<FeedbackRecord[]> {
    const { rows } = await this.query<FeedbackRow>('feedbackSince', feedbackSinceSql('$1'), [since]);
    return rows.map(toFeedback);
  }

  async purgeFeedback(before: Date): Promise<number> {
    const { rows } = await this.query<{ purged: number }>(
      'purgeFeedback',
      `WITH votes AS (DELETE FROM feedback_votes WHERE updated_at < $1 RETURNING 1),
            questions AS (DELETE FROM unanswered_questions WHERE asked_at < $1 RETURNING 1)
       SELECT ((SELECT count(*) FROM votes) + (SELECT count(*) FROM questions))::integer AS purged`,
      [before],
    );
    return rows[0]?.purged ?? 0;
  }

  async settingOrInit(name: string, initial: string): Promise<string> {
    await this.query('settingOrInit', 'INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [name, initial]);
    const { rows } = await this.query<{ value: string }>('settingOrInit', 'SELECT value FROM settings WHERE name = $1', [name]);
    return rows[0]!.value;
  }

  async isWritable(): Promise<boolean> {
    if (this.closing) return false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), 3_000);
    });
    const write = this.pool
      .query(`INSERT INTO health (id, checked_at) VALUES (1, now()) ON CONFLICT (id) DO UPDATE SET checked_at = excluded.checked_at`)
      .then(
        () => true,
        () => false,
      );
    try {
      return await Promise.race([write, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  close(): Promise<void> {
    this.closing ??= this.pool.end().catch(() => undefined);
    return this.closing;
  }
}

/**
 * Connects to `connectionString` and migrates, waiting up to `startupTimeoutMs` (default 30 s) for a
 * database that is still starting (as in a compose file that starts everything at once).
 */
export async function openPostgresStore(connectionString: string, options: PostgresStoreOptions & { startupTimeoutMs?: number } = {}): Promise<PostgresStore> {
  const store = new PostgresStore(connectionString, options);
  const deadline = Date.now() + (options.startupTimeoutMs ?? 30_000);
  try {
    for (let delay = 200; ; delay = Math.min(delay * 2, 2_000)) {
      try {
        await migratePostgres(store.pool);
        return store;
      } catch (error) {
        if (!isConnectionError(error) || Date.now() + delay > deadline) throw error;
        options.logger?.warn({ err: { message: (error as Error).message } }, 'postgres: cannot connect yet; retrying');
        await sleep(delay);
      }
    }
  } catch (error) {
    await store.close();
    throw new Error(`PostgreSQL store (DATABASE_URL) could not be opened: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
