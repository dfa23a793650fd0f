import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from './config.ts';
import type { Logger } from './logger.ts';
import { createBot, type Bot } from './core/bot.ts';
import { createCommands } from './core/commands/index.ts';
import { LiveKnowledge } from './core/knowledge/live.ts';
import { formatProblem, type Problem } from './core/knowledge/types.ts';
import { systemClock, type Clock } from './core/ports.ts';
import { startShell, type Shell } from './adapters/shell/repl.ts';
import type { ChatAdapter } from './adapters/types.ts';
import { healthHandler, startHealthServer, type HealthReport } from './health.ts';
import type { Server } from 'node:http';
import { openStore } from './store/open.ts';
import type { Store } from './core/store.ts';
import type { Routes } from './adapters/http.ts';
import { DISCORD_INTERACTIONS_PATH } from './adapters/discord/paths.ts';
import { StoreSubscriptionService } from './core/tips/subscription-service.ts';
import { TipScheduler } from './core/tips/scheduler.ts';
import type { Platform, Poster } from './core/ports.ts';
import { FeedbackService, feedbackSalt } from './core/feedback/service.ts';
import { Metrics, METRICS_PATH } from './metrics.ts';

export interface AppIO {
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
}

export interface App {
  bot: Bot;
  knowledge: LiveKnowledge;
  adapters: ChatAdapter[];
  shell?: Shell;
  /** What /healthz reports. */
  health(): Promise<HealthReport>;
  /** Stops taking commands, lets replies in flight finish, closes everything. Idempotent. */
  stop(): Promise<void>;
}

/** The posters' request timeout, unless the daily-tip lease is too short for it. */
const MAX_POST_TIMEOUT_MS = 10_000;

/** How often keys past their expiry (de-duplication, button command lines) and feedback past its retention are deleted. */
const PURGE_INTERVAL_MS = 10 * 60_000;

const DAY_MS = 24 * 60 * 60_000;

export async function startApp(config: Config, io: AppIO, logger: Logger, clock: Clock = systemClock): Promise<App> {
  const logProblems = (problems: Problem[]) => {
    for (const problem of problems) logger.warn({ file: problem.file, line: problem.line }, formatProblem(problem));
  };
  const knowledge = new LiveKnowledge(config.knowledgeDir, {
    dataDir: config.dataDir,
    onSnapshot: (result) => {
      if (result.ok) logger.debug({ sections: result.sections }, 'search index snapshot written');
      else logger.warn({ error: result.error }, 'search index snapshot not written; the next start builds the index');
    },
  });
  const commands = createCommands();
  const metrics = new Metrics({ commands: commands.map((c) => c.name), knowledge: () => knowledge.current });
  const loaded = knowledge.current;
  logProblems(loaded.base.problems);
  if (!existsSync(config.knowledgeDir)) logger.warn({ dir: config.knowledgeDir }, 'the knowledge folder does not exist; its notes are served once it is made');
  const origin = knowledge.indexOrigin;
  if (origin.from === 'build' && origin.snapshot === 'corrupt') logger.warn({ reason: origin.reason }, 'search index snapshot unreadable; ignored, the index was built and the snapshot is written again');
  logger.info(
    { notes: loaded.notes.length, sections: loaded.index.size, skipped: loaded.skipped.length, index: origin.from === 'snapshot' ? 'snapshot' : `built (snapshot ${origin.snapshot})` },
    'knowledge indexed',
  );
  // Awaited once the adapters and the shell are up: at 10k notes the watcher's first scan of the folder takes a
  // third of a second, which the first commands need not wait for (a change made before it is ready is read by
  // the look the watcher takes once ready).
  const watching = knowledge.watch({
    onReload: (result) => {
      metrics.knowledgeReloaded('ok');
      logProblems(result.newProblems);
      for (const file of result.restored) logger.info({ file }, `${file} is fixed and served again`);
      const current = knowledge.current;
      logger.info(
        { notes: current.notes.length, sections: current.index.size, skipped: current.skipped.length, changed: result.changed, removed: result.removed },
        'knowledge reloaded',
      );
    },
    onError: (error) => {
      metrics.knowledgeReloaded('failed');
      logger.error({ err: error }, 'knowledge watching or reloading failed; the notes served so far stay');
    },
  });

  let store: Store;
  let feedback: FeedbackService | undefined;
  try {
    store = metrics.meterStore(await openStore(config, logger));
    if (config.feedback.enabled) {
      const salt = await feedbackSalt(store, config.feedback.salt).catch(async (error: unknown) => {
        await store.close();
        throw error;
      });
      feedback = new FeedbackService({ store, clock, salt, retentionMs: config.feedback.retentionDays * DAY_MS, logger: logger.child({ component: 'feedback' }) });
    }
  } catch (error) {
    await knowledge.close();
    throw error;
  }
  // Each running platform's Poster (counted by outcome): the scheduler posts through it, and /tip subscribe asks it
  // first whether the bot can post there. Filled once the adapters exist.
  const posters = new Map<Platform, Poster>();
  const subscriptions = new StoreSubscriptionService(store, clock, (platform) => posters.get(platform));
  const bot = metrics.meterBot(
    createBot({
      commands,
      knowledge: () => knowledge.current,
      clock,
      locale: config.locale,
      timeZone: config.timeZone,
      subscriptions,
      ...(feedback ? { feedback } : {}),
      onError: (error, request) => logger.error({ err: error, command: request.command, platform: request.platform }, 'command failed'),
    }),
  );

  const adapters: ChatAdapter[] = [];
  let shell: Shell | undefined;
  const health = async (): Promise<HealthReport> => {
    const current = knowledge.current;
    const connected = Object.fromEntries(adapters.map((a) => [a.platform, a.isConnected()]));
    const writable = await store.isWritable();
    return {
      ok: current.index.size > 0 && writable && Object.values(connected).every(Boolean),
      notes: current.notes.length,
      sections: current.index.size,
      adapters: { ...connected, ...(shell ? { shell: true } : {}) },
      store: writable ? 'writable' : 'unwritable',
    };
  };

  let scheduler: TipScheduler | undefined;
  const servers: Server[] = [];
  let stopping: Promise<void> | undefined;
  const purgeFeedback = () =>
    feedback?.purge().then(
      (purged) => logger.debug({ purged }, 'feedback: records past their retention deleted'),
      (error: unknown) => logger.warn({ err: error }, 'feedback: could not delete records past their retention'),
    );
  void purgeFeedback();
  const purge = setInterval(() => {
    store.purgeExpired(clock.now()).then(
      (purged) => logger.debug({ purged }, 'store: expired keys purged'),
      (error: unknown) => logger.warn({ err: error }, 'store: could not purge expired keys'),
    );
    void purgeFeedback();
  }, PURGE_INTERVAL_MS).unref();
  const stop = () =>
    (stopping ??= (async () => {
      clearInterval(purge);
      shell?.close();
      await knowledge.close();
      await scheduler?.stop();
      await Promise.allSettled(adapters.map((a) => a.stop()));
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
      await store.close();
    })());

  // A daily tip's attempt (a look for an unsure earlier post, then the post) must end within the claim's lease,
  // or another replica could take the day over while it still runs.
  const postTimeoutMs = Math.min(MAX_POST_TIMEOUT_MS, Math.floor(config.tipLeaseMs / 3));
  try {
    // Discord HTTP interactions are served beside Slack's endpoint when Slack runs in HTTP mode, else on their own port;
    // /metrics on every HTTP port the bot serves.
    let routes: Routes = { [METRICS_PATH]: metrics.handler };
    if (config.discord) {
      // Loaded only when configured: the SDKs are heavy and the shell should start fast.
      const { createDiscordAdapter } = await import('./adapters/discord/client.ts');
      const discord = createDiscordAdapter({ config: config.discord, bot, logger, store, postTimeoutMs });
      if (discord.interactionsHandler) routes = { ...routes, [DISCORD_INTERACTIONS_PATH]: discord.interactionsHandler };
      adapters.push(discord);
    }
    const slackServesHttp = config.slack?.mode === 'http';
    if (config.slack) {
      const { createSlackAdapter } = await import('./adapters/slack/app.ts');
      adapters.unshift(
        createSlackAdapter({ config: config.slack, bot, logger, store, postTimeoutMs, host: config.bindHost, health: healthHandler(health), routes, onAck: metrics.observeSlackAck }),
      );
    }
    for (const adapter of adapters) posters.set(adapter.platform, metrics.meterPoster(adapter.poster));
    // Serving starts once the first questions would find nothing left to build at once (see LiveKnowledge.answering).
    await knowledge.answering();
    for (const adapter of adapters) await adapter.start();
    if (config.discord?.port !== undefined && !slackServesHttp) {
      servers.push(await startHealthServer(config.discord.port, config.bindHost, health, routes));
      logger.info({ port: config.discord.port, path: DISCORD_INTERACTIONS_PATH }, 'discord: listening for HTTP interactions');
    }

    if (config.shell) {
      const interactive = Boolean(io.stdin.isTTY && io.stdout.isTTY);
      shell = startShell({
        bot,
        input: io.stdin,
        output: io.stdout,
        interactive,
        color: Boolean(io.stdout.isTTY) && !process.env.NO_COLOR,
        historyFile: join(config.dataDir, 'shell-history'),
      });
    }

    // The terminal is a conversation too: a shell subscription prints its daily tip there, and always can.
    const activeShell = shell;
    if (activeShell) {
      posters.set(
        'shell',
        metrics.meterPoster({
          platform: 'shell',
          post: async (_target, message) => {
            activeShell.print(message);
            return undefined;
          },
          canPost: async () => ({ ok: true }),
        }),
      );
    }
    scheduler = new TipScheduler({
      store,
      clock,
      posters,
      knowledge: () => knowledge.current,
      logger: logger.child({ component: 'tips' }),
      locale: config.locale,
      checkIntervalMs: config.tipCheckIntervalMs,
    });
    scheduler.start();

    if (config.healthPort) {
      servers.push(await startHealthServer(config.healthPort, config.bindHost, health, { [METRICS_PATH]: metrics.handler }));
      logger.info({ port: config.healthPort }, 'health endpoint on /healthz, metrics on /metrics');
    }
    await watching;
  } catch (error) {
    // Whatever did start (watcher, adapters, store) is closed, so a caller that goes on is not left with it.
    await stop();
    throw error;
  }

  return { bot, knowledge, adapters, ...(shell ? { shell } : {}), health, stop };
}
