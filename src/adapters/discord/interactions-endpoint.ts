/**
 * Discord HTTP interactions (the application's "Interactions Endpoint URL"): Discord POSTs every interaction
 * to `/discord/interactions`, signed with the application's Ed25519 key, and the HTTP response is the
 * interaction's first response. Nothing is kept between requests, so any number of replicas can sit behind
 * a load balancer.
 *
 * The interaction then goes through the very same discord.js code as one from the gateway:
 * `client.actions.InteractionCreate` builds the discord.js interaction and emits `interactionCreate`, so the
 * adapter's handlers, renderer and core are shared. Their first response (`reply`, `deferReply`,
 * `deferUpdate`, autocomplete `respond`), which discord.js POSTs to `/interactions/:id/:token/callback`, is
 * caught in the REST client's `makeRequest` and becomes the HTTP response; edits and follow-ups go to
 * Discord's webhook endpoints over REST as usual.
 *
 * Signatures are checked with `node:crypto` (Ed25519 over timestamp + body, the check the official
 * `discord-interactions` package makes too), before anything is parsed; a timestamp more than five
 * minutes off is refused, so a captured request cannot be replayed later.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DefaultRestOptions, InteractionResponseType, InteractionType, type APIInteraction, type Client } from 'discord.js';
import type { Logger } from '../../logger.ts';
import { headerValue, readBody } from '../http.ts';

/** Interactions are a few KB. */
const MAX_BODY_BYTES = 256 * 1024;
/** How far a signed timestamp may be from our clock, either way. */
const MAX_CLOCK_SKEW_S = 5 * 60;
/** Discord drops an interaction that has no response after 3 s; the handlers answer or defer within 1.5 s. */
const FIRST_RESPONSE_TIMEOUT_MS = 2_800;

type MakeRequest = typeof DefaultRestOptions.makeRequest;

/** The application's public key (64 hex characters) as a key object; throws on anything else. */
export function discordPublicKey(hex: string): KeyObject {
  if (!/^[0-9a-f]{64}$/i.test(hex)) throw new Error('the Discord public key must be 64 hex characters');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(hex, 'hex').toString('base64url') }, format: 'jwk' });
}

/** Why a request's signature is not Discord's, or undefined when it is. */
export function interactionSignatureProblem(key: KeyObject, signature: string | undefined, timestamp: string | undefined, body: Buffer, nowSeconds: number): string | undefined {
  if (!signature || !timestamp) return 'missing signature headers';
  if (!/^[0-9a-f]{128}$/i.test(signature)) return 'malformed signature';
  if (!/^\d{1,12}$/.test(timestamp) || Math.abs(nowSeconds - Number(timestamp)) > MAX_CLOCK_SKEW_S) return 'stale or malformed timestamp';
  const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), body]);
  return verify(null, signed, key, Buffer.from(signature, 'hex')) ? undefined : 'bad signature';
}

interface PendingResponse {
  token: string;
  respond(body: string): void;
}

/** The subset of discord.js's internal action that turns a raw interaction into an `interactionCreate` event. */
interface InteractionCreateAction {
  handle(data: APIInteraction): void;
}

export interface InteractionsEndpointOptions {
  publicKey: string;
  logger: Logger;
  /** Whether the adapter takes interactions now (started, not stopping). */
  accepting: () => boolean;
  now?: () => number;
}

/** The HTTP side of Discord interactions; `makeRequest` goes into the discord.js REST options. */
export class InteractionsEndpoint {
  private readonly key: KeyObject;
  private readonly pending = new Map<string, PendingResponse>();
  private readonly now: () => number;
  private client: Client | undefined;

  constructor(private readonly options: InteractionsEndpointOptions) {
    this.key = discordPublicKey(options.publicKey);
    this.now = options.now ?? Date.now;
  }

  /** The client whose handlers answer the interactions. */
  attach(client: Client): void {
    this.client = client;
  }

  /** discord.js's REST transport: an interaction's first response is the HTTP response; everything else goes out. */
  readonly makeRequest: MakeRequest = async (url, init) => {
    const match = /\/interactions\/(\d+)\/([^/?]+)\/callback(?:\?|$)/.exec(url);
    const pending = match ? this.pending.get(match[1]!) : undefined;
    if (!pending || pending.token !== decodeURIComponent(match![2]!) || typeof init.body !== 'string') return DefaultRestOptions.makeRequest(url, init);
    this.pending.delete(match![1]!);
    pending.respond(init.body);
    return new Response(null, { status: 204 });
  };

  /** `POST /discord/interactions`. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): void => {
    const log = this.options.logger;
    const reject = (status: number, reason: string) => {
      log.warn({ status, reason }, 'discord: interaction request rejected');
      res.writeHead(status, { 'content-type': 'text/plain', connection: 'close' }).end(status === 401 ? 'invalid request signature' : '');
    };
    if (req.method !== 'POST') return reject(405, 'not a POST');
    if (!this.options.accepting() || !this.client) return reject(503, 'not accepting interactions');
    if (Number(headerValue(req, 'content-length') ?? 0) > MAX_BODY_BYTES) return reject(413, 'body too large');
    readBody(req, MAX_BODY_BYTES).then(
      (body) => {
        if (body === undefined) return reject(413, 'body too large');
        const problem = interactionSignatureProblem(
          this.key,
          headerValue(req, 'x-signature-ed25519'),
          headerValue(req, 'x-signature-timestamp'),
          body,
          Math.floor(this.now() / 1000),
        );
        if (problem) return reject(401, problem);
        let interaction: APIInteraction;
        try {
          interaction = JSON.parse(body.toString('utf8')) as APIInteraction;
        } catch {
          return reject(400, 'body is not JSON');
        }
        if (typeof interaction !== 'object' || interaction === null || typeof interaction.type !== 'number' || typeof interaction.id !== 'string') {
          return reject(400, 'not an interaction');
        }
        this.dispatch(interaction, res);
      },
      () => {
        if (!res.headersSent) res.writeHead(400, { connection: 'close' }).end();
      },
    );
  };

  private dispatch(interaction: APIInteraction, res: ServerResponse): void {
    const json = (body: string): void => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    };
    if (interaction.type === InteractionType.Ping) return json(JSON.stringify({ type: InteractionResponseType.Pong }));

    const timer = setTimeout(() => {
      if (!this.pending.delete(interaction.id)) return;
      this.options.logger.error({ interaction: interaction.id, type: interaction.type }, 'discord: no response to an HTTP interaction in time');
      res.writeHead(500).end();
    }, FIRST_RESPONSE_TIMEOUT_MS);
    this.pending.set(interaction.id, {
      token: interaction.token,
      respond: (body) => {
        clearTimeout(timer);
        json(body);
      },
    });
    // The same entry point discord.js uses for an INTERACTION_CREATE from the gateway.
    const actions = (this.client as unknown as { actions: { InteractionCreate: InteractionCreateAction } }).actions;
    try {
      actions.InteractionCreate.handle(interaction);
    } catch (error) {
      this.options.logger.error({ err: error instanceof Error ? error.message : String(error) }, 'discord: could not dispatch an HTTP interaction');
    }
  }
}
