/**
 * `npm run gaps [--since 7d] [--json] [--limit 20]`: the knowledge-gaps report from the store the bot uses
 * (the same DATA_DIR or DATABASE_URL): the questions the bot declined and the answers rated 👎, grouped by
 * what they ask, most frequent first, with the citation each answer showed.
 */
import 'dotenv/config';
import { loadConfig } from '../config.ts';
import { knowledgeGaps } from '../core/feedback/gaps.ts';
import { createLogger } from '../logger.ts';
import { openStore } from '../store/open.ts';
import { gapsText, parseGapsArgs, USAGE } from './gaps-report.ts';

const DAY_MS = 24 * 60 * 60_000;

async function main(): Promise<number> {
  const args = parseGapsArgs(process.argv.slice(2), process.env);
  if ('problem' in args && args.problem === USAGE) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if ('problem' in args) {
    process.stderr.write(`gaps: ${args.problem}\n${USAGE}\n`);
    return 2;
  }
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    process.stderr.write(`gaps: fix these settings (in the environment or .env):\n${loaded.problems.map((p) => `  - ${p}`).join('\n')}\n`);
    return 2;
  }
  const { config } = loaded;
  const store = await openStore(config, createLogger('warn'));
  try {
    const until = new Date();
    const since = new Date(until.getTime() - (args.sinceMs ?? config.feedback.retentionDays * DAY_MS));
    const report = knowledgeGaps(await store.feedbackSince(since), { since, until });
    if (args.json) {
      process.stdout.write(`${JSON.stringify({ ...report, gaps: report.gaps.slice(0, args.limit) }, null, 2)}\n`);
    } else {
      process.stdout.write(`${gapsText(report, args.limit)}\n`);
      if (!config.feedback.enabled) process.stdout.write('Note: FEEDBACK=off, so nothing new is being recorded.\n');
    }
    return 0;
  } finally {
    await store.close();
  }
}

process.exitCode = await main().catch((error: unknown) => {
  process.stderr.write(`gaps: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
});
