import { describe, expect, it } from 'vitest';
import { TurnQueue } from '../../../src/adapters/slack/turns.ts';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await nextTurn();
};

describe('TurnQueue', () => {
  it('starts waiting work in arrival order, one per event-loop turn', async () => {
    const queue = new TurnQueue();
    const started: number[] = [];
    const all = [1, 2, 3].map((n) => queue.turn().then(() => started.push(n)));
    await nextTurn();
    expect(started.length).toBeLessThanOrEqual(1);
    await Promise.all(all);
    expect(started).toEqual([1, 2, 3]);
  });

  it('holds answers while requests wait for their ack, and starts them once the last is acknowledged', async () => {
    const queue = new TurnQueue();
    queue.requestArrived();
    queue.requestArrived();
    let started = false;
    const done = queue.turn().then(() => (started = true));
    await turns(5);
    queue.requestDone();
    await turns(5);
    expect(started).toBe(false);
    queue.requestDone();
    await done;
    expect(started).toBe(true);
  });

  it('keeps holding answers until the burst has settled, even when every ack is out', async () => {
    let clock = 0;
    const queue = new TurnQueue({ settleMs: 5, now: () => clock });
    queue.requestArrived();
    queue.requestDone();
    let started = false;
    const done = queue.turn().then(() => (started = true));
    await turns(5);
    expect(started).toBe(false);
    clock = 6;
    await done;
    expect(started).toBe(true);
  });

  it('starts an answer that has waited too long even while requests keep coming', async () => {
    let clock = 0;
    const queue = new TurnQueue({ maxWaitMs: 2000, now: () => clock });
    queue.requestArrived();
    let started = false;
    const done = queue.turn().then(() => (started = true));
    await nextTurn();
    expect(started).toBe(false);
    clock = 2500;
    await done;
    expect(started).toBe(true);
  });

  it('under a flood that never lets up, starts overdue answers several per turn', async () => {
    let clock = 0;
    const queue = new TurnQueue({ maxWaitMs: 2000, now: () => clock });
    queue.requestArrived();
    let started = 0;
    const all = Array.from({ length: 20 }, () => queue.turn().then(() => started++));
    clock = 2500;
    await nextTurn();
    expect(started).toBeGreaterThan(1);
    expect(started).toBeLessThan(20);
    await Promise.all(all);
    expect(started).toBe(20);
  });
});
