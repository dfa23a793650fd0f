/**
 * Database rows → store records, shared by the SQL stores. SQLite hands back instants as epoch
 * milliseconds and flags as 0/1; PostgreSQL as `Date` and booleans: both are read here.
 */
import { z } from 'zod';
import { LOCALES, type Locale } from '../core/i18n.ts';
import { PERMISSIONS, type Platform, type PostRefusal } from '../core/ports.ts';
import type { FeedbackRecord, PostRecord, PostStatus, RotationState, SubscriptionRecord, Vote } from '../core/store.ts';

type Instant = number | Date;
type Flag = number | boolean;

export interface SubscriptionRow {
  target: string;
  time: string;
  time_zone: string;
  weekdays_only: Flag;
  since: Instant;
  paused_reason: string | null;
  paused_at: Instant | null;
  /** Null in rows written before the column existed, and when the subscriber's language was not known. */
  locale: string | null;
  /** A `PostRefusal` as JSON; null when the pause's meaning was not known. */
  paused_refusal: string | null;
}

export interface PostRow {
  target: string;
  local_date: string;
  status: PostStatus;
  owner: string;
  claimed_at: Instant;
  /** Null only in rows written before the column existed; the migration fills those from `claimed_at`. */
  first_claimed_at: Instant | null;
  maybe_posted: Flag;
  attempts: number;
  tip_id: string | null;
  posted_at: Instant | null;
  message_id: string | null;
  error: string | null;
  retryable: Flag;
  retry_at: Instant | null;
}

export const POST_COLUMNS =
  'target, local_date, status, owner, claimed_at, first_claimed_at, maybe_posted, attempts, tip_id, posted_at, message_id, error, retryable, retry_at';

/** Longest error message kept in the post log. */
export const MAX_ERROR_LENGTH = 2000;

const flag = (value: Flag) => value === true || value === 1;

const refusalSchema: z.ZodType<PostRefusal> = z.discriminatedUnion('reason', [
  z.object({ reason: z.enum(['invite-needed', 'not-found']), botName: z.string().optional() }),
  z.object({ reason: z.literal('missing-permissions'), missing: z.array(z.enum(PERMISSIONS)) }),
  z.object({ reason: z.enum(['archived', 'unavailable']) }),
  z.object({ reason: z.literal('no-access'), detail: z.string() }),
]);

/** A stored refusal; one this build cannot read (written by a newer one) is left out, and the raw reason shown. */
function refusalOf(json: string | null): { pausedRefusal?: PostRefusal } {
  if (json === null) return {};
  try {
    const parsed = refusalSchema.safeParse(JSON.parse(json));
    return parsed.success ? { pausedRefusal: parsed.data } : {};
  } catch {
    return {};
  }
}

export function toSubscription(row: SubscriptionRow): SubscriptionRecord {
  return {
    target: row.target,
    time: row.time,
    timeZone: row.time_zone,
    weekdaysOnly: flag(row.weekdays_only),
    since: new Date(row.since),
    ...(LOCALES.includes(row.locale as Locale) ? { locale: row.locale as Locale } : {}),
    ...(row.paused_reason !== null ? { pausedReason: row.paused_reason } : {}),
    ...refusalOf(row.paused_refusal),
    ...(row.paused_at !== null ? { pausedAt: new Date(row.paused_at) } : {}),
  };
}

export function toPost(row: PostRow): PostRecord {
  return {
    target: row.target,
    localDate: row.local_date,
    status: row.status,
    owner: row.owner,
    claimedAt: new Date(row.claimed_at),
    firstClaimedAt: new Date(row.first_claimed_at ?? row.claimed_at),
    maybePosted: flag(row.maybe_posted),
    attempts: Number(row.attempts),
    ...(row.tip_id !== null ? { tipId: row.tip_id } : {}),
    ...(row.posted_at !== null ? { postedAt: new Date(row.posted_at) } : {}),
    ...(row.message_id !== null ? { messageId: row.message_id } : {}),
    ...(row.error !== null ? { error: row.error } : {}),
    retryable: flag(row.retryable),
    ...(row.retry_at !== null ? { retryAt: new Date(row.retry_at) } : {}),
  };
}

/** A stored rotation; a damaged list of used tips counts as empty (the cycle restarts rather than failing). */
export function toRotation(cycle: number, used: unknown): RotationState {
  return { cycle: Number(cycle), used: Array.isArray(used) ? used.filter((id): id is string => typeof id === 'string') : [] };
}

/** A row of the union of votes and unanswered questions that `feedbackSince` reads. */
export interface FeedbackRow {
  kind: 'vote' | 'unanswered';
  vote: Vote | null;
  platform: Platform;
  command: string;
  question: string;
  language: string;
  citation: string | null;
  source: string | null;
  at: Instant;
}

/**
 * Votes and unanswered questions since a time, oldest first: the same statement for both SQL stores,
 * with the time as their placeholder (`?` or `$1`). Who voted is not selected.
 */
export function feedbackSinceSql(placeholder: string): string {
  return `SELECT 'vote' AS kind, vote, platform, command, question, language, citation, source, updated_at AS at
            FROM feedback_votes WHERE updated_at >= ${placeholder}
          UNION ALL
          SELECT 'unanswered' AS kind, NULL AS vote, platform, command, question, language, NULL AS citation, NULL AS source, asked_at AS at
            FROM unanswered_questions WHERE asked_at >= ${placeholder}
          ORDER BY at`;
}

export function toFeedback(row: FeedbackRow): FeedbackRecord {
  return {
    kind: row.kind,
    ...(row.vote !== null ? { vote: row.vote } : {}),
    platform: row.platform,
    command: row.command,
    question: row.question,
    language: row.language,
    ...(row.citation !== null ? { citation: row.citation } : {}),
    ...(row.source !== null ? { source: row.source } : {}),
    at: new Date(row.at),
  };
}
