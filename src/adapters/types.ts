import type { Platform, Poster } from '../core/ports.ts';

/**
 * How long an adapter's stop() waits for replies in flight: inside the process's 10 s shutdown
 * deadline, with room left to close the store.
 */
export const DRAIN_TIMEOUT_MS = 7_000;

/** A running chat transport: started and stopped by the app, asked about its health. */
export interface ChatAdapter {
  readonly platform: Platform;
  start(): Promise<void>;
  /** Stops taking new commands and waits for replies already in flight. */
  stop(): Promise<void>;
  isConnected(): boolean;
  /** Posts unprompted messages to this platform's conversations. */
  readonly poster: Poster;
}
