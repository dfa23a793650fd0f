import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { DEFAULT_KNOWLEDGE_DIR } from '../../src/core/knowledge/paths.ts';
import { LiveKnowledge, type ReloadResult } from '../../src/core/knowledge/live.ts';
import { formatProblem } from '../../src/core/knowledge/types.ts';
import { toPlainText } from '../../src/core/reply.ts';
import { healthHandler, startHealthServer, type HealthReport } from '../../src/health.ts';
import { createLogger } from '../../src/logger.ts';
import { startFakeSlackApi } from '../doubles/fake-slack.ts';
import { freePort, waitHealthy } from '../doubles/net.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { sleep, until } from '../helpers.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const HOST = '127.0.0.1';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  // Newest first: apps stop before their directories are removed.
  for (const cleanup of cleanups.splice(0).reverse()) {
    try {
      await cleanup();
    } catch {
      // One failed cleanup must not keep the others from running.
    }
  }
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}


/** A pino logger (the app's own factory) writing JSON lines into memory. */
function logSink() {
  const lines: Record<string, unknown>[] = [];
  let raw = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw += chunk.toString();
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger('debug', stream), lines, raw: () => raw };
}

/** What the shell printed, as text. */
function collect(stream: PassThrough): () => string {
  let out = '';
  stream.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return () => out;
}

interface Started {
  app: App;
  config: Config;
  knowledgeDir: string;
  stdin: PassThrough;
  stdout: () => string;
  logs: ReturnType<typeof logSink>;
}

async function start(options: { health?: boolean; knowledgeDir?: string } = {}): Promise<Started & { port: number }> {
  const knowledgeDir = options.knowledgeDir ?? tempDir('summit-app-knowledge-');
  if (!options.knowledgeDir) cpSync(DEFAULT_KNOWLEDGE_DIR, knowledgeDir, { recursive: true });
  const port = options.health === false ? 0 : await freePort();
  const env: NodeJS.ProcessEnv = { DATA_DIR: tempDir('summit-app-data-'), KNOWLEDGE_DIR: knowledgeDir, BIND_HOST: HOST };
  if (port) env.HEALTH_PORT = String(port);
  const result = loadConfig(env);
  if (!result.ok) throw new Error(result.problems.join('; '));
  const stdin = new PassThrough();
  const stdoutStream = new PassThrough();
  const stdout = collect(stdoutStream);
  const logs = logSink();
  const app = await startApp(result.config, { stdin, stdout: stdoutStream }, logs.logger);
  cleanups.push(() => app.stop());
  return { app, config: result.config, knowledgeDir, stdin, stdout, logs, port };
}

const ask = async (app: App, text: string) => {
  const reply = await app.bot.handle({ command: 'ask', text, user: { id: 'U1' }, target: 'shell:local', platform: 'shell' });
  return { reply, text: toPlainText(reply) };
};
/** The answer cites the passage from this file (a "not found" reply cites nothing). */
const answersFrom = async (app: App, question: string, file: string) => {
  const { reply } = await ask(app, question);
  return !reply.isError && reply.blocks.some((b) => b.type === 'citation' && b.citations.some((c) => c.source === file));
};

const session = async (app: App, text: string) =>
  toPlainText(await app.bot.handle({ command: 'session', text, user: { id: 'U1' }, target: 'shell:local', platform: 'shell' }));

/** Reloads logged so far. */
const reloads = (logs: ReturnType<typeof logSink>) => logs.lines.filter((l) => l.msg === 'knowledge reloaded').length;

describe('startApp: hot reload sees every way a file changes', () => {
  it('in-place writes, repeated sed -i, a vim-style save, delete and recreate, a new subfolder, the whole folder made again', async () => {
    const { app, knowledgeDir, stdin, stdout, logs } = await start({ health: false });
    const event = join(knowledgeDir, 'event.md');
    const served = (word: string, file = 'event.md') => until(() => answersFrom(app, word, file), 5000, `"${word}" to be served from ${file}`);
    expect(await answersFrom(app, 'zorblaxite', 'event.md')).toBe(false);

    // In place.
    appendFileSync(event, '\n## Zorblaxite 보관소\nzorblaxite 라는 새 단어가 있는 절입니다.\n');
    expect(await served('zorblaxite')).toBeLessThan(2500);
    // The shell reads the same live notes.
    stdin.write('/ask zorblaxite\n');
    await until(() => stdout().includes('Zorblaxite 보관소'), 3000, 'the shell to answer');
    expect(stdout()).toContain('zorblaxite 라는 새 단어');

    // sed -i writes a new file and renames it over the old one; every save counts, not just the first two.
    for (const word of ['quexotrope', 'vantablorp', 'frindlewick', 'glomberance']) {
      execFileSync('sed', ['-i', `s/^[a-z]* 라는 새 단어.*$/${word} 라는 새 단어가 있는 절입니다./`, event]);
      await served(word);
    }

    // vim: the original is renamed to a backup, the new text written under the old name, the backup removed.
    renameSync(event, `${event}~`);
    writeFileSync(event, readFileSync(`${event}~`, 'utf8').replace('glomberance', 'plimsovex'));
    rmSync(`${event}~`);
    await served('plimsovex');

    // Deleted, then made again.
    const content = readFileSync(event, 'utf8');
    rmSync(event);
    await until(() => app.knowledge.current.note('event') === undefined, 5000, 'the deletion to be seen');
    writeFileSync(event, content.replace('plimsovex', 'trebuchanite'));
    await served('trebuchanite');

    // A new subfolder, two levels deep, with a new note.
    mkdirSync(join(knowledgeDir, 'extra', 'deeper'), { recursive: true });
    writeFileSync(join(knowledgeDir, 'extra', 'deeper', 'new.md'), '---\nid: extra-note\ntitle: 추가 노트\nkind: topic\n---\n## 새 절\nsnorkelwhip 이 들어 있는 절.\n');
    await served('snorkelwhip', 'extra/deeper/new.md');
    appendFileSync(join(knowledgeDir, 'extra', 'deeper', 'new.md'), '\n## 더\nwumbleflux 도 들어 있다.\n');
    await served('wumbleflux', 'extra/deeper/new.md');

    // The whole folder deleted and made again (a checkout, a deploy that replaces the folder).
    const copy = tempDir('summit-app-copy-');
    cpSync(knowledgeDir, copy, { recursive: true });
    rmSync(knowledgeDir, { recursive: true });
    await until(() => app.knowledge.current.notes.length === 0, 5000, 'the folder to be gone');
    mkdirSync(knowledgeDir);
    writeFileSync(join(copy, 'event.md'), readFileSync(join(copy, 'event.md'), 'utf8').replace('trebuchanite', 'mirthquake'));
    cpSync(copy, knowledgeDir, { recursive: true });
    await served('mirthquake');
    await served('wumbleflux', 'extra/deeper/new.md');
    // And it is still watched after that.
    appendFileSync(event, '\n## 끝\nzapplebarn 이 마지막이다.\n');
    await served('zapplebarn');
    expect(logs.lines.filter((l) => l.level === 50)).toEqual([]);
  }, 60_000);

  it('starts without the folder, says so, and serves its notes once it is made', async () => {
    const knowledgeDir = join(tempDir('summit-app-later-'), 'knowledge');
    const { app, logs } = await start({ health: false, knowledgeDir });
    expect(logs.lines).toContainEqual(expect.objectContaining({ level: 40, msg: 'the knowledge folder does not exist; its notes are served once it is made' }));
    cpSync(DEFAULT_KNOWLEDGE_DIR, knowledgeDir, { recursive: true });
    await until(() => answersFrom(app, 'RPO', 'dr-strategies.md'), 5000, 'the new folder to be served');
  });

  it('re-reads a burst of writes once, not once per write', async () => {
    const { app, knowledgeDir, logs } = await start({ health: false });
    const before = reloads(logs);
    for (let i = 0; i < 30; i++) appendFileSync(join(knowledgeDir, 'event.md'), `\n## 절 ${i}\nburstword${i} 이 있다.\n`);
    await until(() => answersFrom(app, 'burstword29', 'event.md'), 5000, 'the last write to be served');
    await sleep(300);
    expect(reloads(logs) - before).toBeLessThanOrEqual(2);
  });
});

describe('startApp: one rule for broken files', () => {
  it('skips a broken file and keeps serving edits to the others; says why where the note is asked for; fixing it brings it back', async () => {
    const { app, knowledgeDir, logs } = await start({ health: false });
    const rds = join(knowledgeDir, 'sessions', 'rds-migration.md');
    const good = readFileSync(rds, 'utf8');
    const warnings = () => logs.lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('sessions/rds-migration.md:'));

    // The `outline:` line loses its colon: a YAML mistake on that line.
    const line = good.split('\n').indexOf('outline:') + 1;
    expect(line).toBeGreaterThan(1);
    writeFileSync(rds, good.replace(/^outline:$/m, 'outline'));
    await until(() => app.knowledge.current.note('session-rds-migration') === undefined, 5000, 'the broken note to be skipped');
    expect(warnings().map((l) => [l.msg, l.level, l.line])).toEqual([[`sessions/rds-migration.md:${line}: invalid YAML: a colon is missing after "outline"`, 40, line]]);

    // /session 3 says the note is temporarily unavailable and why, instead of "no such session".
    const three = await session(app, '3');
    expect(three).toContain('Day 2 Session 3 노트는 지금 잠시 쓸 수 없습니다');
    expect(three).toContain(`sessions/rds-migration.md:${line}에 오류가 있습니다: invalid YAML: a colon is missing after "outline"`);
    expect(three).not.toContain('없는 세션 번호');
    expect(await session(app, '14:30')).toContain('Day 2 Session 3 노트는 지금 잠시 쓸 수 없습니다');
    expect(await session(app, '')).toMatch(new RegExp(`14:20–14:50 {2}성공적인 AWS RDS 마이그레이션을 위한 여정과 필수 고려사항 \\(Session 3\\)\\n\\s+⚠️ 지금 잠시 쓸 수 없음: sessions/rds-migration\\.md:${line}\\n`));

    // An edit to another note is served meanwhile, and the broken file is not reported again.
    appendFileSync(join(knowledgeDir, 'event.md'), '\n## 새 절\nquillibrant 이라는 단어.\n');
    await until(() => answersFrom(app, 'quillibrant', 'event.md'), 5000, 'the edit to another note to be served');
    expect(warnings()).toHaveLength(1);

    // Fixed: the note is back, and the log says so.
    writeFileSync(rds, good);
    await until(() => app.knowledge.current.note('session-rds-migration') !== undefined, 5000, 'the fix to be served');
    expect(await session(app, '3')).toContain('성공적인 AWS RDS 마이그레이션을 위한 여정과 필수 고려사항');
    expect(logs.lines.some((l) => l.msg === 'sessions/rds-migration.md is fixed and served again')).toBe(true);
    expect(await answersFrom(app, 'quillibrant', 'event.md')).toBe(true);
  });

  it('at start, the same rule: the broken file is skipped and reported once at its line, the rest is served', async () => {
    const knowledgeDir = tempDir('summit-app-knowledge-');
    cpSync(DEFAULT_KNOWLEDGE_DIR, knowledgeDir, { recursive: true });
    const tips = join(knowledgeDir, 'tips.md');
    writeFileSync(tips, readFileSync(tips, 'utf8').replace(/^(\s+)source: (\S+)$/m, '$1source: [unclosed'));
    const { app, logs } = await start({ health: false, knowledgeDir });
    const reported = logs.lines.filter((l) => typeof l.msg === 'string' && /^tips\.md:\d+: /.test(l.msg));
    expect(reported).toHaveLength(1);
    const line = readFileSync(tips, 'utf8').split('\n').findIndex((l) => l.includes('source: [unclosed')) + 1;
    expect(reported[0]).toMatchObject({ line });
    const tip = toPlainText(await app.bot.handle({ command: 'tip', text: '', user: { id: 'U1' }, target: 'shell:local', platform: 'shell' }));
    expect(tip).toContain(`"써밋 팁 모음" 노트는 지금 잠시 쓸 수 없습니다. tips.md:${line}에 오류가 있습니다`);
    expect(await answersFrom(app, 'RPO', 'dr-strategies.md')).toBe(true);
  });
});

describe('LiveKnowledge', () => {
  it('reports a new broken note once, with its file and line, and keeps serving the others', async () => {
    const root = tempDir('summit-reload-');
    cpSync(DEFAULT_KNOWLEDGE_DIR, root, { recursive: true });
    const live = new LiveKnowledge(root);
    cleanups.push(() => live.close());
    const results: ReloadResult[] = [];
    const errors: unknown[] = [];
    await live.watch({ onReload: (r) => results.push(r), onError: (error) => errors.push(error) });
    const found = () => live.current.index.search('zorblaxite', { limit: 1 }).length > 0;

    writeFileSync(join(root, 'broken.md'), '---\nid: broken\ntitle: [unclosed\nkind: topic\n---\n본문\n');
    appendFileSync(join(root, 'event.md'), '\n## 새 절\nzorblaxite 라는 새 단어가 있는 절.\n');
    await until(found, 5000, 'the edit to be indexed');
    await until(() => results.some((r) => r.newProblems.length > 0), 5000, 'the broken note to be reported');
    expect(results.flatMap((r) => r.newProblems.map(formatProblem))).toEqual([expect.stringMatching(/^broken\.md:3: invalid YAML: /)]);
    expect(live.current.skipped).toMatchObject([{ file: 'broken.md', id: 'broken' }]);
    expect(errors).toEqual([]);
  });
});

describe('startApp: a start that fails', () => {
  it('rejects, and leaves no watcher, shell or store behind (the health port was taken)', async () => {
    const knowledgeDir = tempDir('summit-app-knowledge-');
    cpSync(DEFAULT_KNOWLEDGE_DIR, knowledgeDir, { recursive: true });
    const taken = createHttpServer();
    const port = await freePort();
    await new Promise<void>((resolve) => taken.listen(port, HOST, resolve));
    cleanups.push(() => new Promise((resolve) => taken.close(resolve)));
    const result = loadConfig({ DATA_DIR: tempDir('summit-app-data-'), KNOWLEDGE_DIR: knowledgeDir, BIND_HOST: HOST, HEALTH_PORT: String(port) });
    if (!result.ok) throw new Error(result.problems.join('; '));
    const stdin = new PassThrough();
    const stdoutStream = new PassThrough();
    const stdout = collect(stdoutStream);
    const logs = logSink();

    await expect(startApp(result.config, { stdin, stdout: stdoutStream }, logs.logger)).rejects.toThrow(/EADDRINUSE/);

    appendFileSync(join(knowledgeDir, 'event.md'), '\n## 늦은 절\n시작에 실패한 뒤의 편집.\n');
    stdin.write('/help\n');
    await sleep(1500);
    expect(logs.lines.filter((l) => l.msg === 'knowledge reloaded')).toHaveLength(0);
    expect(stdout()).not.toContain('/ask');
  });
});

describe('startApp: health', () => {
  it('answers GET /healthz with 200 and the counts, store writable, on 127.0.0.1 only', async () => {
    const { app, port } = await start();
    const response = await fetch(`http://${HOST}:${port}/healthz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const body = (await response.json()) as HealthReport;
    expect(body).toMatchObject({ ok: true, store: 'writable', adapters: { shell: true } });
    expect(body.notes).toBeGreaterThan(0);
    // A copy of the shipped notes: all of them indexed.
    expect(body.sections).toBeGreaterThan(100);
    expect(body).toEqual(await app.health());

    expect((await fetch(`http://${HOST}:${port}/healthz?probe=1`)).status).toBe(200);
    expect((await fetch(`http://${HOST}:${port}/nope`)).status).toBe(404);
    expect((await fetch(`http://${HOST}:${port}/healthz`, { method: 'POST' })).status).toBe(404);
  });

  it('answers 503 when the app has nothing to serve (no notes)', async () => {
    const { port, app } = await start({ knowledgeDir: tempDir('summit-app-empty-') });
    const response = await fetch(`http://${HOST}:${port}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ ok: false, notes: 0, sections: 0 });
    // The bot still answers, politely.
    expect((await ask(app, 'RPO')).reply.blocks.length).toBeGreaterThan(0);
  });

  it('healthHandler: 503 with the report as JSON whenever the report is not ok', async () => {
    const failing: HealthReport = { ok: false, notes: 8, sections: 123, adapters: { slack: false, shell: true }, store: 'unwritable' };
    const server: Server = createHttpServer(healthHandler(async () => failing));
    await new Promise<void>((resolve) => server.listen(0, HOST, resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { port } = server.address() as { port: number };
    const response = await fetch(`http://${HOST}:${port}/healthz`);
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual(failing);
  });

  it('startHealthServer: 200 for an ok report, 503 for a failing one, read fresh on every request', async () => {
    let report: HealthReport = { ok: true, notes: 1, sections: 1, adapters: {}, store: 'writable' };
    const server = await startHealthServer(0, HOST, async () => report);
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { address, port } = server.address() as { address: string; port: number };
    expect(address).toBe(HOST);
    expect((await fetch(`http://${HOST}:${port}/healthz`)).status).toBe(200);
    report = { ...report, ok: false, store: 'unwritable' };
    const response = await fetch(`http://${HOST}:${port}/healthz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ ok: false, store: 'unwritable' });
  });

  it('startHealthServer rejects when the port is taken', async () => {
    const first = await startHealthServer(0, HOST, async () => ({ ok: true, notes: 0, sections: 0, adapters: {}, store: 'none' }));
    cleanups.push(() => new Promise<void>((resolve) => first.close(() => resolve())));
    const { port } = first.address() as { port: number };
    await expect(startHealthServer(port, HOST, async () => ({ ok: true, notes: 0, sections: 0, adapters: {}, store: 'none' }))).rejects.toThrow(/EADDRINUSE/);
  });
});

describe('startApp: daily tips with a short lease', () => {
  it('gives a post up within a third of TIP_LEASE_SECONDS, so no takeover after the lease can overlap it', async () => {
    const slack = await startFakeSlackApi({ pingIntervalMs: 0 });
    cleanups.push(() => slack.close());
    const dataDir = tempDir('summit-app-lease-');
    const store = openSqliteStore(dataDir);
    cleanups.push(() => store.close());
    await store.upsertSubscription({ target: 'slack:C0LEASE', time: '00:00', timeZone: 'UTC', weekdaysOnly: false }, new Date(Date.now() - 2 * 86_400_000));
    const env: NodeJS.ProcessEnv = {
      DATA_DIR: dataDir,
      BIND_HOST: HOST,
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: 'lease-secret',
      SLACK_API_URL: slack.apiUrl,
      PORT: String(await freePort()),
      TIP_LEASE_SECONDS: '3',
    };
    const result = loadConfig(env);
    if (!result.ok) throw new Error(result.problems.join('; '));
    // Slack takes the post and answers after 4 s: past the lease, well within the usual 10 s timeout.
    slack.acceptThen('chat.postMessage', { answerAfterMs: 4_000 });
    const app = await startApp(result.config, { stdin: new PassThrough(), stdout: new PassThrough() }, logSink().logger);
    cleanups.push(() => app.stop());
    const today = new Date().toISOString().slice(0, 10);
    await until(async () => (await store.postState('slack:C0LEASE', today))?.status === 'failed', 10_000, 'the post to be given up');
    expect(await store.postState('slack:C0LEASE', today)).toMatchObject({ status: 'failed', retryable: true, maybePosted: true, error: 'slack: network' });
    expect(slack.messagesIn('C0LEASE')).toHaveLength(1);
  });
});

describe('startApp: graceful shutdown', () => {
  it('stops well within 10 s, closes the health server, the shell and the store, and may be stopped twice', async () => {
    const { app, port } = await start();
    expect((await fetch(`http://${HOST}:${port}/healthz`)).status).toBe(200);
    const started = Date.now();
    const first = app.stop();
    expect(app.stop()).toBe(first);
    await first;
    await app.stop();
    expect(Date.now() - started).toBeLessThan(10_000);

    const refused = await fetch(`http://${HOST}:${port}/healthz`).then(
      () => undefined,
      (error: Error & { cause?: { code?: string } }) => error.cause?.code,
    );
    expect(refused).toBe('ECONNREFUSED');
    // The store is closed: the health probe can no longer write to it.
    expect((await app.health()).store).toBe('unwritable');
    // The shell is closed: its loop has ended.
    await expect(Promise.race([app.shell!.done.then(() => 'done'), sleep(2000).then(() => 'pending')])).resolves.toBe('done');
  });

  it('stops even while a knowledge reload is pending', async () => {
    const { app, knowledgeDir } = await start({ health: false });
    appendFileSync(join(knowledgeDir, 'event.md'), '\n## 마지막\n정지 직전의 편집.\n');
    const started = Date.now();
    await app.stop();
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('the real process', () => {
  function spawnBot(env: Record<string, string>): { child: ChildProcessWithoutNullStreams; stdout: () => string; stderr: () => string; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> } {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
      // No .env from the working tree: only what the test sets.
      env: { PATH: process.env.PATH ?? '', DOTENV_CONFIG_PATH: join(tmpdir(), 'summit-no-such.env'), DOTENV_CONFIG_QUIET: 'true', ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    cleanups.push(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    });
    return { child, stdout: () => out, stderr: () => err, exited };
  }

  const within = <T>(promise: Promise<T>, ms: number, what: string): Promise<T> =>
    Promise.race([promise, sleep(ms).then(() => Promise.reject(new Error(`${what} took longer than ${ms} ms`)))]);

  it.each(['SIGTERM', 'SIGINT'] as const)('serves /healthz, then exits 0 on %s within 10 s (stdin still open)', async (signal) => {
    const port = await freePort();
    const bot = spawnBot({ DATA_DIR: tempDir('summit-proc-'), HEALTH_PORT: String(port), BIND_HOST: HOST, LOG_LEVEL: 'info' });
    await waitHealthy(port, { timeoutMs: 20_000, child: bot.child }).catch((error: Error) => {
      throw new Error(`${error.message}: ${bot.stderr()}`);
    });
    const sent = Date.now();
    bot.child.kill(signal);
    const { code } = await within(bot.exited, 10_000, 'shutdown');
    expect(code, bot.stderr()).toBe(0);
    expect(Date.now() - sent).toBeLessThan(10_000);
    const logged = bot
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg?: string; reason?: string });
    expect(logged).toContainEqual(expect.objectContaining({ msg: 'shutting down', reason: signal }));
    await expect(fetch(`http://${HOST}:${port}/healthz`)).rejects.toThrow();
  }, 40_000);

  it('answers piped questions on stdout and exits 0 when stdin ends', async () => {
    const bot = spawnBot({ DATA_DIR: tempDir('summit-proc-') });
    bot.child.stdin.end('/ask RPO가 뭐야\n/help\n');
    const { code } = await within(bot.exited, 30_000, 'answering and exiting');
    expect(code, bot.stderr()).toBe(0);
    expect(bot.stdout()).toMatch(/RPO/);
    expect(bot.stdout()).toContain('/dr');
    // eslint-disable-next-line no-control-regex
    expect(bot.stdout()).not.toMatch(/\x1b/); // a pipe is not a terminal: no colour codes
  }, 40_000);

  it('exits 2 and names the variable for a bad configuration', async () => {
    const bot = spawnBot({ DATA_DIR: tempDir('summit-proc-'), HEALTH_PORT: 'eighty' });
    const { code } = await within(bot.exited, 30_000, 'exiting');
    expect(code).toBe(2);
    expect(bot.stderr()).toContain('HEALTH_PORT');
  }, 40_000);
});

describe('createLogger: secrets never reach the log', () => {
  function capture() {
    let written = '';
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        written += chunk.toString();
        done();
      },
    });
    return { logger: createLogger('debug', sink), written: () => written };
  }

  it('redacts tokens and signing secrets at the top level and one level down', () => {
    const { logger, written } = capture();
    logger.info({ token: 'xoxb-secret', config: { botToken: 'xoxb-secret', signingSecret: 's-secret-1', appToken: 'xapp-secret' } }, 'starting');
    logger.warn({ slack: { appToken: 'xapp-secret' }, discord: { token: 'discord-secret' }, headers: { authorization: 'Bearer xoxb-secret' } }, 'more');
    logger.child({ component: 'x' }).error({ botToken: 'xoxb-secret' }, 'child');
    const out = written();
    expect(out).toContain('starting');
    expect(out).toContain('child');
    expect(out).toContain('[redacted]');
    for (const secret of ['xoxb-secret', 's-secret-1', 'xapp-secret', 'discord-secret']) expect(out).not.toContain(secret);
  });
});
