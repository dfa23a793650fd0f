import { describe, expect, it } from 'vitest';
import { TurnQueue } from '../../../src/adapters/slack/turns.ts';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

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

  it('holds answers while requests wait for their ack, and starts them once kicked', async () => {
    let busy = true;
    const queue = new TurnQueue(() => busy);
    let started = false;
    const done = queue.turn().then(() => (started = true));
    for (let i = 0; i < 5; i++) await nextTurn();
    expect(started).toBe(false);
    busy = false;
    queue.kick();
    await done;
    expect(started).toBe(true);
  });

  it('starts an answer that has waited too long even when still busy', async () => {
    let clock = 0;
    const queue = new TurnQueue(() => true, 2000, () => clock);
    let started = false;
    const done = queue.turn().then(() => (started = true));
    await nextTurn();
    expect(started).toBe(false);
    clock = 2500;
    await done;
    expect(started).toBe(true);
  });
});
