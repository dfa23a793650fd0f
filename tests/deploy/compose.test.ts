/**
 * compose.yaml and its Caddyfile cannot be run here (no container engine), so their promises are checked
 * as data: PostgreSQL with a health check, two bot replicas on it with health checks, and a proxy that
 * balances over exactly those replicas, on the ports the image serves.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

interface Service {
  image?: string;
  build?: string;
  environment?: Record<string, string>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  volumes?: string[];
}

const compose = parse(readFileSync(join(ROOT, 'compose.yaml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const caddyfile = readFileSync(join(ROOT, 'deploy', 'Caddyfile'), 'utf8');
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

describe('compose.yaml', () => {
  const { db, proxy, ...rest } = compose.services;
  const replicas = Object.entries(rest).filter(([name]) => name.startsWith('bot-'));

  it('runs PostgreSQL with a health check', () => {
    expect(db?.image).toMatch(/^postgres:\d+/);
    expect(db?.healthcheck?.test.join(' ')).toContain('pg_isready');
  });

  it('runs two replicas of the image on that database, each with a health check, started once it is healthy', () => {
    expect(replicas.map(([name]) => name)).toEqual(['bot-1', 'bot-2']);
    for (const [, service] of replicas) {
      expect(service.build).toBe('.');
      expect(service.environment?.DATABASE_URL).toMatch(/^postgres:\/\/summit:.*@db:5432\/summit_bot$/);
      expect(service.environment?.PORT).toBe('3000');
      expect(service.healthcheck?.test).toEqual(['CMD', 'node', 'dist/healthcheck.js']);
      expect(service.depends_on?.db?.condition).toBe('service_healthy');
    }
  });

  it('puts Caddy in front, balancing round robin over exactly the replicas, checking the /healthz the image serves', () => {
    expect(proxy?.image).toMatch(/^caddy:2/);
    expect(proxy?.volumes).toContain('./deploy/Caddyfile:/etc/caddy/Caddyfile:ro');
    expect(Object.keys(proxy?.depends_on ?? {}).sort()).toEqual(replicas.map(([name]) => name));
    const upstreams = /reverse_proxy ([^{]+)\{/.exec(caddyfile)?.[1]?.trim().split(/\s+/);
    expect(upstreams).toEqual(replicas.map(([name]) => `${name}:3000`));
    expect(caddyfile).toContain('lb_policy round_robin');
    expect(caddyfile).toContain('health_uri /healthz');
    const healthPort = /HEALTH_PORT=(\d+)/.exec(dockerfile)?.[1];
    expect(caddyfile).toContain(`health_port ${healthPort}`);
  });
});
