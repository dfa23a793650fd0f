/**
 * A small HTTP reverse proxy on 127.0.0.1 for tests and the benchmark: the load balancer in front of
 * several bot replicas (round robin, like nginx's default), or a gate in front of one service.
 *
 * - Each request goes to the next target in turn; a target that refuses the connection (a killed
 *   replica) is skipped and the request goes to the next one, as nginx's `proxy_next_upstream error` does.
 * - `hold(which)` keeps new requests (all, or those `which` picks) waiting, so nothing reaches a target,
 *   until `release()`; a held request whose client goes away is dropped: it never reached the service.
 */
import { Agent, createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestProxy {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Requests forwarded to each target, by index. */
  readonly forwarded: number[];
  /** Requests waiting because of `hold()`. */
  readonly heldCount: number;
  hold(which?: (req: IncomingMessage) => boolean): void;
  release(): void;
  close(): Promise<void>;
}

interface Held {
  req: IncomingMessage;
  res: ServerResponse;
  body: Buffer;
}

/** Starts a proxy to `targets` (base URLs such as `http://127.0.0.1:3001`). */
export async function startProxy(targets: string[]): Promise<TestProxy> {
  if (targets.length === 0) throw new Error('startProxy needs at least one target');
  const upstreams = targets.map((target) => new URL(target));
  const agent = new Agent({ keepAlive: true, maxSockets: 512 });
  const forwarded = targets.map(() => 0);
  let next = 0;
  let holding: ((req: IncomingMessage) => boolean) | undefined;
  const held: Held[] = [];

  const forward = ({ req, res, body }: Held, triesLeft = upstreams.length): void => {
    const index = next++ % upstreams.length;
    const upstream = upstreams[index]!;
    const outgoing = httpRequest(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, host: upstream.host }, agent },
      (response) => {
        forwarded[index]!++;
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      },
    );
    outgoing.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED' && triesLeft > 1) return forward({ req, res, body }, triesLeft - 1);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy: ${error.code ?? error.message}`);
    });
    outgoing.end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => {
      const entry = { req, res, body: Buffer.concat(chunks) };
      if (!holding?.(req)) return forward(entry);
      held.push(entry);
      res.once('close', () => {
        const at = held.indexOf(entry);
        if (at >= 0) held.splice(at, 1);
      });
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    forwarded,
    get heldCount() {
      return held.length;
    },
    hold(which = () => true) {
      holding = which;
    },
    release() {
      holding = undefined;
      for (const entry of held.splice(0)) forward(entry);
    },
    async close() {
      for (const entry of held.splice(0)) entry.res.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      agent.destroy();
      await closed;
    },
  };
}
