import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { signSlackRequest, slashCommandBody, startFakeSlackApi, type FakeSlackApi } from '../tests/doubles/fake-slack.ts';
import { createTestDatabase, startTestPostgres } from '../tests/support/postgres.ts';
import { freePort, waitHealthy } from '../tests/doubles/net.ts';
import { burstOnNewConnections, burstOnOpenConnections, openConnections, postRequest, type BurstResult } from './burst.ts';
import { percentile } from './search.ts';

export interface AckFigures {
  requests: number;
  p50: number;
  p99: number;
  /** The highest p99 of any single burst, when the figures pool several bursts. */
  worstBurstP99?: number;
  errors: number;
}

export interface AckRun {
  /** The first burst the freshly started process sees, on open connections. */
  firstBurst: AckFigures;
  /** `connections` requests written at once on open keep-alive connections, ten times over. */
  openBursts: AckFigures;
  /** The first burst on new connections, whose code paths (accepting, parser set-up) are still cold. */
  firstNewBurst: AckFigures;
  /** `connections` new connections at once, each sending one request, ten times over, after the first. */
  newBursts: AckFigures;
  /** `connections` requests kept in flight for eight seconds by autocannon: a saturation test. */
  sustained?: AckFigures;
  /** What the bot logged at warn and above during the run (e.g. load shedding), one line each. */
  serverWarnings?: string[];
}

const BURSTS = 10;
const PAUSE_BETWEEN_BURSTS_MS = 400;
const DURATION_SECONDS = 8;
const ROOT = join(import.meta.dirname, '..');
const SIGNING_SECRET = 'bench-signing-secret';
const EVENTS_PATH = '/slack/events';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function pooled(results: BurstResult[]): AckFigures {
  const all = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  return {
    requests: all.length,
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    ...(results.length > 1 ? { worstBurstP99: Math.max(...results.map((r) => percentile(r.latencies, 99))) } : {}),
    errors: results.reduce((n, r) => n + r.errors, 0),
  };
}

/** The first burst, then bursts on open connections, then the first burst on new connections, then more of those. */
async function bursts(port: number, connections: number, requests: () => Buffer[], betweenBursts: () => void = () => {}): Promise<Omit<AckRun, 'sustained'>> {
  const rest = async () => {
    betweenBursts();
    await pause(PAUSE_BETWEEN_BURSTS_MS);
  };
  const sockets = await openConnections(port, connections);
  try {
    const first = await burstOnOpenConnections(sockets, requests());
    const open: BurstResult[] = [];
    for (let i = 0; i < BURSTS; i++) {
      await rest();
      open.push(await burstOnOpenConnections(sockets, requests()));
    }
    await rest();
    const firstNew = await burstOnNewConnections(port, connections, requests());
    const fresh: BurstResult[] = [];
    for (let i = 0; i < BURSTS; i++) {
      await rest();
      fresh.push(await burstOnNewConnections(port, connections, requests()));
    }
    return { firstBurst: pooled([first]), openBursts: pooled(open), firstNewBurst: pooled([firstNew]), newBursts: pooled(fresh) };
  } finally {
    for (const socket of sockets) socket.destroy();
  }
}

/** A pino JSON line as `message (field value, …)`; anything else as it came. */
function logLine(line: string): string {
  try {
    const { level: _level, time: _time, app: _app, component: _component, msg, ...fields } = JSON.parse(line) as Record<string, unknown>;
    const details = Object.entries(fields).map(([key, value]) => `${key} ${JSON.stringify(value)}`);
    return details.length > 0 ? `${String(msg)} (${details.join(', ')})` : String(msg);
  } catch {
    return line;
  }
}

async function stop(child: ChildProcess): Promise<void> {
  child.kill('SIGTERM');
  await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
}

export interface SlackBots {
  fake: FakeSlackApi;
  ports: number[];
  /** Signed `/ask` requests for the questions, signed afresh for each burst: Slack's signatures go stale after five minutes. */
  requests: () => Buffer[];
  signed: (text: string) => { body: string; headers: Record<string, string> };
  /** What the bots logged at warn and above so far, one line each. */
  warnings: () => string[];
}

/**
 * Runs `work` against `count` real bot processes in Slack HTTP mode on loopback (`npm start` with a
 * signing secret), with a local fake Slack Web API taking the `response_url` follow-ups.
 */
export async function withSlackBots<T>(count: number, entry: string[], questions: string[], env: Record<string, string>, work: (bots: SlackBots) => Promise<T>): Promise<T> {
  const fake = await startFakeSlackApi();
  const children: ChildProcess[] = [];
  let stderr = '';
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const port = await freePort();
      const child = spawn(process.execPath, [...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/ackprof'] : []), ...entry], {
        cwd: ROOT,
        stdio: ['ignore', 'ignore', 'pipe'],
        env: {
          PATH: process.env.PATH ?? '',
          SLACK_BOT_TOKEN: 'xoxb-test',
          SLACK_SIGNING_SECRET: SIGNING_SECRET,
          SLACK_API_URL: fake.apiUrl,
          PORT: String(port),
          BIND_HOST: '127.0.0.1',
          DATA_DIR: mkdtempSync(join(tmpdir(), 'summit-bench-')),
          LOG_LEVEL: 'warn',
          ...env,
        },
      });
      child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      children.push(child);
      ports.push(port);
    }
    for (const [i, port] of ports.entries()) await waitHealthy(port, { timeoutMs: 20_000, child: children[i]! });
    const signed = (text: string) => {
      const body = slashCommandBody({ command: '/ask', text, response_url: fake.responseUrl('bench') });
      return { body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...signSlackRequest(SIGNING_SECRET, body) } };
    };
    const requests = () =>
      questions.map((q) => {
        const { body, headers } = signed(q);
        return postRequest(EVENTS_PATH, headers, body);
      });
    return await work({ fake, ports, requests, signed, warnings: () => stderr.split('\n').filter(Boolean).map(logLine) });
  } finally {
    await Promise.all(children.map(stop));
    await fake.close();
  }
}

/**
 * Signed `/ask` slash commands (the real questions, in turn) against the real bot process in Slack
 * HTTP mode on loopback, with its embedded SQLite store. Measures the HTTP ack, which Slack needs within 3 s.
 */
export async function benchSlackAck(connections: number, entry: string[], questions: string[]): Promise<AckRun> {
  return withSlackBots(1, entry, questions, {}, async ({ fake, ports, requests, signed, warnings }) => {
    const port = ports[0]!;
    // The fake keeps every answer it receives; forgetting them between bursts keeps this process's
    // heap (and its full collections, which stall the generator) small.
    const run = await bursts(port, connections, requests, () => fake.reset());
    await pause(PAUSE_BETWEEN_BURSTS_MS);
    const { body, headers } = signed(questions[0] ?? 'RTO');
    const sustained = await autocannon({
      url: `http://127.0.0.1:${port}${EVENTS_PATH}`,
      method: 'POST',
      connections,
      duration: DURATION_SECONDS,
      // In a worker thread, so the fake Slack API taking the follow-ups in this process does not
      // delay the load generator's own clock.
      workers: 1,
      headers,
      body,
    });
    return {
      ...run,
      serverWarnings: warnings(),
      sustained: { requests: sustained.requests.total, p50: sustained.latency.p50, p99: sustained.latency.p99, errors: sustained.errors + sustained.non2xx + sustained.timeouts },
    };
  });
}

/**
 * The same bursts through a round-robin proxy (the small node proxy of the tests, in a process of its
 * own) to `replicas` bot processes on one throwaway PostgreSQL server: one replica and two, in the same run, show what a
 * second replica changes; the proxy is in both.
 */
export async function benchReplicasAck(replicas: number, connections: number, entry: string[], questions: string[]): Promise<AckRun> {
  const server = await startTestPostgres();
  try {
    const databaseUrl = await createTestDatabase(server.adminUrl);
    return await withSlackBots(replicas, entry, questions, { DATABASE_URL: databaseUrl }, async ({ fake, ports, requests, warnings }) => {
      const proxy = spawn(process.execPath, ['--import', 'tsx', 'bench/proxy-main.ts', ...ports.map((port) => `http://127.0.0.1:${port}`)], {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      try {
        const [line] = (await once(proxy.stdout!.setEncoding('utf8'), 'data')) as [string];
        const run = await bursts(Number(line.trim()), connections, requests, () => fake.reset());
        return { ...run, serverWarnings: warnings() };
      } finally {
        await stop(proxy);
      }
    });
  } finally {
    await server.destroy();
  }
}

/** The same bursts against a bare `node:http` server that answers 200 at once: what the machine and the load generator cost alone. */
export async function benchFloor(connections: number): Promise<AckRun> {
  const port = await freePort();
  const server = `require('node:http').createServer((q, s) => { q.resume(); q.on('end', () => s.end(q.method === 'GET' ? 'ok' : undefined)); }).listen(${port}, '127.0.0.1')`;
  const child = spawn(process.execPath, ['-e', server], { stdio: ['ignore', 'ignore', 'inherit'] });
  try {
    await waitHealthy(port, { timeoutMs: 10_000, child });
    return await bursts(port, connections, () => [postRequest('/', { 'content-type': 'application/x-www-form-urlencoded' }, 'x'.repeat(600))]);
  } finally {
    await stop(child);
  }
}

/**
 * The generator's own first bursts run its code cold, which added 20–40 ms to the p99 of the first
 * bursts here: a full round against a bare server first, unmeasured, so that every measured burst
 * times the server, and a server's first bursts show only the server's own warm-up.
 */
export async function warmUpGenerator(connections: number): Promise<void> {
  await benchFloor(connections);
}
