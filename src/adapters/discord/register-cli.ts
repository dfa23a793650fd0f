/**
 * Registers the slash commands with Discord (bulk overwrite: commands no longer in the registry disappear).
 *
 *   npm run discord:register                 DISCORD_GUILD_ID set → that server only (instant, for testing)
 *                                            unset → global (every server the bot is in)
 *
 * Reads the same settings as the bot (environment or .env): DISCORD_TOKEN, DISCORD_APPLICATION_ID, optional
 * DISCORD_GUILD_ID, DISCORD_API_URL and BOT_LOCALE (the language of the descriptions). Exit codes: 0 registered,
 * 1 Discord refused, 2 configuration missing or invalid.
 */
import { pathToFileURL } from 'node:url';
import { REST, Routes } from 'discord.js';
import dotenv from 'dotenv';
import { loadConfig, type DiscordConfig } from '../../config.ts';
import type { Locale } from '../../core/i18n.ts';
import type { Command } from '../../core/commands/types.ts';
import { createCommands } from '../../core/commands/index.ts';
import { buildCommandData, type CommandData } from './commands.ts';
import { describeError } from './client.ts';

export interface RegisterResult {
  scope: 'guild' | 'global';
  route: string;
  /** What Discord stored: name and id per command. */
  registered: { name: string; id: string }[];
  sent: CommandData[];
}

/** Bulk-overwrites the application commands: the guild's when `config.guildId` is set, else the global ones. */
export async function registerCommands(options: { config: DiscordConfig; commands: readonly Command[]; locale: Locale; timeoutMs?: number }): Promise<RegisterResult> {
  const { config } = options;
  const body = buildCommandData(options.commands, options.locale);
  const rest = new REST({ ...(config.apiUrl ? { api: config.apiUrl } : {}), timeout: options.timeoutMs ?? 15_000 }).setToken(config.token);
  const route = config.guildId ? Routes.applicationGuildCommands(config.applicationId, config.guildId) : Routes.applicationCommands(config.applicationId);
  try {
    const stored = (await rest.put(route, { body })) as { name?: unknown; id?: unknown }[];
    return {
      scope: config.guildId ? 'guild' : 'global',
      route,
      registered: (Array.isArray(stored) ? stored : []).map((c) => ({ name: String(c.name), id: String(c.id) })),
      sent: body,
    };
  } finally {
    rest.clearHashSweeper();
    rest.clearHandlerSweeper();
  }
}

export interface CliIO {
  out: (line: string) => void;
  err: (line: string) => void;
}

/** The CLI without process.exit: returns the exit code (tests call this directly). */
export async function runRegisterCli(env: NodeJS.ProcessEnv, io: CliIO): Promise<number> {
  const result = loadConfig(env);
  if (!result.ok) {
    io.err(`Cannot register the Discord commands; fix these settings (in the environment or .env):\n${result.problems.map((p) => `  - ${p}`).join('\n')}`);
    return 2;
  }
  const { config } = result;
  if (!config.discord) {
    io.err('Discord is not configured: set DISCORD_TOKEN and DISCORD_APPLICATION_ID (and DISCORD_GUILD_ID to register for one server only).');
    return 2;
  }
  try {
    const done = await registerCommands({ config: config.discord, commands: createCommands(), locale: config.locale });
    const where = done.scope === 'guild' ? `server ${config.discord.guildId}` : 'all servers (global; may take up to an hour to appear)';
    io.out(`Registered ${done.registered.length} command(s) for ${where}:`);
    for (const c of done.sent) io.out(`  /${c.name} — ${c.description}`);
    return 0;
  } catch (error) {
    const e = describeError(error);
    io.err(`Discord refused the commands: ${String(e.message ?? e.name)}${e.status ? ` (HTTP ${String(e.status)}${e.code ? `, code ${String(e.code)}` : ''})` : ''}`);
    if (e.status === 401) io.err('  The token was refused: check DISCORD_TOKEN (Bot → Reset Token in the developer portal).');
    if (e.status === 403) io.err('  Check DISCORD_APPLICATION_ID, and that the bot was invited to DISCORD_GUILD_ID with the applications.commands scope.');
    return 1;
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (invokedDirectly) {
  dotenv.config({ quiet: true });
  runRegisterCli(process.env, { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`) }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`discord:register failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
