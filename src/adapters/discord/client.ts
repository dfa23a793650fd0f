/**
 * The Discord adapter: a discord.js v14 Client (Guilds intent only — slash commands need nothing more) that
 * answers application commands, autocomplete and button clicks. Interactions arrive over the gateway (one
 * connection per process), or, with the application's public key, over HTTP at `/discord/interactions`
 * (stateless, for replicas; see interactions-endpoint.ts) — the handlers below serve both.
 *
 * - Every command in `bot.commands` is a slash command (registration: `npm run discord:register`). Typed options
 *   go to the core as `CommandRequest.options`; the option with form 'text' becomes the free text there.
 * - Discord wants an answer within 3 s: when `bot.handle` resolves within `deferAfterMs` (1.5 s) the answer is
 *   the direct reply (type 4); otherwise the interaction is deferred (type 5, "thinking…") and the answer edits
 *   it (PATCH @original). Answers are ephemeral unless the reply is public (`public: true`).
 * - Every message, reply, edit and follow-up carries `allowedMentions: { parse: [] }`: nothing the bot sends can
 *   ping anyone (the renderer also defuses `@everyone`/`@here` in the text).
 * - The "share" button on a private answer re-runs its command line and posts the answer publicly (a follow-up,
 *   with "shared by <display name>", no mention), then removes the button from the private answer. "Show more"
 *   and the 👍/👎 buttons run their command line and answer the clicker privately.
 * - REST failures (rate limits, 5xx) are caught and logged; a polite ephemeral error is tried; nothing here can
 *   crash the process, and discord.js's own gateway reconnect/resume is left to do its job.
 */
import {
  ApplicationCommandOptionType,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  GuildMember,
  HTTPError,
  MessageFlags,
  RateLimitError,
  RESTEvents,
  Routes,
  Status,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ClientOptions,
  type Interaction,
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  type RepliableInteraction,
} from 'discord.js';
import type { DiscordConfig } from '../../config.ts';
import type { Bot } from '../../core/bot.ts';
import { t, type Locale, type Localized } from '../../core/i18n.ts';
import { parseCommandLine } from '../../core/commands/parse.ts';
import type { CommandRequest } from '../../core/commands/types.ts';
import { errorReply, type Reply } from '../../core/reply.ts';
import type { Logger } from '../../logger.ts';
import { DRAIN_TIMEOUT_MS, type ChatAdapter } from '../types.ts';
import { toChoices } from './commands.ts';
import { SeenPermissions } from './permissions.ts';
import { DiscordPoster } from './poster.ts';
import { clip } from '../../core/text.ts';
import { DISCORD_LIMITS, discordText, renderDiscord, sharedByLine, type DiscordMessage } from './render.ts';
import { CommandLineStore, decodeCustomId, encodeCustomId } from './share.ts';
import { InteractionsEndpoint } from './interactions-endpoint.ts';
import { DISCORD_INTERACTIONS_PATH } from './paths.ts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Store } from '../../core/store.ts';
import { Deduplicator } from '../dedupe.ts';

/** Sent with everything: no @everyone/@here, no user or role pings, not even the replied-to user. */
export const NO_PINGS = { parse: [] as never[] };

export interface DiscordAdapterOptions {
  config: DiscordConfig;
  bot: Bot;
  logger: Logger;
  /** Long button command lines and share-click de-duplication, shared with other processes. */
  store: Store;
  /** Answer directly when the bot is faster than this; defer first otherwise. Default 1500 ms (Discord allows 3 s). */
  deferAfterMs?: number;
  /** Bound on login + gateway READY in start(). Default 30 s. */
  readyTimeoutMs?: number;
  /** How long stop() waits for answers in flight. Default 10 s. */
  drainTimeoutMs?: number;
  /** The daily-tip poster's request timeout. Default 10 s. */
  postTimeoutMs?: number;
  /** Extra discord.js client options (tests: identify throttler). Intents and REST base are set here. */
  clientOptions?: Partial<ClientOptions>;
}

export interface DiscordAdapter extends ChatAdapter {
  readonly platform: 'discord';
  /** `http` when interactions arrive at `/discord/interactions` (DISCORD_PUBLIC_KEY set), else over the gateway. */
  readonly mode: 'gateway' | 'http';
  /** HTTP mode: the handler of `POST /discord/interactions`, to be served by the app. */
  readonly interactionsHandler?: (req: IncomingMessage, res: ServerResponse) => void;
  readonly client: Client;
  readonly poster: DiscordPoster;
  /** Interactions whose answer is still being worked on. */
  inFlight(): number;
}

/** A REST/gateway error as loggable fields: never the request URL (interaction tokens live there) or bodies. */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof DiscordAPIError) return { name: 'DiscordAPIError', status: error.status, code: error.code, message: error.message.slice(0, 300) };
  if (error instanceof HTTPError) return { name: 'HTTPError', status: error.status, message: error.message.slice(0, 200) };
  if (error instanceof RateLimitError) return { name: 'RateLimitError', route: error.route, retryAfterMs: error.retryAfter, global: error.global };
  if (error instanceof Error) return { name: error.name, message: error.message.slice(0, 300), ...('code' in error ? { code: String(error.code) } : {}) };
  return { name: typeof error };
}

function delay(ms: number): { promise: Promise<void>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/** The name people see: server nickname, then global display name, then username. */
export function displayName(interaction: Interaction): string {
  const member = interaction.member;
  if (member instanceof GuildMember) return member.displayName;
  if (member && 'nick' in member && typeof member.nick === 'string' && member.nick) return member.nick;
  return interaction.user.globalName ?? interaction.user.username;
}

/** Typed option values of a chat-input interaction (top level; the registry has no subcommands). */
export function typedOptions(interaction: ChatInputCommandInteraction): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const option of interaction.options.data) {
    if (option.type === ApplicationCommandOptionType.Subcommand || option.type === ApplicationCommandOptionType.SubcommandGroup) continue;
    const value = option.value;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[option.name] = value;
  }
  return out;
}

/** The user's language as their Discord client states it: Korean for `ko`, English for every other locale. */
export function localeOf(interaction: Interaction): Locale {
  return String(interaction.locale).toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

export function createDiscordAdapter(options: DiscordAdapterOptions): DiscordAdapter {
  const { config, bot, logger } = options;
  const deferAfterMs = options.deferAfterMs ?? 1500;
  const readyTimeoutMs = options.readyTimeoutMs ?? 30_000;
  const drainTimeoutMs = options.drainTimeoutMs ?? DRAIN_TIMEOUT_MS;
  const lines = new CommandLineStore(options.store);
  const dedupe = new Deduplicator(options.store, logger);
  const inflight = new Set<Promise<void>>();
  let stopping = false;
  let stopped: Promise<void> | undefined;

  const mode: 'gateway' | 'http' = config.publicKey ? 'http' : 'gateway';
  let started = false;
  const endpoint = config.publicKey ? new InteractionsEndpoint({ publicKey: config.publicKey, logger, accepting: () => started && !stopping }) : undefined;
  const client = new Client({
    ...options.clientOptions,
    intents: [GatewayIntentBits.Guilds],
    allowedMentions: NO_PINGS,
    rest: {
      ...options.clientOptions?.rest,
      ...(config.apiUrl ? { api: config.apiUrl } : {}),
      ...(endpoint ? { makeRequest: endpoint.makeRequest } : {}),
    },
  });
  endpoint?.attach(client);
  const seenPermissions = new SeenPermissions();
  const poster = new DiscordPoster({
    token: config.token,
    ...(config.apiUrl ? { apiUrl: config.apiUrl } : {}),
    // Unprompted posts (the daily tip) speak to a whole channel: the bot's configured language.
    locale: bot.locale,
    logger,
    permissionsIn: (channelId) => seenPermissions.get(channelId),
    timeoutMs: options.postTimeoutMs ?? 10_000,
  });

  // --- logging; discord.js reconnects and resumes on its own --------------------------------------------------
  client.on(Events.Error, (error) => logger.error({ err: describeError(error) }, 'discord: client error'));
  client.on(Events.Warn, (message) => logger.warn({ message: String(message).slice(0, 300) }, 'discord: warning'));
  client.on(Events.ShardReady, (shardId) => logger.info({ shardId }, 'discord: gateway ready'));
  client.on(Events.ShardDisconnect, (event, shardId) =>
    logger.warn({ shardId, code: event.code }, 'discord: gateway closed and will not reconnect (check the token and intents)'),
  );
  client.on(Events.ShardReconnecting, (shardId) => {
    // destroy() closes the socket too; that is not a lost connection.
    if (!stopping) logger.warn({ shardId }, 'discord: gateway connection lost; reconnecting');
  });
  client.on(Events.ShardResume, (shardId, replayed) => logger.info({ shardId, replayed }, 'discord: gateway resumed'));
  client.on(Events.ShardError, (error, shardId) => logger.warn({ shardId, err: describeError(error) }, 'discord: gateway error'));
  client.on(Events.Invalidated, () => logger.error('discord: session invalidated'));
  client.rest.on(RESTEvents.RateLimited, (info) =>
    logger.warn({ route: info.route, retryAfterMs: info.retryAfter, global: info.global, scope: info.scope }, 'discord: rate limited'),
  );
  // A 429 that Discord answered (rather than one discord.js saw coming): discord.js waits Retry-After and retries.
  // `route` is the bucket template (no interaction token); the concrete path is never logged.
  client.rest.on(RESTEvents.Response, (request, response) => {
    if (response.status === 429) {
      logger.warn({ route: request.route, method: request.method, retryAfter: response.headers.get('retry-after') }, 'discord: rate limited');
    }
  });

  // --- rendering helpers ---------------------------------------------------------------------------------------
  const render = (reply: Reply, locale: Locale): DiscordMessage => renderDiscord(reply, locale, { customId: (action) => encodeCustomId(action, lines) });

  /** Passes `message` through once the long command lines its buttons refer to are stored (a failure is logged: those buttons will say "expired"). */
  const withLinesSaved = async <T>(message: T): Promise<T> => {
    await lines.save().catch((error: unknown) => logger.warn({ err: describeError(error) }, 'discord: could not store button command lines'));
    return message;
  };

  /** What a reply and an edit of it share; only a first reply can also set the visibility. */
  const messageBody = (reply: Reply, locale: Locale) => {
    const message = render(reply, locale);
    return {
      ...(message.content !== undefined ? { content: message.content } : {}),
      embeds: message.embeds,
      components: message.components,
      allowedMentions: NO_PINGS,
    };
  };

  const editOptions = (reply: Reply, locale: Locale): InteractionEditReplyOptions => messageBody(reply, locale);

  const replyOptions = (reply: Reply, locale: Locale): InteractionReplyOptions & { flags?: MessageFlags.Ephemeral } => ({
    ...messageBody(reply, locale),
    ...(reply.visibility === 'public' ? {} : { flags: MessageFlags.Ephemeral }),
  });

  const notice = (text: Localized, locale: Locale): InteractionReplyOptions & { flags: MessageFlags.Ephemeral } => {
    const message = render(errorReply(text[locale]), locale);
    return { embeds: message.embeds, components: [], allowedMentions: NO_PINGS, flags: MessageFlags.Ephemeral };
  };

  /** bot.handle never rejects, but a broken command must still become a polite answer. */
  const safeHandle = async (request: CommandRequest): Promise<Reply> => {
    try {
      return await bot.handle(request);
    } catch (error) {
      logger.error({ err: describeError(error), command: request.command }, 'discord: command failed');
      return errorReply(t('internalError', request.locale ?? bot.locale));
    }
  };

  const requestFor = (interaction: RepliableInteraction, command: string, text: string, typed?: Record<string, string | number | boolean>): CommandRequest => ({
    command,
    text,
    ...(typed ? { options: typed } : {}),
    user: { id: interaction.user.id, name: displayName(interaction) },
    target: `discord:${interaction.channelId ?? 'unknown'}`,
    platform: 'discord',
    locale: localeOf(interaction),
  });

  /** After a failure: log it and try a polite ephemeral message, never throwing. */
  const recover = async (interaction: RepliableInteraction, error: unknown, what: string, text: Localized = discordText.deliveryFailed): Promise<void> => {
    logger.error({ err: describeError(error), what, interaction: interaction.id }, 'discord: could not answer an interaction');
    try {
      const payload = notice(text, localeOf(interaction));
      if (!interaction.deferred && !interaction.replied) await interaction.reply(payload);
      else await interaction.followUp(payload);
    } catch (second) {
      logger.warn({ err: describeError(second), interaction: interaction.id }, 'discord: could not send the error message either');
    }
  };

  // --- interactions ---------------------------------------------------------------------------------------------
  async function onChatInput(interaction: ChatInputCommandInteraction): Promise<void> {
    const typed = typedOptions(interaction);
    const request = requestFor(interaction, interaction.commandName, '', typed);
    const locale = localeOf(interaction);
    const wantsPublic = typed.public === true;
    const work = safeHandle(request);
    const timer = delay(deferAfterMs);
    const early = await Promise.race([work.then((reply) => ({ reply })), timer.promise.then(() => undefined)]);
    timer.cancel();
    try {
      if (early) {
        await interaction.reply(await withLinesSaved(replyOptions(early.reply, locale)));
        return;
      }
      await interaction.deferReply(wantsPublic ? {} : { flags: MessageFlags.Ephemeral });
      const reply = await work;
      if ((reply.visibility === 'public') === wantsPublic) {
        await interaction.editReply(await withLinesSaved(editOptions(reply, locale)));
      } else {
        // The deferred message's visibility cannot change: replace it with a follow-up of the right kind.
        await interaction.deleteReply();
        await interaction.followUp(await withLinesSaved(replyOptions(reply, locale)));
      }
    } catch (error) {
      await recover(interaction, error, `/${interaction.commandName}`);
    }
  }

  async function onAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
    try {
      const focused = interaction.options.getFocused(true);
      const suggestions = bot.suggest(interaction.commandName, focused.name, String(focused.value ?? ''));
      await interaction.respond(toChoices(suggestions, focused.type));
    } catch (error) {
      logger.warn({ err: describeError(error), command: interaction.commandName }, 'discord: autocomplete failed');
      if (!interaction.responded) await interaction.respond([]).catch(() => undefined);
    }
  }

  async function onButton(interaction: ButtonInteraction): Promise<void> {
    const locale = localeOf(interaction);
    const decoded = await decodeCustomId(interaction.customId, lines);
    if (!decoded) {
      await interaction.reply(notice(discordText.unknownInteraction, locale)).catch((error: unknown) => recover(interaction, error, 'button'));
      return;
    }
    if ('expired' in decoded) {
      await interaction.reply(notice(discordText.buttonExpired, locale)).catch((error: unknown) => recover(interaction, error, 'button'));
      return;
    }
    const { command, text } = parseCommandLine(decoded.command);
    const request = requestFor(interaction, command, text);
    try {
      // "Show more" and 👍/👎 answer the clicker privately.
      if (decoded.kind === 'more' || decoded.kind === 'feedback') {
        await interaction.deferReply({ flags: MessageFlags.Ephemeral });
        const reply = await safeHandle(request);
        await interaction.editReply(await withLinesSaved(editOptions({ ...reply, visibility: 'private' }, locale)));
        return;
      }
      // share: acknowledge at once (the re-run may be slow), post publicly, then drop the button.
      await interaction.deferUpdate();
      // A double click, or a click handled by another process while the first share is being posted.
      if (!(await dedupe.firstTime(`discord:share:${interaction.message.id}`))) return;
      const reply = await safeHandle(request);
      if (reply.isError) {
        await interaction.followUp(replyOptions({ ...reply, visibility: 'private' }, locale));
        return;
      }
      // The public copy keeps the buttons everyone may use ("more", 👍/👎); a share button shows only on private answers.
      const message = await withLinesSaved(render({ ...reply, visibility: 'public' }, locale));
      const lead = sharedByLine(displayName(interaction), locale);
      const content = clip(message.content ? `${lead}\n${message.content}` : lead, DISCORD_LIMITS.content);
      try {
        await interaction.followUp({ content, embeds: message.embeds, components: message.components, allowedMentions: NO_PINGS });
      } catch (error) {
        await recover(interaction, error, 'share', discordText.shareFailed);
        return;
      }
      await interaction.editReply({ components: [], allowedMentions: NO_PINGS }).catch((error: unknown) => {
        logger.warn({ err: describeError(error) }, 'discord: could not remove the share button');
      });
    } catch (error) {
      await recover(interaction, error, `button ${decoded.kind}`);
    }
  }

  async function onInteraction(interaction: Interaction): Promise<void> {
    if (interaction.isChatInputCommand()) return onChatInput(interaction);
    if (interaction.isAutocomplete()) return onAutocomplete(interaction);
    if (interaction.isButton()) return onButton(interaction);
    if (interaction.isRepliable()) {
      await interaction.reply(notice(discordText.unknownInteraction, localeOf(interaction))).catch((error: unknown) => recover(interaction, error, 'unsupported interaction'));
    }
  }

  client.on(Events.InteractionCreate, (interaction) => {
    if (stopping) {
      logger.info({ interaction: interaction.id }, 'discord: stopping; interaction ignored');
      return;
    }
    if (interaction.inGuild() && interaction.channelId) {
      seenPermissions.record(interaction.channelId, { permissions: interaction.appPermissions.bitfield, inThread: interaction.channel?.isThread() ?? false });
    }
    const work = onInteraction(interaction)
      .catch((error: unknown) => logger.error({ err: describeError(error) }, 'discord: interaction handler failed'))
      .finally(() => inflight.delete(work));
    inflight.add(work);
  });

  // --- lifecycle -------------------------------------------------------------------------------------------------
  async function start(): Promise<void> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`no ${mode === 'http' ? 'answer from Discord' : 'gateway READY'} within ${readyTimeoutMs} ms`)), readyTimeoutMs);
    const aborted = new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(controller.signal.reason as Error), { once: true }));
    aborted.catch(() => undefined);
    try {
      if (mode === 'http') {
        // No gateway: interactions come over HTTP. The token is still checked now, as login would.
        client.rest.setToken(config.token);
        const user = (await Promise.race([client.rest.get(Routes.user()), aborted])) as { username?: string };
        started = true;
        logger.info({ user: user.username, path: DISCORD_INTERACTIONS_PATH }, 'discord: taking interactions over HTTP');
        return;
      }
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await Promise.race([client.login(config.token), aborted]);
      await Promise.race([ready, aborted]);
      started = true;
      logger.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'discord: connected');
    } catch (error) {
      await client.destroy().catch(() => undefined);
      const refused = (error instanceof Error && 'code' in error && error.code === 'TokenInvalid') || (error instanceof DiscordAPIError && error.status === 401);
      const reason = refused ? 'the token was refused (check DISCORD_TOKEN)' : describeError(error).message;
      throw new Error(`Discord login failed: ${String(reason ?? 'unknown error')}`);
    } finally {
      clearTimeout(timer);
      controller.abort();
    }
  }

  function stop(): Promise<void> {
    stopped ??= (async () => {
      stopping = true;
      if (inflight.size > 0) {
        const timer = delay(drainTimeoutMs);
        await Promise.race([Promise.allSettled([...inflight]), timer.promise]);
        timer.cancel();
        if (inflight.size > 0) logger.warn({ pending: inflight.size }, 'discord: stopped with answers still in flight');
      }
      await client.destroy().catch((error: unknown) => logger.warn({ err: describeError(error) }, 'discord: destroy failed'));
      poster.close();
    })();
    return stopped;
  }

  return {
    platform: 'discord',
    mode,
    client,
    poster,
    ...(endpoint ? { interactionsHandler: endpoint.handle } : {}),
    start,
    stop,
    inFlight: () => inflight.size,
    isConnected: () =>
      mode === 'http'
        ? started && !stopping
        : client.isReady() && client.ws.shards.size > 0 && client.ws.shards.every((shard) => shard.status === Status.Ready),
  };
}
