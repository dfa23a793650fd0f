import { createInterface } from 'node:readline';
import { appendFileSync, readFileSync } from 'node:fs';
import type { Bot } from '../../core/bot.ts';
import { parseCommandLine } from '../../core/commands/parse.ts';
import type { Reply } from '../../core/reply.ts';
import { renderReply } from './render.ts';

export const SHELL_TARGET = 'shell:local';

export interface ShellOptions {
  bot: Bot;
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream & { isTTY?: boolean };
  /** Interactive prompt with line editing; piped input is read line by line without a prompt. */
  interactive: boolean;
  color: boolean;
  /** Where the prompt history is kept between runs (interactive only). */
  historyFile?: string;
}

export interface Shell {
  /** Resolves when input ends or the user types /quit. */
  done: Promise<void>;
  /** Prints a message that did not come from a typed command (a scheduled tip). */
  print(reply: Reply): void;
  close(): void;
}

const HISTORY_SIZE = 500;
const QUIT = new Set(['/quit', '/exit', '/q']);

function readHistory(file: string | undefined): string[] {
  if (!file) return [];
  try {
    return readFileSync(file, 'utf8').split('\n').filter(Boolean).slice(-HISTORY_SIZE).reverse();
  } catch {
    return [];
  }
}

/** The embedded default adapter: the same commands as chat, in a terminal or from a pipe. */
export function startShell(options: ShellOptions): Shell {
  const { bot, input, output, interactive, color } = options;
  const rl = createInterface({
    input,
    output: interactive ? output : undefined,
    terminal: interactive,
    historySize: HISTORY_SIZE,
    history: interactive ? readHistory(options.historyFile) : [],
    prompt: color ? '\x1b[1msummit-bot›\x1b[0m ' : 'summit-bot› ',
  });
  const write = (text: string) => output.write(`${text}\n`);
  const print = (reply: Reply) => write(`${renderReply(reply, { color })}\n`);

  const done = (async () => {
    if (interactive) {
      write(bot.locale === 'ko' ? '써밋 노트에 무엇이든 물어보세요. /help 도움말, /quit 종료.' : 'Ask anything about the summit notes. /help for help, /quit to leave.');
      rl.prompt();
    }
    for await (const raw of rl) {
      const line = raw.trim();
      if (line && interactive && options.historyFile) {
        try {
          appendFileSync(options.historyFile, `${line.replace(/\n/g, ' ')}\n`);
        } catch {
          // History is a convenience; a read-only disk must not stop the shell.
        }
      }
      if (QUIT.has(line.toLowerCase())) break;
      if (line) {
        const { command, text } = parseCommandLine(line);
        print(await bot.handle({ command, text, user: { id: 'shell' }, target: SHELL_TARGET, platform: 'shell' }));
      }
      if (interactive) rl.prompt();
    }
    rl.close();
  })();

  return { done, print, close: () => rl.close() };
}
