/** Loopback helpers shared by the process tests, the fakes and the benchmark. */
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Polls GET /healthz until it answers 200; fails early when `child` exits, and after `timeoutMs`. */
export async function waitHealthy(port: number, options: { timeoutMs?: number; child?: ChildProcess } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (options.child && options.child.exitCode !== null) throw new Error(`the bot exited with code ${options.child.exitCode}`);
    if (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the bot did not become healthy within ${timeoutMs / 1000} s`);
}

/**
 * How a fake answers a request it has carried out (the message exists): after `answerAfterMs` (a client with a
 * shorter timeout gives up first), never (`drop`: the connection is destroyed), or with an HTTP `status`
 * (a 5xx from a proxy in front of a server that did its work).
 */
export type AcceptedOutcome = { answerAfterMs: number } | { drop: true } | { status: number };
