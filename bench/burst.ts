import { connect, type Socket } from 'node:net';

/**
 * A lean load generator for bursts: raw sockets and pre-built request bytes, so that timing 200
 * requests sent at once measures the server rather than the client (autocannon spends tens of
 * milliseconds of its own on such a burst on a 2-core machine).
 */

export interface BurstResult {
  /** Milliseconds from sending to the complete response head, sorted ascending. */
  latencies: number[];
  /** Responses whose status was not 2xx. */
  errors: number;
}

const BURST_TIMEOUT_MS = 15_000;

/** Opens `count` keep-alive connections to 127.0.0.1:`port`. */
export async function openConnections(port: number, count: number): Promise<Socket[]> {
  return Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Socket>((resolve, reject) => {
          const socket = connect(port, '127.0.0.1', () => resolve(socket));
          socket.setNoDelay(true);
          socket.once('error', reject);
        }),
    ),
  );
}

/** Writes one request on every open connection in the same instant and times each response. */
export function burstOnOpenConnections(sockets: Socket[], requests: Buffer[]): Promise<BurstResult> {
  return timed(sockets.length, (start, onResponse) => {
    for (const socket of sockets) awaitResponse(socket, onResponse);
    start();
    sockets.forEach((socket, i) => socket.write(requests[i % requests.length]!));
  });
}

/** Opens `count` new connections at once, each sending its request as soon as it connects; timed from the connect. */
export function burstOnNewConnections(port: number, count: number, requests: Buffer[]): Promise<BurstResult> {
  return timed(count, (start, onResponse) => {
    start();
    for (let i = 0; i < count; i++) {
      let answered = false;
      const finish = (ok: boolean) => {
        if (answered) return;
        answered = true;
        socket.destroy();
        onResponse(ok);
      };
      const socket = connect(port, '127.0.0.1', () => socket.write(requests[i % requests.length]!));
      socket.setNoDelay(true);
      socket.once('error', () => finish(false));
      awaitResponse(socket, finish);
    }
  });
}

/** An HTTP/1.1 POST as bytes, ready to write. */
export function postRequest(path: string, headers: Record<string, string>, body: string): Buffer {
  const lines = [`POST ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), `Content-Length: ${Buffer.byteLength(body)}`];
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

function timed(count: number, run: (start: () => void, onResponse: (ok: boolean) => void) => void): Promise<BurstResult> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    let errors = 0;
    let startedAt = 0;
    const timer = setTimeout(() => reject(new Error(`burst timed out with ${latencies.length}/${count} responses`)), BURST_TIMEOUT_MS);
    run(
      () => (startedAt = performance.now()),
      (ok) => {
        latencies.push(performance.now() - startedAt);
        if (!ok) errors++;
        if (latencies.length === count) {
          clearTimeout(timer);
          resolve({ latencies: latencies.sort((a, b) => a - b), errors });
        }
      },
    );
  });
}

/**
 * Calls back once with the status of the next complete response: the head, then a Content-Length
 * body or a chunked body up to its last chunk (requests are never pipelined, so nothing follows).
 */
function awaitResponse(socket: Socket, onResponse: (ok: boolean) => void): void {
  let received = '';
  const onData = (chunk: Buffer) => {
    received += chunk.toString('latin1');
    const headEnd = received.indexOf('\r\n\r\n');
    if (headEnd < 0) return;
    const head = received.slice(0, headEnd);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head);
    if (length && received.length < headEnd + 4 + Number(length[1])) return;
    if (/\r\ntransfer-encoding: *chunked/i.test(head) && !received.endsWith('\r\n0\r\n\r\n')) return;
    socket.off('data', onData);
    onResponse(/^HTTP\/1\.1 2\d\d/.test(received));
  };
  socket.on('data', onData);
}
