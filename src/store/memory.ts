import type { Target } from '../core/ports.ts';
import {
  DEFAULT_CLAIM_LEASE_MS,
  isClaimable,
  type PostRecord,
  type RotationState,
  type Store,
  type StoreOptions,
  type SubscriptionInput,
  type SubscriptionRecord,
} from '../core/store.ts';

const key = (target: Target, localDate: string) => `${target}\u0000${localDate}`;

/** The store in a process's memory, for tests and runs without a data directory. Same rules as SQLite. */
export class MemoryStore implements Store {
  private readonly subscriptions = new Map<Target, SubscriptionRecord>();
  private readonly rotations = new Map<Target, RotationState>();
  private readonly posts = new Map<string, PostRecord>();
  private readonly leaseMs: number;
  private closed = false;

  constructor(options: StoreOptions = {}) {
    this.leaseMs = options.leaseMs ?? DEFAULT_CLAIM_LEASE_MS;
  }

  upsertSubscription(input: SubscriptionInput, now: Date): SubscriptionRecord {
    const record: SubscriptionRecord = { ...input, since: new Date(now) };
    this.subscriptions.set(input.target, record);
    return { ...record };
  }

  getSubscription(target: Target): SubscriptionRecord | undefined {
    const record = this.subscriptions.get(target);
    return record && { ...record };
  }

  deleteSubscription(target: Target): boolean {
    return this.subscriptions.delete(target);
  }

  listActiveSubscriptions(): SubscriptionRecord[] {
    return [...this.subscriptions.values()]
      .filter((s) => s.pausedReason === undefined)
      .sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0))
      .map((s) => ({ ...s }));
  }

  pauseSubscription(target: Target, reason: string, now: Date): boolean {
    const record = this.subscriptions.get(target);
    if (!record) return false;
    this.subscriptions.set(target, { ...record, pausedReason: reason, pausedAt: new Date(now) });
    return true;
  }

  getRotation(target: Target): RotationState {
    const state = this.rotations.get(target);
    return state ? { cycle: state.cycle, used: [...state.used] } : { cycle: 1, used: [] };
  }

  saveRotation(target: Target, state: RotationState): void {
    this.rotations.set(target, { cycle: state.cycle, used: [...state.used] });
  }

  claimPost(target: Target, localDate: string, owner: string, now: Date): boolean {
    const existing = this.posts.get(key(target, localDate));
    if (!isClaimable(existing, now, this.leaseMs)) return false;
    this.posts.set(key(target, localDate), {
      ...existing,
      target,
      localDate,
      status: 'claimed',
      owner,
      claimedAt: new Date(now),
      attempts: (existing?.attempts ?? 0) + 1,
      retryable: false,
      retryAt: undefined,
    });
    return true;
  }

  markPosted(target: Target, localDate: string, tipId: string, now: Date): void {
    this.settle(target, localDate, now, { status: 'posted', tipId, postedAt: new Date(now), retryable: false, retryAt: undefined });
  }

  markFailed(target: Target, localDate: string, error: string, transient: boolean, now: Date, retryAt?: Date): void {
    if (this.posts.get(key(target, localDate))?.status === 'posted') return;
    this.settle(target, localDate, now, { status: 'failed', error, retryable: transient, retryAt: transient && retryAt ? new Date(retryAt) : undefined });
  }

  /** Records how a day's post ended, keeping what the claim recorded (or defaults when there was none). */
  private settle(target: Target, localDate: string, now: Date, outcome: Pick<PostRecord, 'status' | 'retryable' | 'retryAt'> & Partial<PostRecord>): void {
    const existing = this.posts.get(key(target, localDate));
    this.posts.set(key(target, localDate), { owner: '', claimedAt: new Date(now), attempts: 1, ...existing, target, localDate, ...outcome });
  }

  postState(target: Target, localDate: string): PostRecord | undefined {
    const record = this.posts.get(key(target, localDate));
    return record && { ...record };
  }

  isWritable(): boolean {
    return !this.closed;
  }

  close(): void {
    this.closed = true;
  }
}
