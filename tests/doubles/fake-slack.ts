/**
 * A faithful local fake of Slack for end-to-end tests.
 *
 * - Web API (`/api/<method>`) for the methods summit-bot uses, with token checks, call recording and
 *   failure injection (HTTP 429 + Retry-After, HTTP 5xx, HTTP 200 `{ok:false,error}`), and calls that take
 *   effect but answer late, never (the connection is dropped) or with a 5xx (`acceptThen`).
 * - Messages keep their metadata; conversations.history reads them back (newest first, `oldest`/`latest`/
 *   `inclusive`, cursor pages, metadata only with `include_all_metadata`, as Slack does).
 * - response_url capture (`/response/<id>`).
 * - Socket Mode: `apps.connections.open` hands out a one-shot `ws://127.0.0.1:<port>/link/?ticket=…` URL served
 *   by the same HTTP server; the fake sends `hello`, envelopes, `disconnect`, and collects acks.
 * - Helpers to build and sign realistic HTTP-mode requests (slash command, Events API, block_actions).
 *
 * Everything binds 127.0.0.1 on an ephemeral port and every wait is bounded.
 *
 * Point the real clients at it:
 *   new WebClient(token, { slackApiUrl: fake.apiUrl })
 *   new App({ token, appToken, socketMode: true, clientOptions: { slackApiUrl: fake.apiUrl } })
 *   new App({ token, signingSecret, clientOptions: { slackApiUrl: fake.apiUrl } }) + app.start({ port: 0, host: '127.0.0.1' })
 */
import { createHmac, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import type { RawData } from 'ws';
import type { AcceptedOutcome } from './net.ts';

// ---------------------------------------------------------------------------------------------------------------------
// Shared types and defaults
// ---------------------------------------------------------------------------------------------------------------------

export type JsonObject = Record<string, unknown>;

/** Workspace / app identity the fake pretends to be. */
export interface FakeSlackIdentity {
  teamId: string;
  teamDomain: string;
  teamName: string;
  enterpriseId: string | null;
  appId: string;
  botId: string;
  botUserId: string;
  botUserName: string;
  /** Legacy verification token put in payloads (`token` field). */
  verificationToken: string;
  /** A default human user used by the payload builders. */
  userId: string;
  userName: string;
  /** A default channel used by the payload builders. */
  channelId: string;
  channelName: string;
}

export const FAKE_SLACK_DEFAULTS: Readonly<FakeSlackIdentity & { botToken: string; appToken: string }> = Object.freeze({
  botToken: 'xoxb-test',
  appToken: 'xapp-test',
  teamId: 'T0FAKETEAM',
  teamDomain: 'fake-summit',
  teamName: 'Fake Summit',
  enterpriseId: null,
  appId: 'A0FAKEAPP',
  botId: 'B0FAKEBOT',
  botUserId: 'U0FAKEBOT',
  botUserName: 'summit-bot',
  verificationToken: 'fake-verification-token',
  userId: 'U0HUMAN01',
  userName: 'alice',
  channelId: 'C0GENERAL',
  channelName: 'general',
});

function identityWith(overrides?: Partial<FakeSlackIdentity>): FakeSlackIdentity {
  const { botToken: _b, appToken: _a, ...base } = FAKE_SLACK_DEFAULTS;
  return { ...base, ...(overrides ?? {}) };
}

/** Error codes Slack returns (non-exhaustive; any string is accepted). */
export type SlackErrorCode =
  | 'channel_not_found'
  | 'not_in_channel'
  | 'is_archived'
  | 'msg_too_long'
  | 'no_text'
  | 'invalid_blocks'
  | 'ratelimited'
  | 'not_authed'
  | 'invalid_auth'
  | 'account_inactive'
  | 'token_revoked'
  | 'not_allowed_token_type'
  | 'missing_scope'
  | 'message_not_found'
  | 'cant_update_message'
  | 'user_not_found'
  | 'user_not_in_channel'
  | 'internal_error'
  | 'fatal_error'
  | 'request_timeout'
  | 'service_unavailable'
  | 'expired_url'
  | 'unknown_method'
  | 'invalid_json'
  | 'invalid_metadata_format'
  | 'invalid_cursor'
  | (string & {});

export interface FakeChannel {
  id: string;
  name: string;
  isPrivate?: boolean;
  isArchived?: boolean;
  /** Whether the bot is a member. Posting with isMember === false → `not_in_channel`. Default true. */
  isMember?: boolean;
}

export interface FakeUser {
  id: string;
  name: string;
  realName?: string;
  isBot?: boolean;
  tz?: string;
}

export interface FakeSlackApiOptions {
  /** Accepted bot/user tokens (xoxb-/xoxp-). Default ['xoxb-test']. */
  botTokens?: string[];
  /** Accepted app-level tokens (xapp-), only valid for apps.connections.open. Default ['xapp-test']. */
  appTokens?: string[];
  /** Accept any syntactically plausible token (xoxb-/xoxp- for bot methods, xapp- for apps.connections.open). */
  acceptAnyToken?: boolean;
  identity?: Partial<FakeSlackIdentity>;
  /** Known channels. Unknown channel IDs are auto-created unless `strictDirectory` is set. */
  channels?: FakeChannel[];
  /** Known users. Unknown user IDs are synthesized unless `strictDirectory` is set. */
  users?: FakeUser[];
  /** Unknown channels → channel_not_found, unknown users → user_not_found. Default false. */
  strictDirectory?: boolean;
  /** Server → client WebSocket ping interval (Slack pings its clients). 0 disables. Default 5000. */
  pingIntervalMs?: number;
  /** Default bound for sendEnvelope() ack waits. Default 5000. */
  ackTimeoutMs?: number;
  /** Default bound for waitForCall()/waitForResponse(). Default 5000. */
  waitTimeoutMs?: number;
}

// ---------------------------------------------------------------------------------------------------------------------
// Records
// ---------------------------------------------------------------------------------------------------------------------

export type FakeBodyKind = 'form' | 'json' | 'multipart' | 'none' | 'other';

/** One Web API call as the fake saw it. Recorded once the response has been decided. */
export interface FakeSlackCall {
  seq: number;
  method: string;
  httpMethod: string;
  /** Parsed body (query string merged in). Form fields that carry JSON (blocks, attachments, …) are decoded. */
  body: JsonObject;
  rawBody: string;
  bodyKind: FakeBodyKind;
  /** Token from `Authorization: Bearer` (preferred) or the `token` form/query field. */
  token: string | undefined;
  tokenSource: 'header' | 'body' | 'none';
  headers: IncomingHttpHeaders;
  /** HTTP status the fake answered with. */
  status: number;
  /** JSON the fake answered with. */
  response: JsonObject;
  ok: boolean;
  /** True when the answer came from failNext() or acceptThen(). */
  injected: boolean;
  /** True when acceptThen() dropped the connection instead of answering (`status` is then 0). */
  dropped: boolean;
  at: number;
}

/** A POST to a response_url. */
export interface FakeResponseUrlPost {
  seq: number;
  id: string;
  body: JsonObject;
  rawBody: string;
  bodyKind: FakeBodyKind;
  headers: IncomingHttpHeaders;
  status: number;
  injected: boolean;
  at: number;
}

/** A message stored by chat.postMessage / chat.postEphemeral and edited by chat.update. */
export interface FakeSlackMessage {
  channel: string;
  ts: string;
  text: string | undefined;
  blocks: unknown[] | undefined;
  threadTs: string | undefined;
  user: string;
  botId: string;
  /** Set for chat.postEphemeral. */
  ephemeralUser: string | undefined;
  /** Number of chat.update calls applied. */
  edits: number;
  /** Message metadata as posted (`event_type` + `event_payload`). */
  metadata: { event_type: string; event_payload: JsonObject } | undefined;
  /** The full (decoded) arguments of the last post/update. */
  args: JsonObject;
}

export interface FailureSpec {
  /** HTTP status. 429 → `Retry-After` header + `{ok:false,error:'ratelimited'}`; 5xx → `{ok:false,error:'internal_error'}`. */
  status?: number;
  /** Seconds, sent as `Retry-After`. Implies status 429 when status is omitted. Default 1 for 429. */
  retryAfter?: number;
  /** Slack error code. Without status this is an HTTP 200 `{ok:false,error}` — how Slack reports API errors. */
  error?: SlackErrorCode;
  /** How many consecutive calls this applies to. Default 1. */
  times?: number;
  /** Delay the answer by this many ms (alone: a slow but successful call). */
  delayMs?: number;
}

// ---------------------------------------------------------------------------------------------------------------------
// Socket Mode types
// ---------------------------------------------------------------------------------------------------------------------

export type SocketModeEnvelopeType = 'slash_commands' | 'events_api' | 'interactive';

export interface SocketModeEnvelope {
  envelope_id: string;
  type: SocketModeEnvelopeType;
  payload: JsonObject;
  accepts_response_payload: boolean;
  retry_attempt?: number;
  retry_reason?: string;
}

export interface EnvelopeOptions {
  retryAttempt?: number;
  retryReason?: string;
  acceptsResponsePayload?: boolean;
  envelopeId?: string;
  /** Bound for the ack (and for waiting for a connected client). Default: options.ackTimeoutMs (5000). */
  timeoutMs?: number;
}

/** What the client sent back: `{envelope_id, payload?}` plus bookkeeping. */
export interface SocketModeAck {
  envelope_id: string;
  payload?: JsonObject;
  /** The whole parsed ack message. */
  message: JsonObject;
  /** The envelope this acknowledges. */
  envelope: SocketModeEnvelope;
  /** ms from sending the envelope to receiving the ack. */
  ms: number;
}

export interface SocketMessageRecord {
  connectionId: number;
  message: JsonObject | undefined;
  raw: string;
  at: number;
}

export interface SlashCommandFields {
  token: string;
  team_id: string;
  team_domain: string;
  channel_id: string;
  channel_name: string;
  user_id: string;
  user_name: string;
  command: string;
  text: string;
  api_app_id: string;
  is_enterprise_install: string;
  response_url: string;
  trigger_id: string;
  enterprise_id?: string;
  enterprise_name?: string;
}

export interface EventCallbackOptions {
  eventId?: string;
  eventTime?: number;
  identity?: Partial<FakeSlackIdentity>;
}

export interface EventCallbackPayload extends JsonObject {
  token: string;
  team_id: string;
  enterprise_id: string | null;
  api_app_id: string;
  event: JsonObject;
  type: 'event_callback';
  event_id: string;
  event_time: number;
  authorizations: JsonObject[];
  is_ext_shared_channel: boolean;
  event_context: string;
  context_team_id: string;
  context_enterprise_id: string | null;
}

export interface BlockActionArgs {
  actionId: string;
  value?: string;
  blockId?: string;
  /** Button label. Default: value or actionId. */
  text?: string;
  userId?: string;
  userName?: string;
  channelId?: string;
  channelName?: string;
  /** ts of the message holding the button. Default: a fresh ts. */
  messageTs?: string;
  /** The message holding the button (included as `message` when given). */
  message?: JsonObject;
  isEphemeral?: boolean;
  responseUrl?: string;
  triggerId?: string;
  identity?: Partial<FakeSlackIdentity>;
  /** The button sits in a view (the App Home tab, a modal): no channel, no response_url, a `view` instead. */
  view?: { type: 'home' | 'modal'; id?: string; callbackId?: string };
}

export interface SendEventOptions extends EnvelopeOptions {
  eventId?: string;
  eventTime?: number;
}

export interface DisconnectOptions {
  /** 'warning' | 'refresh_requested' | 'link_disabled' | 'socket_mode_disabled'. Default 'refresh_requested'. */
  reason?: string;
  /** Bound for clients to close after the disconnect message before they are terminated. Default 3000. */
  timeoutMs?: number;
  /** Skip the disconnect message and drop the TCP connections (simulates a network failure). */
  abrupt?: boolean;
}

// ---------------------------------------------------------------------------------------------------------------------
// The fake
// ---------------------------------------------------------------------------------------------------------------------

export interface FakeSlackApi {
  /** `http://127.0.0.1:<port>/api/` — pass as `slackApiUrl`. */
  readonly apiUrl: string;
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  readonly port: number;
  readonly identity: FakeSlackIdentity;
  readonly calls: FakeSlackCall[];
  readonly responses: FakeResponseUrlPost[];
  readonly messages: FakeSlackMessage[];
  readonly socketMessages: SocketMessageRecord[];
  readonly acks: SocketModeAck[];
  /** Open Socket Mode connections right now. */
  readonly socketClientCount: number;
  /** Socket Mode connections accepted since start/reset (counts reconnects). */
  readonly socketConnectionTotal: number;

  callsTo(method: string): FakeSlackCall[];
  waitForCall(method: string, predicate?: (call: FakeSlackCall) => boolean, timeoutMs?: number): Promise<FakeSlackCall>;
  failNext(method: string, spec: FailureSpec): void;
  /**
   * The next `times` (default 1) calls of `method` take effect (a message is posted) and then answer late,
   * never, or with an HTTP error: what a client sees as a timeout, a reset or a 5xx although Slack did act.
   */
  acceptThen(method: string, outcome: AcceptedOutcome, times?: number): void;
  /** Non-ephemeral messages in `channel`, oldest first. */
  messagesIn(channel: string): FakeSlackMessage[];
  addChannel(channel: FakeChannel): void;
  addUser(user: FakeUser): void;

  responseUrl(id?: string): string;
  waitForResponse(predicate?: (post: FakeResponseUrlPost) => boolean, timeoutMs?: number): Promise<FakeResponseUrlPost>;

  waitForSocketClient(timeoutMs?: number): Promise<void>;
  sendEnvelope(type: SocketModeEnvelopeType, payload: JsonObject, options?: EnvelopeOptions): Promise<SocketModeAck>;
  sendSlashCommand(fields: Partial<SlashCommandFields>, options?: EnvelopeOptions): Promise<SocketModeAck>;
  sendEvent(event: JsonObject, options?: SendEventOptions): Promise<SocketModeAck>;
  sendBlockAction(args: BlockActionArgs, options?: EnvelopeOptions): Promise<SocketModeAck>;
  /** Send a raw (already serialized) frame to every client, e.g. to test garbage handling. */
  sendRawToClients(data: string): void;
  disconnectClients(options?: DisconnectOptions): Promise<void>;

  /** Forget calls, responses, messages, socket records and pending failures. Connections stay open. */
  reset(): void;
  close(): Promise<void>;
}

interface Waiter<T> {
  predicate: (item: T) => boolean;
  resolve: (item: T) => void;
}

interface PendingAck {
  envelope: SocketModeEnvelope;
  sentAt: number;
  resolve: (ack: SocketModeAck) => void;
}

interface SocketConn {
  id: number;
  ws: WebSocket;
  pingTimer: NodeJS.Timeout | undefined;
  connectedAt: number;
}

interface ParsedBody {
  body: JsonObject;
  kind: FakeBodyKind;
  invalidJson: boolean;
}

const KNOWN_METHODS = new Set([
  'api.test',
  'auth.test',
  'chat.postMessage',
  'chat.postEphemeral',
  'chat.update',
  'conversations.history',
  'conversations.info',
  'conversations.join',
  'users.info',
  'views.publish',
  'views.open',
  'views.push',
  'assistant.threads.setStatus',
  'assistant.threads.setSuggestedPrompts',
  'assistant.threads.setTitle',
  'apps.connections.open',
]);

/** Form fields Slack's clients JSON-encode (the WebClient JSON-stringifies every non-scalar argument). */
const JSON_FORM_FIELDS = new Set([
  'blocks',
  'attachments',
  'metadata',
  'user_auth_blocks',
  'unfurls',
  'view',
  'options',
  'payload',
  'prompts',
]);

const MAX_BODY_BYTES = 5 * 1024 * 1024;

export async function startFakeSlackApi(options: FakeSlackApiOptions = {}): Promise<FakeSlackApi> {
  const identity = identityWith(options.identity);
  const botTokens = new Set(options.botTokens ?? [FAKE_SLACK_DEFAULTS.botToken]);
  const appTokens = new Set(options.appTokens ?? [FAKE_SLACK_DEFAULTS.appToken]);
  const acceptAny = options.acceptAnyToken === true;
  const strict = options.strictDirectory === true;
  const pingIntervalMs = options.pingIntervalMs ?? 5000;
  const ackTimeoutMs = options.ackTimeoutMs ?? 5000;
  const waitTimeoutMs = options.waitTimeoutMs ?? 5000;

  const channels = new Map<string, FakeChannel>();
  const users = new Map<string, FakeUser>();
  const addChannel = (c: FakeChannel): void => {
    channels.set(c.id, { ...c });
  };
  const addUser = (u: FakeUser): void => {
    users.set(u.id, { ...u });
  };
  addChannel({ id: identity.channelId, name: identity.channelName });
  addUser({ id: identity.userId, name: identity.userName, realName: 'Alice Example' });
  addUser({ id: identity.botUserId, name: identity.botUserName, realName: identity.botUserName, isBot: true });
  for (const c of options.channels ?? []) addChannel(c);
  for (const u of options.users ?? []) addUser(u);

  const calls: FakeSlackCall[] = [];
  const responses: FakeResponseUrlPost[] = [];
  const messages: FakeSlackMessage[] = [];
  const socketMessages: SocketMessageRecord[] = [];
  const acks: SocketModeAck[] = [];
  const failures = new Map<string, FailureSpec[]>();
  let callWaiters: Array<Waiter<FakeSlackCall>> = [];
  let responseWaiters: Array<Waiter<FakeResponseUrlPost>> = [];
  const clientWaiters = new Set<() => void>();
  const pendingAcks = new Map<string, PendingAck>();
  const conns = new Map<number, SocketConn>();
  const tickets = new Set<string>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let seq = 0;
  let responseSeq = 0;
  let connSeq = 0;
  let connectionTotal = 0;
  let lastTsMicros = 0;
  let closed = false;
  const accepts = new Map<string, Array<{ outcome: AcceptedOutcome; remaining: number }>>();

  /** Like Slack's: the time of posting in microseconds, unique and increasing within the fake. */
  const nextTs = (): string => {
    lastTsMicros = Math.max(Date.now() * 1000, lastTsMicros + 1);
    return `${Math.floor(lastTsMicros / 1e6)}.${String(lastTsMicros % 1e6).padStart(6, '0')}`;
  };

  /** A message as chat.postMessage (ephemeralUser undefined) or chat.postEphemeral stores it. */
  const postedMessage = (channel: string, body: JsonObject, ephemeralUser: string | undefined): FakeSlackMessage => ({
    channel,
    ts: nextTs(),
    text: typeof body.text === 'string' ? body.text : undefined,
    blocks: Array.isArray(body.blocks) ? body.blocks : undefined,
    threadTs: typeof body.thread_ts === 'string' && body.thread_ts !== '' ? body.thread_ts : undefined,
    user: identity.botUserId,
    botId: identity.botId,
    ephemeralUser,
    edits: 0,
    metadata: isObject(body.metadata) ? (body.metadata as FakeSlackMessage['metadata']) : undefined,
    args: body,
  });

  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  // ----- failure injection -----

  const takeFailure = (method: string): FailureSpec | undefined => {
    const queue = failures.get(method);
    if (queue === undefined || queue.length === 0) return undefined;
    const head = queue[0];
    if (head === undefined) return undefined;
    const remaining = (head.times ?? 1) - 1;
    if (remaining <= 0) queue.shift();
    else queue[0] = { ...head, times: remaining };
    if (queue.length === 0) failures.delete(method);
    return head;
  };

  const acceptThen = (method: string, outcome: AcceptedOutcome, times = 1): void => {
    if (!Number.isInteger(times) || times < 1) throw new TypeError('acceptThen: times must be a positive integer');
    accepts.set(method, [...(accepts.get(method) ?? []), { outcome, remaining: times }]);
  };

  const takeAccept = (method: string): AcceptedOutcome | undefined => {
    const queue = accepts.get(method);
    const head = queue?.[0];
    if (!queue || !head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    if (queue.length === 0) accepts.delete(method);
    return head.outcome;
  };

  const failNext = (method: string, spec: FailureSpec): void => {
    if (spec.status === undefined && spec.error === undefined && spec.retryAfter === undefined && spec.delayMs === undefined) {
      throw new TypeError('failNext: give at least one of status, error, retryAfter, delayMs');
    }
    if (spec.times !== undefined && (!Number.isInteger(spec.times) || spec.times < 1)) {
      throw new TypeError('failNext: times must be a positive integer');
    }
    const queue = failures.get(method) ?? [];
    queue.push({ ...spec });
    failures.set(method, queue);
  };

  /** Turn a failure spec into a status + JSON body, or undefined for a delay-only spec. */
  const failureResponse = (spec: FailureSpec): { status: number; body: JsonObject; headers: Record<string, string> } | undefined => {
    const status = spec.status ?? (spec.retryAfter !== undefined ? 429 : spec.error !== undefined ? 200 : undefined);
    if (status === undefined) return undefined;
    const headers: Record<string, string> = {};
    if (status === 429) {
      headers['retry-after'] = String(spec.retryAfter ?? 1);
      return { status, headers, body: { ok: false, error: spec.error ?? 'ratelimited' } };
    }
    if (status >= 500) return { status, headers, body: { ok: false, error: spec.error ?? 'internal_error' } };
    return { status, headers, body: { ok: false, error: spec.error ?? 'internal_error' } };
  };

  // ----- waiters -----

  const notifyCall = (call: FakeSlackCall): void => {
    const still: Array<Waiter<FakeSlackCall>> = [];
    for (const w of callWaiters) {
      if (w.predicate(call)) w.resolve(call);
      else still.push(w);
    }
    callWaiters = still;
  };
  const notifyResponse = (post: FakeResponseUrlPost): void => {
    const still: Array<Waiter<FakeResponseUrlPost>> = [];
    for (const w of responseWaiters) {
      if (w.predicate(post)) w.resolve(post);
      else still.push(w);
    }
    responseWaiters = still;
  };

  const waitFor = <T>(
    existing: readonly T[],
    predicate: (item: T) => boolean,
    register: (w: Waiter<T>) => void,
    unregister: (w: Waiter<T>) => void,
    timeoutMs: number,
    describe: () => string,
  ): Promise<T> => {
    const found = existing.find(predicate);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter<T> = {
        predicate,
        resolve: (item) => {
          clearTimeout(timer);
          timers.delete(timer);
          resolve(item);
        },
      };
      const timer = setTimeout(() => {
        timers.delete(timer);
        unregister(waiter);
        reject(new Error(`fake-slack: timed out after ${timeoutMs}ms ${describe()}`));
      }, timeoutMs);
      timers.add(timer);
      register(waiter);
    });
  };

  // ----- directory helpers -----

  const lookupChannel = (id: string): FakeChannel | undefined => {
    const known = channels.get(id);
    if (known !== undefined) return known;
    if (strict) return undefined;
    if (!/^[CGDU][A-Z0-9]+$/.test(id)) return undefined;
    const created: FakeChannel = { id, name: id.toLowerCase() };
    channels.set(id, created);
    return created;
  };

  const lookupUser = (id: string): FakeUser | undefined => {
    const known = users.get(id);
    if (known !== undefined) return known;
    if (strict) return undefined;
    if (!/^[UW][A-Z0-9]+$/.test(id)) return undefined;
    const created: FakeUser = { id, name: id.toLowerCase() };
    users.set(id, created);
    return created;
  };

  /** Validate a channel argument the way chat.* does. Returns an error code or the channel. */
  const channelForWrite = (raw: unknown): { error: SlackErrorCode } | { channel: FakeChannel } => {
    if (typeof raw !== 'string' || raw === '') return { error: 'channel_not_found' };
    const channel = lookupChannel(raw);
    if (channel === undefined) return { error: 'channel_not_found' };
    if (channel.isArchived === true) return { error: 'is_archived' };
    if (channel.isMember === false) return { error: 'not_in_channel' };
    return { channel };
  };

  const validateContent = (body: JsonObject, requireContent: boolean): SlackErrorCode | undefined => {
    const text = body.text;
    const blocks = body.blocks;
    const attachments = body.attachments;
    if (blocks !== undefined && (!Array.isArray(blocks) || blocks.length > 50)) return 'invalid_blocks';
    if (Array.isArray(blocks) && blocks.some((b) => !isObject(b) || typeof b.type !== 'string')) return 'invalid_blocks';
    if (typeof text === 'string' && text.length > 40_000) return 'msg_too_long';
    const hasText = typeof text === 'string' && text.length > 0;
    const hasBlocks = Array.isArray(blocks) && blocks.length > 0;
    const hasAttachments = Array.isArray(attachments) && attachments.length > 0;
    if (requireContent && !hasText && !hasBlocks && !hasAttachments) return 'no_text';
    const metadata = body.metadata;
    if (metadata !== undefined && !(isObject(metadata) && typeof metadata.event_type === 'string' && metadata.event_type !== '' && isObject(metadata.event_payload))) {
      return 'invalid_metadata_format';
    }
    return undefined;
  };

  const isTrue = (value: unknown): boolean => value === true || value === 'true' || value === '1' || value === 1;

  /** conversations.history: newest first, within `oldest`..`latest`, in pages of `limit` with an opaque cursor. */
  const history = (body: JsonObject): JsonObject => {
    if (typeof body.channel !== 'string') return { ok: false, error: 'channel_not_found' };
    const channel = lookupChannel(body.channel);
    if (channel === undefined) return { ok: false, error: 'channel_not_found' };
    if (channel.isMember === false && channel.isPrivate === true) return { ok: false, error: 'channel_not_found' };
    if (channel.isMember === false) return { ok: false, error: 'not_in_channel' };
    const inclusive = isTrue(body.inclusive);
    const oldest = Number(body.oldest ?? 0);
    const latest = body.latest === undefined ? Number.POSITIVE_INFINITY : Number(body.latest);
    const limit = Math.min(999, Math.max(1, Math.floor(Number(body.limit ?? 100)) || 100));
    let offset = 0;
    if (typeof body.cursor === 'string' && body.cursor !== '') {
      const decoded = /^offset:(\d+)$/.exec(Buffer.from(body.cursor, 'base64').toString('utf8'));
      if (decoded === null) return { ok: false, error: 'invalid_cursor' };
      offset = Number(decoded[1]);
    }
    const inRange = (ts: number) => (inclusive ? ts >= oldest && ts <= latest : ts > oldest && ts < latest);
    const found = messagesIn(channel.id)
      .filter((m) => (m.threadTs === undefined || m.threadTs === m.ts) && inRange(Number(m.ts)))
      .reverse();
    const page = found.slice(offset, offset + limit);
    const hasMore = offset + limit < found.length;
    const withMetadata = isTrue(body.include_all_metadata);
    return {
      ok: true,
      messages: page.map((m) => ({ ...messageJson(m), ...(withMetadata && m.metadata !== undefined ? { metadata: m.metadata } : {}) })),
      has_more: hasMore,
      pin_count: 0,
      channel_actions_count: 0,
      channel_actions_ts: null,
      response_metadata: { next_cursor: hasMore ? Buffer.from(`offset:${offset + limit}`).toString('base64') : '' },
    };
  };

  const messagesIn = (channel: string): FakeSlackMessage[] => messages.filter((m) => m.channel === channel && m.ephemeralUser === undefined);

  const messageJson = (m: FakeSlackMessage): JsonObject => {
    const out: JsonObject = {
      user: m.user,
      type: 'message',
      ts: m.ts,
      bot_id: m.botId,
      app_id: identity.appId,
      text: m.text ?? '',
      team: identity.teamId,
      bot_profile: { id: identity.botId, app_id: identity.appId, name: identity.botUserName, deleted: false, team_id: identity.teamId },
    };
    if (m.blocks !== undefined) out.blocks = m.blocks;
    if (m.threadTs !== undefined) out.thread_ts = m.threadTs;
    if (m.edits > 0) out.edited = { user: m.user, ts: m.ts };
    return out;
  };

  // ----- Web API method handlers -----

  type TokenKind = 'bot' | 'app';
  const tokenKind = (token: string): TokenKind | 'invalid' => {
    if (appTokens.has(token)) return 'app';
    if (botTokens.has(token)) return 'bot';
    if (acceptAny) {
      if (token.startsWith('xapp-')) return 'app';
      if (token.startsWith('xoxb-') || token.startsWith('xoxp-')) return 'bot';
    }
    return 'invalid';
  };

  const handleMethod = (method: string, body: JsonObject, port: number): JsonObject => {
    switch (method) {
      case 'api.test':
        return { ok: true, args: body };
      case 'auth.test':
        return {
          ok: true,
          url: `https://${identity.teamDomain}.slack.com/`,
          team: identity.teamName,
          user: identity.botUserName,
          team_id: identity.teamId,
          user_id: identity.botUserId,
          bot_id: identity.botId,
          is_enterprise_install: false,
        };
      case 'chat.postMessage': {
        const target = channelForWrite(body.channel);
        if ('error' in target) return { ok: false, error: target.error };
        const contentError = validateContent(body, true);
        if (contentError !== undefined) return { ok: false, error: contentError };
        const message = postedMessage(target.channel.id, body, undefined);
        messages.push(message);
        return { ok: true, channel: message.channel, ts: message.ts, message: messageJson(message) };
      }
      case 'chat.postEphemeral': {
        const target = channelForWrite(body.channel);
        if ('error' in target) return { ok: false, error: target.error };
        if (typeof body.user !== 'string' || lookupUser(body.user) === undefined) return { ok: false, error: 'user_not_in_channel' };
        const contentError = validateContent(body, true);
        if (contentError !== undefined) return { ok: false, error: contentError };
        const message = postedMessage(target.channel.id, body, String(body.user));
        messages.push(message);
        return { ok: true, message_ts: message.ts };
      }
      case 'chat.update': {
        if (typeof body.channel !== 'string' || lookupChannel(body.channel) === undefined) return { ok: false, error: 'channel_not_found' };
        const ts = body.ts;
        const message = messages.find((m) => m.channel === body.channel && m.ts === ts && m.ephemeralUser === undefined);
        if (message === undefined) return { ok: false, error: 'message_not_found' };
        if (message.user !== identity.botUserId) return { ok: false, error: 'cant_update_message' };
        const contentError = validateContent(body, false);
        if (contentError !== undefined) return { ok: false, error: contentError };
        if (typeof body.text === 'string') message.text = body.text;
        if (Array.isArray(body.blocks)) message.blocks = body.blocks;
        message.edits += 1;
        message.args = body;
        return { ok: true, channel: message.channel, ts: message.ts, text: message.text ?? '', message: messageJson(message) };
      }
      case 'conversations.history':
        return history(body);
      case 'conversations.info': {
        if (typeof body.channel !== 'string') return { ok: false, error: 'channel_not_found' };
        const channel = lookupChannel(body.channel);
        if (channel === undefined) return { ok: false, error: 'channel_not_found' };
        // A bot token cannot see a private channel it is not in.
        if (channel.isPrivate === true && channel.isMember === false) return { ok: false, error: 'channel_not_found' };
        if (channel.id.startsWith('D')) {
          return { ok: true, channel: { id: channel.id, created: 1_680_000_000, is_im: true, is_org_shared: false, user: identity.userId, is_archived: false } };
        }
        return {
          ok: true,
          channel: {
            id: channel.id,
            name: channel.name,
            name_normalized: channel.name,
            is_channel: channel.isPrivate !== true,
            is_group: channel.isPrivate === true,
            is_im: false,
            is_mpim: false,
            is_private: channel.isPrivate === true,
            is_archived: channel.isArchived === true,
            is_general: channel.id === identity.channelId,
            is_shared: false,
            is_ext_shared: false,
            is_org_shared: false,
            is_member: channel.isMember !== false,
            context_team_id: identity.teamId,
            created: 1_680_000_000,
            creator: identity.userId,
            topic: { value: '', creator: '', last_set: 0 },
            purpose: { value: '', creator: '', last_set: 0 },
          },
        };
      }
      case 'conversations.join': {
        if (typeof body.channel !== 'string') return { ok: false, error: 'channel_not_found' };
        const channel = lookupChannel(body.channel);
        if (channel === undefined || (channel.isPrivate === true && channel.isMember === false)) return { ok: false, error: 'channel_not_found' };
        if (channel.isArchived === true) return { ok: false, error: 'is_archived' };
        if (channel.isPrivate === true || !channel.id.startsWith('C')) return { ok: false, error: 'method_not_supported_for_channel_type' };
        const already = channel.isMember !== false;
        channel.isMember = true;
        return {
          ok: true,
          channel: { id: channel.id, name: channel.name, is_channel: true, is_private: false, is_archived: false, is_member: true },
          ...(already ? { warning: 'already_in_channel', response_metadata: { warnings: ['already_in_channel'] } } : {}),
        };
      }
      case 'views.publish': {
        if (typeof body.user_id !== 'string' || lookupUser(body.user_id) === undefined) return { ok: false, error: 'user_not_found' };
        const problems = viewProblems(body.view, 'home');
        if (problems.length > 0) return { ok: false, error: 'invalid_arguments', response_metadata: { messages: problems.map((m) => `[ERROR] ${m}`) } };
        return { ok: true, view: { id: fakeId('V'), team_id: identity.teamId, app_id: identity.appId, bot_id: identity.botId, ...(body.view as JsonObject) } };
      }
      case 'views.open':
      case 'views.push': {
        if (typeof body.trigger_id !== 'string' || body.trigger_id === '') return { ok: false, error: 'invalid_trigger_id' };
        const problems = viewProblems(body.view, 'modal');
        if (problems.length > 0) return { ok: false, error: 'invalid_arguments', response_metadata: { messages: problems.map((m) => `[ERROR] ${m}`) } };
        return { ok: true, view: { id: fakeId('V'), team_id: identity.teamId, app_id: identity.appId, bot_id: identity.botId, ...(body.view as JsonObject) } };
      }
      case 'assistant.threads.setStatus':
      case 'assistant.threads.setSuggestedPrompts':
      case 'assistant.threads.setTitle': {
        if (typeof body.channel_id !== 'string' || typeof body.thread_ts !== 'string') return { ok: false, error: 'invalid_arguments' };
        const channel = lookupChannel(body.channel_id);
        if (channel === undefined) return { ok: false, error: 'channel_not_found' };
        if (method.endsWith('setStatus') && typeof body.status !== 'string') return { ok: false, error: 'invalid_arguments' };
        if (method.endsWith('setTitle') && typeof body.title !== 'string') return { ok: false, error: 'invalid_arguments' };
        if (method.endsWith('setSuggestedPrompts')) {
          const prompts = body.prompts;
          const valid =
            Array.isArray(prompts) &&
            prompts.length >= 1 &&
            prompts.length <= 4 &&
            prompts.every((p) => isObject(p) && typeof p.title === 'string' && p.title !== '' && typeof p.message === 'string' && p.message !== '');
          if (!valid) return { ok: false, error: 'invalid_arguments' };
        }
        return { ok: true };
      }
      case 'users.info': {
        if (typeof body.user !== 'string') return { ok: false, error: 'user_not_found' };
        const user = lookupUser(body.user);
        if (user === undefined) return { ok: false, error: 'user_not_found' };
        const realName = user.realName ?? user.name;
        return {
          ok: true,
          user: {
            id: user.id,
            team_id: identity.teamId,
            name: user.name,
            deleted: false,
            real_name: realName,
            tz: user.tz ?? 'Asia/Seoul',
            tz_label: 'Korea Standard Time',
            tz_offset: 32_400,
            is_admin: false,
            is_owner: false,
            is_bot: user.isBot === true,
            is_app_user: false,
            updated: 1_680_000_000,
            profile: { real_name: realName, display_name: user.name, real_name_normalized: realName, display_name_normalized: user.name, team: identity.teamId },
          },
        };
      }
      case 'apps.connections.open': {
        const ticket = randomUUID();
        tickets.add(ticket);
        return { ok: true, url: `ws://127.0.0.1:${port}/link/?ticket=${ticket}&app_id=${identity.appId}` };
      }
      default:
        return { ok: false, error: 'unknown_method', req_method: method };
    }
  };

  // ----- HTTP plumbing -----

  const sendJson = (res: ServerResponse, status: number, body: JsonObject, headers: Record<string, string> = {}): void => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
    res.end(text);
  };

  const handleApi = async (req: IncomingMessage, res: ServerResponse, url: URL, method: string, port: number): Promise<void> => {
    const raw = await readBody(req);
    const parsed = parseBody(req.headers, raw);
    const body: JsonObject = { ...Object.fromEntries(url.searchParams.entries()), ...parsed.body };
    decodeJsonFields(body);
    const auth = req.headers.authorization;
    let token: string | undefined;
    let tokenSource: FakeSlackCall['tokenSource'] = 'none';
    if (typeof auth === 'string' && /^Bearer\s+/i.test(auth)) {
      token = auth.replace(/^Bearer\s+/i, '').trim();
      tokenSource = 'header';
    } else if (parsed.kind !== 'json' && typeof body.token === 'string') {
      token = body.token;
      tokenSource = 'body';
    }
    if (token === '') token = undefined;

    let status = 200;
    let response: JsonObject;
    let headers: Record<string, string> = {};
    let injected = false;
    let dropped = false;
    if (!KNOWN_METHODS.has(method)) {
      response = { ok: false, error: 'unknown_method', req_method: method };
    } else if (parsed.invalidJson) {
      response = { ok: false, error: 'invalid_json' };
    } else if (token === undefined) {
      response = { ok: false, error: 'not_authed' };
    } else {
      const kind = tokenKind(token);
      const wantsApp = method === 'apps.connections.open';
      if (kind === 'invalid') response = { ok: false, error: 'invalid_auth' };
      else if ((kind === 'app') !== wantsApp && method !== 'api.test') response = { ok: false, error: 'not_allowed_token_type' };
      else {
        const accepted = takeAccept(method);
        const failure = accepted === undefined ? takeFailure(method) : undefined;
        if (failure?.delayMs !== undefined && failure.delayMs > 0) await sleep(failure.delayMs);
        const injectedResponse = failure === undefined ? undefined : failureResponse(failure);
        if (injectedResponse !== undefined) {
          status = injectedResponse.status;
          response = injectedResponse.body;
          headers = injectedResponse.headers;
          injected = true;
        } else {
          response = handleMethod(method, body, port);
        }
        // The call has taken effect; only its answer goes wrong.
        if (accepted !== undefined) {
          injected = true;
          if ('answerAfterMs' in accepted) await sleep(accepted.answerAfterMs);
          else if ('drop' in accepted) dropped = true;
          else {
            status = accepted.status;
            response = { ok: false, error: 'internal_error' };
          }
        }
      }
    }
    seq += 1;
    const call: FakeSlackCall = {
      seq,
      method,
      httpMethod: req.method ?? 'POST',
      body,
      rawBody: raw,
      bodyKind: parsed.kind,
      token,
      tokenSource,
      headers: req.headers,
      status: dropped ? 0 : status,
      response,
      ok: !dropped && response.ok === true,
      injected,
      dropped,
      at: Date.now(),
    };
    calls.push(call);
    if (dropped) req.socket.destroy();
    else if (!closed) sendJson(res, status, response, headers);
    notifyCall(call);
  };

  const handleResponseUrl = async (req: IncomingMessage, res: ServerResponse, id: string): Promise<void> => {
    const raw = await readBody(req);
    const parsed = parseBody(req.headers, raw);
    decodeJsonFields(parsed.body);
    const failure = takeFailure('response_url');
    if (failure?.delayMs !== undefined && failure.delayMs > 0) await sleep(failure.delayMs);
    const injectedResponse = failure === undefined ? undefined : failureResponse(failure);
    let status = 200;
    let response: JsonObject = { ok: true };
    let headers: Record<string, string> = {};
    if (injectedResponse !== undefined) {
      status = injectedResponse.status === 200 ? 404 : injectedResponse.status;
      response = injectedResponse.body;
      headers = injectedResponse.headers;
    } else if (parsed.invalidJson) {
      status = 400;
      response = { ok: false, error: 'invalid_json' };
    }
    responseSeq += 1;
    const post: FakeResponseUrlPost = {
      seq: responseSeq,
      id,
      body: parsed.body,
      rawBody: raw,
      bodyKind: parsed.kind,
      headers: req.headers,
      status,
      injected: injectedResponse !== undefined,
      at: Date.now(),
    };
    responses.push(post);
    if (!closed) sendJson(res, status, response, headers);
    notifyResponse(post);
  };

  let boundPort = 0;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const apiMatch = /^\/api\/([A-Za-z0-9_.]+)\/?$/.exec(url.pathname);
    const responseMatch = /^\/response\/([^/]+)\/?$/.exec(url.pathname);
    const work = async (): Promise<void> => {
      if (apiMatch !== null && apiMatch[1] !== undefined && (req.method === 'POST' || req.method === 'GET')) {
        await handleApi(req, res, url, apiMatch[1], boundPort);
      } else if (responseMatch !== null && responseMatch[1] !== undefined && req.method === 'POST') {
        await handleResponseUrl(req, res, decodeURIComponent(responseMatch[1]));
      } else {
        req.resume();
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('not found');
      }
    };
    work().catch((err: unknown) => {
      if (!res.headersSent && !closed) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`fake-slack internal error: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  // ----- Socket Mode -----

  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ticket = url.searchParams.get('ticket');
    if (url.pathname.replace(/\/$/, '') !== '/link' || ticket === null || !tickets.has(ticket) || closed) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    tickets.delete(ticket); // tickets are single-use, like Slack's
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws));
  });

  const onConnection = (ws: WebSocket): void => {
    connSeq += 1;
    connectionTotal += 1;
    const conn: SocketConn = { id: connSeq, ws, pingTimer: undefined, connectedAt: Date.now() };
    conns.set(conn.id, conn);
    if (pingIntervalMs > 0) {
      conn.pingTimer = setInterval(() => {
        if (ws.readyState === WebSocket.OPEN) ws.ping(`fake-slack ping ${Date.now()}`);
      }, pingIntervalMs);
      conn.pingTimer.unref();
    }
    ws.on('message', (data: RawData, isBinary: boolean) => {
      const raw = isBinary ? '' : rawDataToString(data);
      let message: JsonObject | undefined;
      try {
        const value: unknown = JSON.parse(raw);
        message = isObject(value) ? value : undefined;
      } catch {
        message = undefined;
      }
      socketMessages.push({ connectionId: conn.id, message, raw, at: Date.now() });
      if (message === undefined) return;
      const envelopeId = message.envelope_id;
      if (typeof envelopeId !== 'string') return;
      const pending = pendingAcks.get(envelopeId);
      if (pending === undefined) return;
      pendingAcks.delete(envelopeId);
      const ack: SocketModeAck = {
        envelope_id: envelopeId,
        message,
        envelope: pending.envelope,
        ms: Date.now() - pending.sentAt,
      };
      if (isObject(message.payload)) ack.payload = message.payload;
      acks.push(ack);
      pending.resolve(ack);
    });
    ws.on('close', () => {
      if (conn.pingTimer !== undefined) clearInterval(conn.pingTimer);
      conns.delete(conn.id);
    });
    ws.on('error', () => {
      /* the client vanished; 'close' follows */
    });
    const hello = {
      type: 'hello',
      num_connections: conns.size,
      debug_info: { host: 'applink-fake-1', build_number: 1, approximate_connection_time: 18_060 },
      connection_info: { app_id: identity.appId },
    };
    ws.send(JSON.stringify(hello), () => {
      for (const wake of [...clientWaiters]) wake();
    });
  };

  const openConns = (): SocketConn[] => [...conns.values()].filter((c) => c.ws.readyState === WebSocket.OPEN);

  const waitForSocketClient = (timeoutMs: number = waitTimeoutMs): Promise<void> => {
    if (openConns().length > 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const wake = (): void => {
        if (openConns().length === 0) return;
        clientWaiters.delete(wake);
        clearTimeout(timer);
        timers.delete(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        timers.delete(timer);
        clientWaiters.delete(wake);
        reject(new Error(`fake-slack: no Socket Mode client connected within ${timeoutMs}ms`));
      }, timeoutMs);
      timers.add(timer);
      clientWaiters.add(wake);
    });
  };

  const sendEnvelope = async (type: SocketModeEnvelopeType, payload: JsonObject, opts: EnvelopeOptions = {}): Promise<SocketModeAck> => {
    const timeoutMs = opts.timeoutMs ?? ackTimeoutMs;
    const started = Date.now();
    await waitForSocketClient(timeoutMs);
    const candidates = openConns();
    // Slack delivers each envelope over one of the open connections; use the newest.
    const conn = candidates[candidates.length - 1];
    if (conn === undefined) throw new Error('fake-slack: no open Socket Mode connection');
    const envelope: SocketModeEnvelope = {
      envelope_id: opts.envelopeId ?? randomUUID(),
      payload,
      type,
      accepts_response_payload: opts.acceptsResponsePayload ?? defaultAcceptsResponsePayload(type, payload),
    };
    if (type === 'events_api' || opts.retryAttempt !== undefined || opts.retryReason !== undefined) {
      envelope.retry_attempt = opts.retryAttempt ?? 0;
      envelope.retry_reason = opts.retryReason ?? '';
    }
    const remaining = Math.max(1, timeoutMs - (Date.now() - started));
    return new Promise<SocketModeAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        pendingAcks.delete(envelope.envelope_id);
        reject(new Error(`fake-slack: no ack for ${type} envelope ${envelope.envelope_id} within ${timeoutMs}ms`));
      }, remaining);
      timers.add(timer);
      pendingAcks.set(envelope.envelope_id, {
        envelope,
        sentAt: Date.now(),
        resolve: (ack) => {
          clearTimeout(timer);
          timers.delete(timer);
          resolve(ack);
        },
      });
      conn.ws.send(JSON.stringify(envelope), (err) => {
        if (err !== undefined && err !== null) {
          clearTimeout(timer);
          timers.delete(timer);
          pendingAcks.delete(envelope.envelope_id);
          reject(err);
        }
      });
    });
  };

  const disconnectClients = async (opts: DisconnectOptions = {}): Promise<void> => {
    const timeoutMs = opts.timeoutMs ?? 3000;
    const targets = [...conns.values()];
    const closedAll = Promise.all(
      targets.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.ws.readyState === WebSocket.CLOSED) resolve();
            else c.ws.once('close', () => resolve());
          }),
      ),
    );
    for (const c of targets) {
      if (opts.abrupt === true) c.ws.terminate();
      else if (c.ws.readyState === WebSocket.OPEN) {
        c.ws.send(JSON.stringify({ type: 'disconnect', reason: opts.reason ?? 'refresh_requested', debug_info: { host: 'applink-fake-1' } }));
      }
    }
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([closedAll.then(() => 'closed' as const), timedOut]);
    if (timer !== undefined) clearTimeout(timer);
    if (outcome === 'timeout') {
      for (const c of targets) c.ws.terminate();
    }
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  boundPort = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${boundPort}`;

  const fake: FakeSlackApi = {
    apiUrl: `${baseUrl}/api/`,
    baseUrl,
    port: boundPort,
    identity,
    calls,
    responses,
    messages,
    socketMessages,
    acks,
    get socketClientCount(): number {
      return openConns().length;
    },
    get socketConnectionTotal(): number {
      return connectionTotal;
    },
    callsTo: (method) => calls.filter((c) => c.method === method),
    waitForCall: (method, predicate, timeoutMs = waitTimeoutMs) =>
      waitFor<FakeSlackCall>(
        calls,
        (c) => c.method === method && (predicate === undefined || predicate(c)),
        (w) => callWaiters.push(w),
        (w) => {
          callWaiters = callWaiters.filter((x) => x !== w);
        },
        timeoutMs,
        () => `waiting for a ${method} call; seen: ${calls.map((c) => `${c.method}(${c.status},${String(c.response.error ?? 'ok')})`).join(', ') || 'none'}`,
      ),
    failNext,
    acceptThen,
    messagesIn,
    addChannel,
    addUser,
    responseUrl: (id) => `${baseUrl}/response/${encodeURIComponent(id ?? randomUUID())}`,
    waitForResponse: (predicate, timeoutMs = waitTimeoutMs) =>
      waitFor<FakeResponseUrlPost>(
        responses,
        (p) => predicate === undefined || predicate(p),
        (w) => responseWaiters.push(w),
        (w) => {
          responseWaiters = responseWaiters.filter((x) => x !== w);
        },
        timeoutMs,
        () => `waiting for a response_url POST; seen ${responses.length}`,
      ),
    waitForSocketClient,
    sendEnvelope,
    sendSlashCommand: (fields, opts) =>
      sendEnvelope('slash_commands', { ...slashCommandFields({ response_url: fake.responseUrl(), ...fields }, identity) }, opts),
    sendEvent: (event, opts = {}) => {
      const cbOpts: EventCallbackOptions = { identity };
      if (opts.eventId !== undefined) cbOpts.eventId = opts.eventId;
      if (opts.eventTime !== undefined) cbOpts.eventTime = opts.eventTime;
      return sendEnvelope('events_api', eventCallback(event, cbOpts), opts);
    },
    sendBlockAction: (args, opts) =>
      sendEnvelope('interactive', blockActionPayload({ responseUrl: fake.responseUrl(), ...args, identity: { ...identity, ...(args.identity ?? {}) } }), opts),
    sendRawToClients: (data) => {
      for (const c of openConns()) c.ws.send(data);
    },
    disconnectClients,
    reset: () => {
      calls.length = 0;
      responses.length = 0;
      messages.length = 0;
      socketMessages.length = 0;
      acks.length = 0;
      failures.clear();
      accepts.clear();
      connectionTotal = openConns().length;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const c of conns.values()) {
        if (c.pingTimer !== undefined) clearInterval(c.pingTimer);
        c.ws.terminate();
      }
      conns.clear();
      pendingAcks.clear();
      callWaiters = [];
      responseWaiters = [];
      clientWaiters.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const s of sockets) s.destroy();
      });
    },
  };
  return fake;
}

function defaultAcceptsResponsePayload(type: SocketModeEnvelopeType, payload: JsonObject): boolean {
  if (type === 'slash_commands') return true;
  if (type === 'interactive') {
    return ['view_submission', 'block_suggestion', 'dialog_suggestion'].includes(String(payload.type));
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------------------
// Body parsing helpers
// ---------------------------------------------------------------------------------------------------------------------

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rawDataToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(headers: IncomingHttpHeaders, raw: string): ParsedBody {
  const contentType = (headers['content-type'] ?? '').toLowerCase();
  if (raw.length === 0) return { body: {}, kind: 'none', invalidJson: false };
  if (contentType.startsWith('application/json')) {
    try {
      const value: unknown = JSON.parse(raw);
      return { body: isObject(value) ? { ...value } : {}, kind: 'json', invalidJson: !isObject(value) };
    } catch {
      return { body: {}, kind: 'json', invalidJson: true };
    }
  }
  if (contentType.startsWith('multipart/form-data')) return { body: {}, kind: 'multipart', invalidJson: false };
  if (contentType.startsWith('application/x-www-form-urlencoded') || contentType === '') {
    return { body: Object.fromEntries(new URLSearchParams(raw).entries()), kind: 'form', invalidJson: false };
  }
  return { body: {}, kind: 'other', invalidJson: false };
}

/** JSON-decode form fields Slack clients send JSON-encoded (blocks, attachments, …), in place. */
function decodeJsonFields(body: JsonObject): void {
  for (const key of Object.keys(body)) {
    const value = body[key];
    if (!JSON_FORM_FIELDS.has(key) || typeof value !== 'string') continue;
    const trimmed = value.trim();
    if (!(trimmed.startsWith('[') || trimmed.startsWith('{'))) continue;
    try {
      body[key] = JSON.parse(trimmed) as unknown;
    } catch {
      /* keep the string: Slack would answer invalid_blocks / invalid_attachments */
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Block Kit limits (what Slack refuses with invalid_blocks / invalid_arguments)
// ---------------------------------------------------------------------------------------------------------------------

const BLOCK_TYPES = new Set(['section', 'context', 'divider', 'actions', 'header', 'image', 'input', 'rich_text', 'video', 'file']);

function textObjectProblem(value: unknown, where: string, max: number, plainOnly = false): string | undefined {
  if (!isObject(value)) return `${where} must be a text object`;
  if (value.type !== 'plain_text' && (plainOnly || value.type !== 'mrkdwn')) return `${where}.type must be ${plainOnly ? 'plain_text' : 'mrkdwn or plain_text'}`;
  if (typeof value.text !== 'string' || value.text.length === 0) return `${where}.text must not be empty`;
  if (value.text.length > max) return `${where}.text must be at most ${max} characters (was ${value.text.length})`;
  return undefined;
}

/**
 * Every Block Kit limit summit-bot's views and messages could run into: block count, block types, section
 * text ≤ 3000, ≤ 10 fields of ≤ 2000, ≤ 10 context elements, ≤ 25 buttons (text ≤ 75, value ≤ 2000,
 * action_id ≤ 255, unique within their block), header ≤ 150, block_id ≤ 255 and unique. Empty when valid.
 */
export function blockKitProblems(blocks: unknown, maxBlocks: number): string[] {
  if (!Array.isArray(blocks)) return ['blocks must be an array'];
  const problems: string[] = [];
  if (blocks.length > maxBlocks) problems.push(`no more than ${maxBlocks} items allowed (was ${blocks.length})`);
  const blockIds = new Set<string>();
  blocks.forEach((block, i) => {
    const at = `blocks[${i}]`;
    const add = (problem: string | undefined) => {
      if (problem !== undefined) problems.push(problem);
    };
    if (!isObject(block) || typeof block.type !== 'string' || !BLOCK_TYPES.has(block.type)) return add(`${at} has no valid type`);
    if (block.block_id !== undefined) {
      if (typeof block.block_id !== 'string' || block.block_id.length > 255 || blockIds.has(block.block_id)) add(`${at}.block_id must be unique and at most 255 characters`);
      else blockIds.add(block.block_id);
    }
    switch (block.type) {
      case 'section': {
        if (block.text === undefined && block.fields === undefined) return add(`${at} needs text or fields`);
        if (block.text !== undefined) add(textObjectProblem(block.text, `${at}.text`, 3000));
        if (block.fields !== undefined) {
          if (!Array.isArray(block.fields) || block.fields.length === 0 || block.fields.length > 10) return add(`${at}.fields must hold 1 to 10 items`);
          block.fields.forEach((f, j) => add(textObjectProblem(f, `${at}.fields[${j}]`, 2000)));
        }
        return;
      }
      case 'context': {
        if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 10) return add(`${at}.elements must hold 1 to 10 items`);
        block.elements.forEach((e, j) => add(textObjectProblem(e, `${at}.elements[${j}]`, 2000)));
        return;
      }
      case 'header':
        return add(textObjectProblem(block.text, `${at}.text`, 150, true));
      case 'actions': {
        if (!Array.isArray(block.elements) || block.elements.length === 0 || block.elements.length > 25) return add(`${at}.elements must hold 1 to 25 items`);
        const actionIds = new Set<string>();
        block.elements.forEach((e, j) => {
          const el = `${at}.elements[${j}]`;
          if (!isObject(e) || typeof e.type !== 'string') return add(`${el} has no type`);
          if (e.type !== 'button') return;
          add(textObjectProblem(e.text, `${el}.text`, 75, true));
          if (typeof e.action_id === 'string') {
            if (e.action_id.length > 255 || actionIds.has(e.action_id)) add(`${el}.action_id must be unique in its block and at most 255 characters`);
            actionIds.add(e.action_id);
          }
          if (e.value !== undefined && (typeof e.value !== 'string' || e.value.length > 2000)) add(`${el}.value must be at most 2000 characters`);
        });
        return;
      }
      default:
        return;
    }
  });
  return problems;
}

/** A home tab or modal view as views.publish / views.open check it: its type, title, and ≤ 100 valid blocks. */
export function viewProblems(view: unknown, type: 'home' | 'modal'): string[] {
  if (!isObject(view)) return ['view must be an object'];
  const problems: string[] = [];
  if (view.type !== type) problems.push(`view.type must be ${type}`);
  if (type === 'modal') {
    const title = textObjectProblem(view.title, 'view.title', 24, true);
    if (title !== undefined) problems.push(title);
    if (view.close !== undefined) {
      const close = textObjectProblem(view.close, 'view.close', 24, true);
      if (close !== undefined) problems.push(close);
    }
  }
  if (view.callback_id !== undefined && (typeof view.callback_id !== 'string' || view.callback_id.length > 255)) problems.push('view.callback_id must be at most 255 characters');
  if (typeof view.private_metadata === 'string' && view.private_metadata.length > 3000) problems.push('view.private_metadata must be at most 3000 characters');
  return [...problems, ...blockKitProblems(view.blocks, 100)];
}

// ---------------------------------------------------------------------------------------------------------------------
// Payload builders and request signing (HTTP mode)
// ---------------------------------------------------------------------------------------------------------------------

let idCounter = 0;
function fakeId(prefix: string): string {
  idCounter += 1;
  return `${prefix}${Date.now().toString(36).toUpperCase()}${idCounter.toString(36).toUpperCase()}`;
}

function freshTs(): string {
  idCounter += 1;
  return `${Math.floor(Date.now() / 1000)}.${String(idCounter % 1_000_000).padStart(6, '0')}`;
}

function freshTriggerId(): string {
  return `${Math.floor(Date.now() / 1000)}.${Math.floor(Math.random() * 1e12)}.${randomUUID().replace(/-/g, '').slice(0, 32)}`;
}

export interface SlackSignatureHeaders {
  'x-slack-signature': string;
  'x-slack-request-timestamp': string;
}

/** v0 signature: `v0=` + hex HMAC-SHA256(signingSecret, `v0:${ts}:${body}`). */
export function signSlackRequest(signingSecret: string, body: string, timestampSeconds: number = Math.floor(Date.now() / 1000)): SlackSignatureHeaders {
  const ts = String(Math.floor(timestampSeconds));
  const digest = createHmac('sha256', signingSecret).update(`v0:${ts}:${body}`).digest('hex');
  return { 'x-slack-signature': `v0=${digest}`, 'x-slack-request-timestamp': ts };
}

/** Complete slash command fields (all strings, as Slack sends them). */
export function slashCommandFields(fields: Partial<SlashCommandFields> = {}, identityOverrides?: Partial<FakeSlackIdentity>): SlashCommandFields {
  const id = identityWith(identityOverrides);
  return {
    token: id.verificationToken,
    team_id: id.teamId,
    team_domain: id.teamDomain,
    channel_id: id.channelId,
    channel_name: id.channelName,
    user_id: id.userId,
    user_name: id.userName,
    command: '/ask',
    text: '',
    api_app_id: id.appId,
    is_enterprise_install: 'false',
    response_url: `https://hooks.slack.com/commands/${id.teamId}/${Date.now()}/${randomUUID().replace(/-/g, '').slice(0, 24)}`,
    trigger_id: freshTriggerId(),
    ...fields,
  };
}

/** A form-encoded slash command body, as Slack POSTs it in HTTP mode. */
export function slashCommandBody(fields: Partial<SlashCommandFields> = {}, identityOverrides?: Partial<FakeSlackIdentity>): string {
  const full = slashCommandFields(fields, identityOverrides);
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(full)) {
    if (typeof v === 'string') params.append(k, v);
  }
  return params.toString();
}

/** A full Events API `event_callback` payload. Fills `event_ts` (and `ts` for message/app_mention) when missing. */
export function eventCallback(event: JsonObject, options: EventCallbackOptions = {}): EventCallbackPayload {
  const id = identityWith(options.identity);
  const ts = typeof event.ts === 'string' ? event.ts : freshTs();
  const fullEvent: JsonObject = { ...event };
  if ((event.type === 'message' || event.type === 'app_mention') && typeof event.ts !== 'string') fullEvent.ts = ts;
  if (typeof event.event_ts !== 'string') fullEvent.event_ts = ts;
  return {
    token: id.verificationToken,
    team_id: id.teamId,
    enterprise_id: id.enterpriseId,
    context_team_id: id.teamId,
    context_enterprise_id: id.enterpriseId,
    api_app_id: id.appId,
    event: fullEvent,
    type: 'event_callback',
    event_id: options.eventId ?? fakeId('Ev'),
    event_time: options.eventTime ?? Math.floor(Date.now() / 1000),
    authorizations: [
      { enterprise_id: id.enterpriseId, team_id: id.teamId, user_id: id.botUserId, is_bot: true, is_enterprise_install: false },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${Buffer.from(JSON.stringify({ et: fullEvent.type, tid: id.teamId, aid: id.appId })).toString('base64url')}`,
  };
}

/** JSON body of an Events API request in HTTP mode. */
export function eventCallbackBody(event: JsonObject, eventId?: string, identityOverrides?: Partial<FakeSlackIdentity>): string {
  const opts: EventCallbackOptions = {};
  if (eventId !== undefined) opts.eventId = eventId;
  if (identityOverrides !== undefined) opts.identity = identityOverrides;
  return JSON.stringify(eventCallback(event, opts));
}

/** A `block_actions` interactivity payload for a button click. */
export function blockActionPayload(args: BlockActionArgs): JsonObject {
  const id = identityWith(args.identity);
  const userId = args.userId ?? id.userId;
  const userName = args.userName ?? id.userName;
  const channelId = args.channelId ?? id.channelId;
  const messageTs = args.messageTs ?? freshTs();
  const payload: JsonObject = {
    type: 'block_actions',
    user: { id: userId, username: userName, name: userName, team_id: id.teamId },
    api_app_id: id.appId,
    token: id.verificationToken,
    container: { type: 'message', message_ts: messageTs, channel_id: channelId, is_ephemeral: args.isEphemeral === true },
    trigger_id: args.triggerId ?? freshTriggerId(),
    team: { id: id.teamId, domain: id.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channelId, name: args.channelName ?? id.channelName },
    state: { values: {} },
    response_url: args.responseUrl ?? `https://hooks.slack.com/actions/${id.teamId}/${Date.now()}/${randomUUID().replace(/-/g, '').slice(0, 24)}`,
    actions: [
      {
        action_id: args.actionId,
        block_id: args.blockId ?? 'actions',
        text: { type: 'plain_text', text: args.text ?? args.value ?? args.actionId, emoji: true },
        value: args.value ?? '',
        type: 'button',
        action_ts: `${(Date.now() / 1000).toFixed(6)}`,
      },
    ],
  };
  if (args.message !== undefined) payload.message = { ts: messageTs, ...args.message };
  if (args.view !== undefined) {
    const viewId = args.view.id ?? fakeId('V');
    delete payload.channel;
    delete payload.response_url;
    delete payload.message;
    payload.container = { type: 'view', view_id: viewId };
    payload.view = {
      id: viewId,
      team_id: id.teamId,
      type: args.view.type,
      blocks: [],
      private_metadata: '',
      callback_id: args.view.callbackId ?? '',
      state: { values: {} },
      hash: `${Math.floor(Date.now() / 1000)}.abc`,
      app_id: id.appId,
      bot_id: id.botId,
    };
  }
  return payload;
}

/** The body Slack POSTs when it rate-limits the events it sends an app (it has no `event`: Bolt cannot classify it). */
export function appRateLimitedBody(identityOverrides?: Partial<FakeSlackIdentity>): string {
  const id = identityWith(identityOverrides);
  return JSON.stringify({
    token: id.verificationToken,
    type: 'app_rate_limited',
    team_id: id.teamId,
    minute_rate_limited: Math.floor(Date.now() / 60_000) * 60,
    api_app_id: id.appId,
  });
}

/** Form body `payload=<json>` as Slack POSTs interactivity requests in HTTP mode. */
export function blockActionBody(args: BlockActionArgs): string {
  return new URLSearchParams({ payload: JSON.stringify(blockActionPayload(args)) }).toString();
}

export type SlackContentType = 'application/x-www-form-urlencoded' | 'application/json';

export interface PostSignedOptions {
  contentType: SlackContentType | (string & {});
  secret: string;
  /** Seconds since epoch for the signature (default now). Use an old value to test replay protection. */
  timestamp?: number;
  /** Extra headers; they override the signature headers (e.g. to forge a bad signature). */
  headers?: Record<string, string>;
  /** Default 10000. */
  timeoutMs?: number;
}

export interface PostSignedResult {
  status: number;
  text: string;
  json?: unknown;
  headers: Record<string, string>;
  ms: number;
}

/** POST a signed request the way Slack does (HTTP mode), with a bounded wait. */
export async function postSigned(url: string, body: string, options: PostSignedOptions): Promise<PostSignedResult> {
  const started = Date.now();
  const signature = signSlackRequest(options.secret, body, options.timestamp);
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': options.contentType,
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      ...signature,
      ...(options.headers ?? {}),
    },
    body,
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  const text = await res.text();
  const headers: Record<string, string> = {};
  res.headers.forEach((value, key) => {
    headers[key] = value;
  });
  const result: PostSignedResult = { status: res.status, text, headers, ms: Date.now() - started };
  if (text.length > 0) {
    try {
      result.json = JSON.parse(text) as unknown;
    } catch {
      /* not JSON */
    }
  }
  return result;
}
