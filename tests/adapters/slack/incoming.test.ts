import { describe, expect, it } from 'vitest';
import { normalizeIncoming } from '../../../src/adapters/slack/app.ts';
import { parseCommandLine } from '../../../src/core/commands/parse.ts';

describe('normalizeIncoming (Slack markup in questions → plain text)', () => {
  it('strips our own mention so "@bot /session 3" is a command line', () => {
    expect(normalizeIncoming('<@U0BOT> /session 3', 'U0BOT')).toBe('/session 3');
    expect(parseCommandLine(normalizeIncoming('<@U0BOT|summit-bot> /session 3', 'U0BOT'))).toEqual({ command: 'session', text: '3' });
    expect(parseCommandLine(normalizeIncoming('<@U0BOT> RPO가 뭐야', 'U0BOT'))).toEqual({ command: 'ask', text: 'RPO가 뭐야' });
    expect(normalizeIncoming('what is RPO <@U0BOT>?', 'U0BOT')).toBe('what is RPO ?');
  });

  it('reduces other mentions, channels, broadcasts and links to their labels and decodes entities', () => {
    expect(normalizeIncoming('<@U123> <@W9|bob> <#C1|general> <!here> <!subteam^S1|@ops> <https://x.example/a|docs> <mailto:a@b.c> a &amp; b &lt;x&gt;', 'U0BOT')).toBe(
      '@U123 @bob #general @here @ops docs mailto:a@b.c a & b <x>',
    );
  });

  it('keeps line breaks and collapses runs of spaces', () => {
    expect(normalizeIncoming('  a   b\nc  ', undefined)).toBe('a b\nc');
  });
});
