/**
 * The Slack adapter: Bolt in Socket Mode (when an app-level token is configured) or HTTP mode
 * (Bolt's standard `/slack/events` endpoint for commands, events and interactivity).
 *
 * - Every command in `bot.commands` is registered as `/name`; unknown `/x` commands get the bot's
 *   "unknown command" answer. `@bot …` mentions and DMs are parsed like a command line.
 * - Slash commands and button clicks are acked at once (empty ack), the answer follows via response_url.
 *   Every other request is acknowledged too, handled or not (`app_rate_limited`, shortcuts, view events).
 * - The App Home tab is published on `app_home_opened` (home.ts); its "details" buttons open a modal.
 * - Slack's assistant pane goes through Bolt's `Assistant`: suggested prompts when a thread starts, a
 *   status while the answer is looked up, the answer in the thread. Without the feature nothing changes:
 *   DMs are answered as before.
 * - Slack retries (`x-slack-retry-num`, Socket Mode `retry_attempt`) are deduplicated on `event_id`
 *   (and on `channel:ts`) in the store, so a question is never answered twice, whichever replica each
 *   delivery reaches; a repeated share click on one message posts once.
 * - HTTP mode: our own `http.Server` in front of Bolt's request listener caps bodies, verifies Slack's
 *   signature and rejects timestamps more than five minutes off either way; Bolt gets the verified body.
 * - Web API failures are logged (error codes only, never tokens or user text at info) and never crash.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQuery } from 'node:querystring';
import {
  App,
  Assistant,
  ErrorCode as BoltErrorCode,
  HTTPReceiver,
  SocketModeReceiver,
  webApi,
  type AllMiddlewareArgs,
  type AnyMiddlewareArgs,
  type AssistantConfig,
  type ReceiverEvent,
  type RespondArguments,
  type RespondFn,
  type SlackActionMiddlewareArgs,
  type SlackCommandMiddlewareArgs,
  type SlackEventMiddlewareArgs,
  type types,
} from '@slack/bolt';
import type { SlackConfig } from '../../config.ts';
import type { Bot } from '../../core/bot.ts';
import { parseCommandLine } from '../../core/commands/parse.ts';
import type { CommandRequest } from '../../core/commands/types.ts';
import { t } from '../../core/i18n.ts';
import type { Reply } from '../../core/reply.ts';
import type { Store } from '../../core/store.ts';
import type { Logger } from '../../logger.ts';
import { DRAIN_TIMEOUT_MS, type ChatAdapter } from '../types.ts';
import { headerValue, readBody, type Routes } from '../http.ts';
import { Deduplicator } from '../dedupe.ts';
import { buildDetailsModal, buildHomeView } from './home.ts';
import { PERMANENT_SLACK_ERRORS, SlackPoster, slackErrorCode } from './poster.ts';
import { FEEDBACK_ACTION_ID, MORE_ACTION_ID, SHARE_ACTION_ID, renderSlack, sharedByBlock, slackText, unescapeSlack, type SlackMessage } from './render.ts';
import { signatureProblem } from './signature.ts';
import { toSlackLogger } from './slack-logger.ts';

import { SLACK_EVENTS_PATH } from './paths.ts';
import { TurnQueue } from './turns.ts';

export { SLACK_EVENTS_PATH };
/** Slack payloads are a few KB; anything far bigger is not from Slack. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Commands acknowledged but waiting for their answer, beyond which new commands are turned away. */
export const MAX_QUEUED_ANSWERS = 2_000;
/** Turned-away commands are logged at most this often, with a count. */
const SHED_LOG_INTERVAL_MS = 10_000;
/** Answers start this long after the latest request of a burst arrived, once every ack is out. */
const BURST_SETTLE_MS = 5;

/** p-retry options for the WebClient that sends answers (429 Retry-After is honoured between tries). */
export interface RetryConfig {
  retries: number;
  factor?: number;
  minTimeout?: number;
  maxTimeout?: number;
  randomize?: boolean;
}

export const DEFAULT_RETRY: RetryConfig = { retries: 3, factor: 2, minTimeout: 1000, maxTimeout: 10_000, randomize: true };
/** apps.connections.open while (re)connecting: keep trying for about an hour. */
export const SOCKET_OPEN_RETRY: RetryConfig = { retries: 120, factor: 1.3, minTimeout: 1000, maxTimeout: 30_000, randomize: true };

export interface SlackAdapterOptions {
  config: SlackConfig;
  bot: Bot;
  logger: Logger;
  /** Where de-duplication is shared with the other replicas. */
  store: Store;
  /** HTTP mode bind address. Default '0.0.0.0'; tests use '127.0.0.1'. */
  host?: string;
  /** Retry policy for answers (chat.postMessage). Default: 3 retries with backoff. */
  retryConfig?: RetryConfig;
  /** Web API request timeout in ms. Default 10 s. */
  requestTimeoutMs?: number;
  /** The poster's request timeout (daily tips, shared answers). Default: `requestTimeoutMs`. */
  postTimeoutMs?: number;
  /** How long stop() waits for answers in flight. Default DRAIN_TIMEOUT_MS. */
  drainTimeoutMs?: number;
  /** Answers allowed to wait before new commands are turned away (default MAX_QUEUED_ANSWERS). */
  maxQueuedAnswers?: number;
  /** Socket Mode: ms to wait for a pong before reconnecting (Bolt's default 5000). */
  clientPingTimeoutMs?: number;
  /** Clock for the timestamp check (seconds are derived from it). */
  now?: () => number;
  /** HTTP mode: serves GET /healthz on the same port. */
  health?: (req: IncomingMessage, res: ServerResponse) => void;
  /** HTTP mode: further endpoints on the same port (Discord HTTP interactions, /metrics). */
  routes?: Routes;
  /**
   * Told how long each acknowledgement took, in seconds: in HTTP mode from a request arriving to its 200
   * response sent, in Socket Mode from a command or click reaching the adapter to its ack sent.
   */
  onAck?: (seconds: number) => void;
}

export interface SlackAdapter extends ChatAdapter {
  readonly platform: 'slack';
  readonly mode: 'socket' | 'http';
  readonly poster: SlackPoster;
  /** HTTP mode, once started: the bound port (useful with `port: 0`). */
  readonly port: number | undefined;
  /** HTTP mode, once started: the server in front of Bolt. */
  readonly server: Server | undefined;
  /** The Bolt app, once started. */
  readonly app: App | undefined;
}

type Track = <T>(work: Promise<T>) => Promise<T | undefined>;

interface MessageLike {
  type?: string;
  subtype?: string;
  channel?: string;
  channel_type?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  ts?: string;
  thread_ts?: string;
  /** app_home_opened: 'home' or 'messages'. */
  tab?: string;
}

/** The assistant pane's context (the channel the user looks at) is not used, so no thread history is read or written for it. */
const NO_THREAD_CONTEXT: NonNullable<AssistantConfig['threadContextStore']> = { get: async () => ({}), save: async () => undefined };

/**
 * Bolt acknowledges only what a listener acknowledges, and a body it cannot classify (`app_rate_limited`)
 * never: Slack then gets a 404 after 3 s and may turn event delivery off. This App acknowledges whatever is
 * still unacknowledged once Bolt has dispatched it, which for a request nobody takes is at once.
 */
class AcknowledgingApp extends App {
  constructor(
    options: ConstructorParameters<typeof App>[0],
    private readonly onUnacknowledged: (body: ReceiverEvent['body']) => void,
  ) {
    super(options);
  }

  override async processEvent(event: ReceiverEvent): Promise<void> {
    const ack = event.ack;
    let acknowledged = false;
    event.ack = (response) => {
      acknowledged = true;
      return ack(response);
    };
    await super.processEvent(event);
    if (acknowledged) return;
    this.onUnacknowledged(event.body);
    await ack();
  }
}

/** Messages Bolt's Assistant takes: a person's message in a thread of the bot's DM (the assistant pane's threads). */
function isAssistantThreadMessage(event: MessageLike): boolean {
  return event.type === 'message' && event.channel_type === 'im' && event.thread_ts !== undefined && event.subtype === undefined;
}

const SHARE_BUTTON = new RegExp(`^${SHARE_ACTION_ID}(?::\\d+)?$`);
const MORE_BUTTON = new RegExp(`^${MORE_ACTION_ID}(?::\\d+)?$`);
const FEEDBACK_BUTTON = new RegExp(`^${FEEDBACK_ACTION_ID}(?::\\d+)?$`);

const NOTHING = (): void => {};

const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Slack markup in incoming text → plain text: our own mention removed, other mentions/channels/links
 * reduced to their labels, entities decoded. `<@BOT> /session 3` → `/session 3`.
 */
export function normalizeIncoming(text: string, botUserId?: string): string {
  let value = text;
  if (botUserId) value = value.replace(new RegExp(`<@${escapeRegExp(botUserId)}(?:\\|[^>]*)?>`, 'g'), ' ');
  return value
    .replace(/<@([UW][A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => `@${name || id}`)
    .replace(/<#([CG][A-Z0-9]+)(?:\|([^>]*))?>/g, (_m, id: string, name?: string) => `#${name || id}`)
    .replace(/<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>/g, (_m, name?: string) => name || '@group')
    .replace(/<!([a-z]+)(?:\^[^|>]*)?(?:\|([^>]*))?>/g, (_m, word: string, label?: string) => label || `@${word}`)
    .replace(/<((?:https?|mailto):[^|>\s]+)(?:\|([^>]*))?>/g, (_m, url: string, label?: string) => label || url)
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/[ \t]+/g, ' ')
    .trim();
}

function isSslCheck(req: IncomingMessage, body: Buffer): boolean {
  return headerValue(req, 'content-type') === 'application/x-www-form-urlencoded' && body.length < 200 && parseQuery(body.toString()).ssl_check === '1';
}

export function createSlackAdapter(options: SlackAdapterOptions): SlackAdapter {
  const { config, bot } = options;
  const log = options.logger.child({ component: 'slack' });
  const locale = bot.locale;
  const now = options.now ?? Date.now;
  const mode: 'socket' | 'http' = config.mode === 'socket' && config.appToken ? 'socket' : 'http';
  const slackLogger = toSlackLogger(options.logger, 'slack-bolt');
  const clientOptions = {
    ...(config.apiUrl ? { slackApiUrl: config.apiUrl } : {}),
    retryConfig: options.retryConfig ?? DEFAULT_RETRY,
    timeout: options.requestTimeoutMs ?? 10_000,
    logger: slackLogger,
  };
  const poster = new SlackPoster({
    botToken: config.botToken,
    ...(config.apiUrl ? { apiUrl: config.apiUrl } : {}),
    locale,
    logger: options.logger,
    timeoutMs: options.postTimeoutMs ?? options.requestTimeoutMs ?? 10_000,
  });

  const dedupe = new Deduplicator(options.store, log);
  const inflight = new Set<Promise<unknown>>();
  let app: App | undefined;
  let server: Server | undefined;
  let port: number | undefined;
  let connected = false;
  let stopping = false;
  let started = false;
  let botUserId: string | undefined;
  let socketReceiver: SocketModeReceiver | undefined;

  /** Answers wait while HTTP requests of a burst are still arriving or waiting for their ack. */
  const answerTurns = new TurnQueue({ settleMs: BURST_SETTLE_MS });
  const maxQueuedAnswers = options.maxQueuedAnswers ?? MAX_QUEUED_ANSWERS;
  let turnedAway = 0;
  let lastTurnedAwayLog = Number.NEGATIVE_INFINITY;
  const track: Track = (work) => {
    const guarded = work.then(
      (value) => value,
      (error: unknown) => {
        log.error({ code: slackErrorCode(error), err: error instanceof Error ? { message: error.message, name: error.name } : String(error) }, 'slack handler failed');
        return undefined;
      },
    );
    inflight.add(guarded);
    void guarded.finally(() => inflight.delete(guarded));
    return guarded;
  };

  const requestFor = (line: string, user: { id: string; name?: string }, channel: string): CommandRequest => {
    const parsed = parseCommandLine(line);
    return { command: parsed.command, text: parsed.text, user, target: `slack:${channel}`, platform: 'slack' };
  };

  const responseType = (reply: Reply): 'in_channel' | 'ephemeral' => (reply.visibility === 'public' ? 'in_channel' : 'ephemeral');

  /** Sends via response_url; on failure tells the user (plain text) and logs. Never throws. */
  async function respondSafely(respond: RespondFn, message: RespondArguments, what: string): Promise<boolean> {
    try {
      await respond(message);
      return true;
    } catch (error) {
      log.warn({ what, err: error instanceof Error ? error.message : String(error) }, 'slack response_url post failed');
      try {
        await respond({ response_type: 'ephemeral', replace_original: false, text: slackText.deliveryFailed[locale] });
      } catch {
        /* the response_url itself is unusable; nothing more to do */
      }
      return false;
    }
  }

  /** chat.postMessage with the answer; WebClient retries transient failures (429 Retry-After honoured). */
  async function postMessage(channel: string, message: SlackMessage, threadTs?: string): Promise<void> {
    if (!app) throw new Error('slack adapter not started');
    await app.client.chat.postMessage({
      channel,
      text: message.text,
      blocks: message.blocks as unknown as types.KnownBlock[],
      ...(threadTs ? { thread_ts: threadTs } : {}),
      parse: 'none',
      link_names: false,
      unfurl_links: false,
      unfurl_media: false,
    });
  }

  /** Slack's assistant status is a nicety: a workspace without the feature (or a plain DM thread) refuses it. */
  const quietly = (what: string, work: Promise<unknown>): Promise<void> =>
    work.then(
      () => undefined,
      (error: unknown) => log.debug({ what, code: slackErrorCode(error) }, 'slack: assistant call refused'),
    );

  /**
   * Answers a mention, a DM or a message in an assistant thread, in its thread/DM. With `setStatus` (the
   * assistant pane) the user sees "searching the notes…" until the answer arrives. Logs failures and tries
   * to tell the user; never throws.
   */
  async function answerMessage(event: MessageLike, kind: 'mention' | 'dm' | 'assistant', setStatus?: (status: string) => Promise<unknown>): Promise<void> {
    const channel = event.channel;
    const user = event.user;
    if (!channel || !user) return;
    // Covers the same message arriving as two events (e.g. app_mention and message.im).
    if (event.ts && !(await dedupe.firstTime(`slack:msg:${channel}:${event.ts}`))) return;
    const status = setStatus ? quietly('assistant.threads.setStatus', setStatus(slackText.searching[locale])) : undefined;
    const line = normalizeIncoming(event.text ?? '', botUserId);
    const request = requestFor(line === '' ? '/help' : line, { id: user }, channel);
    const reply = await bot.handle(request);
    // Posted into the conversation: everyone there sees it, so no "share" button.
    const message = renderSlack({ ...reply, visibility: 'public' }, locale);
    const threadTs = kind === 'mention' ? (event.thread_ts ?? event.ts) : event.thread_ts;
    // The status must be set before the answer lands, which is what clears it.
    await status;
    try {
      await postMessage(channel, message, threadTs);
      log.debug({ kind, command: request.command, channel }, 'slack answer posted');
    } catch (error) {
      const code = slackErrorCode(error);
      log.error({ kind, code, command: request.command, channel }, 'slack answer could not be delivered');
      if (setStatus) await quietly('assistant.threads.setStatus', setStatus(''));
      if (PERMANENT_SLACK_ERRORS.has(code) || code === 'ratelimited') return;
      try {
        await app?.client.chat.postMessage({ channel, text: slackText.deliveryFailed[locale], ...(threadTs ? { thread_ts: threadTs } : {}), parse: 'none' });
      } catch (second) {
        log.warn({ kind, code: slackErrorCode(second), channel }, 'slack failure notice could not be delivered either');
      }
    }
  }

  async function answerSlash(command: { command: string; text: string; user_id: string; user_name?: string; channel_id: string }, respond: RespondFn): Promise<void> {
    const name = command.command.replace(/^\//, '').toLowerCase();
    const request: CommandRequest = {
      command: name,
      text: normalizeIncoming(command.text ?? '', botUserId),
      user: { id: command.user_id, ...(command.user_name ? { name: command.user_name } : {}) },
      target: `slack:${command.channel_id}`,
      platform: 'slack',
    };
    const reply = await bot.handle(request);
    const message = renderSlack(reply, locale);
    await respondSafely(respond, { response_type: responseType(reply), replace_original: false, text: message.text, blocks: message.blocks as unknown as types.KnownBlock[] }, `/${name}`);
  }

  interface ButtonClick {
    value: string;
    userId: string;
    channelId: string | undefined;
    /** The message the button is on. */
    messageTs: string | undefined;
    /** A click in a view (the App Home tab, a modal) rather than a message: no channel, no response_url. */
    view?: { type: 'home' | 'modal'; triggerId: string };
  }

  function buttonClick(body: unknown, action: unknown): ButtonClick | undefined {
    const b = body as {
      type?: string;
      user?: { id?: string };
      channel?: { id?: string };
      container?: { channel_id?: string; message_ts?: string };
      view?: { type?: string };
      trigger_id?: string;
    };
    const a = action as { type?: string; value?: string };
    if (b.type !== 'block_actions' || a.type !== 'button' || typeof a.value !== 'string' || !b.user?.id) return undefined;
    const viewType = b.view?.type;
    const view: ButtonClick['view'] = (viewType === 'home' || viewType === 'modal') && b.trigger_id ? { type: viewType, triggerId: b.trigger_id } : undefined;
    return { value: unescapeSlack(a.value), userId: b.user.id, channelId: b.channel?.id ?? b.container?.channel_id, messageTs: b.container?.message_ts, ...(view ? { view } : {}) };
  }

  /** "Share to channel": re-run the command from the button and post the answer publicly, once per message. */
  async function share(click: ButtonClick, respond: RespondFn | undefined): Promise<void> {
    const { channelId, userId } = click;
    if (!channelId || !click.value.startsWith('/')) return;
    // A double click, or a click on another replica while the first share is still being posted.
    const key = `share:${channelId}:${click.messageTs ?? randomUUID()}`;
    if (click.messageTs && !(await dedupe.firstTime(`slack:${key}`))) {
      log.debug({ channel: channelId }, 'slack: repeated share click ignored');
      return;
    }
    const request = requestFor(click.value, { id: userId }, channelId);
    const reply = await bot.handle(request);
    const rendered = renderSlack({ ...reply, visibility: 'public' }, locale);
    const sharedBy = sharedByBlock(userId, locale);
    const message: SlackMessage = { text: rendered.text, blocks: sharedBy ? [...rendered.blocks.slice(0, 49), sharedBy] : rendered.blocks };
    try {
      // Once, though Slack be slow: a try that may have posted is looked for by its key before the next.
      await poster.postOnce(channelId, message, key);
      log.info({ command: request.command, channel: channelId }, 'slack answer shared');
      if (respond) {
        // The private copy has done its job.
        await respond({ delete_original: true }).catch((error: unknown) => log.debug({ err: String(error) }, 'could not delete the ephemeral answer'));
      }
    } catch (error) {
      const code = slackErrorCode(error);
      log.warn({ code, channel: channelId }, 'slack share via chat.postMessage failed');
      if (!respond) return;
      // Not a member of the channel (or a private one): the response_url can still post in the channel.
      if (code === 'not_in_channel' || code === 'channel_not_found') {
        const ok = await respond({ response_type: 'in_channel', replace_original: false, text: message.text, blocks: message.blocks as unknown as types.KnownBlock[] }).then(
          () => true,
          () => false,
        );
        if (ok) return;
      }
      await respond({ response_type: 'ephemeral', replace_original: false, text: slackText.shareFailed[locale] }).catch(() => undefined);
    }
  }

  /** "Show more" and 👍/👎: run the button's command and answer the clicker privately (from a view: in a modal). */
  async function answerPrivately(click: ButtonClick, respond: RespondFn | undefined, what: string): Promise<void> {
    if (click.view && click.value.startsWith('/')) return showInModal(click, click.view);
    if (!click.channelId || !click.value.startsWith('/') || !respond) return;
    const reply = await bot.handle(requestFor(click.value, { id: click.userId }, click.channelId));
    const message = renderSlack(reply, locale);
    await respondSafely(respond, { response_type: responseType(reply), replace_original: false, text: message.text, blocks: message.blocks as unknown as types.KnownBlock[] }, what);
  }

  /** A button on the App Home tab (or in a modal) has no conversation to answer in: the answer opens as a modal. */
  async function showInModal(click: ButtonClick, view: NonNullable<ButtonClick['view']>): Promise<void> {
    if (!app) return;
    const reply = await bot.handle(requestFor(click.value, { id: click.userId }, click.userId));
    const modal = buildDetailsModal(reply, locale) as unknown as types.ModalView;
    try {
      // From a modal, the next one is pushed onto it; views.open would be refused.
      if (view.type === 'modal') await app.client.views.push({ trigger_id: view.triggerId, view: modal });
      else await app.client.views.open({ trigger_id: view.triggerId, view: modal });
    } catch (error) {
      log.warn({ code: slackErrorCode(error), from: view.type }, 'slack: could not open the details modal');
    }
  }

  /** The App Home tab, rebuilt each time it is opened (today's tip changes daily, subscriptions come and go). */
  async function publishHome(userId: string): Promise<void> {
    if (!app) return;
    const view = await buildHomeView(bot, userId);
    try {
      await app.client.views.publish({ user_id: userId, view: view as unknown as types.HomeView });
      log.debug({ blocks: view.blocks.length }, 'slack: App Home published');
    } catch (error) {
      log.warn({ code: slackErrorCode(error) }, 'slack: could not publish the App Home tab');
    }
  }

  /** Slack's assistant pane, through Bolt's Assistant (invoked from the one global middleware, for its events only). */
  const assistant = new Assistant({
    threadContextStore: NO_THREAD_CONTEXT,
    threadStarted: async ({ setSuggestedPrompts }) => {
      const prompts = bot.prompts(locale);
      if (prompts.length > 0) await quietly('assistant.threads.setSuggestedPrompts', setSuggestedPrompts({ title: t('promptsTitle', locale), prompts }));
    },
    userMessage: async ({ message, setStatus }) => answerMessage(message as MessageLike, 'assistant', (status) => setStatus(status)),
  });
  const assistantMiddleware = assistant.getMiddleware();

  function register(bolt: App): void {
    bolt.error(async (error) => {
      log.error({ code: (error as { code?: string }).code, err: error.message }, 'slack: unhandled error in a Bolt listener');
    });

    // Every request goes through this one global middleware rather than through listeners: Bolt runs
    // the middleware of every listener for every request, copying the arguments at each step on a
    // slow V8 path, and one step instead of five made an ack about a sixth cheaper.
    bolt.use(async (args) => {
      if ('command' in args) return onCommand(args, ackTimer());
      if ('event' in args) return onEvent(args);
      if ('action' in args) return onAction(args, ackTimer());
    });
  }

  /**
   * Starts timing an acknowledgement; the function it returns is called once the ack is sent. Socket Mode only:
   * in HTTP mode the front listener times the whole request, and this costs nothing.
   */
  const onAck = options.onAck;
  const ackTimer: () => () => void =
    mode === 'socket' && onAck
      ? () => {
          const started = performance.now();
          return () => onAck((performance.now() - started) / 1000);
        }
      : () => NOTHING;

  /** Every slash command, known or not (the bot answers unknown ones with a pointer to /help). */
  async function onCommand({ command, ack, respond }: SlackCommandMiddlewareArgs, done: () => void): Promise<void> {
    // Under a flood that answers cannot keep up with, turn new commands away in the ack itself
    // rather than let the backlog (and memory) grow without bound.
    if (answerTurns.waitingCount >= maxQueuedAnswers) {
      turnedAway++;
      if (performance.now() - lastTurnedAwayLog >= SHED_LOG_INTERVAL_MS) {
        log.warn({ queued: answerTurns.waitingCount, turnedAway }, 'slack: too many answers queued; turning new commands away');
        lastTurnedAwayLog = performance.now();
        turnedAway = 0;
      }
      await ack({ response_type: 'ephemeral', text: slackText.busy[locale] });
      done();
      return;
    }
    await ack();
    done();
    // Answering costs far more than acknowledging: answers start one per event-loop turn and only
    // once the other commands of a burst are acknowledged, so none misses Slack's 3 s deadline.
    // Detached from Bolt's handling, so a queued answer holds only the command and its respond(),
    // not the whole request; shutdown still waits for it, as the user has seen the ack.
    void track(answerTurns.turn().then(() => answerSlash(command, respond)));
  }

  /** What an event asks of the bot, or undefined for events it leaves alone (and its own messages). */
  function eventKind(e: MessageLike): 'mention' | 'dm' | 'assistant' | 'home' | undefined {
    if (e.type === 'assistant_thread_started') return 'assistant';
    if (e.type === 'app_home_opened') return e.tab === 'home' && e.user ? 'home' : undefined;
    // Our own messages are skipped here (Bolt's ignoreSelf middleware is off, being one more step per request).
    if (e.bot_id || !e.user || e.user === botUserId) return undefined;
    if (e.type === 'app_mention') return 'mention';
    if (isAssistantThreadMessage(e)) return 'assistant';
    return e.type === 'message' && e.channel_type === 'im' && e.subtype === undefined ? 'dm' : undefined;
  }

  /** Mentions, DMs, the App Home tab and the assistant pane (Bolt has already acked every event). */
  async function onEvent(args: SlackEventMiddlewareArgs & AllMiddlewareArgs): Promise<void> {
    const { event, body, context } = args;
    const e = event as MessageLike;
    if (stopping) return;
    const kind = eventKind(e);
    if (!kind) return;
    // Slack redelivers an event it thinks was missed, to whichever replica the load balancer picks.
    if (!(await dedupe.firstTime(`slack:event:${body.event_id}`))) {
      log.debug({ eventId: body.event_id, retryNum: context.retryNum, retryReason: context.retryReason }, 'slack: duplicate event ignored');
      return;
    }
    if (kind === 'assistant') await track(assistantMiddleware(args as AnyMiddlewareArgs & AllMiddlewareArgs));
    else if (kind !== 'home') await track(answerMessage(e, kind));
    else if (e.user) await track(publishHome(e.user));
  }

  /** The share, "more" and 👍/👎 buttons. */
  async function onAction({ ack, body, action, respond }: SlackActionMiddlewareArgs, done: () => void): Promise<void> {
    await ack();
    done();
    const click = buttonClick(body, action);
    if (!click || stopping) return;
    const actionId = (action as { action_id?: string }).action_id ?? '';
    if (SHARE_BUTTON.test(actionId)) await track(share(click, respond));
    else if (MORE_BUTTON.test(actionId)) await track(answerPrivately(click, respond, 'more'));
    else if (FEEDBACK_BUTTON.test(actionId)) await track(answerPrivately(click, respond, 'feedback'));
  }

  /**
   * Every check on an HTTP request, then Bolt's own listener (routing, acks). Bolt's signature check
   * is off: the body is read here, capped as it streams, and verified in constant time.
   */
  function frontListener(receiver: HTTPReceiver, signingSecret: string) {
    const reject = (req: IncomingMessage, res: ServerResponse, status: number, reason: string) => {
      log.warn({ status, reason, path: req.url?.slice(0, 100) }, 'slack: request rejected');
      res.writeHead(status, { connection: 'close' }).end();
    };
    const handOver = (req: IncomingMessage, res: ServerResponse) => {
      try {
        receiver.requestListener(req, res);
      } catch (error) {
        if ((error as { code?: string }).code === BoltErrorCode.HTTPReceiverDeferredRequestError) {
          res.writeHead(404).end();
          return;
        }
        log.error({ err: error instanceof Error ? error.message : String(error) }, 'slack: request handling failed');
        if (!res.headersSent) res.writeHead(500).end();
      }
    };
    return (req: IncomingMessage, res: ServerResponse): void => {
      const path = req.url?.split('?')[0] ?? '';
      if (options.health && req.method === 'GET' && path === '/healthz') return options.health(req, res);
      const route = options.routes && Object.hasOwn(options.routes, path) ? options.routes[path] : undefined;
      if (route) return route(req, res);
      if (stopping) return reject(req, res, 503, 'shutting down');
      if (req.method !== 'POST') return handOver(req, res);
      if (Number(headerValue(req, 'content-length') ?? 0) > MAX_BODY_BYTES) return reject(req, res, 413, 'body too large');
      const arrived = performance.now();
      answerTurns.requestArrived();
      res.once('close', () => {
        answerTurns.requestDone();
        if (res.writableFinished && res.statusCode === 200) options.onAck?.((performance.now() - arrived) / 1000);
      });
      readBody(req, MAX_BODY_BYTES).then(
        (body) => {
          if (body === undefined) return reject(req, res, 413, 'body too large');
          // Slack checks the certificate of a slash command's URL with an unsigned `ssl_check=1`.
          if (isSslCheck(req, body)) return void res.writeHead(200).end();
          const problem = signatureProblem(
            signingSecret,
            { timestamp: headerValue(req, 'x-slack-request-timestamp'), signature: headerValue(req, 'x-slack-signature'), body },
            Math.floor(now() / 1000),
          );
          if (problem) return reject(req, res, 401, problem);
          (req as IncomingMessage & { rawBody: Buffer }).rawBody = body;
          handOver(req, res);
        },
        (error: unknown) => {
          log.debug({ err: error instanceof Error ? error.message : String(error) }, 'slack: request body could not be read');
          if (!res.headersSent) res.writeHead(400, { connection: 'close' }).end();
        },
      );
    };
  }

  async function verifyToken(): Promise<{ botUserId?: string; botId?: string }> {
    const client = new webApi.WebClient(config.botToken, { ...clientOptions, retryConfig: { retries: 2, factor: 2, minTimeout: 200, maxTimeout: 2000 } });
    try {
      const result = await client.auth.test();
      return { ...(result.user_id ? { botUserId: result.user_id } : {}), ...(result.bot_id ? { botId: result.bot_id } : {}) };
    } catch (error) {
      throw new Error(`Slack rejected SLACK_BOT_TOKEN (auth.test: ${slackErrorCode(error)}); check the bot token and that the app is installed`);
    }
  }

  const adapter: SlackAdapter = {
    platform: 'slack',
    mode,
    poster,
    get port() {
      return port;
    },
    get server() {
      return server;
    },
    get app() {
      return app;
    },
    isConnected: () => connected && !stopping,

    async start() {
      if (started) return;
      started = true;
      // auth.test ourselves (Bolt would run it unawaited in its constructor): a bad token fails start() clearly.
      const identity = await verifyToken();
      botUserId = identity.botUserId;
      const authorization = identity.botUserId && identity.botId ? { botUserId: identity.botUserId, botId: identity.botId } : {};
      // No conversation store: the bot keeps no per-conversation state, and Bolt's default in-memory
      // one builds an Error (with a stack trace) for every request it has not seen before.
      const boltApp = (receiver: SocketModeReceiver | HTTPReceiver) =>
        new AcknowledgingApp({ token: config.botToken, ...authorization, receiver, logger: slackLogger, clientOptions, convoStore: false, ignoreSelf: false }, (body) => {
          if (body.type === 'app_rate_limited') log.warn({ minuteRateLimited: body.minute_rate_limited }, 'slack: Slack is rate-limiting the events it sends this app (app_rate_limited)');
          else log.debug({ type: typeof body.type === 'string' ? body.type.slice(0, 60) : undefined }, 'slack: request acknowledged without a handler');
        });

      if (mode === 'socket' && config.mode === 'socket') {
        const receiver = new SocketModeReceiver({
          appToken: config.appToken,
          logger: slackLogger,
          // apps.connections.open gets a long retry budget: when it gives up during a reconnect the
          // Socket Mode client rejects a promise nobody awaits. Tests pass a short retryConfig.
          installerOptions: { clientOptions: { ...clientOptions, retryConfig: options.retryConfig ?? SOCKET_OPEN_RETRY } },
          ...(options.clientPingTimeoutMs ? { clientPingTimeout: options.clientPingTimeoutMs } : {}),
        });
        socketReceiver = receiver;
        receiver.client.on('connected', () => {
          connected = true;
          log.info('slack: connected (Socket Mode)');
        });
        receiver.client.on('disconnected', () => {
          connected = false;
        });
        receiver.client.on('reconnecting', () => {
          connected = false;
          if (!stopping) log.warn('slack: Socket Mode connection lost, reconnecting');
        });
        app = boltApp(receiver);
        register(app);
        await app.start();
        connected = true;
        return;
      }

      if (config.mode !== 'http') throw new Error('Slack HTTP mode needs a signing secret');
      const receiver = new HTTPReceiver({
        signingSecret: config.signingSecret,
        endpoints: SLACK_EVENTS_PATH,
        // Checked by frontListener, which hands Bolt the verified body.
        signatureVerification: false,
        processBeforeResponse: false,
        logger: slackLogger,
      });
      app = boltApp(receiver);
      register(app);
      const listening = createServer(frontListener(receiver, config.signingSecret));
      listening.headersTimeout = 10_000;
      listening.requestTimeout = 15_000;
      await new Promise<void>((resolve, reject) => {
        listening.once('error', reject);
        listening.listen({ port: config.port, host: options.host ?? '0.0.0.0' }, () => {
          listening.off('error', reject);
          resolve();
        });
      });
      listening.on('error', (error) => log.error({ err: error.message }, 'slack: HTTP server error'));
      server = listening;
      port = (listening.address() as AddressInfo).port;
      connected = true;
      log.info({ port, path: SLACK_EVENTS_PATH }, 'slack: listening (HTTP mode)');
    },

    async stop() {
      if (stopping) return;
      stopping = true;
      const drain = async () => {
        const deadline = now() + (options.drainTimeoutMs ?? DRAIN_TIMEOUT_MS);
        while (inflight.size > 0 && now() < deadline) {
          await Promise.race([Promise.allSettled([...inflight]), new Promise((r) => setTimeout(r, 100))]);
        }
        if (inflight.size > 0) log.warn({ pending: inflight.size }, 'slack: stopped with answers still in flight');
      };
      if (server) {
        const closing = server;
        const closed = new Promise<void>((resolve) => closing.close(() => resolve()));
        closing.closeIdleConnections();
        await drain();
        closing.closeAllConnections();
        await closed;
        server = undefined;
      } else if (app) {
        const client = socketReceiver?.client;
        // Bolt's stop() returns before the WebSocket has closed: wait (bounded) for it.
        const disconnected = new Promise<void>((resolve) => {
          if (!client || !connected) return resolve();
          const timer = setTimeout(resolve, 3000);
          client.once('disconnected', () => {
            clearTimeout(timer);
            resolve();
          });
        });
        await app.stop().catch((error: unknown) => log.warn({ err: String(error) }, 'slack: stop failed'));
        await disconnected;
        await drain();
      }
      connected = false;
    },
  };
  return adapter;
}
