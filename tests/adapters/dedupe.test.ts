import { describe, expect, it } from 'vitest';
import { Deduplicator } from '../../src/adapters/dedupe.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { capturingLogger } from '../helpers.ts';

describe('Deduplicator', () => {
  it('answers a delivery once across two replicas sharing a store, and again after the TTL', async () => {
    const store = new MemoryStore();
    let now = Date.parse('2026-03-02T00:00:00Z');
    const { logger } = capturingLogger();
    const replicaA = new Deduplicator(store, logger, 60_000, () => now);
    const replicaB = new Deduplicator(store, logger, 60_000, () => now);
    expect(await replicaA.firstTime('slack:event:Ev1')).toBe(true);
    expect(await replicaB.firstTime('slack:event:Ev1')).toBe(false);
    expect(await replicaA.firstTime('slack:event:Ev1')).toBe(false);
    expect(await replicaB.firstTime('slack:event:Ev2')).toBe(true);
    now += 60_000;
    expect(await replicaB.firstTime('slack:event:Ev1')).toBe(true);
  });

  it('answers a repeat in the same process without asking the store', async () => {
    const store = new MemoryStore();
    let asked = 0;
    const counting = Object.assign(Object.create(store) as MemoryStore, {
      claimKey: (...args: Parameters<MemoryStore['claimKey']>) => {
        asked++;
        return store.claimKey(...args);
      },
    });
    const dedupe = new Deduplicator(counting, capturingLogger().logger);
    expect(await dedupe.firstTime('k')).toBe(true);
    expect(await dedupe.firstTime('k')).toBe(false);
    expect(asked).toBe(1);
  });

  it('handles the delivery, with a warning, when the store cannot be reached', async () => {
    const store = new MemoryStore();
    const broken = Object.assign(Object.create(store) as MemoryStore, {
      claimKey: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')),
    });
    const { logger, lines } = capturingLogger();
    expect(await new Deduplicator(broken, logger).firstTime('slack:event:Ev1')).toBe(true);
    expect(lines.find((l) => l.msg.includes('store is unreachable'))).toMatchObject({ key: 'slack:event:Ev1', err: 'connect ECONNREFUSED 127.0.0.1:5432' });
  });
});
