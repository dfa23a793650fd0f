/**
 * Button custom_ids. A button carries the command line it re-runs: `share:/ask 그래비톤` (or `more:…`) when that
 * fits in Discord's 100 characters; a longer line is kept in a bounded in-memory map and the button carries a short
 * key instead (`share#k3j9x2…`). Keys are lost on restart or after `ttlMs`; such a click gets a polite "expired".
 */
import { randomBytes } from 'node:crypto';
import type { Action, ActionKind } from '../../core/reply.ts';
import { stripControls } from './render.ts';

export const MAX_CUSTOM_ID = 100;
const KINDS: readonly ActionKind[] = ['share', 'more'];

export class CommandLineStore {
  private readonly entries = new Map<string, { line: string; at: number }>();
  private readonly byLine = new Map<string, string>();

  constructor(
    private readonly maxEntries = 1000,
    private readonly ttlMs = 24 * 60 * 60 * 1000,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** Stores a command line and returns its key (the same key for the same line while it is kept). */
  put(line: string): string {
    const known = this.byLine.get(line);
    if (known && this.get(known) !== undefined) {
      const entry = this.entries.get(known)!;
      this.entries.delete(known);
      this.entries.set(known, { ...entry, at: this.now() });
      return known;
    }
    const key = randomBytes(9).toString('base64url');
    this.entries.set(key, { line, at: this.now() });
    this.byLine.set(line, key);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.delete(oldest);
    }
    return key;
  }

  get(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (this.now() - entry.at > this.ttlMs) {
      this.delete(key);
      return undefined;
    }
    return entry.line;
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    if (entry && this.byLine.get(entry.line) === key) this.byLine.delete(entry.line);
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
export function decodeCustomId(customId: string, store: CommandLineStore): DecodedCustomId | undefined {
  const match = /^([a-z]+)([:#])([\s\S]+)$/.exec(customId);
  if (!match) return undefined;
  const kind = match[1] as ActionKind;
  if (!KINDS.includes(kind)) return undefined;
  const rest = match[3]!;
  if (match[2] === ':') return rest.trim() ? { kind, command: rest.trim() } : undefined;
  const line = store.get(rest);
  return line === undefined ? { kind, expired: true } : { kind, command: line };
}
