/**
 * Button custom_ids. A button carries the command line it runs: `share:/ask 그래비톤` (or `more:…`, `feedback:…`) when that
 * fits in Discord's 100 characters; a longer line is kept in the store under a key derived from it and the button
 * carries the key instead (`share#k3j9x2…`), so the click can land on any replica. Keys expire after `ttlMs`;
 * a click on an expired one gets a polite "expired".
 */
import { createHash } from 'node:crypto';
import type { Action, ActionKind } from '../../core/reply.ts';
import type { Store } from '../../core/store.ts';
import { stripControls } from './render.ts';

export const MAX_CUSTOM_ID = 100;
const KINDS: readonly ActionKind[] = ['share', 'more', 'feedback'];
const STORE_PREFIX = 'discord:line:';

/** Command lines too long for a custom_id: kept in this process for rendering, in the store for every replica. */
export class CommandLineStore {
  private readonly recent = new Map<string, string>();
  private readonly unsaved = new Map<string, string>();

  constructor(
    private readonly store: Store,
    private readonly ttlMs = 24 * 60 * 60 * 1000,
    private readonly maxRecent = 1000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The key of `line`: the same for the same line, on every replica. Kept here until `save()`. */
  put(line: string): string {
    const key = createHash('sha256').update(line).digest('base64url').slice(0, 16);
    this.recent.delete(key);
    this.recent.set(key, line);
    for (const oldest of this.recent.keys()) {
      if (this.recent.size <= this.maxRecent) break;
      this.recent.delete(oldest);
    }
    this.unsaved.set(key, line);
    return key;
  }

  /** Writes the lines put since the last save to the store; call it before sending the message that carries their keys. */
  async save(): Promise<void> {
    const pending = [...this.unsaved];
    this.unsaved.clear();
    const at = new Date(this.now());
    await Promise.all(pending.map(([key, line]) => this.store.putValue(STORE_PREFIX + key, line, this.ttlMs, at)));
  }

  /** The line of `key`, from this process or the store; undefined once it expired. */
  async get(key: string): Promise<string | undefined> {
    return this.recent.get(key) ?? (await this.store.getValue(STORE_PREFIX + key, new Date(this.now())));
  }
}

/** The custom_id for an action button: inline when it fits, else a stored key. */
export function encodeCustomId(action: Action, store: CommandLineStore): string | undefined {
  const line = stripControls(action.command).replace(/\s+/g, ' ').trim();
  if (!line || line.length > 4000) return undefined;
  const inline = `${action.kind}:${line}`;
  if (inline.length <= MAX_CUSTOM_ID) return inline;
  return `${action.kind}#${store.put(line)}`;
}

export type DecodedCustomId = { kind: ActionKind; command: string } | { kind: ActionKind; expired: true };

/** Reads a custom_id made by `encodeCustomId`; undefined for anything else. */
export async function decodeCustomId(customId: string, store: CommandLineStore): Promise<DecodedCustomId | undefined> {
  const match = /^([a-z]+)([:#])([\s\S]+)$/.exec(customId);
  if (!match) return undefined;
  const kind = match[1] as ActionKind;
  if (!KINDS.includes(kind)) return undefined;
  const rest = match[3]!;
  if (match[2] === ':') return rest.trim() ? { kind, command: rest.trim() } : undefined;
  const line = await store.get(rest);
  return line === undefined ? { kind, expired: true } : { kind, command: line };
}
