/** The bot's own words follow the request's locale (or BOT_LOCALE), never mixing the two languages. */
import { describe, expect, it } from 'vitest';
import type { CommandRequest } from '../../src/core/commands/types.ts';
import type { Locale } from '../../src/core/i18n.ts';
import { toPlainText } from '../../src/core/reply.ts';
import { testBot } from '../helpers.ts';

const HANGUL = /[\u3131-\u318e\uac00-\ud7a3]/;

async function say(locale: Locale | undefined, command: string, text = '', botLocale: Locale = 'ko'): Promise<string> {
  const request: CommandRequest = { command, text, user: { id: 'U1' }, target: 'discord:1', platform: 'discord', ...(locale ? { locale } : {}) };
  return toPlainText(await testBot({ locale: botLocale }).handle(request));
}

describe('per-request locale', () => {
  it('a request without a locale gets the bot’s; one with a locale gets its own', async () => {
    expect(await say(undefined, 'help')).toContain('쓸 수 있는 명령');
    expect(await say(undefined, 'help', '', 'en')).toContain('Commands');
    expect(await say('en', 'help')).toContain('Commands');
    expect(await say('ko', 'help', '', 'en')).toContain('쓸 수 있는 명령');
    expect(await say('en', 'nope')).toContain('Unknown command: /nope');
  });

  it('an empty /ask names the missing question in the user’s language only', async () => {
    const ko = await say('ko', 'ask');
    expect(ko).toContain('꼭 입력해야 합니다: 질문');
    expect(ko).toContain('/ask <질문>');
    expect(ko).not.toMatch(/question|[<[][^>\]]*\|/);
    const en = await say('en', 'ask');
    expect(en).toContain('Required: question');
    expect(en).toContain('/ask <question>');
    expect(en.split('\n').filter((line) => !line.startsWith('Examples')).join('\n')).not.toMatch(HANGUL);
  });

  it('/help shows usage placeholders and option names in one language', async () => {
    const en = await say('en', 'help', 'tip');
    expect(en).toContain('/tip <topic>');
    expect(en).toContain('/tip subscribe [HH:MM] [time zone] [weekdays]');
    expect(en).toContain('<topic>: ');
    expect(en).not.toContain('주제');
    const ko = await say('ko', 'help', 'tip');
    expect(ko).toContain('/tip <주제>');
    expect(ko).toContain('[시간대]');
    expect(ko).toContain('<주제>: ');
    expect(ko).not.toMatch(/<topic>|time zone/);
    const list = await say('en', 'help');
    expect(list).toContain('/ask <question>: Find the answer');
    expect(list).not.toContain('질문');
  });
});
