import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_INPUT_LENGTH, parseCommandLine, parseInput, UsageError } from '../../src/core/commands/parse.ts';
import { createCommands } from '../../src/core/commands/index.ts';
import type { CommandRequest } from '../../src/core/commands/types.ts';
import { COMMAND_WORDS, SEPARATORS, textArbitrary } from './arbitraries.ts';

// '=' between fragments forms `key=value` options out of any text.
const { separator, shortText, anyText } = textArbitrary({ words: COMMAND_WORDS, separators: [...SEPARATORS, '='], maxParts: 12 });

const RUNS = { numRuns: 200 };
const commands = createCommands();
const names = commands.map((c) => c.name);

describe('parseCommandLine, for any line', () => {
  it('never throws, and returns a slash-free lower-case command and trimmed text', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, shortText.map((t) => `/${t}`)), (line) => {
        const parsed = parseCommandLine(line);
        expect(typeof parsed.command).toBe('string');
        expect(typeof parsed.text).toBe('string');
        expect(parsed.command).toBe(parsed.command.toLowerCase());
        expect(parsed.command).not.toMatch(/\s/);
        expect(parsed.text).toBe(parsed.text.trim());
        expect(parsed.text.length).toBeLessThanOrEqual(line.length);
        if (!line.trim().startsWith('/') || line.trim() === '/') {
          // Text without a command is a question; a lone slash is one too.
          expect(parsed).toEqual({ command: 'ask', text: line.trim() });
        }
      }),
      RUNS,
    );
  });

  it('reads back any registered command (in any case) and its argument text', () => {
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.boolean(), separator.filter((s) => /\s/.test(s)), anyText, (name, upper, gap, argument) => {
        const written = upper ? name.toUpperCase() : name;
        const parsed = parseCommandLine(`  /${written}${gap}${argument}  `);
        expect(parsed.command).toBe(name);
        expect(parsed.text).toBe(argument.trim());
      }),
      RUNS,
    );
  });

  it('takes whatever follows a slash up to the first space as the command, registered or not', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !/\s/.test(s)), shortText, (word, argument) => {
        const parsed = parseCommandLine(`/${word} ${argument}`);
        expect(parsed.command).toBe(word.toLowerCase());
        expect(parsed.text).toBe(argument.trim());
      }),
      RUNS,
    );
  });
});

describe('parseInput, for every command and any text', () => {
  const request = (command: string, text: string, options?: CommandRequest['options']): CommandRequest => ({
    command,
    text,
    ...(options ? { options } : {}),
    user: { id: 'U1' },
    target: 'shell:local',
    platform: 'shell',
  });

  it('either parses into declared options and bounded free text, or rejects with a UsageError', () => {
    fc.assert(
      fc.property(fc.constantFrom(...commands), anyText, fc.constantFrom('ko' as const, 'en' as const), (command, text, locale) => {
        const declared = new Set(command.options.map((o) => o.name));
        let input;
        try {
          input = parseInput(command, request(command.name, text), locale);
        } catch (error) {
          expect(error).toBeInstanceOf(UsageError);
          expect((error as Error).message.length).toBeGreaterThan(0);
          return;
        }
        expect(input.text.length).toBeLessThanOrEqual(MAX_INPUT_LENGTH);
        expect(input.text).toBe(input.text.trim());
        for (const [key, value] of Object.entries(input.values)) {
          expect(declared.has(key)).toBe(true);
          const option = command.options.find((o) => o.name === key)!;
          expect(typeof value).toBe(option.type === 'integer' ? 'number' : option.type);
        }
        for (const option of command.options.filter((o) => o.required)) {
          if (option.form === 'text') expect(input.text).not.toBe('');
          else expect(input.values[option.name]).not.toBeUndefined();
        }
      }),
      RUNS,
    );
  });

  it('handles typed (Discord-style) options of any key and value without anything but a UsageError', () => {
    const value = fc.oneof(anyText, fc.integer(), fc.boolean(), fc.double());
    fc.assert(
      fc.property(
        fc.constantFrom(...commands),
        shortText,
        fc.dictionary(fc.oneof(fc.constantFrom('public', 'rto', 'rpo', 'question', 'query', 'topic', 'command', '__proto__', 'constructor'), fc.string({ maxLength: 10 })), value, { maxKeys: 4 }),
        (command, text, options) => {
          try {
            const input = parseInput(command, request(command.name, text, options), 'ko');
            expect(input.text.length).toBeLessThanOrEqual(MAX_INPUT_LENGTH);
          } catch (error) {
            expect(error).toBeInstanceOf(UsageError);
          }
        },
      ),
      RUNS,
    );
  });

  it('reads `public=<boolean word>` wherever it stands, on every command (all of them declare it)', () => {
    const withPublic = commands.filter((c) => c.options.some((o) => o.name === 'public'));
    expect(withPublic.map((c) => c.name).sort()).toEqual(commands.map((c) => c.name).sort());
    fc.assert(
      fc.property(
        fc.constantFrom(...withPublic),
        fc.array(fc.constantFrom<string>('RPO', '재해복구', 'pilot', '👍', '<!here>', '&lt;'), { minLength: 1, maxLength: 5 }),
        fc.nat(),
        fc.constantFrom<[string, boolean]>(['true', true], ['yes', true], ['ON', true], ['1', true], ['false', false], ['no', false], ['Off', false], ['0', false]),
        (command, words, at, [written, expected]) => {
          const all = [...words];
          all.splice(at % (words.length + 1), 0, `public=${written}`);
          const input = parseInput(command, request(command.name, all.join(' ')), 'en');
          expect(input.values.public).toBe(expected);
          expect(input.text.split(' ').filter(Boolean)).toEqual(words);
        },
      ),
      RUNS,
    );
  });
});
