import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createBot, type Bot } from '../../src/core/bot.ts';
import { createCommands } from '../../src/core/commands/index.ts';
import { parseCommandLine } from '../../src/core/commands/parse.ts';
import type { CommandRequest } from '../../src/core/commands/types.ts';
import type { Locale } from '../../src/core/i18n.ts';
import type { Platform } from '../../src/core/ports.ts';
import { toPlainText, type Reply } from '../../src/core/reply.ts';
import { StoreSubscriptionService } from '../../src/core/tips/subscription-service.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { fixedClock, shippedKnowledge } from '../helpers.ts';
import { COMMAND_WORDS, textArbitrary } from './arbitraries.ts';

// Special strings and command words at weight 4 (not 3): more lines reach the commands' option and subcommand parsing.
const { shortText, anyText } = textArbitrary({ words: COMMAND_WORDS, specialWeight: 4, separators: [' ', ' ', '', '\n', '  ', '\t'], shortWeight: 8 });

const RUNS = { numRuns: 200 };
const BLOCK_TYPES = ['heading', 'text', 'fields', 'list', 'citation', 'divider', 'actions'];

interface Harness {
  bot: Bot;
  failures: unknown[];
}

/** A bot over the shipped notes that remembers every internal failure (the user only sees "something went wrong"). */
function harness(locale: Locale, withSubscriptions: boolean): Harness {
  const failures: unknown[] = [];
  const clock = fixedClock('2026-05-04T01:00:00Z');
  const bot = createBot({
    commands: createCommands(),
    knowledge: shippedKnowledge,
    clock,
    locale,
    timeZone: 'Asia/Seoul',
    ...(withSubscriptions ? { subscriptions: new StoreSubscriptionService(new MemoryStore(), clock) } : {}),
    onError: (error) => failures.push(error),
  });
  return { bot, failures };
}

const harnesses = {
  ko: harness('ko', true),
  en: harness('en', true),
  koBare: harness('ko', false),
};
type HarnessName = keyof typeof harnesses;
const harnessName = fc.constantFrom<HarnessName>('ko', 'en', 'koBare');
const names = harnesses.ko.bot.commands.map((c) => c.name);
const commandName = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...names) },
  { weight: 2, arbitrary: fc.constantFrom(...names).map((n) => n.toUpperCase()) },
  { weight: 1, arbitrary: fc.constantFrom('', 'nope', 'quit', '/ask', 'ask ', 'constructor', '__proto__', 'toString', 'İ', 'ASK\u0000') },
  { weight: 1, arbitrary: anyText },
);
const platform = fc.constantFrom<Platform>('slack', 'discord', 'shell');
const target = fc.oneof(
  fc.constantFrom('slack:C1', 'slack:D1', 'discord:123', 'shell:local'),
  fc.tuple(fc.constantFrom('slack:', 'discord:', 'shell:'), fc.oneof(fc.string({ maxLength: 20 }), fc.string({ minLength: 190, maxLength: 260 }))).map(([p, s]) => p + s),
);

function expectWellFormed(reply: Reply) {
  expect(reply.blocks.length).toBeGreaterThanOrEqual(1);
  expect(['private', 'public']).toContain(reply.visibility);
  for (const block of reply.blocks) expect(BLOCK_TYPES).toContain(block.type);
  expect(toPlainText(reply).trim().length).toBeGreaterThan(0);
}

async function handle(name: HarnessName, request: Omit<CommandRequest, 'user'> & { user?: CommandRequest['user'] }): Promise<Reply> {
  const { bot, failures } = harnesses[name];
  const before = failures.length;
  const reply = await bot.handle({ user: { id: 'U1' }, ...request });
  // No input, however odd, reaches the "something went wrong" path.
  expect(failures.slice(before)).toEqual([]);
  return reply;
}

describe('bot.handle, for any command and any text', () => {
  it('answers every registered and unknown command with a well-formed reply of at least one block, without failing inside', async () => {
    await fc.assert(
      fc.asyncProperty(harnessName, commandName, anyText, platform, target, async (name, command, text, plat, tgt) => {
        const reply = await handle(name, { command, text, platform: plat, target: tgt });
        expectWellFormed(reply);
        if (!names.includes(command.toLowerCase())) {
          expect(reply.isError).toBe(true);
          // The echoed name is bounded.
          expect(toPlainText(reply).length).toBeLessThan(400);
        }
      }),
      RUNS,
    );
  });

  it('answers any typed line the way the shell reads it', async () => {
    const line = fc.oneof(anyText, fc.tuple(fc.constantFrom(...names), anyText).map(([n, t]) => `/${n} ${t}`), anyText.map((t) => `/${t}`));
    await fc.assert(
      fc.asyncProperty(harnessName, line, async (name, typed) => {
        const { command, text } = parseCommandLine(typed);
        expectWellFormed(await handle(name, { command, text, platform: 'shell', target: 'shell:local' }));
      }),
      RUNS,
    );
  });

  it('takes the /tip subscription subcommands with any arguments', async () => {
    const sub = fc.constantFrom('subscribe', '구독', 'unsubscribe', '구독취소', 'schedule', '구독정보', 'SUBSCRIBE');
    await fc.assert(
      fc.asyncProperty(fc.constantFrom<HarnessName>('ko', 'en', 'koBare'), sub, shortText, target, async (name, word, args, tgt) => {
        expectWellFormed(await handle(name, { command: 'tip', text: `${word} ${args}`, platform: 'slack', target: tgt }));
      }),
      RUNS,
    );
  });

  it('takes typed (Discord) options of any key and value', async () => {
    const key = fc.oneof(fc.constantFrom('public', 'rto', 'rpo', 'question', 'query', 'topic', 'command', 'constructor', '__proto__'), fc.string({ maxLength: 8 }));
    const value = fc.oneof(anyText, fc.integer(), fc.double(), fc.boolean());
    await fc.assert(
      fc.asyncProperty(harnessName, fc.constantFrom(...names), shortText, fc.dictionary(key, value, { maxKeys: 4 }), async (name, command, text, options) => {
        expectWellFormed(await handle(name, { command, text, options, platform: 'discord', target: 'discord:1' }));
      }),
      RUNS,
    );
  });

  it('answers publicly when asked with public=true, on every command that offers it', async () => {
    const withPublic = harnesses.ko.bot.commands.filter((c) => c.options.some((o) => o.name === 'public')).map((c) => c.name);
    const question = shortText.map((t) => t.replace(/public\s*=/gi, '').slice(0, 500));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...withPublic), question, async (command, q) => {
        const reply = await handle('ko', { command, text: `${q} public=true`, platform: 'slack', target: 'slack:C1' });
        expectWellFormed(reply);
        // A usage error (a bad rto= say) is for the asker alone; anything else is shown to the channel.
        const second = reply.blocks[1];
        const usageError = reply.isError === true && second?.type === 'text' && second.text === '사용법:';
        expect(reply.visibility).toBe(usageError ? 'private' : 'public');
      }),
      RUNS,
    );
  });
});

describe('bot.suggest, for any option and partial text', () => {
  it('never throws and offers at most 25 bounded suggestions', async () => {
    const pairs = harnesses.ko.bot.commands.flatMap((c) => [...c.options.map((o) => [c.name, o.name] as const), [c.name, 'nope'] as const]);
    fc.assert(
      fc.property(fc.constantFrom<HarnessName>('ko', 'en'), fc.constantFrom(...pairs, ['nope', 'x'] as const), anyText, (name, [command, option], partial) => {
        const { bot, failures } = harnesses[name];
        const before = failures.length;
        const suggestions = bot.suggest(command, option, partial);
        expect(suggestions.length).toBeLessThanOrEqual(25);
        for (const s of suggestions) {
          expect(typeof s.label).toBe('string');
          expect(typeof s.value).toBe('string');
          // Discord's autocomplete limits.
          expect(s.label.length).toBeLessThanOrEqual(100);
          expect(s.value.length).toBeLessThanOrEqual(100);
        }
        expect(failures.slice(before)).toEqual([]);
      }),
      RUNS,
    );
  });
});
