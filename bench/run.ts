import { existsSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { loadKnowledge } from '../src/core/knowledge/loader.ts';
import { DEFAULT_KNOWLEDGE_DIR } from '../src/core/knowledge/paths.ts';
import { parseEvalFile } from '../src/core/search/eval.ts';
import { pieces } from '../src/core/search/tokenizer.ts';
import { syntheticSections } from './corpus.ts';
import { benchAnswers, benchDefault, benchOurs, type SearchFigures } from './search.ts';
import { startToFirstAnswer } from './startup.ts';
import { benchFloor, benchReplicasAck, benchSlackAck, warmUpGenerator, type AckFigures, type AckRun } from './ack.ts';
import { benchKnowledgeScale, KNOWLEDGE_SCALE_HEADER, knowledgeScaleRows } from './knowledge-scale.ts';

const ROOT = join(import.meta.dirname, '..');
/** The same runtime flags as `npm start` and the image. */
const NODE_FLAGS = ['--max-semi-space-size=4'];
const fmt = (n: number, digits = 2) => n.toFixed(digits);

function questions(): string[] {
  const files = [join(ROOT, '../shared/eval/dev.jsonl'), join(ROOT, 'tests/fixtures/eval/holdout.jsonl')].filter((f) => existsSync(f));
  return files.flatMap((f) => parseEvalFile(readFileSync(f, 'utf8'), f).map((c) => c.q));
}

/** The search table. In a function of its own, so that no corpus outlives it (see main). */
function benchSearch(queries: string[]): void {
  const shippedBase = loadKnowledge(DEFAULT_KNOWLEDGE_DIR);
  const shipped = shippedBase.sections;
  const seedWords = shipped.flatMap((s) => pieces(`${s.heading} ${s.text}`));
  const corpora: { name: string; sections: () => typeof shipped; rounds: number }[] = [
    { name: `shipped notes (${shipped.length} sections)`, sections: () => shipped, rounds: 100 },
    { name: '10k synthetic sections', sections: () => syntheticSections(10_000, seedWords), rounds: 3 },
    { name: '100k synthetic sections', sections: () => syntheticSections(100_000, seedWords), rounds: 1 },
  ];

  console.log(`## Search (${queries.length} real questions per round; run with ${process.execArgv.filter((a) => a.startsWith('--max')).join(' ') || 'default GC settings'})\n`);
  console.log('| corpus | index | build ms | query p50 ms | query p99 ms | heap MB |');
  console.log('|---|---|---|---|---|---|');
  for (const corpus of corpora) {
    const sections = corpus.sections();
    const ours = benchOurs(sections, queries, corpus.rounds);
    const base = benchDefault(sections, queries, corpus.rounds);
    const row = (label: string, f: SearchFigures) =>
      console.log(`| ${corpus.name} | ${label} | ${fmt(f.buildMs, 0)} | ${fmt(f.p50, 3)} | ${fmt(f.p99, 3)} | ${fmt(f.heapMb, 0)} |`);
    row('summit-bot', ours);
    row('MiniSearch defaults', base);
    console.log(
      `| ${corpus.name} | ratio (ours / default) | ${fmt(ours.buildMs / base.buildMs)}× | ${fmt(ours.p50 / base.p50)}× | ${fmt(ours.p99 / base.p99)}× | ${fmt(ours.heapMb / Math.max(base.heapMb, 1))}× |`,
    );
  }
  const answers = benchAnswers(shippedBase, queries, 100);
  console.log(`\nWhole answers on the shipped notes (what \`/ask\` runs: search, the answer-or-refuse decision, the answering sentences, the reply): p50 ${fmt(answers.p50, 3)} ms, p99 ${fmt(answers.p99, 3)} ms.`);
  console.log(`\nRSS after the search runs: ${fmt(process.memoryUsage().rss / 2 ** 20, 0)} MB\n`);
}

/**
 * The knowledge-scale table: the bot on 1k and 10k generated sections written as note files (500 notes of 20
 * sections at 10k): start to first answer with and without a snapshot, edit to searchable, the longest
 * event-loop stall during reloads beside what a full synchronous rebuild holds the loop, Slack acks meanwhile.
 */
async function benchKnowledge(entry: string[], queries: string[]): Promise<void> {
  const shipped = loadKnowledge(DEFAULT_KNOWLEDGE_DIR).sections;
  const seedWords = shipped.flatMap((s) => pieces(`${s.heading} ${s.text}`));
  console.log('## Knowledge at scale (generated notes as files in a temp dir, KNOWLEDGE_DIR pointing at them; signed `/ask` every 20 ms while each reload runs)\n');
  console.log(KNOWLEDGE_SCALE_HEADER.join('\n'));
  for (const count of [1_000, 10_000]) {
    try {
      console.log(knowledgeScaleRows(await benchKnowledgeScale(count, entry, seedWords, queries)).join('\n'));
    } catch (error) {
      console.log(`| ${count} | – | ${(error as Error).message} | | | | | | |`);
    }
    globalThis.gc?.();
  }
  console.log('');
}

async function main(): Promise<void> {
  console.log(`# summit-bot benchmark\n\nmachine: ${cpus()[0]?.model ?? 'unknown CPU'} ×${cpus().length}, ${fmt(totalmem() / 2 ** 30, 0)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
  const queries = questions();
  const entry = existsSync(join(ROOT, 'dist/main.js')) ? [...NODE_FLAGS, 'dist/main.js'] : [...NODE_FLAGS, '--import', 'tsx', 'src/main.ts'];
  // `npm run bench -- knowledge` runs only the knowledge-scale table.
  if (process.argv.includes('knowledge')) return benchKnowledge(entry, queries);
  benchSearch(queries);
  // The burst generator below runs in this process. A corpus still referenced from a live stack
  // frame kept 100+ MB on the heap, and full collections of it stalled bursts by up to 100 ms.
  globalThis.gc?.();

  console.log('## Start to first answer (`echo /help | node …`)\n');
  console.log('| entry | ms |');
  console.log('|---|---|');
  if (existsSync(join(ROOT, 'dist/main.js'))) console.log(`| node dist/main.js (compiled, as in the image) | ${fmt(await startToFirstAnswer([...NODE_FLAGS, 'dist/main.js']), 0)} |`);
  else console.log('| node dist/main.js | (run `npm run build` first) |');
  console.log(`| npm start (tsx src/main.ts) | ${fmt(await startToFirstAnswer([...NODE_FLAGS, '--import', 'tsx', 'src/main.ts']), 0)} |`);

  console.log('\n## Slash-command ack over loopback HTTP (signed `/ask` with the real questions, to the bot process in Slack HTTP mode)\n');
  console.log('Bursts come from a raw-socket generator (`bench/burst.ts`); the sustained load from autocannon. Each kind of burst has its first one in a row of its own (code paths still cold), then ten more (steady state). The floor rows run the same bursts against a bare `node:http` server: the cost of this machine and the generator alone.\n');
  console.log('| concurrent | server | load | requests | ack p50 ms | ack p99 ms | worst burst p99 ms | errors |');
  console.log('|---|---|---|---|---|---|---|---|');
  const rows = (connections: number, server: string, run: AckRun) => {
    const loads: [string, AckFigures | undefined][] = [
      ['first burst after start, open connections', run.firstBurst],
      [`${connections} at once on open connections ×10`, run.openBursts],
      ['first burst on new connections', run.firstNewBurst],
      [`${connections} at once on new connections ×10`, run.newBursts],
      [`kept in flight for 8 s`, run.sustained],
    ];
    for (const [label, f] of loads) {
      if (f) console.log(`| ${connections} | ${server} | ${label} | ${f.requests} | ${fmt(f.p50, 0)} | ${fmt(f.p99, 0)} | ${f.worstBurstP99 === undefined ? '–' : fmt(f.worstBurstP99, 0)} | ${f.errors} |`);
    }
  };
  const warnings: string[] = [];
  await warmUpGenerator(200);
  for (const connections of [50, 200]) {
    try {
      const run = await benchSlackAck(connections, entry, queries);
      rows(connections, 'summit-bot', run);
      warnings.push(...(run.serverWarnings ?? []).map((line) => `- ${connections} concurrent: ${line}`));
      rows(connections, 'floor: bare node:http', await benchFloor(connections));
    } catch (error) {
      console.log(`| ${connections} | – | – | – | – | – | – | ${(error as Error).message} |`);
    }
  }
  if (warnings.length > 0) console.log(`\nThe bot's warnings during these runs:\n\n${warnings.join('\n')}`);

  console.log('\n## Replicas: the same bursts through a round-robin proxy (the tests\' node proxy) to bot processes on one PostgreSQL\n');
  console.log('| concurrent | server | load | requests | ack p50 ms | ack p99 ms | worst burst p99 ms | errors |');
  console.log('|---|---|---|---|---|---|---|---|');
  for (const replicas of [1, 2]) {
    const label = `${replicas} replica${replicas > 1 ? 's' : ''} behind the proxy, PostgreSQL`;
    try {
      rows(200, label, await benchReplicasAck(replicas, 200, entry, queries));
    } catch (error) {
      console.log(`| 200 | ${label} | – | – | – | – | – | ${(error as Error).message} |`);
    }
  }
  console.log('');
  await benchKnowledge(entry, queries);
}

await main();
process.exit(0);
