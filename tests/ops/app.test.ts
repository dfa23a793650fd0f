import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { DEFAULT_KNOWLEDGE_DIR } from '../../src/core/knowledge/paths.ts';
import { LiveKnowledge } from '../../src/core/knowledge/live.ts';
import { createLogger } from '../../src/logger.ts';
import { until } from '../helpers.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const silent = () => createLogger('silent', new PassThrough());

describe('hot reload', () => {
  it('re-indexes an edit within about a second, and keeps the last good notes after a broken edit', async () => {
    const root = tempDir('summit-reload-');
    cpSync(DEFAULT_KNOWLEDGE_DIR, root, { recursive: true });
    const live = new LiveKnowledge(root);
    cleanups.push(() => live.close());
    const results: { applied: boolean; problems: string[] }[] = [];
    live.watch((r) => results.push({ applied: r.applied, problems: r.problems.map((p) => `${p.file}:${p.line}: ${p.message}`) }));
    const found = () => live.current.index.search('zorblaxite', { limit: 1 }).length > 0;
    expect(found()).toBe(false);

    appendFileSync(join(root, 'event.md'), '\n## 새 절\nzorblaxite 라는 새 단어가 있는 절.\n');
    await until(found, 3000, 'the edit to be indexed');

    writeFileSync(join(root, 'broken.md'), '---\nid: broken\ntitle: [unclosed\nkind: topic\n---\n본문\n');
    await until(() => results.some((r) => !r.applied), 3000, 'the broken edit to be reported');
    expect(found()).toBe(true);
    expect(results.find((r) => !r.applied)?.problems.join('\n')).toMatch(/^broken\.md:\d+: invalid YAML/m);
  });
});

describe('the running app', () => {
  async function start(extra: Partial<Config> = {}): Promise<{ app: App; port: number }> {
    const port = await freePort();
    const result = loadConfig({ DATA_DIR: tempDir('summit-data-'), HEALTH_PORT: String(port), BIND_HOST: '127.0.0.1' });
    if (!result.ok) throw new Error(result.problems.join('; '));
    const stdin = new PassThrough();
    const app = await startApp({ ...result.config, ...extra }, { stdin, stdout: new PassThrough() }, silent());
    cleanups.push(() => app.stop());
    return { app, port };
  }

  it('reports health on /healthz: notes indexed, store writable', async () => {
    const { port } = await start();
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { ok: boolean; sections: number; store: string };
    expect(body.ok).toBe(true);
    expect(body.sections).toBeGreaterThan(100);
    expect(body.store).toBe('writable');
  });

  it('stops quickly, closes its servers and store, and may be stopped twice', async () => {
    const { app, port } = await start();
    const started = Date.now();
    await app.stop();
    await app.stop();
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });
});

describe('the process', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)('exits 0 on %s within 10 s', async (signal) => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      stdio: ['pipe', 'ignore', 'pipe'],
      env: { PATH: process.env.PATH ?? '', DATA_DIR: tempDir('summit-proc-'), HEALTH_PORT: String(port), BIND_HOST: '127.0.0.1' },
    });
    cleanups.push(() => child.kill('SIGKILL'));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let healthy = false;
    const deadline = Date.now() + 15_000;
    while (!healthy && Date.now() < deadline) {
      healthy = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false);
      if (!healthy) await new Promise((r) => setTimeout(r, 100));
    }
    expect(healthy).toBe(true);
    const sent = Date.now();
    child.kill(signal);
    expect(await exited).toBe(0);
    expect(Date.now() - sent).toBeLessThan(10_000);
  });
});

describe('configuration', () => {
  it('lists every problem at once, each with the variable to set', () => {
    const file = join(tempDir('summit-cfg-'), 'not-a-dir');
    writeFileSync(file, 'x');
    const result = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', PORT: '99999', BOT_LOCALE: 'fr', BOT_TIME_ZONE: 'Mars/Olympus', DISCORD_TOKEN: 't', DATA_DIR: file });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const all = result.problems.join('\n');
    for (const name of ['PORT', 'BOT_LOCALE', 'BOT_TIME_ZONE']) expect(all).toContain(name);
  });

  it('names contradictory chat settings and an unwritable data directory', () => {
    const file = join(tempDir('summit-cfg-'), 'not-a-dir');
    writeFileSync(file, 'x');
    const result = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', DISCORD_TOKEN: 't', DATA_DIR: file });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const all = result.problems.join('\n');
    expect(all).toContain('SLACK_APP_TOKEN');
    expect(all).toContain('DISCORD_APPLICATION_ID');
    expect(all).toContain('DATA_DIR');
  });

  it('chooses the adapters from the tokens present', () => {
    const dir = tempDir('summit-cfg-');
    const socket = loadConfig({ DATA_DIR: dir, SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xapp-1', DISCORD_TOKEN: 't', DISCORD_APPLICATION_ID: '1' });
    expect(socket.ok && socket.config.slack?.mode).toBe('socket');
    expect(socket.ok && Boolean(socket.config.discord) && !socket.config.shell).toBe(true);
    const http = loadConfig({ DATA_DIR: dir, SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' });
    expect(http.ok && http.config.slack).toMatchObject({ mode: 'http', port: 3000 });
    const none = loadConfig({ DATA_DIR: dir });
    expect(none.ok && none.config.shell).toBe(true);
  });
});

describe('logs', () => {
  it('never contain tokens or signing secrets', async () => {
    let written = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written += chunk.toString();
        done();
      },
    });
    const logger = createLogger('info', sink);
    logger.info({ token: 'xoxb-secret-1', config: { botToken: 'xoxb-secret-2', signingSecret: 'shh-3', appToken: 'xapp-secret-4' } }, 'starting');
    logger.flush();
    await new Promise((r) => setTimeout(r, 50));
    expect(written).toContain('starting');
    for (const secret of ['xoxb-secret-1', 'xoxb-secret-2', 'shh-3', 'xapp-secret-4']) expect(written).not.toContain(secret);
  });
});
