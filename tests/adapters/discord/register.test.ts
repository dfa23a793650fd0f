/** Command registration: the JSON generated from the registry, and the bulk overwrite against the fake Discord. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCommands } from '../../../src/core/commands/index.ts';
import { buildCommandData, NAME_PATTERN, toChoices } from '../../../src/adapters/discord/commands.ts';
import { registerCommands, runRegisterCli } from '../../../src/adapters/discord/register-cli.ts';
import { startFakeDiscord, type FakeDiscord } from '../../doubles/fake-discord.ts';

describe('buildCommandData', () => {
  const commands = createCommands();

  it('one chat-input command per registry entry, valid names, descriptions ≤ 100, both languages', () => {
    for (const locale of ['ko', 'en'] as const) {
      const data = buildCommandData(commands, locale);
      expect(data.map((c) => c.name)).toEqual(commands.map((c) => c.name));
      for (const [i, c] of data.entries()) {
        const source = commands[i]!;
        expect(c.type).toBe(1);
        expect(c.name).toMatch(NAME_PATTERN);
        expect(c.description.length).toBeGreaterThan(0);
        expect(c.description.length).toBeLessThanOrEqual(100);
        expect(c.description).toBe(source.description[locale].length <= 100 ? source.description[locale] : expect.stringMatching(/…$/));
        const other = locale === 'ko' ? { 'en-US': expect.any(String), 'en-GB': expect.any(String) } : { ko: expect.any(String) };
        expect(c.description_localizations).toEqual(other);
        expect((c.options ?? []).map((o) => o.name).sort()).toEqual(source.options.map((o) => o.name).sort());
        for (const o of c.options ?? []) {
          expect(o.name).toMatch(NAME_PATTERN);
          expect(o.description.length).toBeLessThanOrEqual(100);
        }
      }
    }
  });

  it('maps option types, required-first order and autocomplete from the registry', () => {
    const data = buildCommandData(commands, 'ko');
    const byName = new Map(data.map((c) => [c.name, c]));
    expect(byName.get('ask')?.options).toEqual([
      expect.objectContaining({ name: 'question', type: 3, required: true }),
      expect.objectContaining({ name: 'full', type: 5, required: false }),
      expect.objectContaining({ name: 'public', type: 5, required: false }),
    ]);
    expect(byName.get('ask')?.options?.[0]).not.toHaveProperty('autocomplete');
    expect(byName.get('session')?.options?.find((o) => o.name === 'query')).toMatchObject({ type: 3, autocomplete: true });
    expect(byName.get('tip')?.options?.find((o) => o.name === 'topic')).toMatchObject({ type: 3, autocomplete: true });
    expect(byName.get('dr')?.options?.map((o) => o.name)).toEqual(['rto', 'rpo', 'question', 'full', 'public']);
    expect(byName.get('help')?.options?.map((o) => o.name)).toEqual(['command', 'public']);
    for (const c of data) {
      const options = c.options ?? [];
      const firstOptional = options.findIndex((o) => !o.required);
      if (firstOptional >= 0) expect(options.slice(firstOptional).every((o) => !o.required)).toBe(true);
    }
    // Required options move in front of optional ones, whatever the registry order.
    const [reordered] = buildCommandData(
      [{ ...commands[0]!, options: [{ ...commands[0]!.options[1]! }, { ...commands[0]!.options[0]! }] }],
      'en',
    );
    expect(reordered?.options?.map((o) => o.name)).toEqual(['question', 'full']);
    expect(() => buildCommandData([{ ...commands[0]!, name: 'Bad Name' }], 'ko')).toThrow(/not a valid Discord name/);
  });

  it('toChoices keeps Discord limits: ≤ 25, names ≤ 100, values ≤ 100', () => {
    const many = Array.from({ length: 40 }, (_, i) => ({ label: `${'긴 이름 '.repeat(30)}${i} @everyone`, value: `v${i}` }));
    const choices = toChoices([{ label: 'x', value: 'y'.repeat(101) }, ...many]);
    expect(choices).toHaveLength(25);
    for (const c of choices) {
      expect(c.name.length).toBeLessThanOrEqual(100);
      expect(c.name).not.toContain('@everyone');
      expect(String(c.value).length).toBeLessThanOrEqual(100);
    }
    expect(toChoices([{ label: '', value: 'abc' }])).toEqual([{ name: 'abc', value: 'abc' }]);
    expect(toChoices([{ label: 'three', value: '3' }, { label: 'x', value: 'x' }], 4)).toEqual([{ name: 'three', value: 3 }]);
  });
});

describe('registerCommands against the fake Discord', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await startFakeDiscord();
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('with DISCORD_GUILD_ID: PUT the guild route with exactly the generated commands', async () => {
    const expected = buildCommandData(createCommands(), 'ko');
    const result = await registerCommands({
      config: { token: fake.token, applicationId: fake.applicationId, guildId: fake.guildId, apiUrl: fake.restUrl },
      commands: createCommands(),
      locale: 'ko',
    });
    expect(result.scope).toBe('guild');
    const put = await fake.waitFor(`PUT /applications/${fake.applicationId}/guilds/${fake.guildId}/commands`);
    expect(put.body).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(fake.registeredCommands(fake.guildId).map((c) => c.name)).toEqual(['ask', 'session', 'dr', 'tip', 'feedback', 'help']);
    expect(fake.registeredCommands()).toEqual([]);
    expect(result.registered.map((c) => c.name)).toEqual(['ask', 'session', 'dr', 'tip', 'feedback', 'help']);
    expect(fake.requests.filter((r) => r.method === 'PUT')).toHaveLength(1);
  });

  it('without a guild id: PUT the global route', async () => {
    const result = await registerCommands({
      config: { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.restUrl },
      commands: createCommands(),
      locale: 'en',
    });
    expect(result.scope).toBe('global');
    const put = await fake.waitFor(`PUT /applications/${fake.applicationId}/commands`);
    expect(put.body).toEqual(JSON.parse(JSON.stringify(buildCommandData(createCommands(), 'en'))));
    expect(fake.registeredCommands().map((c) => c.name)).toEqual(['ask', 'session', 'dr', 'tip', 'feedback', 'help']);
    expect(fake.registeredCommands()[0]?.description_localizations).toEqual({ ko: createCommands()[0]!.description.ko });
  });

  it('the CLI: exit 2 without Discord settings or with invalid ones, 0 when registered, 1 when Discord refuses', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => err.push(l) };
    const base = { DATA_DIR: 'data' };
    expect(await runRegisterCli({ ...base }, io)).toBe(2);
    expect(err.join('\n')).toContain('DISCORD_TOKEN');
    expect(await runRegisterCli({ ...base, DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: 'abc' }, io)).toBe(2);
    expect(err.join('\n')).toContain('DISCORD_APPLICATION_ID must be the numeric application id');

    const env = { ...base, DISCORD_TOKEN: fake.token, DISCORD_APPLICATION_ID: fake.applicationId, DISCORD_GUILD_ID: fake.guildId, DISCORD_API_URL: fake.restUrl, BOT_LOCALE: 'ko' };
    expect(await runRegisterCli(env, io)).toBe(0);
    expect(out.join('\n')).toContain(`Registered 6 command(s) for server ${fake.guildId}`);
    expect(out.join('\n')).toContain('/session');

    expect(await runRegisterCli({ ...env, DISCORD_APPLICATION_ID: '123456789012345678' }, io)).toBe(1);
    expect(err.join('\n')).toMatch(/Discord refused the commands: .*HTTP 403/);
    expect([...out, ...err].join('\n')).not.toContain(fake.token);
  });
});
