import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import MiniSearch from 'minisearch';
import { loadKnowledge } from '../core/knowledge/loader.ts';
import { DEFAULT_KNOWLEDGE_DIR } from '../core/knowledge/paths.ts';
import { formatProblem, type Section } from '../core/knowledge/types.ts';
import { Knowledge } from '../core/knowledge/knowledge.ts';
import { decideAnswer } from '../core/answers/decide.ts';
import { isHangul } from '../core/search/tokenizer.ts';
import { evaluate, parseEvalFile, passageOf, type EvalCase, type Passage } from '../core/search/eval.ts';
import { citationOf } from '../core/search/index.ts';

function defaultMiniSearch(sections: Section[]): (q: string) => Passage[] {
  const mini = new MiniSearch<{ id: string; title: string; heading: string; text: string }>({ fields: ['title', 'heading', 'text'] });
  mini.addAll(sections.map((s) => ({ id: s.id, title: s.noteTitle, heading: s.headingPath.join(' '), text: s.text })));
  const byId = new Map(sections.map((s) => [s.id, s]));
  return (q) =>
    mini.search(q).slice(0, 5).map((r) => {
      const section = byId.get(String(r.id))!;
      return { label: citationOf(section), text: `${section.noteTitle}\n${section.headingPath.join(' ')}\n${section.text}` };
    });
}

/** A question file that cannot be read or parsed: say what to pass instead of a stack trace, and exit 2. */
function readQuestions(file: string, given: boolean): EvalCase[] {
  try {
    return parseEvalFile(readFileSync(file, 'utf8'), file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? `there is no question file at ${file}` : code ? `cannot read ${file}: ${(error as Error).message}` : (error as Error).message;
    console.error(
      [
        `eval: ${why}.`,
        ...(given ? [] : ['With no file given it reads ../shared/eval/dev.jsonl, which only exists beside the main checkout.']),
        'Pass a question file: npm run eval -- <questions.jsonl> [--baseline], e.g. npm run eval -- tests/fixtures/eval/holdout.jsonl',
        'Each line is {"q": "<question>", "expect": [["<word>", "<or this one>"], ...]} (a hit holds one word of every group), or {"q": "<question>", "answerable": false}.',
      ].join('\n'),
    );
    process.exit(2);
  }
}

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
const given = args.find((a) => !a.startsWith('--'));
const file = resolve(given ?? '../shared/eval/dev.jsonl');
const cases = readQuestions(file, given !== undefined);
const knowledge = new Knowledge(loadKnowledge(process.env.KNOWLEDGE_DIR ?? DEFAULT_KNOWLEDGE_DIR));
for (const problem of knowledge.base.problems) console.error(formatProblem(problem));

const mode = flags.has('--baseline') ? 'MiniSearch default options, ranked' : flags.has('--ranked') ? 'ranked top 5' : 'what /ask shows';
const answer: (q: string) => Passage[] = flags.has('--baseline')
  ? defaultMiniSearch(knowledge.base.sections)
  : flags.has('--ranked')
    ? (q) => {
        const decision = decideAnswer(knowledge, q, { fallbackLanguage: 'ko' });
        return decision.ranked.map((hit) => passageOf(hit, decision.language));
      }
    : (q) => {
        const decision = decideAnswer(knowledge, q, { fallbackLanguage: 'ko' });
        return decision.shown.map((passage) => passageOf(passage.hit, decision.language));
      };

const fmt = (n: number) => n.toFixed(3);
const line = (label: string, subset: EvalCase[]) => {
  const r = evaluate(subset, answer);
  const answered = `hit@1 ${fmt(r.hitAt1)}  hit@3 ${fmt(r.hitAt3)}  MRR@5 ${fmt(r.mrrAt5)}  answered ${fmt(r.answeredRate)}`;
  const refused = r.unanswerable > 0 ? `  | unanswerable n=${r.unanswerable} refused ${fmt(r.refusedRate)}` : '';
  return `${label.padEnd(9)} n=${String(r.total).padStart(3)}  ${answered}${refused}`;
};

console.log(`eval: ${file} (${knowledge.base.sections.length} sections; ${mode})`);
if (!flags.has('--quiet')) {
  for (const miss of evaluate(cases, answer).outcomes) {
    if (miss.answerable ? miss.rank === 1 : miss.shown === 0) continue;
    const what = miss.answerable ? (miss.rank === 0 ? (miss.shown === 0 ? 'REFUSED' : 'MISS') : `rank ${miss.rank}`) : 'ANSWERED';
    console.log(`${what}  ${miss.q}\n      top: ${miss.top.join(' | ') || '(nothing)'}`);
  }
}
console.log(line('korean', cases.filter((c) => isHangul(c.q))));
console.log(line('english', cases.filter((c) => !isHangul(c.q))));
console.log(line('all', cases));
