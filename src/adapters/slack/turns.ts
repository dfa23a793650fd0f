/**
 * Starts queued answers one per event-loop turn, and only while no request is still waiting for its
 * acknowledgement: acks are cheap and have a 3-second deadline, answers are costly and may take
 * longer. An answer that has waited `maxWaitMs` starts anyway, so a flood cannot starve answers.
 */
export class TurnQueue {
  private readonly waiting: { start: () => void; since: number }[] = [];
  private scheduled = false;
  private recheck: NodeJS.Timeout | undefined;

  constructor(
    private readonly isBusy: () => boolean = () => false,
    private readonly maxWaitMs = 2000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Resolves when it is this caller's turn to start its work. */
  turn(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push({ start: resolve, since: this.now() });
      this.schedule();
    });
  }

  /** Tells the queue the busy condition may have cleared. */
  kick(): void {
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const next = this.waiting[0];
      if (!next) return;
      if (this.isBusy() && this.now() - next.since < this.maxWaitMs) {
        // Check again soon in case no kick() comes (a request that never finishes).
        this.recheck ??= setTimeout(() => {
          this.recheck = undefined;
          this.schedule();
        }, RECHECK_MS).unref();
        return;
      }
      this.waiting.shift()!.start();
      this.schedule();
    });
  }
}

const RECHECK_MS = 10;
