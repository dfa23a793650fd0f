import { createInterface } from 'node:readline';
import { loadKnowledge } from '../core/knowledge/loader.ts';
import { DEFAULT_KNOWLEDGE_DIR } from '../core/knowledge/paths.ts';
import { Knowledge } from '../core/knowledge/knowledge.ts';
import { answer } from '../core/commands/ask.ts';
import { decideAnswer } from '../core/answers/decide.ts';
import type { SearchHit } from '../core/search/index.ts';
import { headingPathIn, textIn, titleIn } from '../core/knowledge/types.ts';
import type { Locale } from '../core/i18n.ts';
import { renderReply } from '../adapters/shell/render.ts';

function resultJson(hit: SearchHit, language: Locale) {
  const { section } = hit;
  return {
    id: section.id,
    title: titleIn(section, language),
    heading: headingPathIn(section, language).join(' › '),
    source: section.source,
    text: textIn(section, language),
    score: Number(hit.score.toFixed(4)),
  };
}

/**
 * The machine interface. By default exactly what `/ask` shows: the passages of the reply, best first,
 * in the answer's language, and `answered: false` with no results when `/ask` says it found nothing.
 * `ranked`: the raw top five.
 */
export function askJson(knowledge: Knowledge, query: string, locale: Locale, ranked = false): string {
  const decision = decideAnswer(knowledge, query, { fallbackLanguage: locale });
  const json = (hit: SearchHit) => resultJson(hit, decision.language);
  if (ranked) return JSON.stringify({ query, results: decision.ranked.map(json) });
  return JSON.stringify({ query, answered: decision.shown.length > 0, results: decision.shown.map((passage) => json(passage.hit)) });
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const flags = new Set(args.filter((a) => a.startsWith('--')));
  const ranked = flags.has('--ranked');
  const json = flags.has('--json') || ranked;
  const question = args.filter((a) => !a.startsWith('--')).join(' ').trim();
  const knowledge = new Knowledge(loadKnowledge(process.env.KNOWLEDGE_DIR ?? DEFAULT_KNOWLEDGE_DIR));
  // Like the bot: the question's language, else BOT_LOCALE.
  const locale: Locale = process.env.BOT_LOCALE === 'en' ? 'en' : 'ko';

  const respond = (q: string) =>
    json
      ? askJson(knowledge, q, locale, ranked)
      : renderReply(answer(knowledge, { question: q, locale, command: 'ask' }), { color: Boolean(process.stdout.isTTY) });

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
