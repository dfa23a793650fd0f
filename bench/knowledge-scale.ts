import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadKnowledge } from '../src/core/knowledge/loader.ts';
import { writeSnapshot } from '../src/core/knowledge/snapshot.ts';
import { SearchEngine } from '../src/core/search/engine.ts';
import { DEFAULT_TUNING } from '../src/core/search/index.ts';
import { withSlackBots } from './ack.ts';
import { writeSyntheticNotes } from './corpus.ts';
import { percentile } from './search.ts';
import { startToFirstAnswer } from './startup.ts';

export interface ReloadFigures {
  /** Milliseconds from the write to the new section being served (per edit, sorted). */
  editToSearchable: number[];
  /** The longest event-loop stall the bot measured while each reload ran (ms). */
  longestStall: number;
  /** Slack acks of signed `/ask` commands sent while the reloads ran. */
  acks: number[];
  ackErrors: number;
}

export interface ScaleFigures {
  sections: number;
  startWithout: number;
  startWith: number;
  /** One note edited (a section appended), five times. */
  oneNote: ReloadFigures;
  /** Every note edited at once (a checkout): the longest reload. */
  everyNote: ReloadFigures;
  /** How long a full synchronous build of the index holds the event loop (what every reload cost before). */
  fullRebuildMs: number;
}

const EDITS = 5;
/** Bounded waits: a reload that is not served within this is reported as a failure. */
const SEARCHABLE_TIMEOUT_MS = 120_000;
const POLL_MS = 5;
/** A signed command every this many ms while a reload runs. */
const COMMAND_INTERVAL_MS = 20;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function sectionsServed(port: number): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/healthz`);
  return ((await response.json()) as { sections: number }).sections;
}

/** The longest event-loop delay since the last scrape: prom-client resets its monitorEventLoopDelay histogram on every collect. */
async function longestStallSinceLastScrape(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('nodejs_eventloop_lag_max_seconds'));
  return line ? Number(line.split(' ').at(-1)) * 1000 : Number.NaN;
}

/**
 * Makes one change to the notes and times it until the bot serves `expected` sections, sending signed `/ask`
 * commands all the while and timing their acks.
 */
async function timedReload(
  port: number,
  change: () => void,
  expected: number,
  signed: (text: string) => { body: string; headers: Record<string, string> },
  question: string,
): Promise<{ ms: number; stall: number; acks: number[]; errors: number }> {
  await longestStallSinceLastScrape(port);
  const acks: number[] = [];
  let errors = 0;
  let served = false;
  const inFlight: Promise<void>[] = [];
  const start = performance.now();
  change();
  const sender = (async () => {
    for (let i = 0; !served && i < SEARCHABLE_TIMEOUT_MS / COMMAND_INTERVAL_MS; i++) {
      const { body, headers } = signed(question);
      const sent = performance.now();
      inFlight.push(
        fetch(`http://127.0.0.1:${port}/slack/events`, { method: 'POST', headers, body }).then(
          async (response) => {
            acks.push(performance.now() - sent);
            if (!response.ok) errors++;
            await response.arrayBuffer();
          },
          () => void errors++,
        ),
      );
      await pause(COMMAND_INTERVAL_MS);
    }
  })();
  let ms = Number.NaN;
  while (performance.now() - start < SEARCHABLE_TIMEOUT_MS) {
    if ((await sectionsServed(port)) === expected) {
      ms = performance.now() - start;
      break;
    }
    await pause(POLL_MS);
  }
  served = true;
  await sender;
  await Promise.all(inFlight);
  return { ms, stall: await longestStallSinceLastScrape(port), acks, errors };
}

/**
 * The knowledge-scale rows for `count` sections (500 notes of 20 sections at 10k), written as real `.md` files in a
 * temporary folder that the bot reads through KNOWLEDGE_DIR.
 */
export async function benchKnowledgeScale(count: number, entry: string[], seedWords: string[], questions: string[]): Promise<ScaleFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'summit-bench-notes-'));
  const dataDir = mkdtempSync(join(tmpdir(), 'summit-bench-data-'));
  try {
    const files = writeSyntheticNotes(dir, count, seedWords);
    const base = loadKnowledge(dir);
    const firstHeading = base.sections[0]!.heading;
    const env = { KNOWLEDGE_DIR: dir };
    const startWithout = await startToFirstAnswer(entry, { ...env, DATA_DIR: mkdtempSync(join(tmpdir(), 'summit-bench-data-')) }, `/ask ${firstHeading}`);
    writeSnapshot(dir, dataDir);
    const startWith = await startToFirstAnswer(entry, { ...env, DATA_DIR: dataDir }, `/ask ${firstHeading}`);

    const started = performance.now();
    SearchEngine.build(base.sections, DEFAULT_TUNING.bm25);
    const fullRebuildMs = performance.now() - started;

    const { oneNote, everyNote } = await withSlackBots(1, entry, questions, { ...env, DATA_DIR: dataDir }, async ({ ports, signed }) => {
      const port = ports[0]!;
      let sections = await sectionsServed(port);
      const edit = (file: string, i: number) => appendFileSync(join(dir, file), `\n## benchheading${i} 추가된 절\n\nbenchword${i} 이 있는 새 절.\n`);
      // Unmeasured: the first reload also waits for the standby engine the bot copies after start.
      await timedReload(port, () => edit(files[0]!, 0), ++sections, signed, questions[0] ?? 'RTO');
      const one: ReloadFigures = { editToSearchable: [], longestStall: 0, acks: [], ackErrors: 0 };
      for (let i = 1; i <= EDITS; i++) {
        const run = await timedReload(port, () => edit(files[i % files.length]!, i), ++sections, signed, questions[i % questions.length] ?? 'RTO');
        one.editToSearchable.push(run.ms);
        one.longestStall = Math.max(one.longestStall, run.stall);
        one.acks.push(...run.acks);
        one.ackErrors += run.errors;
        // Edits a second apart, as a person saves: the background catch-up of the previous edit is done by then.
        await pause(1000);
      }
      sections += files.length;
      const all = await timedReload(port, () => files.forEach((file, i) => edit(file, 1000 + i)), sections, signed, questions[0] ?? 'RTO');
      const every: ReloadFigures = { editToSearchable: [all.ms], longestStall: all.stall, acks: all.acks, ackErrors: all.errors };
      return { oneNote: one, everyNote: every };
    });
    return { sections: count, startWithout, startWith, oneNote, everyNote, fullRebuildMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const fmt = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : '–');

/** The knowledge-scale table, as Markdown rows. */
export function knowledgeScaleRows(figures: ScaleFigures): string[] {
  const sorted = (values: number[]) => [...values].sort((a, b) => a - b);
  const reload = (label: string, f: ReloadFigures) => {
    const edits = sorted(f.editToSearchable);
    const acks = sorted(f.acks);
    const editCell = edits.length > 1 ? `${fmt(percentile(edits, 50))} (worst ${fmt(edits.at(-1)!)})` : fmt(edits[0] ?? Number.NaN);
    return `| ${figures.sections} | ${label} | ${editCell} | ${fmt(f.longestStall)} | ${fmt(figures.fullRebuildMs)} | ${acks.length} | ${fmt(percentile(acks, 99))} | ${fmt(acks.at(-1) ?? Number.NaN)} | ${f.ackErrors} |`;
  };
  return [
    `| ${figures.sections} | start → first \`/ask\` answer, no snapshot | ${fmt(figures.startWithout)} | | | | | | |`,
    `| ${figures.sections} | start → first \`/ask\` answer, with snapshot | ${fmt(figures.startWith)} | | | | | | |`,
    reload(`edit one note → searchable (median of ${figures.oneNote.editToSearchable.length})`, figures.oneNote),
    reload('edit every note at once → searchable', figures.everyNote),
  ];
}

export const KNOWLEDGE_SCALE_HEADER = [
  '| sections | measure | ms | longest event-loop stall during the reload ms | a full synchronous rebuild holds the loop ms | Slack acks sent during reloads | ack p99 ms | ack max ms | ack errors |',
  '|---|---|---|---|---|---|---|---|---|',
];
