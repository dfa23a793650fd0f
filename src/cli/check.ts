import { loadKnowledge } from '../core/knowledge/loader.ts';
import { DEFAULT_KNOWLEDGE_DIR } from '../core/knowledge/paths.ts';
import { formatProblem } from '../core/knowledge/types.ts';

/** `npm run check [dir]`: validates the notes alone; exits 1 on any problem, so CI and editors can use it. */
const root = process.argv[2] ?? process.env.KNOWLEDGE_DIR ?? DEFAULT_KNOWLEDGE_DIR;
const knowledge = loadKnowledge(root);
for (const problem of knowledge.problems) console.error(formatProblem(problem));
console.log(`${knowledge.notes.length} notes, ${knowledge.sections.length} sections, ${knowledge.problems.length} problems in ${root}`);
process.exitCode = knowledge.problems.length > 0 ? 1 : 0;
