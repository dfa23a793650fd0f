/** Shared wiring for the Slack end-to-end tests: the real bot over the shipped notes, a capturing logger. */
import { createSlackAdapter, type RetryConfig, type SlackAdapter } from '../../../src/adapters/slack/app.ts';
import type { Bot } from '../../../src/core/bot.ts';
import type { Store } from '../../../src/core/store.ts';
import type { Logger } from '../../../src/logger.ts';
import { MemoryStore } from '../../../src/store/memory.ts';

export { capturingLogger, realBot, sleep, until, type CapturedLog } from '../../helpers.ts';

/** Quick retries so 429/5xx tests stay fast (Retry-After is still honoured by the WebClient). */
export const FAST_RETRY: RetryConfig = { retries: 3, factor: 1, minTimeout: 10, maxTimeout: 50, randomize: false };


/** All the text a Slack message payload would show, as one string (text + blocks JSON). */
export function shown(body: Record<string, unknown>): string {
  return `${String(body.text ?? '')}\n${JSON.stringify(body.blocks ?? [])}`;
}

/** The signing secret the HTTP-mode tests sign with. */
export const SIGNING_SECRET = 'test-signing-secret';

/** The real adapter in HTTP mode on 127.0.0.1 (an ephemeral port) against the fake Web API, started. */
export async function startHttpAdapter(bot: Bot, apiUrl: string, logger: Logger, store: Store = new MemoryStore()): Promise<{ adapter: SlackAdapter; url: string }> {
  const adapter = createSlackAdapter({
    config: { mode: 'http', botToken: 'xoxb-test', signingSecret: SIGNING_SECRET, port: 0, apiUrl },
    bot,
    store,
    logger,
    host: '127.0.0.1',
    retryConfig: FAST_RETRY,
    drainTimeoutMs: 3000,
    // A post the fake answers late (a share) gives up quickly, as a short lease makes it.
    postTimeoutMs: 1_000,
  });
  await adapter.start();
  return { adapter, url: `http://127.0.0.1:${adapter.port}/slack/events` };
}
