import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadKnowledge } from '../core/knowledge/loader.ts';
import { DEFAULT_KNOWLEDGE_DIR } from '../core/knowledge/paths.ts';
import { formatProblem } from '../core/knowledge/types.ts';
import { SearchIndex } from '../core/search/index.ts';
import { isHangul } from '../core/search/tokenizer.ts';
import { evaluate, parseEvalFile, type EvalCase } from '../core/search/eval.ts';
import MiniSearch from 'minisearch';
import type { Section } from '../core/knowledge/types.ts';
import { citationOf, type SearchHit } from '../core/search/index.ts';

function defaultMiniSearch(sections: Section[]): (q: string) => SearchHit[] {
  const mini = new MiniSearch<{ id: string; title: string; heading: string; text: string }>({ fields: ['title', 'heading', 'text'] });
  mini.addAll(sections.map((s) => ({ id: s.id, title: s.noteTitle, heading: s.headingPath.join(' '), text: s.text })));
  const byId = new Map(sections.map((s) => [s.id, s]));
  return (q) =>
    mini.search(q).slice(0, 5).map((r) => {
      const section = byId.get(String(r.id))!;
      return { section, score: r.score, coverage: 1, snippet: '', citation: citationOf(section) };
    });
}

const args = process.argv.slice(2);
const baseline = args.includes('--baseline');
const file = resolve(args.find((a) => !a.startsWith('--')) ?? '../shared/eval/dev.jsonl');
const cases = parseEvalFile(readFileSync(file, 'utf8'), file);
const knowledge = loadKnowledge(process.env.KNOWLEDGE_DIR ?? DEFAULT_KNOWLEDGE_DIR);
for (const problem of knowledge.problems) console.error(formatProblem(problem));
const index = new SearchIndex(knowledge.sections);
// --baseline: MiniSearch with its default options over the same sections, for comparison.
const search = baseline ? defaultMiniSearch(knowledge.sections) : (q: string) => index.search(q, { limit: 5 });
const run = (subset: EvalCase[]) => evaluate(subset, search);

const report = run(cases);
const fmt = (n: number) => n.toFixed(3);
const line = (label: string, subset: EvalCase[]) => {
  const r = run(subset);
  return `${label.padEnd(9)} n=${String(r.total).padStart(3)}  hit@1 ${fmt(r.hitAt1)}  hit@3 ${fmt(r.hitAt3)}  MRR@5 ${fmt(r.mrrAt5)}`;
};
console.log(`eval: ${file} (${knowledge.sections.length} sections${baseline ? ', MiniSearch default options' : ''})`);
for (const miss of report.outcomes.filter((o) => o.rank !== 1)) {
  console.log(`${miss.rank === 0 ? 'MISS' : `rank ${miss.rank}`}  ${miss.q}\n      top: ${miss.top.join(' | ') || '(nothing)'}`);
}
console.log(line('korean', cases.filter((c) => isHangul(c.q))));
console.log(line('english', cases.filter((c) => !isHangul(c.q))));
console.log(line('all', cases));
console.log(`hit@1 ${fmt(report.hitAt1)}  hit@3 ${fmt(report.hitAt3)}  MRR@5 ${fmt(report.mrrAt5)}`);
