import 'dotenv/config';
import { loadConfig } from './config.ts';
import { createLogger } from './logger.ts';
import { startApp } from './app.ts';

/** Exit code for a configuration the bot cannot run with. */
const EXIT_CONFIG = 2;
const SHUTDOWN_DEADLINE_MS = 10_000;

async function main(): Promise<void> {
  const result = loadConfig(process.env);
  if (!result.ok) {
    process.stderr.write(`summit-bot cannot start; fix these settings (in the environment or .env):\n${result.problems.map((p) => `  - ${p}`).join('\n')}\n`);
    process.exit(EXIT_CONFIG);
  }
  const { config } = result;
  const logger = createLogger(config.shell && !process.env.LOG_LEVEL ? 'warn' : config.logLevel);
  const starting = startApp(config, { stdin: process.stdin, stdout: process.stdout }, logger);

  // Listened for from the start: the bot serves health checks and commands before startApp resolves (it waits for
  // the knowledge watcher last), so a signal in that time stops it as cleanly as later, once it has started.
  const shutdown = (reason: string) => {
    logger.info({ reason }, 'shutting down');
    setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    void starting.then((app) => app.stop()).then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  // A platform client that gives up reconnecting rejects a promise nobody awaits; log it and keep
  // serving the other adapters instead of crashing the whole bot.
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled rejection'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  const app = await starting;

  if (app.shell) {
    await app.shell.done;
    await app.stop();
    process.exit(0);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`summit-bot failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
