import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { InteractionType } from 'discord.js';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeDiscord } from '../doubles/fake-discord.ts';
import { postSigned, slashCommandBody, startFakeSlackApi } from '../doubles/fake-slack.ts';
import { freePort, waitHealthy } from '../doubles/net.ts';
import { spawnBot, type BotProcess } from './bot-process.ts';

/**
 * The whole process, as `npm start` runs it, configured only through the environment and pointed at
 * the local fakes: what the Slack and Discord issues call done.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function startBot(env: Record<string, string>): BotProcess {
  const bot = spawnBot(env);
  cleanups.push(bot.cleanup, () => bot.stop());
  return bot;
}

describe('npm start with Slack HTTP mode settings', () => {
  it('serves signed slash commands on /slack/events and rejects forged ones', async () => {
    const slack = await startFakeSlackApi();
    cleanups.push(() => slack.close());
    const port = await freePort();
    startBot({ SLACK_BOT_TOKEN: 'xoxb-test', SLACK_SIGNING_SECRET: 'process-secret', SLACK_API_URL: slack.apiUrl, PORT: String(port) });
    await waitHealthy(port);

    const body = slashCommandBody({ command: '/session', text: '14:20', response_url: slack.responseUrl('process') });
    const url = `http://127.0.0.1:${port}/slack/events`;
    const ok = await postSigned(url, body, { contentType: 'application/x-www-form-urlencoded', secret: 'process-secret' });
    expect(ok.status).toBe(200);
    expect(ok.ms).toBeLessThan(3000);
    const answer = await slack.waitForResponse((post) => JSON.stringify(post.body).includes('서호석'), 10_000);
    expect(JSON.stringify(answer.body)).toContain('RDS');

    const forged = await postSigned(url, body, { contentType: 'application/x-www-form-urlencoded', secret: 'wrong-secret' });
    expect(forged.status).toBe(401);
  });
});

describe('npm start and npm run discord:register with Discord settings', () => {
  it('registers the commands, then answers a slash command over the gateway', async () => {
    const discord = await startFakeDiscord();
    cleanups.push(() => discord.close());
    const env = { DISCORD_TOKEN: discord.token, DISCORD_APPLICATION_ID: discord.applicationId, DISCORD_API_URL: discord.restUrl, DISCORD_GUILD_ID: discord.guildId };

    // Asynchronously: the fake Discord answers from this very process.
    const register = spawn(process.execPath, ['--import', 'tsx', 'src/adapters/discord/register-cli.ts'], {
      cwd: ROOT,
      stdio: 'ignore',
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    cleanups.push(() => register.kill('SIGKILL'));
    const status = await new Promise<number | null>((resolve) => register.once('exit', resolve));
    expect(status).toBe(0);
    expect(discord.registeredCommands(discord.guildId).map((c) => c.name).sort()).toEqual(['ask', 'dr', 'feedback', 'help', 'session', 'tip']);

    const port = await freePort();
    startBot({ ...env, HEALTH_PORT: String(port) });
    await waitHealthy(port);
    const interaction = discord.sendInteraction(discord.chatInputInteraction({ name: 'dr', options: { rto: '1d', rpo: '1d' } }));
    const callback = await discord.waitForInteractionCallback(interaction.id, 10_000);
    const shown = JSON.stringify(callback.body);
    expect(shown).toMatch(/Backup & Restore|백업/);
    expect(shown).toContain('"allowed_mentions":{"parse":[]}');
  });
});

describe('npm start with Discord HTTP interactions settings', () => {
  it('answers signed interactions on /discord/interactions, beside /healthz, and refuses forged ones', async () => {
    const discord = await startFakeDiscord();
    cleanups.push(() => discord.close());
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    const publicHex = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url').toString('hex');
    const port = await freePort();
    startBot({ DISCORD_TOKEN: discord.token, DISCORD_APPLICATION_ID: discord.applicationId, DISCORD_API_URL: discord.restUrl, DISCORD_PUBLIC_KEY: publicHex, PORT: String(port) });
    await waitHealthy(port);
    const url = `http://127.0.0.1:${port}/discord/interactions`;

    const ping = { type: InteractionType.Ping as const, id: '900000000000000009', application_id: discord.applicationId, token: 'ping', version: 1 as const };
    expect(await discord.deliverOverHttp(url, ping, privateKey)).toMatchObject({ status: 200, body: { type: 1 } });
    expect((await discord.deliverOverHttp(url, ping, generateKeyPairSync('ed25519').privateKey)).status).toBe(401);

    const answer = await discord.deliverOverHttp(url, discord.chatInputInteraction({ name: 'session', options: { query: '14:20' } }), privateKey);
    expect(answer.status).toBe(200);
    expect(JSON.stringify(answer.body)).toContain('서호석');
    expect(discord.connectedClients).toBe(0);
  });
});
