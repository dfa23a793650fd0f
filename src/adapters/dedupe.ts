import type { Store } from '../core/store.ts';

/** The subset of a pino logger de-duplication uses. */
interface DedupeLogger {
  warn(obj: object, msg?: string): void;
}

/**
 * A bounded set of recently seen keys in this process: the fast path of `Deduplicator`.
 * Entries expire after `ttlMs`; the oldest go first when more than `max` are held.
 */
export class SeenSet {
  private readonly entries = new Map<string, number>();

  constructor(
    private readonly max = 10_000,
    /** Slack retries for about five minutes; an hour leaves plenty of margin. */
    private readonly ttlMs = 60 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** True the first time a key is seen (within the TTL); false for every repeat. Marks it seen. */
  firstTime(key: string): boolean {
    const at = this.now();
    const expires = this.entries.get(key);
    if (expires !== undefined && expires > at) return false;
    this.entries.delete(key);
    this.entries.set(key, at + this.ttlMs);
    // Insertion order is expiry order (one TTL for all), so the stale and surplus ones are at the front.
    for (const [oldKey, oldExpires] of this.entries) {
      if (this.entries.size > this.max || oldExpires <= at) this.entries.delete(oldKey);
      else break;
    }
    return true;
  }

  has(key: string): boolean {
    const expires = this.entries.get(key);
    return expires !== undefined && expires > this.now();
  }

  get size(): number {
    return this.entries.size;
  }
}

/**
 * "Have we handled this before?", answered for every replica sharing the store: a platform's retries
 * (Slack `event_id`, a message's `channel:ts`) and repeated clicks may land on any replica. A key seen
 * in this process is a repeat at once, without a database round trip; otherwise the store's atomic
 * `claimKey` decides. When the store cannot be reached the delivery counts as new: answering twice
 * beats never answering.
 */
export class Deduplicator {
  private readonly local: SeenSet;

  constructor(
    private readonly store: Store,
    private readonly logger: DedupeLogger,
    /** Slack retries for about five minutes; an hour leaves plenty of margin. */
    private readonly ttlMs = 60 * 60_000,
    private readonly now: () => number = Date.now,
  ) {
    this.local = new SeenSet(10_000, ttlMs, now);
  }

  /** True for the first delivery of `key` across every replica (within the TTL), false for every repeat. */
  async firstTime(key: string): Promise<boolean> {
    if (!this.local.firstTime(key)) return false;
    try {
      return await this.store.claimKey(key, this.ttlMs, new Date(this.now()));
    } catch (error) {
      this.logger.warn({ key, err: error instanceof Error ? error.message : String(error) }, 'de-duplication: the store is unreachable; handling the delivery');
      return true;
    }
  }
}
