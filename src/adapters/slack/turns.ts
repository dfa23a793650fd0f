export interface TurnQueueOptions {
  /** How long after the latest request arrived answers keep waiting: a burst arrives over several milliseconds. */
  settleMs?: number;
  /** An answer that has waited this long starts anyway, so a flood cannot starve answers. */
  maxWaitMs?: number;
  now?: () => number;
}

/**
 * Starts queued answers one per event-loop turn, and only while no request is waiting for its
 * acknowledgement and none has arrived in the last `settleMs`: acks are cheap and have a 3-second
 * deadline, answers are costly and may take longer, so during a burst every ack goes out first.
 */
export class TurnQueue {
  private readonly waiting: { start: () => void; since: number }[] = [];
  private readonly settleMs: number;
  private readonly maxWaitMs: number;
  private readonly now: () => number;
  private unacknowledged = 0;
  private lastArrival = Number.NEGATIVE_INFINITY;
  private scheduled = false;
  private recheck: NodeJS.Timeout | undefined;

  constructor(options: TurnQueueOptions = {}) {
    this.settleMs = options.settleMs ?? 0;
    this.maxWaitMs = options.maxWaitMs ?? 2000;
    this.now = options.now ?? (() => performance.now());
  }

  /** A request came in; answers wait until it is acknowledged. */
  requestArrived(): void {
    this.unacknowledged++;
    this.lastArrival = this.now();
  }

  /** A request's response went out (or its connection closed). */
  requestDone(): void {
    this.unacknowledged = Math.max(0, this.unacknowledged - 1);
    if (this.unacknowledged === 0) this.schedule();
  }

  /** How many callers wait for their turn. */
  get waitingCount(): number {
    return this.waiting.length;
  }

  /** Resolves when it is this caller's turn to start its work. */
  turn(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push({ start: resolve, since: this.now() });
      this.schedule();
    });
  }

  /** Milliseconds until answers may start, or 0 when they may start now. */
  private holdFor(since: number): number {
    const now = this.now();
    if (this.overdue(since, now)) return 0;
    if (this.unacknowledged > 0) return RECHECK_MS;
    return Math.max(0, this.settleMs - (now - this.lastArrival));
  }

  /** An answer that has waited `maxWaitMs` starts even while requests keep coming. */
  private overdue(since: number, now: number): boolean {
    return now - since >= this.maxWaitMs;
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const next = this.waiting[0];
      if (!next) return;
      const hold = this.holdFor(next.since);
      if (hold > 0) {
        // Check again later even if no requestDone() comes (a request that never finishes).
        this.recheck ??= setTimeout(() => {
          this.recheck = undefined;
          this.schedule();
        }, Math.min(hold, RECHECK_MS)).unref();
        return;
      }
      // Under a flood that never lets up, overdue answers start a few per turn, so they keep some pace with the acks.
      const now = this.now();
      let started = 0;
      do {
        this.waiting.shift()!.start();
        started++;
      } while (started < OVERDUE_PER_TURN && this.unacknowledged > 0 && this.waiting[0] !== undefined && this.overdue(this.waiting[0].since, now));
      this.schedule();
    });
  }
}

const RECHECK_MS = 10;
const OVERDUE_PER_TURN = 8;
