/** Shared wiring for the Discord end-to-end tests: the real bot over the shipped notes, a capturing logger. */
import pino from 'pino';
import { createBot, type Bot } from '../../../src/core/bot.ts';
import { createCommands } from '../../../src/core/commands/index.ts';
import { Knowledge } from '../../../src/core/knowledge/knowledge.ts';
import { loadKnowledge } from '../../../src/core/knowledge/loader.ts';
import { DEFAULT_KNOWLEDGE_DIR } from '../../../src/core/knowledge/paths.ts';
import { systemClock } from '../../../src/core/ports.ts';
import type { Logger } from '../../../src/logger.ts';

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

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Poll a condition with a hard bound. */
export async function until(cond: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await sleep(10);
  }
}
