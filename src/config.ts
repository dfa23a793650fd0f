import { accessSync, constants, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { LOCALES, type Locale } from './core/i18n.ts';
import { DEFAULT_KNOWLEDGE_DIR } from './core/knowledge/paths.ts';
import { isValidTimeZone } from './core/tips/schedule-time.ts';
import { DEFAULT_CLAIM_LEASE_MS } from './core/store.ts';
import { DEFAULT_RETENTION_DAYS } from './core/feedback/service.ts';

export type SlackConfig =
  | { mode: 'socket'; botToken: string; appToken: string; signingSecret?: string; apiUrl?: string }
  | { mode: 'http'; botToken: string; signingSecret: string; port: number; apiUrl?: string };

export interface DiscordConfig {
  token: string;
  applicationId: string;
  guildId?: string;
  apiUrl?: string;
  /**
   * The application's Ed25519 public key (hex). When set, interactions arrive over HTTP at
   * `/discord/interactions` (stateless; any number of replicas) instead of over the gateway.
   */
  publicKey?: string;
  /** HTTP interactions mode: the port of `/discord/interactions` when Slack HTTP mode does not serve it. */
  port?: number;
}

export interface FeedbackConfig {
  /** FEEDBACK: `off` records nothing and shows no 👍/👎. */
  enabled: boolean;
  /** FEEDBACK_RETENTION_DAYS: votes and unanswered questions older than this are deleted. */
  retentionDays: number;
  /** FEEDBACK_SALT: hashes voters' ids; without it a salt is generated once and kept in the store. */
  salt?: string;
}

export interface Config {
  locale: Locale;
  timeZone: string;
  dataDir: string;
  /** PostgreSQL connection URL (DATABASE_URL); the store is SQLite in `dataDir` without it. */
  databaseUrl?: string;
  /** Daily tips: how long a claimed post holds before another replica may take it over (TIP_LEASE_SECONDS). */
  tipLeaseMs: number;
  /** Daily tips: the longest sleep between checks for due posts (TIP_CHECK_SECONDS). */
  tipCheckIntervalMs: number;
  knowledgeDir: string;
  feedback: FeedbackConfig;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  healthPort?: number;
  /** Interface the HTTP servers bind (BIND_HOST): all by default (containers), loopback in tests. */
  bindHost: string;
  slack?: SlackConfig;
  discord?: DiscordConfig;
  /** The terminal adapter runs when no chat platform is configured. */
  shell: boolean;
}

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));
const port = (name: string) =>
  optional.pipe(
    z
      .string()
      .regex(/^\d+$/, `${name} must be a port number between 1 and 65535`)
      .transform(Number)
      .refine((n) => n >= 1 && n <= 65535, `${name} must be a port number between 1 and 65535`)
      .optional(),
  );
const seconds = (name: string) =>
  optional.pipe(
    z
      .string()
      .regex(/^\d+$/, `${name} must be a whole number of seconds between 1 and 86400`)
      .transform(Number)
      .refine((n) => n >= 1 && n <= 86_400, `${name} must be a whole number of seconds between 1 and 86400`)
      .optional(),
  );
const url = (name: string) => optional.pipe(z.url({ message: `${name} must be a URL, e.g. http://127.0.0.1:8080/api` }).optional());

const envSchema = z.object({
  SLACK_BOT_TOKEN: optional,
  SLACK_APP_TOKEN: optional,
  SLACK_SIGNING_SECRET: optional,
  SLACK_API_URL: url('SLACK_API_URL'),
  PORT: port('PORT'),
  DISCORD_TOKEN: optional,
  DISCORD_APPLICATION_ID: optional.pipe(z.string().regex(/^\d+$/, 'DISCORD_APPLICATION_ID must be the numeric application id').optional()),
  DISCORD_GUILD_ID: optional.pipe(z.string().regex(/^\d+$/, 'DISCORD_GUILD_ID must be a numeric server id').optional()),
  DISCORD_API_URL: url('DISCORD_API_URL'),
  DISCORD_PUBLIC_KEY: optional.pipe(
    z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'DISCORD_PUBLIC_KEY must be the application\'s public key: 64 hex characters from the developer portal')
      .transform((v) => v.toLowerCase())
      .optional(),
  ),
  DATABASE_URL: optional.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\/\S+$/, 'DATABASE_URL must be a PostgreSQL URL, e.g. postgres://bot:secret@db:5432/summit_bot')
      .optional(),
  ),
  BOT_LOCALE: optional.pipe(z.enum(LOCALES as [Locale, ...Locale[]], { message: `BOT_LOCALE must be one of: ${LOCALES.join(', ')}` }).optional()),
  BOT_TIME_ZONE: optional.pipe(z.string().refine(isValidTimeZone, 'BOT_TIME_ZONE must be an IANA time zone, e.g. Asia/Seoul').optional()),
  DATA_DIR: optional,
  KNOWLEDGE_DIR: optional,
  LOG_LEVEL: optional.pipe(
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { message: 'LOG_LEVEL must be one of: fatal, error, warn, info, debug, trace, silent' }).optional(),
  ),
  HEALTH_PORT: port('HEALTH_PORT'),
  TIP_LEASE_SECONDS: seconds('TIP_LEASE_SECONDS'),
  TIP_CHECK_SECONDS: seconds('TIP_CHECK_SECONDS'),
  BIND_HOST: optional,
  FEEDBACK: optional.pipe(
    z
      .string()
      .regex(/^(on|off|true|false)$/i, 'FEEDBACK must be on or off')
      .transform((v) => /^(on|true)$/i.test(v))
      .optional(),
  ),
  FEEDBACK_RETENTION_DAYS: optional.pipe(
    z
      .string()
      .regex(/^\d+$/, 'FEEDBACK_RETENTION_DAYS must be a whole number of days between 1 and 3650')
      .transform(Number)
      .refine((n) => n >= 1 && n <= 3650, 'FEEDBACK_RETENTION_DAYS must be a whole number of days between 1 and 3650')
      .optional(),
  ),
  FEEDBACK_SALT: optional.pipe(z.string().min(16, 'FEEDBACK_SALT must be at least 16 characters (a random secret)').optional()),
});

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

/** Settings that only make sense together; checked on the raw values, so they are reported even when a format is wrong too. */
function combinationProblems(env: NodeJS.ProcessEnv): string[] {
  const value = (name: string) => env[name]?.trim() || undefined;
  const problems: string[] = [];
  if (value('SLACK_BOT_TOKEN')) {
    if (!value('SLACK_APP_TOKEN') && !value('SLACK_SIGNING_SECRET')) {
      problems.push('SLACK_BOT_TOKEN is set but neither SLACK_APP_TOKEN (Socket Mode) nor SLACK_SIGNING_SECRET (HTTP mode) is: set one of them');
    }
    if (value('SLACK_APP_TOKEN') && !value('SLACK_APP_TOKEN')!.startsWith('xapp-')) problems.push('SLACK_APP_TOKEN must be an app-level token starting with xapp-');
  } else if (value('SLACK_APP_TOKEN') || value('SLACK_SIGNING_SECRET')) {
    problems.push('SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set without SLACK_BOT_TOKEN: set SLACK_BOT_TOKEN (xoxb-…) too, or remove them');
  }
  if (value('DISCORD_TOKEN') && !value('DISCORD_APPLICATION_ID')) {
    problems.push('DISCORD_TOKEN is set without DISCORD_APPLICATION_ID: copy the application id from the Discord developer portal');
  } else if (value('DISCORD_APPLICATION_ID') && !value('DISCORD_TOKEN')) {
    problems.push('DISCORD_APPLICATION_ID is set without DISCORD_TOKEN: set the bot token too, or remove it');
  }
  if (value('DISCORD_PUBLIC_KEY') && !value('DISCORD_TOKEN')) {
    problems.push('DISCORD_PUBLIC_KEY is set without DISCORD_TOKEN and DISCORD_APPLICATION_ID: HTTP interactions mode needs them too');
  }
  return problems;
}

/** Reads and checks the whole environment at once, so every problem is reported together. */
export function loadConfig(env: NodeJS.ProcessEnv): ConfigResult {
  const parsed = envSchema.safeParse(env);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${String(issue.path[0])}: ${issue.message}`);
  problems.push(...combinationProblems(env));

  const dataDir = resolve(env.DATA_DIR?.trim() || 'data');
  try {
    mkdirSync(dataDir, { recursive: true });
    accessSync(dataDir, constants.W_OK);
  } catch {
    problems.push(`DATA_DIR: ${dataDir} is not a writable directory: point DATA_DIR at a folder the bot may write to`);
  }
  if (!parsed.success || problems.length > 0) return { ok: false, problems };
  const e = parsed.data;

  const slack: SlackConfig | undefined = !e.SLACK_BOT_TOKEN
    ? undefined
    : e.SLACK_APP_TOKEN
      ? { mode: 'socket', botToken: e.SLACK_BOT_TOKEN, appToken: e.SLACK_APP_TOKEN, ...(e.SLACK_SIGNING_SECRET ? { signingSecret: e.SLACK_SIGNING_SECRET } : {}), ...(e.SLACK_API_URL ? { apiUrl: e.SLACK_API_URL } : {}) }
      : { mode: 'http', botToken: e.SLACK_BOT_TOKEN, signingSecret: e.SLACK_SIGNING_SECRET!, port: e.PORT ?? 3000, ...(e.SLACK_API_URL ? { apiUrl: e.SLACK_API_URL } : {}) };
  const discord: DiscordConfig | undefined =
    e.DISCORD_TOKEN && e.DISCORD_APPLICATION_ID
      ? {
          token: e.DISCORD_TOKEN,
          applicationId: e.DISCORD_APPLICATION_ID,
          ...(e.DISCORD_GUILD_ID ? { guildId: e.DISCORD_GUILD_ID } : {}),
          ...(e.DISCORD_API_URL ? { apiUrl: e.DISCORD_API_URL } : {}),
          ...(e.DISCORD_PUBLIC_KEY ? { publicKey: e.DISCORD_PUBLIC_KEY, port: e.PORT ?? 3000 } : {}),
        }
      : undefined;

  return {
    ok: true,
    config: {
      locale: e.BOT_LOCALE ?? 'ko',
      timeZone: e.BOT_TIME_ZONE ?? 'Asia/Seoul',
      dataDir,
      ...(e.DATABASE_URL ? { databaseUrl: e.DATABASE_URL } : {}),
      tipLeaseMs: (e.TIP_LEASE_SECONDS ?? DEFAULT_CLAIM_LEASE_MS / 1000) * 1000,
      tipCheckIntervalMs: (e.TIP_CHECK_SECONDS ?? 60) * 1000,
      knowledgeDir: e.KNOWLEDGE_DIR ? resolve(e.KNOWLEDGE_DIR) : DEFAULT_KNOWLEDGE_DIR,
      feedback: {
        enabled: e.FEEDBACK ?? true,
        retentionDays: e.FEEDBACK_RETENTION_DAYS ?? DEFAULT_RETENTION_DAYS,
        ...(e.FEEDBACK_SALT ? { salt: e.FEEDBACK_SALT } : {}),
      },
      logLevel: e.LOG_LEVEL ?? 'info',
      ...(e.HEALTH_PORT ? { healthPort: e.HEALTH_PORT } : {}),
      bindHost: e.BIND_HOST ?? '0.0.0.0',
      ...(slack ? { slack } : {}),
      ...(discord ? { discord } : {}),
      shell: !slack && !discord,
    },
  };
}
