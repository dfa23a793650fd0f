import { createRequire } from 'node:module';
import pino, { type Logger } from 'pino';
import type Pretty from 'pino-pretty';

export type { Logger };

/** Keys whose values never reach a log line, at any depth and in any letter case. */
const SECRET_KEY = /token|secret|password|salt|authorization|cookie|api[-_]?key/i;
const MAX_DEPTH = 8;

/** A copy of a log record with secret values replaced. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > MAX_DEPTH || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, depth + 1));
  // Records are formatted before serializers run: an error is turned into its usual shape here.
  if (value instanceof Error) return redactSecrets({ ...pino.stdSerializers.err(value) }, depth);
  const copy: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) copy[key] = SECRET_KEY.test(key) ? '[redacted]' : redactSecrets(inner, depth + 1);
  return copy;
}

/**
 * JSON logs on stderr (stdout belongs to the shell adapter), pretty when a person is watching.
 * Every record passes through `redactSecrets`.
 */
export function createLogger(level: string, stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { app: 'summit-bot' },
    formatters: { log: (record) => redactSecrets(record) as Record<string, unknown> },
    // redactSecrets already gave errors their usual shape; pino's own err serializer would rename them "Object".
    serializers: { err: (value: unknown) => value },
  };
  if (stream.isTTY) {
    // Loaded only for a person watching: it takes about a tenth of a second to load, which a service's start need not pay.
    const pretty = createRequire(import.meta.url)('pino-pretty') as typeof Pretty;
    return pino(options, pretty({ destination: stream, colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,app' }));
  }
  return pino(options, stream);
}
