/** The arguments and the text of `npm run gaps` (src/cli/gaps.ts), apart from the entry point so they can be tested. */
import { parseDuration } from '../core/duration.ts';
import type { Gap, GapsReport } from '../core/feedback/gaps.ts';

const DEFAULT_LIMIT = 20;
const OPTIONS = new Set(['since', 'limit', 'json', 'help']);
export const USAGE = 'usage: npm run gaps [-- --since 7d] [--json] [--limit 20]   (--since: a duration such as 12h, 7d, 30d; default: everything kept)';

export interface GapsArgs {
  /** How far back, in ms; undefined for everything the retention keeps. */
  sinceMs?: number;
  json: boolean;
  limit: number;
}

/**
 * Reads the arguments, written after `--` or straight after the script name: npm then keeps `--since` and
 * `--json` for itself (as `npm_config_since=true`, `npm_config_json=true`) and passes the value on as a bare word.
 */
export function parseGapsArgs(argv: readonly string[], env: NodeJS.ProcessEnv): GapsArgs | { problem: string } {
  const values = new Map<string, string | true>();
  const bare: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const match = /^--([a-z]+)(?:=(.*))?$/.exec(arg);
    if (!match) bare.push(arg);
    else if (!OPTIONS.has(match[1]!)) return { problem: `unexpected ${arg}` };
    else if (match[1] === 'json' || match[1] === 'help') values.set(match[1], true);
    else if (match[2] !== undefined) values.set(match[1]!, match[2]);
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) values.set(match[1]!, argv[++i]!);
    else return { problem: `--${match[1]} needs a value` };
  }
  for (const name of ['since', 'limit', 'json'] as const) {
    const fromNpm = env[`npm_config_${name}`];
    if (values.has(name) || fromNpm === undefined || fromNpm === '' || fromNpm === 'false') continue;
    if (name === 'json') values.set(name, true);
    else if (fromNpm !== 'true') values.set(name, fromNpm);
    else if (bare.length > 0) values.set(name, bare.shift()!);
  }
  if (values.has('help')) return { problem: USAGE };
  if (bare.length > 0) return { problem: `unexpected ${bare.join(' ')}` };

  const since = values.get('since');
  const seconds = typeof since === 'string' ? parseDuration(since) : undefined;
  if (since !== undefined && (seconds === undefined || seconds === 0)) return { problem: `--since ${String(since)}: give a duration such as 12h, 7d or 30d` };
  const limitText = values.get('limit');
  const limit = limitText === undefined ? DEFAULT_LIMIT : Number(limitText);
  if (!Number.isInteger(limit) || limit < 1) return { problem: `--limit ${String(limitText)}: give a whole number of at least 1` };
  return { ...(seconds !== undefined ? { sinceMs: seconds * 1000 } : {}), json: values.get('json') === true, limit };
}

const day = (at: Date) => at.toISOString().slice(0, 10);
const quoted = (question: string) => `"${question.replace(/\s+/g, ' ')}"`;

function gapText(gap: Gap, rank: number): string[] {
  const counts = [gap.refused > 0 ? `refused ${gap.refused}×` : '', gap.disliked > 0 ? `👎 ${gap.disliked}` : '', gap.liked > 0 ? `👍 ${gap.liked}` : ''].filter(Boolean);
  const lines = [`${rank}. ${quoted(gap.question)} (${gap.commands.map((c) => `/${c}`).join(', ')}): ${counts.join(', ')}; last ${day(gap.lastAt)}`];
  const others = gap.wordings.slice(1, 4).map((w) => (w.count > 1 ? `${quoted(w.question)} ×${w.count}` : quoted(w.question)));
  if (others.length > 0) lines.push(`   also asked as: ${others.join(', ')}${gap.wordings.length > 4 ? ', …' : ''}`);
  if (gap.shown.length === 0) lines.push('   shown: nothing; the notes have no answer');
  for (const shown of gap.shown.slice(0, 3)) {
    lines.push(`   shown: ${shown.citation}${shown.source ? ` (${shown.source})` : ''}: 👎 ${shown.disliked}, 👍 ${shown.liked}`);
  }
  return lines;
}

/** The report as people read it in a terminal. */
export function gapsText(report: GapsReport, limit: number): string {
  const { totals } = report;
  const head = `Knowledge gaps from ${day(report.since)} to ${day(report.until)}: ${totals.questions} recorded (${totals.refused} refused, ${totals.disliked} rated 👎, ${totals.liked} rated 👍)`;
  if (report.gaps.length === 0) return `${head}\nNo refused or 👎 questions in that time.`;
  const shown = report.gaps.slice(0, limit);
  const lines = [head, '', ...shown.flatMap((gap, i) => gapText(gap, i + 1))];
  if (report.gaps.length > shown.length) lines.push('', `…and ${report.gaps.length - shown.length} more (--limit ${report.gaps.length} shows all)`);
  return lines.join('\n');
}
