import { createInterface } from 'node:readline';
import { loadKnowledge } from '../core/knowledge/loader.ts';
import { DEFAULT_KNOWLEDGE_DIR } from '../core/knowledge/paths.ts';
import { Knowledge } from '../core/knowledge/knowledge.ts';
import { answer } from '../core/commands/ask.ts';
import type { SearchIndex } from '../core/search/index.ts';
import { renderReply } from '../adapters/shell/render.ts';

/** The machine interface: one JSON object per question, the top five sections with their full text. */
export function searchJson(index: SearchIndex, query: string): string {
  const results = index.search(query, { limit: 5 }).map((hit) => ({
    id: hit.section.id,
    title: hit.section.noteTitle,
    heading: hit.section.headingPath.join(' › '),
    source: hit.section.source,
    text: hit.section.text,
    score: Number(hit.score.toFixed(4)),
  }));
  return JSON.stringify({ query, results });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const json = args.includes('--json');
  const question = args.filter((a) => a !== '--json').join(' ').trim();
  const knowledge = new Knowledge(loadKnowledge(process.env.KNOWLEDGE_DIR ?? DEFAULT_KNOWLEDGE_DIR));

  const respond = (q: string) =>
    json ? searchJson(knowledge.index, q) : renderReply(answer(knowledge, q, 'ko', 'ask'), { color: Boolean(process.stdout.isTTY) });

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
