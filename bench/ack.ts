import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { signSlackRequest, slashCommandBody, startFakeSlackApi } from '../tests/doubles/fake-slack.ts';
import { freePort, waitHealthy } from '../tests/doubles/net.ts';

export interface AckFigures {
  requests: number;
  p50: number;
  p99: number;
  errors: number;
}

export interface AckRun {
  /** `connections` commands arrive at once, ten times over, with a pause between bursts. */
  burst: AckFigures;
  /** `connections` commands kept in flight for eight seconds: a saturation test. */
  sustained: AckFigures;
}

const BURSTS = 10;

const ROOT = join(import.meta.dirname, '..');
const SIGNING_SECRET = 'bench-signing-secret';
const DURATION_SECONDS = 8;

/**
 * Signed `/ask` slash commands from a separate load generator against the real bot process in Slack
 * HTTP mode on loopback (`npm start` with a signing secret), with a local fake Slack Web API taking
 * the `response_url` follow-ups. Measures the HTTP ack, which Slack needs within 3 s.
 */
export async function benchSlackAck(connections: number, entry: string[]): Promise<AckRun> {
  const fake = await startFakeSlackApi();
  const port = await freePort();
  const child = spawn(process.execPath, [...(process.env.BENCH_PROFILE ? ['--cpu-prof', '--cpu-prof-dir=/tmp/ackprof'] : []), ...entry], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env.PATH ?? '',
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: String(port),
      BIND_HOST: '127.0.0.1',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'summit-bench-')),
      LOG_LEVEL: 'warn',
    },
  });
  try {
    await waitHealthy(port, { timeoutMs: 20_000, child });
    const body = slashCommandBody({ command: '/ask', text: '웜 스탠바이는 언제 써?', response_url: fake.responseUrl('bench') });
    const load = (options: { amount?: number; duration?: number }) =>
      autocannon({
        url: `http://127.0.0.1:${port}/slack/events`,
        method: 'POST',
        connections,
        // In a worker thread, so the fake Slack API taking the follow-ups in this process does not
        // delay the load generator's own clock.
        workers: 1,
        ...options,
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...signSlackRequest(SIGNING_SECRET, body) },
        body,
      });
    const figures = (results: autocannon.Result[]): AckFigures => {
      // Percentiles across bursts: the worst burst's p99 is the honest figure.
      const worst = (key: 'p50' | 'p99') => Math.max(...results.map((r) => r.latency[key]));
      return {
        requests: results.reduce((n, r) => n + r.requests.total, 0),
        p50: worst('p50'),
        p99: worst('p99'),
        errors: results.reduce((n, r) => n + r.errors + r.non2xx + r.timeouts, 0),
      };
    };
    const bursts: autocannon.Result[] = [];
    for (let i = 0; i < BURSTS; i++) {
      bursts.push(await load({ amount: connections }));
      await new Promise((r) => setTimeout(r, 300));
    }
    const sustained = await load({ duration: DURATION_SECONDS });
    return { burst: figures(bursts), sustained: figures([sustained]) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)));
    await fake.close();
  }
}
