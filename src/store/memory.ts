import type { PostRefusal, Target } from '../core/ports.ts';
import {
  DEFAULT_CLAIM_LEASE_MS,
  isClaimable,
  type FailureDetails,
  type FeedbackRecord,
  type PostRecord,
  type QuestionRecordInput,
  type RotationState,
  type Store,
  type StoreOptions,
  type SubscriptionInput,
  type SubscriptionRecord,
  type VoteInput,
  type VoteOutcome,
} from '../core/store.ts';

const key = (target: Target, localDate: string) => `${target}\u0000${localDate}`;

/** The store in a process's memory, for tests and runs without a data directory. Same rules as the SQL stores. */
export class MemoryStore implements Store {
  private readonly subscriptions = new Map<Target, SubscriptionRecord>();
  private readonly rotations = new Map<Target, RotationState>();
  private readonly posts = new Map<string, PostRecord>();
  private readonly keys = new Map<string, { value: string; expiresAt: number }>();
  /** Votes by answer and voter; who voted is kept only in the key, as in the SQL stores' primary key. */
  private readonly votes = new Map<string, FeedbackRecord>();
  private readonly unanswered: FeedbackRecord[] = [];
  private readonly settings = new Map<string, string>();
  private readonly leaseMs: number;
  private closed = false;

  constructor(options: StoreOptions = {}) {
    this.leaseMs = options.leaseMs ?? DEFAULT_CLAIM_LEASE_MS;
  }

  async upsertSubscription(input: SubscriptionInput, now: Date): Promise<SubscriptionRecord> {
    const record: SubscriptionRecord = { ...input, since: new Date(now) };
    this.subscriptions.set(input.target, record);
    return { ...record };
  }

  async getSubscription(target: Target): Promise<SubscriptionRecord | undefined> {
    const record = this.subscriptions.get(target);
    return record && { ...record };
  }

  async deleteSubscription(target: Target): Promise<boolean> {
    return this.subscriptions.delete(target);
  }

  async listActiveSubscriptions(): Promise<SubscriptionRecord[]> {
    return (await this.listSubscriptions()).filter((s) => s.pausedReason === undefined);
  }

  async listSubscriptions(): Promise<SubscriptionRecord[]> {
    return [...this.subscriptions.values()].sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0)).map((s) => ({ ...s }));
  }

  async pauseSubscription(target: Target, reason: string, now: Date, refusal?: PostRefusal): Promise<boolean> {
    const record = this.subscriptions.get(target);
    if (!record) return false;
    this.subscriptions.set(target, { ...record, pausedReason: reason, ...(refusal ? { pausedRefusal: refusal } : {}), pausedAt: new Date(now) });
    return true;
  }

  async getRotation(target: Target): Promise<RotationState> {
    const state = this.rotations.get(target);
    return state ? { cycle: state.cycle, used: [...state.used] } : { cycle: 1, used: [] };
  }

  async saveRotation(target: Target, state: RotationState): Promise<void> {
    this.rotations.set(target, { cycle: state.cycle, used: [...state.used] });
  }

  async claimPost(target: Target, localDate: string, owner: string, now: Date): Promise<boolean> {
    const existing = this.posts.get(key(target, localDate));
    if (!isClaimable(existing, now, this.leaseMs)) return false;
    this.posts.set(key(target, localDate), {
      ...existing,
      target,
      localDate,
      status: 'claimed',
      owner,
      claimedAt: new Date(now),
      firstClaimedAt: existing?.firstClaimedAt ?? new Date(now),
      // A stale claim's owner died mid-attempt: it may have posted.
      maybePosted: existing?.maybePosted === true || existing?.status === 'claimed',
      attempts: (existing?.attempts ?? 0) + 1,
      retryable: false,
      retryAt: undefined,
    });
    return true;
  }

  async markPosted(target: Target, localDate: string, tipId: string, now: Date, messageId?: string): Promise<void> {
    this.settle(target, localDate, now, { status: 'posted', tipId, postedAt: new Date(now), messageId, retryable: false, retryAt: undefined });
  }

  async markFailed(target: Target, localDate: string, error: string, transient: boolean, now: Date, details: FailureDetails = {}): Promise<void> {
    const existing = this.posts.get(key(target, localDate));
    if (existing?.status === 'posted') return;
    this.settle(target, localDate, now, {
      status: 'failed',
      error,
      retryable: transient,
      retryAt: transient && details.retryAt ? new Date(details.retryAt) : undefined,
      maybePosted: existing?.maybePosted === true || details.maybePosted === true,
    });
  }

  /** Records how a day's post ended, keeping what the claim recorded (or defaults when there was none). */
  private settle(target: Target, localDate: string, now: Date, outcome: Pick<PostRecord, 'status' | 'retryable' | 'retryAt'> & Partial<PostRecord>): void {
    const existing = this.posts.get(key(target, localDate));
    this.posts.set(key(target, localDate), { owner: '', claimedAt: new Date(now), firstClaimedAt: new Date(now), maybePosted: false, attempts: 1, ...existing, target, localDate, ...outcome });
  }

  async postState(target: Target, localDate: string): Promise<PostRecord | undefined> {
    const record = this.posts.get(key(target, localDate));
    return record && { ...record };
  }

  async postStatesFrom(target: Target, fromDate: string): Promise<PostRecord[]> {
    return [...this.posts.values()]
      .filter((p) => p.target === target && p.localDate >= fromDate)
      .sort((a, b) => (a.localDate < b.localDate ? -1 : 1))
      .map((p) => ({ ...p }));
  }

  async claimKey(name: string, ttlMs: number, now: Date): Promise<boolean> {
    if (this.liveKey(name, now)) return false;
    this.keys.set(name, { value: '', expiresAt: now.getTime() + ttlMs });
    return true;
  }

  async putValue(name: string, value: string, ttlMs: number, now: Date): Promise<void> {
    this.keys.set(name, { value, expiresAt: now.getTime() + ttlMs });
  }

  async getValue(name: string, now: Date): Promise<string | undefined> {
    return this.liveKey(name, now)?.value;
  }

  private liveKey(name: string, now: Date): { value: string } | undefined {
    const entry = this.keys.get(name);
    return entry && entry.expiresAt > now.getTime() ? entry : undefined;
  }

  async purgeExpired(now: Date): Promise<number> {
    let purged = 0;
    for (const [name, entry] of this.keys) {
      if (entry.expiresAt <= now.getTime()) {
        this.keys.delete(name);
        purged++;
      }
    }
    return purged;
  }

  async recordVote(input: VoteInput, now: Date): Promise<VoteOutcome> {
    const id = `${input.answerId}\u0000${input.voter}`;
    const current = this.votes.get(id);
    if (current?.vote === input.vote) return 'unchanged';
    const { answerId: _answer, voter: _voter, ...question } = input;
    this.votes.set(id, { ...(current ?? question), kind: 'vote', vote: input.vote, at: new Date(now) });
    return current ? 'changed' : 'recorded';
  }

  async recordUnanswered(input: QuestionRecordInput, now: Date): Promise<void> {
    const { citation: _citation, source: _source, ...question } = input;
    this.unanswered.push({ ...question, kind: 'unanswered', at: new Date(now) });
  }

  async feedbackSince(since: Date): Promise<FeedbackRecord[]> {
    return [...this.votes.values(), ...this.unanswered]
      .filter((record) => record.at.getTime() >= since.getTime())
      .sort((a, b) => a.at.getTime() - b.at.getTime())
      .map((record) => ({ ...record, at: new Date(record.at) }));
  }

  async purgeFeedback(before: Date): Promise<number> {
    let purged = 0;
    for (const [id, record] of this.votes) {
      if (record.at.getTime() < before.getTime()) {
        this.votes.delete(id);
        purged++;
      }
    }
    const kept = this.unanswered.filter((record) => record.at.getTime() >= before.getTime());
    purged += this.unanswered.length - kept.length;
    this.unanswered.splice(0, this.unanswered.length, ...kept);
    return purged;
  }

  async settingOrInit(name: string, initial: string): Promise<string> {
    if (!this.settings.has(name)) this.settings.set(name, initial);
    return this.settings.get(name)!;
  }

  async isWritable(): Promise<boolean> {
    return !this.closed;
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
