/**
 * Prometheus metrics with prom-client, served at `GET /metrics` (on the Slack HTTP port, the Discord HTTP
 * interactions port or HEALTH_PORT). Every label value is one the bot defines itself (command names from
 * the registry, platforms, outcomes, store operations), never text a user typed.
 *
 * The parts are measured from outside: the bot, the store and the posters are wrapped here, the Slack
 * adapter reports its ack times through a callback, so neither the core nor an adapter imports prom-client.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Bot } from './core/bot.ts';
import type { Knowledge } from './core/knowledge/knowledge.ts';
import { PostError, type Platform, type Poster } from './core/ports.ts';
import type { Store } from './core/store.ts';

export const METRICS_PATH = '/metrics';

const PLATFORMS: readonly Platform[] = ['slack', 'discord', 'shell'];
/** What `answers_total` counts: the commands whose answers to questions may be declined. */
const QUESTION_COMMANDS = ['ask', 'dr'] as const;
const POST_OUTCOMES = ['posted', 'failed_transient', 'failed_ambiguous', 'failed_permanent'] as const;
/** Label of a command line whose command the bot does not know (its name is user text). */
const UNKNOWN_COMMAND = 'unknown';

export interface MetricsOptions {
  /** The registry's command names; any other command is counted as `unknown`. */
  commands: readonly string[];
  /** The knowledge served now (a function: a reload swaps it). */
  knowledge: () => Knowledge;
  /** Node.js process metrics (CPU, memory, event-loop lag, GC) beside the bot's own. Default true. */
  processMetrics?: boolean;
}

export class Metrics {
  readonly registry = new Registry();
  private readonly known: ReadonlySet<string>;
  private readonly commands: Counter<'command' | 'platform'>;
  private readonly answers: Counter<'command' | 'outcome'>;
  private readonly answerSeconds: Histogram<'command'>;
  private readonly slackAckSeconds: Histogram;
  private readonly dailyPosts: Counter<'platform' | 'outcome'>;
  private readonly reloads: Counter<'result'>;
  private readonly storeErrors: Counter<'operation'>;

  constructor(options: MetricsOptions) {
    const registers = [this.registry];
    this.known = new Set(options.commands);
    this.commands = new Counter({ name: 'summit_bot_commands_total', help: 'Commands handled, by command and platform', labelNames: ['command', 'platform'], registers });
    this.answers = new Counter({
      name: 'summit_bot_answers_total',
      help: 'Answers to /ask and /dr questions: answered (passages shown) or refused (the notes do not answer it)',
      labelNames: ['command', 'outcome'],
      registers,
    });
    this.answerSeconds = new Histogram({
      name: 'summit_bot_answer_duration_seconds',
      help: 'Time from a command reaching the bot to its answer being ready (search, rendering, store), by command',
      labelNames: ['command'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    });
    this.slackAckSeconds = new Histogram({
      name: 'summit_bot_slack_ack_duration_seconds',
      help: 'Slack acknowledgements: HTTP mode from a request arriving to its response sent, Socket Mode from dispatch to ack',
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 3],
      registers,
    });
    this.dailyPosts = new Counter({
      name: 'summit_bot_daily_posts_total',
      help: 'Daily tip posts sent, by platform and outcome (posted; failed_transient: retried; failed_ambiguous: may have posted, looked up before a retry; failed_permanent: subscription paused)',
      labelNames: ['platform', 'outcome'],
      registers,
    });
    this.reloads = new Counter({ name: 'summit_bot_knowledge_reloads_total', help: 'Knowledge reloads after notes changed, by result (ok, failed)', labelNames: ['result'], registers });
    this.storeErrors = new Counter({ name: 'summit_bot_store_errors_total', help: 'Store operations that failed, by operation', labelNames: ['operation'], registers });
    const knowledgeGauge = (name: string, help: string, read: (knowledge: Knowledge) => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read(options.knowledge()));
        },
      });
    knowledgeGauge('summit_bot_knowledge_notes', 'Notes served now', (k) => k.notes.length);
    knowledgeGauge('summit_bot_knowledge_sections', 'Sections in the search index now', (k) => k.index.size);
    knowledgeGauge('summit_bot_knowledge_problems', 'Problems in the notes served now (file:line errors and warnings)', (k) => k.base.problems.length);
    knowledgeGauge('summit_bot_knowledge_skipped_files', 'Note files skipped now because of an error', (k) => k.skipped.length);

    // Every series exists from the start, so rates and alerts work before the first event.
    for (const command of [...this.known, UNKNOWN_COMMAND]) {
      for (const platform of PLATFORMS) this.commands.inc({ command, platform }, 0);
      this.answerSeconds.zero({ command });
    }
    for (const command of QUESTION_COMMANDS) for (const outcome of ['answered', 'refused']) this.answers.inc({ command, outcome }, 0);
    for (const platform of PLATFORMS) for (const outcome of POST_OUTCOMES) this.dailyPosts.inc({ platform, outcome }, 0);
    for (const result of ['ok', 'failed']) this.reloads.inc({ result }, 0);
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** `bot`, counting and timing every command it handles. */
  meterBot(bot: Bot): Bot {
    return {
      ...bot,
      handle: async (request) => {
        const started = performance.now();
        const reply = await bot.handle(request);
        const name = request.command.toLowerCase();
        const command = this.known.has(name) ? name : UNKNOWN_COMMAND;
        this.commands.inc({ command, platform: request.platform });
        this.answerSeconds.observe({ command }, (performance.now() - started) / 1000);
        if (reply.answer) this.answers.inc({ command: reply.answer.command, outcome: reply.answer.citation ? 'answered' : 'refused' });
        return reply;
      },
    };
  }

  /** `store`, counting the operations that reject. */
  meterStore(store: Store): Store {
    const metered = new Map<string, (...args: unknown[]) => unknown>();
    const errors = this.storeErrors;
    return new Proxy(store, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function' || typeof property !== 'string') return value;
        let wrapped = metered.get(property);
        if (!wrapped) {
          const method = value as (...args: unknown[]) => unknown;
          wrapped = (...args: unknown[]) => {
            const result = method.apply(target, args);
            return result instanceof Promise
              ? result.catch((error: unknown) => {
                  errors.inc({ operation: property });
                  throw error;
                })
              : result;
          };
          metered.set(property, wrapped);
        }
        return wrapped;
      },
    });
  }

  /** `poster` (the daily tips'), counting posts by outcome. */
  meterPoster(poster: Poster): Poster {
    const findPosted = poster.findPosted?.bind(poster);
    return {
      platform: poster.platform,
      canPost: (target) => poster.canPost(target),
      ...(findPosted ? { findPosted } : {}),
      post: async (target, reply, options) => {
        try {
          const id = await poster.post(target, reply, options);
          this.dailyPosts.inc({ platform: poster.platform, outcome: 'posted' });
          return id;
        } catch (error) {
          // Anything but a PostError is retried like a transient failure (see the scheduler).
          const kind = error instanceof PostError ? error.kind : 'transient';
          this.dailyPosts.inc({ platform: poster.platform, outcome: `failed_${kind}` });
          throw error;
        }
      },
    };
  }

  readonly observeSlackAck = (seconds: number): void => {
    this.slackAckSeconds.observe(seconds);
  };

  knowledgeReloaded(result: 'ok' | 'failed'): void {
    this.reloads.inc({ result });
  }

  /** `GET /metrics`: the registry in Prometheus text format. */
  readonly handler = (req: IncomingMessage, res: ServerResponse): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    this.registry.metrics().then(
      (body) => {
        res.writeHead(200, { 'content-type': this.registry.contentType, 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      (error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`metrics could not be collected: ${error instanceof Error ? error.message : String(error)}`);
      },
    );
  };
}
