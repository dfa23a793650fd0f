import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp } from '../src/app.ts';
import { loadConfig } from '../src/config.ts';
import { DEFAULT_KNOWLEDGE_DIR } from '../src/core/knowledge/paths.ts';
import { PostError, type Poster } from '../src/core/ports.ts';
import { reply, text } from '../src/core/reply.ts';
import { Metrics } from '../src/metrics.ts';
import { MemoryStore } from '../src/store/memory.ts';
import { freePort } from './doubles/net.ts';
import { capturingLogger, shippedKnowledge, until } from './helpers.ts';
import { parsePrometheusTextFormat, sampleValue } from './support/prometheus.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const metrics = () => new Metrics({ commands: ['ask', 'help'], knowledge: shippedKnowledge, processMetrics: false });

/** The value of one sample of `m`, by metric name and labels; NaN when there is none. */
const value = async (m: Metrics, name: string, labels: Record<string, string> = {}) => sampleValue(parsePrometheusTextFormat(await m.registry.metrics()), name, labels);

describe('Metrics', () => {
  it('counts the store operations that fail, by operation, and passes results and other members through', async () => {
    const m = metrics();
    const real = new MemoryStore();
    const store = m.meterStore(real);
    expect(await store.claimKey('k', 1000, new Date())).toBe(true);
    await real.close();
    expect(await store.isWritable()).toBe(false);
    const failing = m.meterStore(
      Object.assign(new MemoryStore(), {
        recordVote: () => Promise.reject(new Error('connection refused')),
      }),
    );
    const vote = { platform: 'slack' as const, command: 'ask', question: 'q', language: 'ko', answerId: 'a', voter: 'v', vote: 'good' as const };
    await expect(failing.recordVote(vote, new Date())).rejects.toThrow('connection refused');
    await expect(failing.recordVote(vote, new Date())).rejects.toThrow('connection refused');
    expect(await value(m, 'summit_bot_store_errors_total', { operation: 'recordVote' })).toBe(2);
    expect(await value(m, 'summit_bot_store_errors_total', { operation: 'claimKey' })).toBeNaN();
  });

  it('counts daily posts by platform and outcome, and passes ids, options, failures and look-ups through', async () => {
    const m = metrics();
    const outcomes = [undefined, new PostError('rate limited', 'transient', 1000), new PostError('socket hang up', 'ambiguous'), new PostError('channel_not_found', 'permanent')];
    const keys: (string | undefined)[] = [];
    const poster: Poster = {
      platform: 'discord',
      post: async (_target, _reply, options) => {
        keys.push(options?.key);
        const next = outcomes.shift();
        if (next) throw next;
        return 'message-1';
      },
      findPosted: async (_target, key) => (key === 'tip:2026-05-04' ? 'message-1' : undefined),
      canPost: async () => ({ ok: false, reason: 'archived' }),
    };
    const metered = m.meterPoster(poster);
    const tip = reply([text('tip')]);
    expect(await metered.post('discord:1', tip, { key: 'tip:2026-05-04' })).toBe('message-1');
    await expect(metered.post('discord:1', tip)).rejects.toMatchObject({ kind: 'transient', retryAfterMs: 1000 });
    await expect(metered.post('discord:1', tip)).rejects.toMatchObject({ kind: 'ambiguous' });
    await expect(metered.post('discord:1', tip)).rejects.toMatchObject({ kind: 'permanent' });
    expect(keys).toEqual(['tip:2026-05-04', undefined, undefined, undefined]);
    expect(await metered.findPosted?.('discord:1', 'tip:2026-05-04', new Date(0))).toBe('message-1');
    expect(await metered.canPost('discord:1')).toEqual({ ok: false, reason: 'archived' });
    for (const outcome of ['posted', 'failed_transient', 'failed_ambiguous', 'failed_permanent']) {
      expect(await value(m, 'summit_bot_daily_posts_total', { platform: 'discord', outcome }), outcome).toBe(1);
      expect(await value(m, 'summit_bot_daily_posts_total', { platform: 'slack', outcome }), outcome).toBe(0);
    }
    // A poster that cannot look stays one that cannot look.
    expect(m.meterPoster({ ...poster, findPosted: undefined } as Poster).findPosted).toBeUndefined();
  });

  it('answers only GET and HEAD', async () => {
    const server = createServer(metrics().handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
    const post = await fetch(url, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect(await (await fetch(url)).text()).toContain('# TYPE summit_bot_commands_total counter');
  });
});

describe('/metrics on HEALTH_PORT', () => {
  it('is served beside /healthz, and counts knowledge reloads and the problems of the notes served', async () => {
    const knowledgeDir = mkdtempSync(join(tmpdir(), 'summit-metrics-knowledge-'));
    const dataDir = mkdtempSync(join(tmpdir(), 'summit-metrics-data-'));
    cleanups.push(() => rmSync(knowledgeDir, { recursive: true, force: true }), () => rmSync(dataDir, { recursive: true, force: true }));
    cpSync(DEFAULT_KNOWLEDGE_DIR, knowledgeDir, { recursive: true });
    const port = await freePort();
    const result = loadConfig({ DATA_DIR: dataDir, KNOWLEDGE_DIR: knowledgeDir, HEALTH_PORT: String(port), BIND_HOST: '127.0.0.1' });
    if (!result.ok) throw new Error(result.problems.join('; '));
    const app = await startApp(result.config, { stdin: new PassThrough(), stdout: new PassThrough() }, capturingLogger().logger);
    cleanups.push(() => app.stop());

    const scrape = async () => {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      return parsePrometheusTextFormat(await res.text());
    };
    const before = await scrape();
    expect(sampleValue(before, 'summit_bot_knowledge_reloads_total', { result: 'ok' })).toBe(0);
    expect(sampleValue(before, 'summit_bot_knowledge_skipped_files')).toBe(0);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);

    const rds = join(knowledgeDir, 'sessions', 'rds-migration.md');
    writeFileSync(rds, readFileSync(rds, 'utf8').replace(/^outline:$/m, 'outline'));
    await until(async () => sampleValue(await scrape(), 'summit_bot_knowledge_reloads_total', { result: 'ok' }) >= 1, 8000, 'the reload counted');
    const after = await scrape();
    expect(sampleValue(after, 'summit_bot_knowledge_skipped_files')).toBe(1);
    expect(sampleValue(after, 'summit_bot_knowledge_problems')).toBeGreaterThan(sampleValue(before, 'summit_bot_knowledge_problems'));
    expect(sampleValue(after, 'summit_bot_knowledge_notes')).toBe(sampleValue(before, 'summit_bot_knowledge_notes') - 1);
  }, 30_000);
});
