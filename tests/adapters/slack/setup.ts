/** Shared wiring for the Slack end-to-end tests: the real bot over the shipped notes, a capturing logger. */
import type { RetryConfig } from '../../../src/adapters/slack/app.ts';

export { capturingLogger, realBot, sleep, until, type CapturedLog } from '../../helpers.ts';

/** Quick retries so 429/5xx tests stay fast (Retry-After is still honoured by the WebClient). */
export const FAST_RETRY: RetryConfig = { retries: 3, factor: 1, minTimeout: 10, maxTimeout: 50, randomize: false };


/** All the text a Slack message payload would show, as one string (text + blocks JSON). */
export function shown(body: Record<string, unknown>): string {
  return `${String(body.text ?? '')}\n${JSON.stringify(body.blocks ?? [])}`;
}
