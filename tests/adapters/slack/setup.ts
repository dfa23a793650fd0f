/** Shared wiring for the Slack end-to-end tests: the real bot over the shipped notes, a capturing logger. */
import pino from 'pino';
import { createBot, type Bot } from '../../../src/core/bot.ts';
import { createCommands } from '../../../src/core/commands/index.ts';
import { Knowledge } from '../../../src/core/knowledge/knowledge.ts';
import { loadKnowledge } from '../../../src/core/knowledge/loader.ts';
import { DEFAULT_KNOWLEDGE_DIR } from '../../../src/core/knowledge/paths.ts';
import { systemClock } from '../../../src/core/ports.ts';
import type { Logger } from '../../../src/logger.ts';
import type { RetryConfig } from '../../../src/adapters/slack/app.ts';

let knowledge: Knowledge | undefined;

export function realBot(): Bot {
  knowledge ??= new Knowledge(loadKnowledge(DEFAULT_KNOWLEDGE_DIR));
  const k = knowledge;
  return createBot({ commands: createCommands(), knowledge: () => k, clock: systemClock, locale: 'ko', timeZone: 'Asia/Seoul' });
}

export interface CapturedLog {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A pino logger that keeps every line (debug and up) in memory. */
export function capturingLogger(): { logger: Logger; lines: CapturedLog[]; raw: string[] } {
  const lines: CapturedLog[] = [];
  const raw: string[] = [];
  const logger = pino(
    { level: 'debug' },
    {
      write(line: string) {
        raw.push(line);
        try {
          lines.push(JSON.parse(line) as CapturedLog);
        } catch {
          /* not JSON */
        }
      },
    },
  );
  return { logger, lines, raw };
}

/** Quick retries so 429/5xx tests stay fast (Retry-After is still honoured by the WebClient). */
export const FAST_RETRY: RetryConfig = { retries: 3, factor: 1, minTimeout: 10, maxTimeout: 50, randomize: false };

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Poll a condition with a hard bound. */
export async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await sleep(10);
  }
}

/** All the text a Slack message payload would show, as one string (text + blocks JSON). */
export function shown(body: Record<string, unknown>): string {
  return `${String(body.text ?? '')}\n${JSON.stringify(body.blocks ?? [])}`;
}
