/**
 * A small but faithful fake of Discord (REST API v10 + WebSocket gateway v10) for end-to-end tests of a
 * discord.js v14 bot. Everything binds 127.0.0.1 on an ephemeral port; nothing talks to the internet.
 *
 * Pointing a REAL discord.js Client at it:
 *
 *   const fake = await startFakeDiscord();
 *   const client = new Client({
 *     intents: [GatewayIntentBits.Guilds],
 *     rest: { api: fake.restUrl },          // "http://127.0.0.1:PORT/api"; @discordjs/rest appends "/v10"
 *   });
 *   client.once(Events.ClientReady, ...);   // 'clientReady'; listening to 'ready' still works but emits a DeprecationWarning
 *   await client.login(fake.token);
 *
 * How the pieces line up with discord.js 14.28 / @discordjs/rest 2.6 / @discordjs/ws 1.2 (read from their source):
 * - REST: URL = `${rest.api}/v${rest.version}${route}` with `rest.version` defaulting to '10'. Bot routes carry
 *   `Authorization: Bot <token>`; interaction callbacks and interaction webhooks are sent with `auth: false` (no
 *   Authorization header at all — the interaction token in the path is the credential), exactly like real Discord.
 * - Gateway URL: the client calls `GET /gateway/bot` (via the REST client, so it honours `rest.api`), then connects
 *   to `${url}?v=10&encoding=json`. After READY it reconnects/resumes to `resume_gateway_url` instead.
 * - Compression: discord.js only asks for `compress=zlib-stream` when the optional native package `zlib-sync` is
 *   installed (WebSocketManager: `compression: zlib ? CompressionMethod.ZlibStream : null`). It is not installed
 *   in this project, so frames are plain JSON text. There is NO ClientOptions switch to turn it off; if zlib-sync
 *   ever gets installed, either rely on this fake (it implements zlib-stream with node:zlib, see
 *   ZlibStreamEncoder) or force it off with
 *   `ws: { buildStrategy: (m) => { m.options.compression = null; return new SimpleShardingStrategy(m); } }`.
 * - Ready: discord.js emits clientReady once every guild listed (unavailable) in READY got a GUILD_CREATE (or after
 *   `waitGuildTimeout`, 15 s by default). The fake sends GUILD_CREATE immediately after READY, so ready is instant.
 * - Reconnects: @discordjs/ws resumes (op 6) after an unexpected close code (e.g. 4000, 1006) or op 7; it
 *   re-identifies (op 2) after close 1000, 4007, 4009 or a non-resumable op 9. A second IDENTIFY within 5 s of the
 *   previous one is delayed by @discordjs/ws's SimpleIdentifyThrottler (5 s + up to 1.5 s jitter); tests that force
 *   re-identify can pass `ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) }`.
 * - Message nonces: POST /channels/:id/messages with `nonce` (≤ 25 characters) and `enforce_nonce: true` returns
 *   the message already created with that nonce within `nonceWindowMs` instead of creating a second one, as
 *   Discord does for "the past few minutes" (it publishes no exact figure).
 * - `acceptThen`: a request takes effect (the message is created) and is then answered late, never (the
 *   connection is dropped) or with a 5xx: what a client sees as a timeout, a reset or a server error.
 * - Rate limits: @discordjs/rest retries a 429 forever (after `Retry-After` seconds + 50 ms offset) and a 5xx up
 *   to `rest.retries` (3) times, i.e. 4 attempts in total, before throwing.
 */
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomBytes, sign, type KeyObject } from 'node:crypto';
import type { AcceptedOutcome } from './net.ts';
import zlib from 'node:zlib';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ButtonStyle,
  ChannelType,
  ComponentType,
  GatewayDispatchEvents,
  GatewayOpcodes,
  InteractionContextType,
  InteractionResponseType,
  InteractionType,
  Locale,
  MessageFlags,
  MessageType,
  type APIApplicationCommandAutocompleteGuildInteraction,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIApplicationCommandInteractionDataOption,
  type APIChatInputApplicationCommandGuildInteraction,
  type APIEmbed,
  type APIGuildMember,
  type APIInteraction,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIMessageComponentGuildInteraction,
  type APIMessageTopLevelComponent,
  type APIRole,
  type APITextChannel,
  type APIUser,
  type ApplicationFlags,
  type ChannelFlags,
  type GatewayGuildCreateDispatchData,
  type GuildMemberFlags,
  type GuildSystemChannelFlags,
  type UserFlags,
  type GatewayReadyDispatchData,
} from 'discord.js';

// ---------------------------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------------------------

export interface FakeDiscordOptions {
  /** Bot token the fake expects (REST `Authorization: Bot <token>`, gateway IDENTIFY/RESUME). */
  token?: string;
  /** Application id; defaults to the bot user id (true for every modern Discord app). */
  applicationId?: string;
  botUserId?: string;
  botUsername?: string;
  guildId?: string;
  guildName?: string;
  channelId?: string;
  channelName?: string;
  /** HELLO heartbeat_interval in ms (Discord sends 41250). */
  heartbeatIntervalMs?: number;
  /**
   * Real Discord rejects an interaction callback sent more than 3 s after the interaction was created with
   * 404 Unknown interaction (10062). Off (null) by default so slow CI machines do not flake; set 3000 to emulate.
   */
  initialResponseDeadlineMs?: number | null;
  /** Enforce Discord's message limits (empty message 50006, content > 2000 / embed limits 50035). Default true. */
  validateMessages?: boolean;
  /** Privileged intents (GuildMembers, GuildPresences, MessageContent) the app is allowed; others close 4014. Default all. */
  allowedPrivilegedIntents?: number;
  /** How long a message nonce is remembered for `enforce_nonce` (Discord: "the past few minutes"). Default 2 minutes. */
  nonceWindowMs?: number;
  /** Debug logger (e.g. console.log). */
  log?: (message: string) => void;
}

/** What an app's Interactions Endpoint answered to `deliverOverHttp`. */
export interface HttpDelivery {
  status: number;
  /** The parsed JSON answer, if it was JSON. */
  body: unknown;
  text: string;
  ms: number;
}

export interface RecordedFile {
  field: string;
  filename: string;
  contentType: string;
  size: number;
  data: Buffer;
}

export interface RecordedRequest {
  /** 1-based order of arrival. */
  seq: number;
  method: string;
  /** Path relative to the versioned API root, without query, e.g. `/interactions/123/tok/callback`. */
  path: string;
  /** Full request target as received, e.g. `/api/v10/interactions/123/tok/callback?with_response=false`. */
  url: string;
  query: Record<string, string>;
  /** Route template that matched (e.g. `/interactions/:id/:token/callback`), or null for unknown routes. */
  route: string | null;
  params: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON body (for multipart: the parsed `payload_json`), raw string for other bodies, undefined if none. */
  body: unknown;
  files: RecordedFile[];
  /** Response status (0 while the request is still being handled). */
  status: number;
  responseBody: unknown;
  /** True when the response came from failNext() injection. */
  injected: boolean;
  at: number;
}

/**
 * `'POST /interactions/:id/:token/callback'`, `'/channels/:id/messages'` (any method; `:name` matches one path
 * segment, `*` anything), a RegExp tested against `"METHOD /path"`, or a predicate.
 */
export type RequestMatcher = string | RegExp | ((request: RecordedRequest) => boolean);

export interface FailureSpec {
  status: number;
  /** JSON body; a Discord-shaped default is used when omitted. */
  body?: unknown;
  /** Seconds, for 429 (Retry-After header + retry_after). Default 0.05. Real Discord sends whole seconds in the header. */
  retryAfter?: number;
  /** 429 only: global rate limit (adds X-RateLimit-Global). */
  global?: boolean;
  /** 429 only: X-RateLimit-Scope (user | global | shared). */
  scope?: 'user' | 'global' | 'shared';
  /** How many matching requests fail. Default 1. */
  times?: number;
  headers?: Record<string, string>;
  /** Delay before answering, in ms. */
  delayMs?: number;
}

export type GatewayLogEntry =
  | { kind: 'open'; connectionId: number; path: string; query: Record<string, string>; at: number }
  | { kind: 'close'; connectionId: number; code: number; initiatedBy: 'client' | 'server'; at: number }
  | {
      kind: 'in' | 'out';
      connectionId: number;
      op: number;
      t: string | null;
      s: number | null;
      d: unknown;
      at: number;
    };

export interface InteractionOptionInput {
  name: string;
  type?: ApplicationCommandOptionType;
  value?: string | number | boolean;
  focused?: boolean;
  options?: InteractionOptionInput[];
}

export type InteractionOptionsInput =
  | InteractionOptionInput[]
  | Record<string, string | number | boolean>;

export interface InteractionUserInput {
  userId?: string;
  username?: string;
  channelId?: string;
  /** Member permissions in the channel (decimal bit string). Default: everything a regular member has. */
  memberPermissions?: string;
  memberRoles?: string[];
  locale?: Locale;
  /** The bot's permissions in the channel, as Discord computes them for the interaction (decimal bit string). Default: the bot role's. */
  appPermissions?: string;
}

export interface ChatInputInteractionInput extends InteractionUserInput {
  name: string;
  options?: InteractionOptionsInput;
  commandId?: string;
  /** Set when the command is registered as a guild command. */
  commandGuildId?: string;
}

export interface ButtonInteractionInput extends InteractionUserInput {
  customId: string;
  /** The message carrying the button; defaults to a bot message with that button. */
  message?: APIMessage;
}

export interface InteractionState {
  payload: APIInteraction;
  createdAt: number;
  acknowledged: boolean;
  responseType: number | null;
  original: APIMessage | null;
  followups: APIMessage[];
}

export interface StoredCommand {
  id: string;
  application_id: string;
  version: string;
  type: number;
  name: string;
  description: string;
  guild_id?: string;
  [key: string]: unknown;
}

/** Ready-made Discord error responses for failNext(). */
export const DiscordErrors = {
  rateLimited: (retryAfter = 0.05): FailureSpec => ({ status: 429, retryAfter }),
  serverError: { status: 500, body: { message: '500: Internal Server Error', code: 0 } },
  unknownChannel: { status: 404, body: { message: 'Unknown Channel', code: 10003 } },
  unknownMessage: { status: 404, body: { message: 'Unknown Message', code: 10008 } },
  unknownWebhook: { status: 404, body: { message: 'Unknown Webhook', code: 10015 } },
  unknownInteraction: { status: 404, body: { message: 'Unknown interaction', code: 10062 } },
  missingAccess: { status: 403, body: { message: 'Missing Access', code: 50001 } },
  missingPermissions: { status: 403, body: { message: 'Missing Permissions', code: 50013 } },
  alreadyAcknowledged: {
    status: 400,
    body: { message: 'Interaction has already been acknowledged.', code: 40060 },
  },
  unauthorized: { status: 401, body: { message: '401: Unauthorized', code: 0 } },
} as const satisfies Record<string, FailureSpec | ((retryAfter?: number) => FailureSpec)>;

// ---------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------

const DISCORD_EPOCH = 1420070400000n;
let snowflakeIncrement = 0n;

/** A real-looking snowflake (timestamp-based, so discord.js createdAt values make sense). */
export function snowflake(at: number = Date.now()): string {
  snowflakeIncrement = (snowflakeIncrement + 1n) & 0xfffn;
  return (((BigInt(at) - DISCORD_EPOCH) << 22n) | (1n << 17n) | snowflakeIncrement).toString();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function permissionBits(...bits: bigint[]): string {
  return bits.reduce((acc, bit) => acc | (1n << bit), 0n).toString();
}

// Permission bit positions (https://discord.com/developers/docs/topics/permissions)
const P = {
  CreateInstantInvite: 0n,
  AddReactions: 6n,
  Stream: 9n,
  ViewChannel: 10n,
  SendMessages: 11n,
  EmbedLinks: 14n,
  AttachFiles: 15n,
  ReadMessageHistory: 16n,
  MentionEveryone: 17n,
  UseExternalEmojis: 18n,
  Connect: 20n,
  Speak: 21n,
  UseVAD: 25n,
  ChangeNickname: 26n,
  UseApplicationCommands: 31n,
  CreatePublicThreads: 35n,
  SendMessagesInThreads: 38n,
} as const;

const EVERYONE_PERMISSIONS = permissionBits(
  P.CreateInstantInvite,
  P.AddReactions,
  P.Stream,
  P.ViewChannel,
  P.SendMessages,
  P.EmbedLinks,
  P.AttachFiles,
  P.ReadMessageHistory,
  P.UseExternalEmojis,
  P.Connect,
  P.Speak,
  P.UseVAD,
  P.ChangeNickname,
  P.UseApplicationCommands,
  P.CreatePublicThreads,
  P.SendMessagesInThreads,
);
const BOT_PERMISSIONS = permissionBits(
  P.ViewChannel,
  P.SendMessages,
  P.EmbedLinks,
  P.AttachFiles,
  P.ReadMessageHistory,
  P.UseExternalEmojis,
  P.UseApplicationCommands,
  P.SendMessagesInThreads,
);

const INTENT_GUILDS = 1 << 0;
const INTENT_GUILD_MESSAGES = 1 << 9;
const PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15);
const ALL_INTENTS = (1 << 26) - 1; // bits 0..25 cover every documented intent

/** Gateway close codes after which Discord will not let the session resume. */
const SESSION_KILLING_CLOSE_CODES = new Set([4004, 4007, 4009, 4010, 4011, 4012, 4013, 4014]);

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Destroy the connection instead of answering (the request has taken effect). */
  drop?: boolean;
}

const errorReply = (status: number, message: string, code: number, errors?: unknown): Reply => ({
  status,
  body: errors === undefined ? { message, code } : { message, code, errors },
});
const NOT_FOUND = (): Reply => errorReply(404, '404: Not Found', 0);
const UNKNOWN_INTERACTION = (): Reply => errorReply(404, 'Unknown interaction', 10062);
const UNKNOWN_WEBHOOK = (): Reply => errorReply(404, 'Unknown Webhook', 10015);
const UNKNOWN_MESSAGE = (): Reply => errorReply(404, 'Unknown Message', 10008);
const UNKNOWN_CHANNEL = (): Reply => errorReply(404, 'Unknown Channel', 10003);

/** Builds Discord's nested "Invalid Form Body" error object: { a: { b: { _errors: [...] } } }. */
function formError(path: string[], code: string, message: string): Record<string, unknown> {
  let node: Record<string, unknown> = { _errors: [{ code, message }] };
  for (let i = path.length - 1; i >= 0; i--) node = { [path[i] ?? '']: node };
  return node;
}
const invalidFormBody = (path: string[], code: string, message: string): Reply =>
  errorReply(400, 'Invalid Form Body', 50035, formError(path, code, message));

function compileMatcher(matcher: RequestMatcher): (request: RecordedRequest) => boolean {
  if (typeof matcher === 'function') return matcher;
  if (matcher instanceof RegExp) {
    return (request) => {
      matcher.lastIndex = 0;
      return matcher.test(`${request.method} ${request.path}`);
    };
  }
  const spaceAt = matcher.indexOf(' ');
  const method = spaceAt > 0 ? matcher.slice(0, spaceAt).toUpperCase() : null;
  const pattern = spaceAt > 0 ? matcher.slice(spaceAt + 1).trim() : matcher.trim();
  const regex = new RegExp(
    `^${pattern
      .split('/')
      .map((segment) =>
        segment.startsWith(':')
          ? '[^/]+'
          : segment
              .split('*')
              .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
              .join('.*'),
      )
      .join('/')}$`,
  );
  return (request) => (method === null || request.method === method) && regex.test(request.path);
}

/**
 * zlib-stream transport compression as Discord does it: one shared deflate context per connection, every payload
 * flushed with Z_SYNC_FLUSH so each frame ends with 00 00 ff ff.
 */
class ZlibStreamEncoder {
  private readonly deflate = zlib.createDeflate();
  private chunks: Buffer[] = [];
  private chain: Promise<unknown> = Promise.resolve();

  constructor() {
    this.deflate.on('data', (chunk: Buffer) => this.chunks.push(chunk));
  }

  encode(text: string): Promise<Buffer> {
    const next = this.chain.then(
      () =>
        new Promise<Buffer>((resolve) => {
          this.deflate.write(text);
          this.deflate.flush(zlib.constants.Z_SYNC_FLUSH, () => {
            setImmediate(() => {
              const out = Buffer.concat(this.chunks);
              this.chunks = [];
              resolve(out);
            });
          });
        }),
    );
    this.chain = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.deflate.close();
  }
}

interface OutgoingPayload {
  op: number;
  d: unknown;
  s: number | null;
  t: string | null;
}

interface GatewayConnection {
  id: number;
  ws: WebSocket;
  encoder: ZlibStreamEncoder | null;
  session: GatewaySession | null;
  closingBy: 'server' | null;
  sendChain: Promise<unknown>;
}

interface GatewaySession {
  id: string;
  seq: number;
  intents: number;
  shard: [number, number];
  buffer: OutgoingPayload[];
  connection: GatewayConnection | null;
}

interface RouteContext {
  request: RecordedRequest;
  params: Record<string, string>;
}

interface RouteDef {
  method: string;
  pattern: string;
  regex: RegExp;
  keys: string[];
  auth: 'bot' | 'none';
  handle: (ctx: RouteContext) => Reply;
}

interface Injection {
  match: (request: RecordedRequest) => boolean;
  spec: FailureSpec | null; // null: delay only
  delayMs: number;
  remaining: number;
}

const MAX_BODY_BYTES = 30 * 1024 * 1024;
const RESUME_BUFFER_LIMIT = 1000;

// ---------------------------------------------------------------------------------------------------------------
// The fake
// ---------------------------------------------------------------------------------------------------------------

export class FakeDiscord {
  readonly token: string;
  readonly applicationId: string;
  readonly botUserId: string;
  readonly guildId: string;
  readonly channelId: string;
  readonly botRoleId: string;
  /** Every REST request, in arrival order. */
  readonly requests: RecordedRequest[] = [];
  /** Every gateway open/close and payload in either direction. */
  readonly gatewayLog: GatewayLogEntry[] = [];
  /** Messages posted with POST /channels/:id/messages, per channel id. */
  readonly channelMessages = new Map<string, APIMessage[]>();

  private readonly options: Required<
    Pick<
      FakeDiscordOptions,
      'botUsername' | 'guildName' | 'channelName' | 'heartbeatIntervalMs' | 'validateMessages' | 'allowedPrivilegedIntents'
    >
  > & { initialResponseDeadlineMs: number | null; log: ((message: string) => void) | null; nonceWindowMs: number };
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private readonly events = new EventEmitter();
  private readonly routes: RouteDef[] = [];
  private readonly injections: Injection[] = [];
  private readonly accepts: Array<{ match: (request: RecordedRequest) => boolean; outcome: AcceptedOutcome; remaining: number }> = [];
  /** Messages created with a nonce, by nonce, for `enforce_nonce`. */
  private readonly nonces = new Map<string, { messageId: string; at: number }>();
  private readonly interactions = new Map<string, InteractionState>();
  private readonly commands = new Map<string, StoredCommand[]>(); // key: 'global' | guildId
  private readonly sessions = new Map<string, GatewaySession>();
  private readonly connections = new Set<GatewayConnection>();
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly botUser: APIUser;
  private readonly guildCreatedAt = new Date(Date.now() - 86_400_000).toISOString();
  private port = 0;
  private nextConnectionId = 1;
  private identifyCount = 0;
  private closed = false;

  constructor(options: FakeDiscordOptions = {}) {
    this.botUserId = options.botUserId ?? snowflake(Date.now() - 3_600_000);
    this.applicationId = options.applicationId ?? this.botUserId;
    this.guildId = options.guildId ?? snowflake(Date.now() - 7_200_000);
    this.channelId = options.channelId ?? snowflake(Date.now() - 7_100_000);
    this.botRoleId = snowflake(Date.now() - 3_500_000);
    this.token =
      options.token ??
      `${Buffer.from(this.botUserId).toString('base64url')}.${randomBytes(4).toString('base64url')}.${randomBytes(
        28,
      ).toString('base64url')}`;
    this.options = {
      botUsername: options.botUsername ?? 'summit-bot',
      guildName: options.guildName ?? 'Fake Guild',
      channelName: options.channelName ?? 'general',
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      validateMessages: options.validateMessages ?? true,
      allowedPrivilegedIntents: options.allowedPrivilegedIntents ?? PRIVILEGED_INTENTS,
      initialResponseDeadlineMs: options.initialResponseDeadlineMs ?? null,
      nonceWindowMs: options.nonceWindowMs ?? 120_000,
      log: options.log ?? null,
    };
    this.botUser = {
      id: this.botUserId,
      username: this.options.botUsername,
      discriminator: '4821',
      global_name: null,
      avatar: null,
      bot: true,
      system: false,
      mfa_enabled: false,
      banner: null,
      accent_color: null,
      locale: 'en-US',
      verified: true,
      email: null,
      flags: 0 as UserFlags,
      public_flags: 0 as UserFlags,
    };
    this.events.setMaxListeners(0);
    this.server = createServer((req, res) => void this.onHttpRequest(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req, socket, head) => {
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path !== '/gateway' && path !== '/resume') {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.onGatewayConnection(ws, req));
    });
    this.defineRoutes();
  }

  /** Binds 127.0.0.1 on an ephemeral port. */
  async listen(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  /** Value for `new Client({ rest: { api: fake.restUrl } })` (without the version; discord.js appends /v10). */
  get restUrl(): string {
    return `${this.origin}/api`;
  }
  /** Fully versioned base for raw fetch() calls in tests. */
  get apiBase(): string {
    return `${this.restUrl}/v10`;
  }
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }
  get resumeGatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/resume`;
  }
  /** Number of gateway sockets currently open and identified/resumed. */
  get connectedClients(): number {
    let n = 0;
    for (const c of this.connections) if (c.session && c.ws.readyState === WebSocket.OPEN) n++;
    return n;
  }

  // ---- failure injection -------------------------------------------------------------------------------------

  /** Makes the next `spec.times` (default 1) requests matching `matcher` fail with `spec`. */
  failNext(matcher: RequestMatcher, spec: FailureSpec): void {
    this.injections.push({
      match: compileMatcher(matcher),
      spec,
      delayMs: spec.delayMs ?? 0,
      remaining: spec.times ?? 1,
    });
  }

  /** Delays (but otherwise answers normally) the next `times` requests matching `matcher`. */
  delayNext(matcher: RequestMatcher, delayMs: number, times = 1): void {
    this.injections.push({ match: compileMatcher(matcher), spec: null, delayMs, remaining: times });
  }

  /**
   * The next `times` (default 1) requests matching `matcher` take effect and are then answered late, never
   * (the connection is dropped) or with an HTTP error status.
   */
  acceptThen(matcher: RequestMatcher, outcome: AcceptedOutcome, times = 1): void {
    this.accepts.push({ match: compileMatcher(matcher), outcome, remaining: times });
  }

  clearFailures(): void {
    this.injections.length = 0;
    this.accepts.length = 0;
  }

  // ---- inspection / waiting ----------------------------------------------------------------------------------

  /** Resolves with the first completed request matching `matcher` (already recorded or future); rejects after timeoutMs. */
  waitFor(matcher: RequestMatcher, timeoutMs = 5000): Promise<RecordedRequest> {
    const match = compileMatcher(matcher);
    return this.waitUntil(
      () => this.requests.find((r) => r.status !== 0 && match(r)),
      timeoutMs,
      () => `request matching ${String(matcher)}; saw: ${this.describeRequests()}`,
    );
  }

  /** Resolves with the first gateway log entry matching `predicate`. */
  waitForGateway(predicate: (entry: GatewayLogEntry) => boolean, timeoutMs = 5000): Promise<GatewayLogEntry> {
    return this.waitUntil(
      () => this.gatewayLog.find(predicate),
      timeoutMs,
      () => `gateway entry; saw: ${this.gatewayLog.map((e) => (e.kind === 'in' || e.kind === 'out' ? `${e.kind}:${e.op}${e.t ? `:${e.t}` : ''}` : `${e.kind}`)).join(', ')}`,
    );
  }

  /** Resolves once `count` gateway clients are identified/resumed and connected. */
  waitForConnectedClients(count = 1, timeoutMs = 5000): Promise<number> {
    return this.waitUntil(
      () => (this.connectedClients >= count ? this.connectedClients : undefined),
      timeoutMs,
      () => `${count} connected gateway client(s); have ${this.connectedClients}`,
    );
  }

  /** All REST requests belonging to an interaction: its callback(s) and its webhook (follow-up/edit) calls. */
  interactionResponses(interactionId: string): RecordedRequest[] {
    const state = this.interactions.get(interactionId);
    if (!state) return [];
    const token = state.payload.token;
    return this.requests.filter(
      (r) =>
        (r.route === '/interactions/:id/:token/callback' && r.params.id === interactionId) ||
        (r.route !== null && r.route.startsWith('/webhooks/') && r.params.token === token),
    );
  }

  /** Resolves with the first successful (2xx) callback for the interaction. */
  waitForInteractionCallback(interactionId: string, timeoutMs = 5000): Promise<RecordedRequest> {
    return this.waitFor(
      (r) =>
        r.route === '/interactions/:id/:token/callback' &&
        r.params.id === interactionId &&
        r.status >= 200 &&
        r.status < 300,
      timeoutMs,
    );
  }

  interactionState(interactionId: string): InteractionState | undefined {
    return this.interactions.get(interactionId);
  }

  registeredCommands(guildId?: string): StoredCommand[] {
    return [...(this.commands.get(guildId ?? 'global') ?? [])];
  }

  // ---- gateway control ---------------------------------------------------------------------------------------

  /** Dispatches INTERACTION_CREATE to every live gateway session (buffered for sessions that are disconnected but resumable). */
  sendInteraction<T extends APIInteraction>(payload: T): T {
    this.registerInteraction(payload);
    this.dispatch(GatewayDispatchEvents.InteractionCreate, payload);
    return payload;
  }

  /**
   * Makes the interaction's id/token known to the REST side without dispatching it (sendInteraction does this
   * itself). Useful for raw-HTTP tests; callbacks for unregistered interactions get 404 Unknown interaction.
   */
  registerInteraction<T extends APIInteraction>(payload: T): T {
    if (!this.interactions.has(payload.id)) {
      this.interactions.set(payload.id, {
        payload,
        createdAt: Date.now(),
        acknowledged: false,
        responseType: null,
        original: null,
        followups: [],
      });
    }
    return payload;
  }

  /**
   * Delivers an interaction the way Discord does to an app's Interactions Endpoint URL: POSTed to `endpoint`,
   * signed with `privateKey` (Ed25519 over timestamp + body, in `X-Signature-Ed25519` / `X-Signature-Timestamp`).
   * A 200 JSON answer is the interaction's first response and is recorded as its callback (as if POSTed to
   * `/interactions/:id/:token/callback`), so waitForInteractionCallback, edits and follow-ups work as for the gateway.
   * `headers` override the signature headers (to forge or drop them).
   */
  async deliverOverHttp(endpoint: string, payload: APIInteraction | { type: InteractionType.Ping; id: string; application_id: string; token: string; version: 1 }, privateKey: KeyObject, headers: Record<string, string> = {}, timeoutMs = 10_000): Promise<HttpDelivery> {
    if (payload.type !== InteractionType.Ping) this.registerInteraction(payload as APIInteraction);
    const body = JSON.stringify(payload);
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = sign(null, Buffer.from(timestamp + body), privateKey).toString('hex');
    const started = Date.now();
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Discord-Interactions/1.0 (+https://discord.com)', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp, ...headers },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    const ms = Date.now() - started;
    let json: unknown;
    try {
      json = text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      json = undefined;
    }
    if (response.status === 200 && payload.type !== InteractionType.Ping && isRecord(json)) {
      const record = this.record({
        method: 'POST',
        path: `/interactions/${payload.id}/${payload.token}/callback`,
        url: `(HTTP response to ${endpoint})`,
        query: {},
        route: '/interactions/:id/:token/callback',
        params: { id: payload.id, token: payload.token },
        headers: {},
        body: json,
      });
      const reply = this.interactionCallback({ params: record.params, request: record });
      record.status = reply.status;
      record.responseBody = reply.body;
      this.changed();
    }
    return { status: response.status, body: json, text, ms };
  }

  /** Dispatches any event (op 0) to every live session; returns how many sessions got it. */
  dispatch(t: string, d: unknown): number {
    if (this.sessions.size === 0) throw new Error(`FakeDiscord: cannot dispatch ${t}, no gateway session`);
    for (const session of this.sessions.values()) this.dispatchTo(session, t, d);
    return this.sessions.size;
  }

  /** Closes every gateway socket with `code` (default 4000 = unknown error, after which discord.js RESUMEs). */
  async disconnectClients(code = 4000, reason = 'fake-discord: forced disconnect', timeoutMs = 2000): Promise<number> {
    const open = [...this.connections].filter((c) => c.ws.readyState === WebSocket.OPEN);
    if (SESSION_KILLING_CLOSE_CODES.has(code)) {
      for (const c of open) if (c.session) this.sessions.delete(c.session.id);
    }
    await Promise.all(open.map((c) => this.closeConnection(c, code, reason, timeoutMs)));
    return open.length;
  }

  /** Kills every gateway socket without a close frame (client sees 1006 and resumes). */
  terminateClients(): number {
    const open = [...this.connections].filter((c) => c.ws.readyState === WebSocket.OPEN);
    for (const c of open) {
      c.closingBy = 'server';
      c.ws.terminate();
    }
    return open.length;
  }

  /** Sends op 7 RECONNECT; discord.js closes with 4200 and resumes. */
  requestReconnect(): void {
    for (const c of this.connections) if (c.session) this.send(c, { op: GatewayOpcodes.Reconnect, d: null, s: null, t: null });
  }

  /** Sends op 9 INVALID_SESSION; with resumable=false the sessions are dropped and clients must IDENTIFY again. */
  invalidateSessions(resumable = false): void {
    for (const c of this.connections) {
      const session = c.session;
      if (!session) continue;
      // Detach either way: the client answers with RESUME (resumable) on this same socket or reconnects + IDENTIFYs.
      session.connection = null;
      c.session = null;
      if (!resumable) this.sessions.delete(session.id);
      this.send(c, { op: GatewayOpcodes.InvalidSession, d: resumable, s: null, t: null });
    }
  }

  // ---- payload builders ------------------------------------------------------------------------------------

  user(userId?: string, username?: string): APIUser {
    const id = userId ?? '100000000000000001';
    return {
      id,
      username: username ?? `user${id.slice(-4)}`,
      global_name: username ?? `User ${id.slice(-4)}`,
      discriminator: '0',
      avatar: null,
      public_flags: 0 as UserFlags,
      flags: 0 as UserFlags,
      primary_guild: null,
      avatar_decoration_data: null,
      collectibles: null,
    };
  }

  private interactionMember(input: InteractionUserInput): APIInteractionGuildMember {
    return {
      user: this.user(input.userId, input.username),
      roles: input.memberRoles ?? [],
      premium_since: null,
      permissions: input.memberPermissions ?? EVERYONE_PERMISSIONS,
      pending: false,
      nick: null,
      mute: false,
      deaf: false,
      joined_at: this.guildCreatedAt,
      avatar: null,
      banner: null,
      flags: 0 as GuildMemberFlags,
      communication_disabled_until: null,
    };
  }

  private interactionBase(input: InteractionUserInput) {
    const channelId = input.channelId ?? this.channelId;
    return {
      id: snowflake(),
      application_id: this.applicationId,
      // Real tokens are base64 of "interaction:<id>:<secret>" (URL-safe alphabet, no ':').
      token: Buffer.from(`interaction:${snowflake()}:${randomBytes(48).toString('base64url')}`).toString('base64url'),
      version: 1 as const,
      guild_id: this.guildId,
      guild: { id: this.guildId, features: [], locale: Locale.EnglishUS },
      channel_id: channelId,
      channel: { ...this.textChannel(), id: channelId, guild_id: this.guildId },
      member: this.interactionMember(input),
      app_permissions: input.appPermissions ?? BOT_PERMISSIONS,
      locale: input.locale ?? Locale.EnglishUS,
      guild_locale: Locale.EnglishUS,
      entitlements: [],
      authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: this.guildId },
      context: InteractionContextType.Guild,
      attachment_size_limit: 10_485_760,
    };
  }

  /** A guild slash-command (CHAT_INPUT) interaction, as Discord sends it in INTERACTION_CREATE. */
  chatInputInteraction(input: ChatInputInteractionInput): APIChatInputApplicationCommandGuildInteraction {
    const options = normalizeOptions(input.options, false);
    return {
      ...this.interactionBase(input),
      type: InteractionType.ApplicationCommand,
      data: {
        id: input.commandId ?? this.commandIdFor(input.name, input.commandGuildId),
        name: input.name,
        type: ApplicationCommandType.ChatInput,
        ...(options.length > 0 ? { options } : {}),
        ...(input.commandGuildId ? { guild_id: input.commandGuildId } : {}),
      },
    };
  }

  /**
   * An APPLICATION_COMMAND_AUTOCOMPLETE interaction. Exactly one option is `focused`; when none is flagged the
   * first string option is.
   */
  autocompleteInteraction(input: ChatInputInteractionInput): APIApplicationCommandAutocompleteGuildInteraction {
    const options = normalizeOptions(input.options, true);
    return {
      ...this.interactionBase(input),
      type: InteractionType.ApplicationCommandAutocomplete,
      data: {
        id: input.commandId ?? this.commandIdFor(input.name, input.commandGuildId),
        name: input.name,
        type: ApplicationCommandType.ChatInput,
        options,
        ...(input.commandGuildId ? { guild_id: input.commandGuildId } : {}),
      },
    };
  }

  /** A MESSAGE_COMPONENT (button) interaction on a bot message. */
  buttonInteraction(input: ButtonInteractionInput): APIMessageComponentGuildInteraction {
    const base = this.interactionBase(input);
    const message =
      input.message ??
      this.createMessage({
        channelId: base.channel_id,
        content: 'Pick one',
        components: [
          {
            type: ComponentType.ActionRow,
            components: [
              { type: ComponentType.Button, style: ButtonStyle.Primary, label: 'Button', custom_id: input.customId },
            ],
          },
        ],
      });
    return {
      ...base,
      type: InteractionType.MessageComponent,
      message,
      data: { custom_id: input.customId, component_type: ComponentType.Button },
    };
  }

  /** Builds a message object authored by the bot (e.g. to attach to a button interaction). */
  createMessage(input: {
    channelId?: string;
    content?: string;
    embeds?: APIEmbed[];
    components?: APIMessageTopLevelComponent[];
    flags?: number;
    type?: MessageType;
    webhookId?: string;
  }): APIMessage {
    return {
      id: snowflake(),
      channel_id: input.channelId ?? this.channelId,
      author: { ...this.botUser },
      content: input.content ?? '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: input.embeds ?? [],
      pinned: false,
      type: input.type ?? MessageType.Default,
      flags: input.flags ?? 0,
      components: input.components ?? [],
      ...(input.webhookId ? { webhook_id: input.webhookId, application_id: this.applicationId } : {}),
    } as APIMessage;
  }

  // ---- lifecycle ---------------------------------------------------------------------------------------------

  /** Shuts down HTTP + gateway; closes lingering sockets (undici keep-alive, ws) so no handles stay open. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.events.emit('closed');
    for (const c of this.connections) {
      c.closingBy = 'server';
      c.encoder?.close();
      c.ws.terminate();
    }
    this.connections.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    const serverClosed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    for (const socket of this.sockets) socket.destroy();
    await serverClosed;
  }

  // =============================================================================================================
  // Internals: waiting
  // =============================================================================================================

  private waitUntil<T>(check: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    const found = check();
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<T>((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        this.events.off('change', onChange);
        this.events.off('closed', onClosed);
      };
      const onChange = (): void => {
        const value = check();
        if (value !== undefined) {
          cleanup();
          resolve(value);
        }
      };
      const onClosed = (): void => {
        cleanup();
        reject(new Error('FakeDiscord closed while waiting'));
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`FakeDiscord: timed out after ${timeoutMs} ms waiting for ${describe()}`));
      }, timeoutMs);
      this.events.on('change', onChange);
      this.events.once('closed', onClosed);
    });
  }

  private describeRequests(): string {
    const recent = this.requests.slice(-15);
    return recent.length === 0 ? '(none)' : recent.map((r) => `${r.method} ${r.path} -> ${r.status}`).join('; ');
  }

  private changed(): void {
    this.events.emit('change');
  }

  private debug(message: string): void {
    this.options.log?.(`[fake-discord] ${message}`);
  }

  // =============================================================================================================
  // Internals: HTTP
  // =============================================================================================================

  private route(method: string, pattern: string, auth: RouteDef['auth'], handle: RouteDef['handle']): void {
    const keys: string[] = [];
    const regex = new RegExp(
      `^${pattern
        .split('/')
        .map((segment) => {
          if (segment.startsWith(':')) {
            keys.push(segment.slice(1));
            return '([^/]+)';
          }
          return segment.replace(/[.+*?^${}()|[\]\\]/g, '\\$&');
        })
        .join('/')}$`,
    );
    this.routes.push({ method, pattern, regex, keys, auth, handle });
  }

  /** Appends a request to the log, not yet answered. */
  private record(request: Pick<RecordedRequest, 'method' | 'path' | 'url' | 'query' | 'route' | 'params' | 'headers' | 'body'>): RecordedRequest {
    const record: RecordedRequest = { seq: this.requests.length + 1, ...request, files: [], status: 0, responseBody: undefined, injected: false, at: Date.now() };
    this.requests.push(record);
    return record;
  }

  private async onHttpRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const url = new URL(rawUrl, 'http://127.0.0.1');
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    const record = this.record({
      method: (req.method ?? 'GET').toUpperCase(),
      path: decodePath(url.pathname.startsWith('/api/v10/') ? url.pathname.slice('/api/v10'.length) : url.pathname),
      url: rawUrl,
      query: Object.fromEntries(url.searchParams.entries()),
      route: null,
      params: {},
      headers,
      body: undefined,
    });

    let reply: Reply;
    try {
      const raw = await readBody(req);
      if (raw === null) {
        reply = errorReply(413, 'Request entity too large', 40005);
      } else {
        const parsed = await parseBody(raw, headers['content-type'] ?? '');
        if (parsed === 'invalid-json') {
          reply = errorReply(400, 'The request body contains invalid JSON.', 50109);
        } else {
          record.body = parsed.body;
          record.files = parsed.files;
          reply = await this.handle(record);
        }
      }
    } catch (error) {
      reply = errorReply(500, `500: Internal Server Error (${error instanceof Error ? error.message : String(error)})`, 0);
    }

    if (this.closed) {
      res.destroy();
      return;
    }
    if (reply.drop) {
      record.injected = true;
      req.socket.destroy();
      this.debug(`${record.method} ${record.url} -> dropped after taking effect`);
      this.changed();
      return;
    }
    record.status = reply.status;
    record.responseBody = reply.body;
    const responseHeaders: Record<string, string> = { ...reply.headers };
    if (reply.body !== undefined && reply.status !== 204) responseHeaders['content-type'] = 'application/json';
    res.writeHead(reply.status, responseHeaders);
    res.end(reply.body !== undefined && reply.status !== 204 ? JSON.stringify(reply.body) : undefined);
    this.debug(`${record.method} ${record.url} -> ${reply.status}`);
    this.changed();
  }

  private async handle(record: RecordedRequest): Promise<Reply> {
    if (!record.url.startsWith('/api/v10/')) return NOT_FOUND();
    const candidates = this.routes.filter((r) => r.regex.test(record.path));
    const route = candidates.find((r) => r.method === record.method);
    if (!route) {
      return candidates.length > 0 ? errorReply(405, '405: Method Not Allowed', 0) : NOT_FOUND();
    }
    const match = route.regex.exec(record.path);
    const params: Record<string, string> = {};
    route.keys.forEach((key, i) => {
      params[key] = match?.[i + 1] ?? '';
    });
    record.route = route.pattern;
    record.params = params;

    if (route.auth === 'bot' && record.headers.authorization !== `Bot ${this.token}`) {
      return errorReply(401, '401: Unauthorized', 0);
    }

    const injection = this.injections.find((i) => i.remaining > 0 && i.match(record));
    if (injection) {
      injection.remaining--;
      if (injection.remaining === 0) this.injections.splice(this.injections.indexOf(injection), 1);
      if (injection.delayMs > 0) await this.sleep(injection.delayMs);
      if (injection.spec) {
        record.injected = true;
        return failureReply(injection.spec, route.pattern);
      }
    }

    const accepted = this.accepts.find((a) => a.remaining > 0 && a.match(record));
    if (accepted) {
      accepted.remaining--;
      if (accepted.remaining === 0) this.accepts.splice(this.accepts.indexOf(accepted), 1);
    }
    const reply = route.handle({ request: record, params });
    if (reply.status < 300 && reply.status !== 204) {
      reply.headers = { ...rateLimitHeaders(route.pattern), ...reply.headers };
    }
    if (!accepted) return reply;
    // The request has taken effect; only its answer goes wrong.
    record.injected = true;
    const { outcome } = accepted;
    if ('answerAfterMs' in outcome) {
      await this.sleep(outcome.answerAfterMs);
      return reply;
    }
    if ('drop' in outcome) return { ...reply, drop: true };
    return errorReply(outcome.status, `${outcome.status}: Server Error`, 0);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  private defineRoutes(): void {
    // --- gateway / identity ---
    this.route('GET', '/gateway', 'none', () => ({ status: 200, body: { url: this.gatewayUrl } }));
    this.route('GET', '/gateway/bot', 'bot', () => ({
      status: 200,
      body: {
        url: this.gatewayUrl,
        shards: 1,
        session_start_limit: {
          total: 1000,
          remaining: Math.max(0, 1000 - this.identifyCount),
          reset_after: 14_400_000,
          max_concurrency: 1,
        },
      },
    }));
    this.route('GET', '/users/@me', 'bot', () => ({ status: 200, body: this.botUser }));
    this.route('GET', '/applications/@me', 'bot', () => ({ status: 200, body: this.application() }));
    this.route('GET', '/oauth2/applications/@me', 'bot', () => ({ status: 200, body: this.application() }));

    // --- application commands ---
    const commandRoutes: Array<[string, boolean]> = [
      ['/applications/:appId/commands', false],
      ['/applications/:appId/guilds/:guildId/commands', true],
    ];
    for (const [pattern, guildScoped] of commandRoutes) {
      this.route('GET', pattern, 'bot', ({ params }) =>
        this.withCommandScope(params, guildScoped, (key) => ({ status: 200, body: this.commands.get(key) ?? [] })),
      );
      this.route('PUT', pattern, 'bot', ({ params, request }) =>
        this.withCommandScope(params, guildScoped, (key) => this.overwriteCommands(key, request.body, guildScoped)),
      );
      this.route('POST', pattern, 'bot', ({ params, request }) =>
        this.withCommandScope(params, guildScoped, (key) => this.upsertCommand(key, request.body, guildScoped)),
      );
      this.route('GET', `${pattern}/:commandId`, 'bot', ({ params }) =>
        this.withCommandScope(params, guildScoped, (key) => {
          const found = (this.commands.get(key) ?? []).find((c) => c.id === params.commandId);
          return found ? { status: 200, body: found } : errorReply(404, 'Unknown application command', 10063);
        }),
      );
      this.route('DELETE', `${pattern}/:commandId`, 'bot', ({ params }) =>
        this.withCommandScope(params, guildScoped, (key) => {
          const list = this.commands.get(key) ?? [];
          const index = list.findIndex((c) => c.id === params.commandId);
          if (index < 0) return errorReply(404, 'Unknown application command', 10063);
          list.splice(index, 1);
          return { status: 204 };
        }),
      );
    }

    // --- interactions ---
    this.route('POST', '/interactions/:id/:token/callback', 'none', (ctx) => this.interactionCallback(ctx));
    this.route('POST', '/webhooks/:appId/:token', 'none', (ctx) => this.webhookExecute(ctx));
    this.route('GET', '/webhooks/:appId/:token/messages/:messageId', 'none', (ctx) =>
      this.withWebhookMessage(ctx, (message) => ({ status: 200, body: message })),
    );
    this.route('PATCH', '/webhooks/:appId/:token/messages/:messageId', 'none', (ctx) =>
      this.withWebhookMessage(ctx, (message, state) => {
        const invalid = this.validateMessage(ctx.request.body, false);
        if (invalid) return invalid;
        const edited = applyEdit(message, ctx.request.body, ctx.request.files);
        replaceMessage(state, edited);
        return { status: 200, body: edited };
      }),
    );
    this.route('DELETE', '/webhooks/:appId/:token/messages/:messageId', 'none', (ctx) =>
      this.withWebhookMessage(ctx, (message, state) => {
        if (state.original?.id === message.id) state.original = null;
        state.followups = state.followups.filter((m) => m.id !== message.id);
        return { status: 204 };
      }),
    );

    // --- channels / guild ---
    this.route('GET', '/channels/:channelId', 'bot', ({ params }) =>
      params.channelId === this.channelId
        ? { status: 200, body: { ...this.textChannel(), guild_id: this.guildId } }
        : UNKNOWN_CHANNEL(),
    );
    this.route('POST', '/channels/:channelId/typing', 'bot', ({ params }) =>
      params.channelId === this.channelId ? { status: 204 } : UNKNOWN_CHANNEL(),
    );
    this.route('POST', '/channels/:channelId/messages', 'bot', (ctx) => this.channelMessage(ctx));
    this.route('GET', '/channels/:channelId/messages/:messageId', 'bot', ({ params }) => {
      if (params.channelId !== this.channelId) return UNKNOWN_CHANNEL();
      const found = this.channelMessages.get(this.channelId)?.find((m) => m.id === params.messageId);
      return found ? { status: 200, body: found } : UNKNOWN_MESSAGE();
    });
    this.route('PATCH', '/channels/:channelId/messages/:messageId', 'bot', ({ params, request }) => {
      if (params.channelId !== this.channelId) return UNKNOWN_CHANNEL();
      const list = this.channelMessages.get(this.channelId) ?? [];
      const index = list.findIndex((m) => m.id === params.messageId);
      const current = list[index];
      if (!current) return UNKNOWN_MESSAGE();
      const invalid = this.validateMessage(request.body, false);
      if (invalid) return invalid;
      const edited = applyEdit(current, request.body, request.files);
      list[index] = edited;
      return { status: 200, body: edited };
    });
    this.route('DELETE', '/channels/:channelId/messages/:messageId', 'bot', ({ params }) => {
      if (params.channelId !== this.channelId) return UNKNOWN_CHANNEL();
      const list = this.channelMessages.get(this.channelId) ?? [];
      const index = list.findIndex((m) => m.id === params.messageId);
      if (index < 0) return UNKNOWN_MESSAGE();
      list.splice(index, 1);
      return { status: 204 };
    });
    this.route('GET', '/guilds/:guildId', 'bot', ({ params }) => {
      if (params.guildId !== this.guildId) return errorReply(404, 'Unknown Guild', 10004);
      const { channels: _c, members: _m, threads: _t, ...guild } = this.guildCreate();
      return { status: 200, body: guild };
    });
  }

  private application(): Record<string, unknown> {
    return {
      id: this.applicationId,
      name: this.options.botUsername,
      icon: null,
      description: '',
      summary: '',
      type: null,
      hook: true,
      bot_public: false,
      bot_require_code_grant: false,
      verify_key: randomBytes(32).toString('hex'),
      flags: 0,
      flags_new: '0',
      owner: this.user('100000000000000009', 'owner'),
      team: null,
      bot: this.botUser,
      approximate_guild_count: 1,
      integration_types_config: { '0': {} },
      redirect_uris: [],
      interactions_endpoint_url: null,
      event_webhooks_status: 1,
    };
  }

  private withCommandScope(
    params: Record<string, string>,
    guildScoped: boolean,
    fn: (key: string) => Reply,
  ): Reply {
    if (params.appId !== this.applicationId) {
      return errorReply(403, 'You are not authorized to perform this action on this application', 20012);
    }
    if (guildScoped && params.guildId !== this.guildId) return errorReply(403, 'Missing Access', 50001);
    return fn(guildScoped ? (params.guildId ?? 'global') : 'global');
  }

  private commandIdFor(name: string, guildId?: string): string {
    const found = (this.commands.get(guildId ?? 'global') ?? []).find((c) => c.name === name);
    return found?.id ?? snowflake();
  }

  private validateCommand(raw: unknown, path: string[]): Reply | null {
    if (!isRecord(raw)) return invalidFormBody(path, 'MODEL_TYPE_CONVERT', 'Only dictionaries may be used in a DictType');
    const type = typeof raw.type === 'number' ? raw.type : ApplicationCommandType.ChatInput;
    if (!isString(raw.name) || raw.name.length < 1 || raw.name.length > 32) {
      return invalidFormBody([...path, 'name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 32 in length.');
    }
    if (type === ApplicationCommandType.ChatInput) {
      if (!/^[-_\p{L}\p{N}]{1,32}$/u.test(raw.name) || raw.name !== raw.name.toLowerCase()) {
        return invalidFormBody([...path, 'name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
      }
      if (!isString(raw.description) || raw.description.length < 1 || raw.description.length > 100) {
        return invalidFormBody([...path, 'description'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
      }
      if (Array.isArray(raw.options) && raw.options.length > 25) {
        return invalidFormBody([...path, 'options'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
      }
    }
    return null;
  }

  private toStoredCommand(raw: Record<string, unknown>, key: string, guildScoped: boolean): StoredCommand {
    const type = typeof raw.type === 'number' ? raw.type : ApplicationCommandType.ChatInput;
    const name = isString(raw.name) ? raw.name : '';
    const existing = (this.commands.get(key) ?? []).find((c) => c.name === name && c.type === type);
    return {
      ...raw,
      id: existing?.id ?? snowflake(),
      application_id: this.applicationId,
      version: snowflake(),
      type,
      name,
      description: isString(raw.description) ? raw.description : '',
      default_member_permissions: raw.default_member_permissions ?? null,
      nsfw: raw.nsfw ?? false,
      integration_types: raw.integration_types ?? [ApplicationIntegrationType.GuildInstall],
      contexts: raw.contexts ?? null,
      ...(guildScoped ? { guild_id: key } : { dm_permission: raw.dm_permission ?? true }),
    };
  }

  private overwriteCommands(key: string, body: unknown, guildScoped: boolean): Reply {
    if (!Array.isArray(body)) return invalidFormBody([], 'BASE_TYPE_ARRAY', 'Must be an array.');
    if (body.length > 100) return invalidFormBody([], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
    const seen = new Set<string>();
    for (const [index, raw] of body.entries()) {
      const invalid = this.validateCommand(raw, [String(index)]);
      if (invalid) return invalid;
      if (isRecord(raw)) {
        const id = `${String(raw.type ?? 1)}:${String(raw.name)}`;
        if (seen.has(id)) {
          return invalidFormBody([String(index), 'name'], 'APPLICATION_COMMANDS_DUPLICATE_NAME', 'Application command names must be unique');
        }
        seen.add(id);
      }
    }
    const stored = body.filter(isRecord).map((raw) => this.toStoredCommand(raw, key, guildScoped));
    this.commands.set(key, stored);
    return { status: 200, body: stored };
  }

  private upsertCommand(key: string, body: unknown, guildScoped: boolean): Reply {
    const invalid = this.validateCommand(body, []);
    if (invalid || !isRecord(body)) return invalid ?? invalidFormBody([], 'MODEL_TYPE_CONVERT', 'Invalid body');
    const stored = this.toStoredCommand(body, key, guildScoped);
    const list = (this.commands.get(key) ?? []).filter((c) => c.id !== stored.id);
    list.push(stored);
    this.commands.set(key, list);
    return { status: 201, body: stored };
  }

  private validateMessage(body: unknown, requireContent: boolean, path: string[] = []): Reply | null {
    if (!this.options.validateMessages) return null;
    if (!isRecord(body)) {
      return requireContent ? errorReply(400, 'Cannot send an empty message', 50006) : null;
    }
    const content = body.content;
    if (isString(content) && content.length > 2000) {
      return invalidFormBody([...path, 'content'], 'BASE_TYPE_MAX_LENGTH', 'Must be 2000 or fewer in length.');
    }
    const embeds = Array.isArray(body.embeds) ? body.embeds : [];
    if (embeds.length > 10) {
      return invalidFormBody([...path, 'embeds'], 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
    }
    let total = 0;
    for (const [i, embed] of embeds.entries()) {
      if (!isRecord(embed)) continue;
      const at = [...path, 'embeds', String(i)];
      const check = (value: unknown, max: number, field: string[]): Reply | null => {
        if (!isString(value)) return null;
        total += value.length;
        return value.length > max
          ? invalidFormBody([...at, ...field], 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`)
          : null;
      };
      const fields = Array.isArray(embed.fields) ? embed.fields : [];
      if (fields.length > 25) return invalidFormBody([...at, 'fields'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
      const problems = [
        check(embed.title, 256, ['title']),
        check(embed.description, 4096, ['description']),
        check(isRecord(embed.footer) ? embed.footer.text : undefined, 2048, ['footer', 'text']),
        check(isRecord(embed.author) ? embed.author.name : undefined, 256, ['author', 'name']),
        ...fields.flatMap((field, j) =>
          isRecord(field)
            ? [check(field.name, 256, ['fields', String(j), 'name']), check(field.value, 1024, ['fields', String(j), 'value'])]
            : [],
        ),
      ];
      const problem = problems.find((p) => p !== null);
      if (problem) return problem;
    }
    if (total > 6000) {
      return invalidFormBody([...path, 'embeds'], 'MAX_EMBED_SIZE_EXCEEDED', 'Embed size exceeds maximum size of 6000');
    }
    if (requireContent) {
      const hasContent = isString(content) && content.length > 0;
      const hasOther =
        embeds.length > 0 ||
        (Array.isArray(body.components) && body.components.length > 0) ||
        (Array.isArray(body.attachments) && body.attachments.length > 0) ||
        (Array.isArray(body.sticker_ids) && body.sticker_ids.length > 0) ||
        isRecord(body.poll);
      if (!hasContent && !hasOther) return errorReply(400, 'Cannot send an empty message', 50006);
    }
    return null;
  }

  private buildMessage(
    body: Record<string, unknown>,
    files: RecordedFile[],
    extra: { channelId: string; type: MessageType; webhook: boolean; interaction?: InteractionState; flags?: number },
  ): APIMessage {
    const message = this.createMessage({
      channelId: extra.channelId,
      content: isString(body.content) ? body.content : '',
      embeds: Array.isArray(body.embeds) ? (body.embeds as APIEmbed[]) : [],
      components: Array.isArray(body.components) ? (body.components as APIMessageTopLevelComponent[]) : [],
      flags: extra.flags ?? (typeof body.flags === 'number' ? body.flags : 0),
      type: extra.type,
      ...(extra.webhook ? { webhookId: this.applicationId } : {}),
    });
    message.attachments = buildAttachments(body, files, this.origin, message.channel_id);
    if (body.tts === true) message.tts = true;
    if (isString(body.nonce) || typeof body.nonce === 'number') message.nonce = body.nonce;
    if (extra.interaction) {
      const p = extra.interaction.payload;
      const invoker = 'member' in p && p.member ? p.member.user : p.user;
      if (invoker) {
        message.interaction_metadata = {
          id: p.id,
          type: p.type,
          user: invoker,
          authorizing_integration_owners: p.authorizing_integration_owners,
        } as APIMessage['interaction_metadata'];
      }
    }
    return message;
  }

  private interactionCallback({ params, request }: RouteContext): Reply {
    const state = params.id ? this.interactions.get(params.id) : undefined;
    if (!state || state.payload.token !== params.token) return UNKNOWN_INTERACTION();
    const deadline = this.options.initialResponseDeadlineMs;
    if (!state.acknowledged && deadline !== null && Date.now() - state.createdAt > deadline) {
      return UNKNOWN_INTERACTION();
    }
    if (state.acknowledged) return errorReply(400, 'Interaction has already been acknowledged.', 40060);
    const body = request.body;
    if (!isRecord(body) || typeof body.type !== 'number') {
      return invalidFormBody(['type'], 'BASE_TYPE_REQUIRED', 'This field is required');
    }
    const data = isRecord(body.data) ? body.data : {};
    const kind = state.payload.type;
    const isComponentLike = kind === InteractionType.MessageComponent || kind === InteractionType.ModalSubmit;
    const invalidType = (): Reply =>
      invalidFormBody(['type'], 'INTERACTION_RESPONSE_TYPE_INVALID', 'Interaction response type is invalid for this interaction');
    const messageType =
      kind === InteractionType.ApplicationCommand ? MessageType.ChatInputCommand : MessageType.Reply;

    switch (body.type) {
      case InteractionResponseType.ChannelMessageWithSource: {
        if (kind === InteractionType.ApplicationCommandAutocomplete || kind === InteractionType.Ping) return invalidType();
        const invalid = this.validateMessage(data, true, ['data']);
        if (invalid) return invalid;
        state.original = this.buildMessage(data, request.files, {
          channelId: state.payload.channel?.id ?? this.channelId,
          type: messageType,
          webhook: true,
          interaction: state,
        });
        break;
      }
      case InteractionResponseType.DeferredChannelMessageWithSource: {
        if (kind === InteractionType.ApplicationCommandAutocomplete || kind === InteractionType.Ping) return invalidType();
        const flags = (typeof data.flags === 'number' ? data.flags : 0) | MessageFlags.Loading;
        state.original = this.buildMessage({}, [], {
          channelId: state.payload.channel?.id ?? this.channelId,
          type: messageType,
          webhook: true,
          interaction: state,
          flags,
        });
        break;
      }
      case InteractionResponseType.DeferredMessageUpdate:
      case InteractionResponseType.UpdateMessage: {
        if (!isComponentLike) return invalidType();
        const target = 'message' in state.payload ? state.payload.message : undefined;
        if (body.type === InteractionResponseType.UpdateMessage) {
          const invalid = this.validateMessage(data, false, ['data']);
          if (invalid) return invalid;
          state.original = target ? applyEdit(target, data, request.files) : null;
        } else {
          state.original = target ?? null;
        }
        break;
      }
      case InteractionResponseType.ApplicationCommandAutocompleteResult: {
        if (kind !== InteractionType.ApplicationCommandAutocomplete) return invalidType();
        const choices = Array.isArray(data.choices) ? data.choices : [];
        if (choices.length > 25) {
          return invalidFormBody(['data', 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
        }
        for (const [i, choice] of choices.entries()) {
          if (!isRecord(choice) || !isString(choice.name) || choice.name.length < 1 || choice.name.length > 100) {
            return invalidFormBody(['data', 'choices', String(i), 'name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.');
          }
          if (isString(choice.value) && choice.value.length > 100) {
            return invalidFormBody(['data', 'choices', String(i), 'value'], 'BASE_TYPE_MAX_LENGTH', 'Must be 100 or fewer in length.');
          }
        }
        break;
      }
      case InteractionResponseType.Modal: {
        if (kind === InteractionType.ApplicationCommandAutocomplete || kind === InteractionType.ModalSubmit) return invalidType();
        if (!isString(data.custom_id) || !isString(data.title)) {
          return invalidFormBody(['data', 'title'], 'BASE_TYPE_REQUIRED', 'This field is required');
        }
        break;
      }
      case InteractionResponseType.Pong:
        if (kind !== InteractionType.Ping) return invalidType();
        break;
      case InteractionResponseType.PremiumRequired:
      case InteractionResponseType.LaunchActivity:
        break;
      default:
        return invalidType();
    }
    state.acknowledged = true;
    state.responseType = body.type;
    this.changed();

    if (request.query.with_response !== 'true') return { status: 204 };
    const original = state.original;
    return {
      status: 200,
      body: {
        interaction: {
          id: state.payload.id,
          type: state.payload.type,
          ...(original
            ? {
                response_message_id: original.id,
                response_message_loading: ((original.flags ?? 0) & MessageFlags.Loading) !== 0,
                response_message_ephemeral: ((original.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
              }
            : {}),
        },
        resource: {
          type: body.type,
          ...(original && body.type !== InteractionResponseType.DeferredMessageUpdate ? { message: original } : {}),
        },
      },
    };
  }

  private interactionByWebhook(params: Record<string, string>): InteractionState | undefined {
    if (params.appId !== this.applicationId) return undefined;
    for (const state of this.interactions.values()) if (state.payload.token === params.token) return state;
    return undefined;
  }

  private webhookExecute({ params, request }: RouteContext): Reply {
    const state = this.interactionByWebhook(params);
    if (!state || !state.acknowledged) return UNKNOWN_WEBHOOK();
    const invalid = this.validateMessage(request.body, true);
    if (invalid) return invalid;
    const body = isRecord(request.body) ? request.body : {};
    const message = this.buildMessage(body, request.files, {
      channelId: state.payload.channel?.id ?? this.channelId,
      type: MessageType.Default,
      webhook: true,
      interaction: state,
    });
    state.followups.push(message);
    this.changed();
    return request.query.wait === 'true' ? { status: 200, body: message } : { status: 204 };
  }

  private withWebhookMessage(
    { params }: RouteContext,
    fn: (message: APIMessage, state: InteractionState) => Reply,
  ): Reply {
    const state = this.interactionByWebhook(params);
    if (!state) return UNKNOWN_WEBHOOK();
    const message =
      params.messageId === '@original' ? state.original : state.followups.find((m) => m.id === params.messageId);
    if (!message) return UNKNOWN_MESSAGE();
    return fn(message, state);
  }

  private channelMessage({ params, request }: RouteContext): Reply {
    if (params.channelId !== this.channelId) return UNKNOWN_CHANNEL();
    const invalid = this.validateMessage(request.body, true);
    if (invalid) return invalid;
    const body = isRecord(request.body) ? request.body : {};
    const nonce = isString(body.nonce) || typeof body.nonce === 'number' ? String(body.nonce) : undefined;
    if (isString(body.nonce) && body.nonce.length > 25) {
      return invalidFormBody(['nonce'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
    }
    if (nonce !== undefined && body.enforce_nonce === true) {
      const earlier = this.nonces.get(nonce);
      const existing = earlier && Date.now() - earlier.at < this.options.nonceWindowMs ? this.channelMessages.get(this.channelId)?.find((m) => m.id === earlier.messageId) : undefined;
      if (existing) return { status: 200, body: existing };
    }
    const isReply = isRecord(body.message_reference);
    const message = this.buildMessage(body, request.files, {
      channelId: this.channelId,
      type: isReply ? MessageType.Reply : MessageType.Default,
      webhook: false,
    });
    if (isReply && isRecord(body.message_reference) && isString(body.message_reference.message_id)) {
      message.message_reference = {
        message_id: body.message_reference.message_id,
        channel_id: this.channelId,
        guild_id: this.guildId,
      };
    }
    const list = this.channelMessages.get(this.channelId) ?? [];
    list.push(message);
    this.channelMessages.set(this.channelId, list);
    if (nonce !== undefined) this.nonces.set(nonce, { messageId: message.id, at: Date.now() });
    // Real Discord echoes the bot's own message back over the gateway to sessions with GUILD_MESSAGES.
    for (const session of this.sessions.values()) {
      if (session.intents & INTENT_GUILD_MESSAGES) {
        const { user: _user, ...member } = this.botMember();
        this.dispatchTo(session, GatewayDispatchEvents.MessageCreate, { ...message, guild_id: this.guildId, member });
      }
    }
    return { status: 200, body: message };
  }

  // =============================================================================================================
  // Internals: guild model
  // =============================================================================================================

  private textChannel(): APITextChannel {
    return {
      id: this.channelId,
      type: ChannelType.GuildText,
      name: this.options.channelName,
      position: 0,
      permission_overwrites: [],
      parent_id: null,
      topic: null,
      nsfw: false,
      rate_limit_per_user: 0,
      last_message_id: null,
      last_pin_timestamp: null,
      default_thread_rate_limit_per_user: 0,
      flags: 0 as ChannelFlags,
    } as APITextChannel;
  }

  private roles(): APIRole[] {
    const base = {
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      icon: null,
      unicode_emoji: null,
      managed: false,
      mentionable: false,
      flags: 0,
    };
    return [
      { ...base, id: this.guildId, name: '@everyone', position: 0, permissions: EVERYONE_PERMISSIONS },
      {
        ...base,
        id: this.botRoleId,
        name: this.options.botUsername,
        position: 1,
        permissions: BOT_PERMISSIONS,
        managed: true,
        tags: { bot_id: this.botUserId },
      },
    ];
  }

  private botMember(): APIGuildMember {
    return {
      user: { ...this.botUser },
      roles: [this.botRoleId],
      nick: null,
      avatar: null,
      banner: null,
      joined_at: this.guildCreatedAt,
      premium_since: null,
      deaf: false,
      mute: false,
      pending: false,
      flags: 0 as GuildMemberFlags,
      communication_disabled_until: null,
    };
  }

  private guildCreate(): GatewayGuildCreateDispatchData {
    return {
      id: this.guildId,
      name: this.options.guildName,
      icon: null,
      icon_hash: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      features: [],
      owner_id: '100000000000000009',
      region: 'us-west',
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      widget_channel_id: null,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      application_id: null,
      system_channel_id: this.channelId,
      system_channel_flags: 0 as GuildSystemChannelFlags,
      rules_channel_id: null,
      max_presences: null,
      max_members: 500_000,
      vanity_url_code: null,
      premium_tier: 0,
      premium_subscription_count: 0,
      preferred_locale: Locale.EnglishUS,
      public_updates_channel_id: null,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      safety_alerts_channel_id: null,
      incidents_data: null,
      hub_type: null,
      roles: this.roles(),
      emojis: [],
      stickers: [],
      // gateway-only fields
      joined_at: this.guildCreatedAt,
      large: false,
      unavailable: false,
      member_count: 2,
      voice_states: [],
      members: [this.botMember()],
      channels: [this.textChannel()],
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    } as GatewayGuildCreateDispatchData;
  }

  // =============================================================================================================
  // Internals: gateway
  // =============================================================================================================

  private onGatewayConnection(ws: WebSocket, req: IncomingMessage): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const conn: GatewayConnection = {
      id: this.nextConnectionId++,
      ws,
      encoder: null,
      session: null,
      closingBy: null,
      sendChain: Promise.resolve(),
    };
    this.connections.add(conn);
    this.gatewayLog.push({
      kind: 'open',
      connectionId: conn.id,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams.entries()),
      at: Date.now(),
    });
    this.changed();
    ws.on('message', (data, isBinary) => this.onGatewayMessage(conn, data, isBinary));
    ws.on('close', (code) => this.onGatewayClose(conn, code));
    ws.on('error', (error) => this.debug(`gateway socket error: ${error.message}`));

    const version = url.searchParams.get('v');
    const encoding = url.searchParams.get('encoding') ?? 'json';
    const compress = url.searchParams.get('compress');
    if (version !== '10') {
      void this.closeConnection(conn, 4012, 'Invalid API version');
      return;
    }
    if (encoding !== 'json') {
      // Real Discord also speaks etf; this fake only does JSON.
      void this.closeConnection(conn, 4002, 'Error while decoding payload.');
      return;
    }
    if (compress !== null) {
      if (compress !== 'zlib-stream') {
        void this.closeConnection(conn, 4000, `Unsupported compression ${compress}`);
        return;
      }
      conn.encoder = new ZlibStreamEncoder();
    }
    this.send(conn, {
      op: GatewayOpcodes.Hello,
      d: { heartbeat_interval: this.options.heartbeatIntervalMs, _trace: ['["fake-discord-gateway",{"micros":0}]'] },
      s: null,
      t: null,
    });
  }

  private onGatewayMessage(conn: GatewayConnection, data: RawData, isBinary: boolean): void {
    let payload: unknown;
    try {
      if (isBinary) throw new Error('binary frames are not accepted');
      payload = JSON.parse(rawDataToString(data));
    } catch {
      void this.closeConnection(conn, 4002, 'Error while decoding payload.');
      return;
    }
    if (!isRecord(payload) || typeof payload.op !== 'number') {
      void this.closeConnection(conn, 4002, 'Error while decoding payload.');
      return;
    }
    const op = payload.op;
    const d = payload.d;
    this.gatewayLog.push({ kind: 'in', connectionId: conn.id, op, t: null, s: null, d, at: Date.now() });
    this.changed();

    switch (op) {
      case GatewayOpcodes.Heartbeat:
        this.send(conn, { op: GatewayOpcodes.HeartbeatAck, d: null, s: null, t: null });
        return;
      case GatewayOpcodes.Identify:
        this.onIdentify(conn, d);
        return;
      case GatewayOpcodes.Resume:
        this.onResume(conn, d);
        return;
      case GatewayOpcodes.PresenceUpdate:
      case GatewayOpcodes.VoiceStateUpdate:
      case GatewayOpcodes.RequestGuildMembers:
      case GatewayOpcodes.RequestSoundboardSounds:
        if (!conn.session) void this.closeConnection(conn, 4003, 'Not authenticated.');
        return; // recorded, otherwise ignored
      default:
        void this.closeConnection(conn, 4001, 'Unknown opcode.');
    }
  }

  private onIdentify(conn: GatewayConnection, d: unknown): void {
    if (conn.session) {
      void this.closeConnection(conn, 4005, 'Already authenticated.');
      return;
    }
    if (!isRecord(d) || !isString(d.token) || d.token.replace(/^Bot\s+/i, '') !== this.token) {
      void this.closeConnection(conn, 4004, 'Authentication failed.');
      return;
    }
    const intents = typeof d.intents === 'number' ? d.intents : NaN;
    if (!Number.isInteger(intents) || intents < 0 || (intents & ~ALL_INTENTS) !== 0) {
      void this.closeConnection(conn, 4013, 'Invalid intent(s).');
      return;
    }
    if ((intents & PRIVILEGED_INTENTS & ~this.options.allowedPrivilegedIntents) !== 0) {
      void this.closeConnection(conn, 4014, 'Disallowed intent(s).');
      return;
    }
    let shard: [number, number] = [0, 1];
    if (d.shard !== undefined) {
      const s = d.shard;
      if (
        !Array.isArray(s) ||
        s.length !== 2 ||
        typeof s[0] !== 'number' ||
        typeof s[1] !== 'number' ||
        s[1] < 1 ||
        s[0] < 0 ||
        s[0] >= s[1]
      ) {
        void this.closeConnection(conn, 4010, 'Invalid shard.');
        return;
      }
      shard = [s[0], s[1]];
    }
    this.identifyCount++;
    const session: GatewaySession = {
      id: randomBytes(16).toString('hex'),
      seq: 0,
      intents,
      shard,
      buffer: [],
      connection: conn,
    };
    this.sessions.set(session.id, session);
    conn.session = session;
    const ready: GatewayReadyDispatchData & Record<string, unknown> = {
      v: 10,
      user: { ...this.botUser },
      guilds: [{ id: this.guildId, unavailable: true }],
      session_id: session.id,
      resume_gateway_url: this.resumeGatewayUrl,
      shard,
      application: { id: this.applicationId, flags: 0 as ApplicationFlags, flags_new: '0' },
      // extra fields real READY payloads carry for bots; discord.js ignores them
      session_type: 'normal',
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      user_settings: {},
      geo_ordered_rtc_regions: [],
      auth: {},
      _trace: ['["fake-discord-gateway",{"micros":0}]'],
    };
    this.dispatchTo(session, GatewayDispatchEvents.Ready, ready);
    // Lazy guild load: every guild listed as unavailable in READY follows as GUILD_CREATE. discord.js only emits
    // clientReady once all of them arrived, so sending it right away makes ready instant.
    if (intents & INTENT_GUILDS) this.dispatchTo(session, GatewayDispatchEvents.GuildCreate, this.guildCreate());
  }

  private onResume(conn: GatewayConnection, d: unknown): void {
    if (conn.session) {
      void this.closeConnection(conn, 4005, 'Already authenticated.');
      return;
    }
    if (!isRecord(d) || !isString(d.token) || d.token.replace(/^Bot\s+/i, '') !== this.token) {
      void this.closeConnection(conn, 4004, 'Authentication failed.');
      return;
    }
    const session = isString(d.session_id) ? this.sessions.get(d.session_id) : undefined;
    if (!session) {
      this.send(conn, { op: GatewayOpcodes.InvalidSession, d: false, s: null, t: null });
      return;
    }
    const seq = typeof d.seq === 'number' ? d.seq : 0;
    if (seq > session.seq) {
      this.sessions.delete(session.id);
      void this.closeConnection(conn, 4007, 'Invalid seq.');
      return;
    }
    const previous = session.connection;
    if (previous && previous !== conn && previous.ws.readyState === WebSocket.OPEN) {
      previous.session = null;
      void this.closeConnection(previous, 4000, 'Session resumed elsewhere');
    }
    session.connection = conn;
    conn.session = session;
    // Replay everything the client missed, then RESUMED.
    for (const missed of session.buffer) if (missed.s !== null && missed.s > seq) this.send(conn, missed);
    this.dispatchTo(session, GatewayDispatchEvents.Resumed, { _trace: ['["fake-discord-gateway",{"micros":0}]'] });
  }

  private onGatewayClose(conn: GatewayConnection, code: number): void {
    this.connections.delete(conn);
    conn.encoder?.close();
    const initiatedBy = conn.closingBy ?? 'client';
    this.gatewayLog.push({ kind: 'close', connectionId: conn.id, code, initiatedBy, at: Date.now() });
    const session = conn.session;
    if (session) {
      if (session.connection === conn) session.connection = null;
      // A client closing with 1000/1001 ends its session (Discord shows the bot offline; no resume possible).
      if (initiatedBy === 'client' && (code === 1000 || code === 1001)) this.sessions.delete(session.id);
    }
    this.changed();
  }

  private dispatchTo(session: GatewaySession, t: string, d: unknown): void {
    session.seq++;
    const payload: OutgoingPayload = { op: GatewayOpcodes.Dispatch, t, s: session.seq, d };
    session.buffer.push(payload);
    if (session.buffer.length > RESUME_BUFFER_LIMIT) session.buffer.shift();
    const conn = session.connection;
    if (conn && conn.ws.readyState === WebSocket.OPEN) this.send(conn, payload);
  }

  private send(conn: GatewayConnection, payload: OutgoingPayload): void {
    this.gatewayLog.push({
      kind: 'out',
      connectionId: conn.id,
      op: payload.op,
      t: payload.t,
      s: payload.s,
      d: payload.d,
      at: Date.now(),
    });
    this.changed();
    const text = JSON.stringify(payload);
    const encoder = conn.encoder;
    if (!encoder) {
      if (conn.ws.readyState === WebSocket.OPEN) conn.ws.send(text);
      return;
    }
    conn.sendChain = conn.sendChain
      .then(() => encoder.encode(text))
      .then((frame) => {
        if (conn.ws.readyState === WebSocket.OPEN) conn.ws.send(frame, { binary: true });
      })
      .catch((error: unknown) => this.debug(`zlib send failed: ${String(error)}`));
  }

  private closeConnection(conn: GatewayConnection, code: number, reason: string, timeoutMs = 2000): Promise<void> {
    if (conn.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    conn.closingBy = 'server';
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        conn.ws.terminate();
        resolve();
      }, timeoutMs);
      conn.ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      // Let queued (compressed) frames go out first so e.g. an INVALID_SESSION is not lost.
      void conn.sendChain.then(() => {
        if (conn.ws.readyState === WebSocket.OPEN || conn.ws.readyState === WebSocket.CONNECTING) {
          conn.ws.close(code, reason);
        }
      });
    });
  }
}

/** Starts a fake Discord on 127.0.0.1:<ephemeral>. */
export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  return new FakeDiscord(options).listen();
}

// ---------------------------------------------------------------------------------------------------------------
// Free helpers
// ---------------------------------------------------------------------------------------------------------------

/** Decodes each path segment (discord.js percent-encodes e.g. `@original` as `%40original`). */
function decodePath(path: string): string {
  return path
    .split('/')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    })
    .join('/');
}

function rawDataToString(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function parseBody(
  raw: Buffer,
  contentType: string,
): Promise<{ body: unknown; files: RecordedFile[] } | 'invalid-json'> {
  if (raw.length === 0) return { body: undefined, files: [] };
  const type = contentType.toLowerCase();
  if (type.startsWith('multipart/form-data')) {
    // discord.js sends files as multipart with the JSON in a `payload_json` part (or plain fields with appendToFormData).
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    const files: RecordedFile[] = [];
    let body: unknown;
    const fields: Record<string, string> = {};
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') {
          try {
            body = JSON.parse(value);
          } catch {
            return 'invalid-json';
          }
        } else fields[field] = value;
      } else {
        const data = Buffer.from(await value.arrayBuffer());
        files.push({ field, filename: value.name, contentType: value.type, size: data.length, data });
      }
    }
    if (body === undefined && Object.keys(fields).length > 0) body = fields;
    return { body, files };
  }
  const text = raw.toString('utf8');
  if (type.startsWith('application/json')) {
    try {
      return { body: JSON.parse(text), files: [] };
    } catch {
      return 'invalid-json';
    }
  }
  return { body: text, files: [] };
}

function bucketHash(route: string): string {
  let h = 0;
  for (const ch of route) h = (Math.imul(h, 31) + ch.charCodeAt(0)) | 0;
  return (h >>> 0).toString(16).padStart(8, '0');
}

function rateLimitHeaders(route: string): Record<string, string> {
  return {
    'x-ratelimit-limit': '5',
    'x-ratelimit-remaining': '4',
    'x-ratelimit-reset': ((Date.now() + 1000) / 1000).toFixed(3),
    'x-ratelimit-reset-after': '1.000',
    'x-ratelimit-bucket': bucketHash(route),
  };
}

function failureReply(spec: FailureSpec, route: string): Reply {
  const headers: Record<string, string> = { ...spec.headers };
  if (spec.status === 429) {
    const retryAfter = spec.retryAfter ?? 0.05;
    const global = spec.global ?? false;
    headers['retry-after'] = String(retryAfter);
    headers['x-ratelimit-scope'] = spec.scope ?? (global ? 'global' : 'user');
    if (global) {
      headers['x-ratelimit-global'] = 'true';
    } else {
      headers['x-ratelimit-limit'] = '5';
      headers['x-ratelimit-remaining'] = '0';
      headers['x-ratelimit-reset'] = ((Date.now() + retryAfter * 1000) / 1000).toFixed(3);
      headers['x-ratelimit-reset-after'] = retryAfter.toFixed(3);
      headers['x-ratelimit-bucket'] = bucketHash(route);
    }
    return {
      status: 429,
      headers: { ...headers, ...spec.headers },
      body: spec.body ?? { message: 'You are being rate limited.', retry_after: retryAfter, global },
    };
  }
  const defaultMessage: Record<number, string> = {
    400: '400: Bad Request',
    401: '401: Unauthorized',
    403: '403: Forbidden',
    404: '404: Not Found',
    405: '405: Method Not Allowed',
    500: '500: Internal Server Error',
    502: '502: Bad Gateway',
    503: '503: Service Unavailable',
  };
  return {
    status: spec.status,
    headers,
    body: spec.body ?? { message: defaultMessage[spec.status] ?? `${spec.status}: Error`, code: 0 },
  };
}

function buildAttachments(
  body: Record<string, unknown>,
  files: RecordedFile[],
  origin: string,
  channelId: string,
): APIMessage['attachments'] {
  const described = Array.isArray(body.attachments) ? body.attachments.filter(isRecord) : [];
  return files.map((file, index) => {
    const id = snowflake();
    const meta = described.find((a) => String(a.id) === String(index)) ?? described[index];
    const filename = meta && isString(meta.filename) ? meta.filename : file.filename;
    const url = `${origin}/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`;
    return {
      id,
      filename,
      size: file.size,
      url,
      proxy_url: url,
      content_type: file.contentType || undefined,
      ...(meta && isString(meta.description) ? { description: meta.description } : {}),
    };
  });
}

function applyEdit(message: APIMessage, body: unknown, files: RecordedFile[]): APIMessage {
  const edited: APIMessage = { ...message, edited_timestamp: new Date().toISOString() };
  if (!isRecord(body)) return edited;
  if ('content' in body) edited.content = isString(body.content) ? body.content : '';
  if ('embeds' in body) edited.embeds = Array.isArray(body.embeds) ? (body.embeds as APIEmbed[]) : [];
  if ('components' in body) {
    edited.components = Array.isArray(body.components) ? (body.components as APIMessageTopLevelComponent[]) : [];
  }
  if (typeof body.flags === 'number') edited.flags = body.flags;
  // Editing a deferred ("thinking…") reply turns it into a normal message.
  edited.flags = (edited.flags ?? 0) & ~MessageFlags.Loading;
  if (files.length > 0 || 'attachments' in body) {
    const kept = Array.isArray(body.attachments)
      ? message.attachments.filter((a) => (body.attachments as unknown[]).some((b) => isRecord(b) && b.id === a.id))
      : message.attachments;
    edited.attachments = [...kept, ...buildAttachments(body, files, 'http://127.0.0.1', message.channel_id)];
  }
  return edited;
}

function replaceMessage(state: InteractionState, message: APIMessage): void {
  if (state.original?.id === message.id) state.original = message;
  state.followups = state.followups.map((m) => (m.id === message.id ? message : m));
}

function inferOptionType(value: string | number | boolean | undefined): ApplicationCommandOptionType {
  if (typeof value === 'boolean') return ApplicationCommandOptionType.Boolean;
  if (typeof value === 'number') {
    return Number.isInteger(value) ? ApplicationCommandOptionType.Integer : ApplicationCommandOptionType.Number;
  }
  return ApplicationCommandOptionType.String;
}

function normalizeOptions(
  input: InteractionOptionsInput | undefined,
  autocomplete: boolean,
): APIApplicationCommandInteractionDataOption[] {
  const list: InteractionOptionInput[] = Array.isArray(input)
    ? input
    : Object.entries(input ?? {}).map(([name, value]) => ({ name, value }));
  const convert = (option: InteractionOptionInput): APIApplicationCommandInteractionDataOption => {
    const type = option.type ?? inferOptionType(option.value);
    if (
      type === ApplicationCommandOptionType.Subcommand ||
      type === ApplicationCommandOptionType.SubcommandGroup
    ) {
      return {
        name: option.name,
        type,
        options: (option.options ?? []).map(convert),
      } as APIApplicationCommandInteractionDataOption;
    }
    const basic: Record<string, unknown> = { name: option.name, type, value: option.value ?? '' };
    if (option.focused) basic.focused = true;
    return basic as unknown as APIApplicationCommandInteractionDataBasicOption;
  };
  const options = list.map(convert);
  if (autocomplete && !hasFocused(options)) {
    const first = findFirstLeaf(options);
    if (first) (first as { focused?: boolean }).focused = true;
  }
  return options;
}

function hasFocused(options: APIApplicationCommandInteractionDataOption[]): boolean {
  return options.some((o) => ('focused' in o && o.focused === true) || ('options' in o && hasFocused(o.options ?? [])));
}

function findFirstLeaf(
  options: APIApplicationCommandInteractionDataOption[],
): APIApplicationCommandInteractionDataOption | undefined {
  for (const option of options) {
    if ('options' in option) {
      const inner = findFirstLeaf(option.options ?? []);
      if (inner) return inner;
    } else if (option.type === ApplicationCommandOptionType.String) {
      return option;
    }
  }
  return options.find((o) => !('options' in o));
}
