import { existsSync } from 'node:fs';
import { loadKnowledge } from '../core/knowledge/loader.ts';
import { DEFAULT_KNOWLEDGE_DIR } from '../core/knowledge/paths.ts';
import { formatProblem } from '../core/knowledge/types.ts';

/** `npm run check [dir]`: validates the notes alone; exits 1 on any problem, so CI and editors can use it. */
const root = process.argv[2] ?? process.env.KNOWLEDGE_DIR ?? DEFAULT_KNOWLEDGE_DIR;
if (!existsSync(root)) {
  console.error(`check: there is no folder ${root}`);
  process.exit(1);
}
const knowledge = loadKnowledge(root);
// Missing English renderings count as problems here: English askers would get Korean text.
const problems = [...knowledge.problems, ...knowledge.untranslated];
for (const problem of problems) console.error(formatProblem(problem));
console.log(`${knowledge.notes.length} notes, ${knowledge.sections.length} sections, ${problems.length} problems in ${root}`);
process.exitCode = problems.length > 0 ? 1 : 0;
