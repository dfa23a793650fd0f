import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { createCommands } from '../../../src/core/commands/index.ts';
import { BOT_EVENTS, BOT_SCOPES, buildManifest, commandDescription, manifestYaml, usageHint } from '../../../src/adapters/slack/manifest.ts';

const MANIFEST_FILE = fileURLToPath(new URL('../../../manifest.yml', import.meta.url));

describe('Slack app manifest', () => {
  it('manifest.yml is exactly what the generator produces (run manifest-cli.ts to refresh it)', () => {
    const onDisk = readFileSync(MANIFEST_FILE, 'utf8');
    expect(onDisk, 'manifest.yml is stale: npx tsx src/adapters/slack/manifest-cli.ts > manifest.yml').toBe(manifestYaml(createCommands(), { socketMode: true }));
    expect(parse(onDisk)).toEqual(buildManifest(createCommands(), { socketMode: true }));
  });

  it('declares every registered command with a short description and a usage hint', () => {
    const commands = createCommands();
    const manifest = buildManifest(commands, { socketMode: true }) as { features: { slash_commands: { command: string; description: string; usage_hint?: string; url?: string }[] } };
    const slash = manifest.features.slash_commands;
    expect(slash.map((s) => s.command)).toEqual(commands.map((c) => `/${c.name}`));
    for (const s of slash) {
      expect(s.description.length).toBeGreaterThan(0);
      expect(s.description.length).toBeLessThanOrEqual(100);
      expect(s.url).toBeUndefined();
    }
    expect(slash.find((s) => s.command === '/ask')?.usage_hint).toBe('<질문 | question>');
    expect(slash.find((s) => s.command === '/help')?.usage_hint).toBe('<명령 | command>');
  });

  it('has the scopes, events, interactivity and mode the adapter needs', () => {
    const socket = buildManifest(createCommands(), { socketMode: true }) as Record<string, any>;
    expect(socket.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['commands', 'chat:write', 'app_mentions:read', 'im:history']));
    // Reading a conversation back, to find a post whose answer never came before posting it again.
    expect(socket.oauth_config.scopes.bot).toEqual(expect.arrayContaining(['channels:history', 'groups:history', 'mpim:history']));
    expect(socket.oauth_config.scopes.bot).toEqual([...BOT_SCOPES]);
    expect(socket.settings.event_subscriptions.bot_events).toEqual([...BOT_EVENTS]);
    expect(socket.settings.interactivity.is_enabled).toBe(true);
    expect(socket.settings.socket_mode_enabled).toBe(true);
    expect(socket.features.app_home.messages_tab_enabled).toBe(true);
    // App Home, the assistant pane and the check before a subscription is saved.
    expect(socket.features.app_home.home_tab_enabled).toBe(true);
    expect(socket.features.assistant_view.assistant_description.length).toBeGreaterThan(0);
    expect(socket.settings.event_subscriptions.bot_events).toEqual(
      expect.arrayContaining(['app_home_opened', 'assistant_thread_started', 'assistant_thread_context_changed', 'message.im']),
    );
    expect(socket.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining(['assistant:write', 'channels:read', 'groups:read', 'im:read', 'mpim:read', 'channels:join']),
    );
    expect(socket.features.bot_user.display_name).toBeTruthy();
  });

  it('HTTP mode points commands, events and interactivity at the request URL', () => {
    const url = 'https://bot.example.com/slack/events';
    const http = buildManifest(createCommands(), { socketMode: false, requestUrl: url }) as Record<string, any>;
    expect(http.settings.socket_mode_enabled).toBe(false);
    expect(http.settings.event_subscriptions.request_url).toBe(url);
    expect(http.settings.interactivity.request_url).toBe(url);
    for (const s of http.features.slash_commands) expect(s.url).toBe(url);
    expect(() => buildManifest(createCommands(), { socketMode: false })).toThrow(/requestUrl/);
  });

  it('falls back to one language when both do not fit in 100 characters', () => {
    const long = { ...createCommands()[0]!, description: { ko: '가'.repeat(70), en: 'b'.repeat(70) } };
    expect(commandDescription(long, 'ko')).toBe('가'.repeat(70));
    expect(commandDescription(long, 'en')).toBe('b'.repeat(70));
    const huge = { ...long, description: { ko: '가'.repeat(300), en: 'x' } };
    expect(commandDescription(huge, 'ko').length).toBe(100);
    expect(usageHint({ ...long, name: 'x', usage: ['/x'] })).toBeUndefined();
  });
});
