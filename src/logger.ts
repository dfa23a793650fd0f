import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type { Logger };

/**
 * JSON logs on stderr (stdout belongs to the shell adapter), pretty when a person is watching.
 * Secrets are redacted wherever they appear under these keys.
 */
export function createLogger(level: string, stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr): Logger {
  const options = {
    level,
    base: { app: 'summit-bot' },
    redact: { paths: ['token', 'botToken', 'appToken', 'signingSecret', '*.token', '*.botToken', '*.appToken', '*.signingSecret', 'headers.authorization'], censor: '[redacted]' },
  };
  if (stream.isTTY) return pino(options, pretty({ destination: stream, colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,app' }));
  return pino(options, stream);
}
