import { createInterface } from 'node:readline';
import { loadKnowledge } from '../core/knowledge/loader.ts';
import { DEFAULT_KNOWLEDGE_DIR } from '../core/knowledge/paths.ts';
import { Knowledge } from '../core/knowledge/knowledge.ts';
import { answer, decideAnswer } from '../core/commands/ask.ts';
import type { SearchHit } from '../core/search/index.ts';
import { renderReply } from '../adapters/shell/render.ts';

function resultJson(hit: SearchHit) {
  return {
    id: hit.section.id,
    title: hit.section.noteTitle,
    heading: hit.section.headingPath.join(' › '),
    source: hit.section.source,
    text: hit.section.text,
    score: Number(hit.score.toFixed(4)),
  };
}

/**
 * The machine interface. By default exactly what `/ask` shows: the passages of the reply, best first,
 * and `answered: false` with no results when `/ask` says it found nothing. `ranked`: the raw top five.
 */
export function askJson(knowledge: Knowledge, query: string, ranked = false): string {
  const decision = decideAnswer(knowledge, query);
  if (ranked) return JSON.stringify({ query, results: decision.ranked.map(resultJson) });
  return JSON.stringify({ query, answered: decision.shown.length > 0, results: decision.shown.map(resultJson) });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flags = new Set(args.filter((a) => a.startsWith('--')));
  const ranked = flags.has('--ranked');
  const json = flags.has('--json') || ranked;
  const question = args.filter((a) => !a.startsWith('--')).join(' ').trim();
  const knowledge = new Knowledge(loadKnowledge(process.env.KNOWLEDGE_DIR ?? DEFAULT_KNOWLEDGE_DIR));

  const respond = (q: string) =>
    json ? askJson(knowledge, q, ranked) : renderReply(answer(knowledge, q, 'ko', 'ask'), { color: Boolean(process.stdout.isTTY) });

  if (question) {
    process.stdout.write(`${respond(question)}\n`);
    return;
  }
  // No question: one per stdin line, answered in order.
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim()) process.stdout.write(`${respond(line.trim())}\n`);
  }
}

await main();
