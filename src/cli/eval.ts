import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadKnowledge } from '../core/knowledge/loader.ts';
import { DEFAULT_KNOWLEDGE_DIR } from '../core/knowledge/paths.ts';
import { formatProblem } from '../core/knowledge/types.ts';
import { SearchIndex } from '../core/search/index.ts';
import { isHangul } from '../core/search/tokenizer.ts';
import { evaluate, parseEvalFile, type EvalCase } from '../core/search/eval.ts';

const file = resolve(process.argv[2] ?? '../shared/eval/dev.jsonl');
const cases = parseEvalFile(readFileSync(file, 'utf8'), file);
const knowledge = loadKnowledge(process.env.KNOWLEDGE_DIR ?? DEFAULT_KNOWLEDGE_DIR);
for (const problem of knowledge.problems) console.error(formatProblem(problem));
const index = new SearchIndex(knowledge.sections);
const run = (subset: EvalCase[]) => evaluate(subset, (q) => index.search(q, { limit: 5 }));

const report = run(cases);
const fmt = (n: number) => n.toFixed(3);
const line = (label: string, subset: EvalCase[]) => {
  const r = run(subset);
  return `${label.padEnd(9)} n=${String(r.total).padStart(3)}  hit@1 ${fmt(r.hitAt1)}  hit@3 ${fmt(r.hitAt3)}  MRR@5 ${fmt(r.mrrAt5)}`;
};
console.log(`eval: ${file} (${knowledge.sections.length} sections)`);
for (const miss of report.outcomes.filter((o) => o.rank !== 1)) {
  console.log(`${miss.rank === 0 ? 'MISS' : `rank ${miss.rank}`}  ${miss.q}\n      top: ${miss.top.join(' | ') || '(nothing)'}`);
}
console.log(line('korean', cases.filter((c) => isHangul(c.q))));
console.log(line('english', cases.filter((c) => !isHangul(c.q))));
console.log(line('all', cases));
console.log(`hit@1 ${fmt(report.hitAt1)}  hit@3 ${fmt(report.hitAt3)}  MRR@5 ${fmt(report.mrrAt5)}`);
