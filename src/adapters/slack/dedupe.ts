/**
 * A bounded set of recently seen keys (Slack `event_id`s, message `channel:ts`), so a delivery Slack
 * retries — HTTP `x-slack-retry-num`, Socket Mode `retry_attempt` — is answered at most once.
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
