import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

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

export function startHealthServer(port: number, host: string, report: () => Promise<HealthReport>): Promise<Server> {
  const handle = healthHandler(report);
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/healthz') return handle(req, res);
    res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}
