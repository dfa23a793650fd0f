import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadKnowledge } from '../src/core/knowledge/loader.ts';
import { DEFAULT_KNOWLEDGE_DIR } from '../src/core/knowledge/paths.ts';
import { Knowledge } from '../src/core/knowledge/knowledge.ts';
import { createBot, type Bot } from '../src/core/bot.ts';
import { createCommands } from '../src/core/commands/index.ts';
import { systemClock, type Clock } from '../src/core/ports.ts';
import pino from 'pino';
import type { Logger } from '../src/logger.ts';
import type { Locale } from '../src/core/i18n.ts';
import { toPlainText, type Action } from '../src/core/reply.ts';

let shipped: Knowledge | undefined;

/** The shipped notes, loaded once per test file. */
export function shippedKnowledge(): Knowledge {
  shipped ??= new Knowledge(loadKnowledge(DEFAULT_KNOWLEDGE_DIR));
  return shipped;
}

/** Knowledge from one topic note, written with its front matter to a temporary folder. */
export function topicKnowledge(id: string, title: string, body: string[]): Knowledge {
  const root = mkdtempSync(join(tmpdir(), 'summit-topic-'));
  writeFileSync(join(root, `${id}.md`), ['---', `id: ${id}`, `title: ${title}`, 'kind: topic', '---', ...body].join('\n'));
  return new Knowledge(loadKnowledge(root));
}

export function fixedClock(iso: string): Clock {
  return { now: () => new Date(iso) };
}

export function testBot(options: { locale?: Locale; clock?: Clock; timeZone?: string; knowledge?: Knowledge } = {}): Bot {
  const { knowledge } = options;
  return createBot({
    commands: createCommands(),
    knowledge: knowledge ? () => knowledge : shippedKnowledge,
    clock: options.clock ?? fixedClock('2026-05-04T01:00:00Z'),
    locale: options.locale ?? 'ko',
    timeZone: options.timeZone ?? 'Asia/Seoul',
  });
}

/** Runs one command line through the bot and returns the reply and its plain text. */
export async function run(bot: Bot, command: string, text = '') {
  const reply = await bot.handle({ command, text, user: { id: 'U1' }, target: 'shell:local', platform: 'shell' });
  return { reply, text: toPlainText(reply) };
}

/** The bot over the shipped notes on the real clock, as the adapters run it. */
export function realBot(): Bot {
  return testBot({ clock: systemClock });
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
          // A line that is not JSON is kept in `raw` only.
        }
      },
    },
  );
  return { logger, lines, raw };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls a condition (which may be async) with a hard bound; returns how long it took, in ms. */
export async function until(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
  const started = Date.now();
  while (!(await cond())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs}ms waiting for ${what}`);
    await sleep(10);
  }
  return Date.now() - started;
}

/** An answer's buttons as the core makes them: share, "more", and 👍/👎 for the answer `abcdefghijkl`. */
export const RATED_ACTIONS: readonly Action[] = [
  { kind: 'share', label: 'Share', command: '/ask x' },
  { kind: 'more', label: 'More', command: '/ask x full=true' },
  { kind: 'feedback', label: '👍 Helpful', command: '/feedback good abcdefghijkl' },
  { kind: 'feedback', label: '👎 Not helpful', command: '/feedback bad abcdefghijkl' },
];
