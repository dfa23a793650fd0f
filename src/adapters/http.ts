/** Small pieces the HTTP endpoints of the adapters share (Slack `/slack/events`, Discord `/discord/interactions`). */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Handlers of further paths served beside an adapter's own, by exact path (e.g. `/discord/interactions`). */
export type Routes = Readonly<Record<string, (req: IncomingMessage, res: ServerResponse) => void>>;

/** The first value of a request header. */
export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The whole body, or undefined once it grows past `limit` (chunked bodies have no Content-Length to check first). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve(undefined);
      } else chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks, size)));
    req.once('error', reject);
  });
}
