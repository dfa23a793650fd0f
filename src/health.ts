import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Routes } from './adapters/http.ts';

export interface HealthReport {
  ok: boolean;
  notes: number;
  sections: number;
  adapters: Record<string, boolean>;
  store: 'writable' | 'unwritable' | 'none';
}

/** Answers GET /healthz with the report: 200 when everything is up, 503 otherwise. */
export function healthHandler(report: () => Promise<HealthReport>) {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    void report().then((body) => {
      res.writeHead(body.ok ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    });
  };
}

/** Serves GET /healthz, and `routes` beside it (Discord HTTP interactions when no Slack HTTP server runs). */
export function startHealthServer(port: number, host: string, report: () => Promise<HealthReport>, routes: Routes = {}): Promise<Server> {
  const handle = healthHandler(report);
  const server = createServer((req, res) => {
    const path = req.url?.split('?')[0] ?? '';
    if (req.method === 'GET' && path === '/healthz') return handle(req, res);
    const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
    if (route) return route(req, res);
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
