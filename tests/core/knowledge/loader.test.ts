import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKnowledge, NoteFiles, parseNote } from '../../../src/core/knowledge/loader.ts';
import { DEFAULT_KNOWLEDGE_DIR } from '../../../src/core/knowledge/paths.ts';
import { formatProblem } from '../../../src/core/knowledge/types.ts';

const topic = (id: string, extra = '') => `---\nid: ${id}\ntitle: 제목 ${id}\nkind: topic\n${extra}---\n# 첫 절\n본문 하나\n\n## 둘째 절\n본문 둘\n`;

const session = (fields: Record<string, string>) => {
  const base: Record<string, string> = {
    id: 's1',
    title: '세션',
    kind: 'session',
    day: '2',
    slot: '1',
    start: '"11:10"',
    end: '"11:50"',
    speakers: '\n  - name: 홍길동\n    role: SA\n    company: AWS',
    abstract: '세션 요약',
    outline: '\n  - 하나',
    attended: 'true',
    ...fields,
  };
  const yaml = Object.entries(base)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n');
  return `---\n${yaml}\n---\n## 본문\n내용\n`;
};

function tempKnowledge(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'summit-knowledge-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), content);
  }
  return root;
}

describe('parseNote', () => {
  it('splits a note into sections with stable ids, heading paths and lines', () => {
    const result = parseNote('a.md', topic('alpha'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.note.sections.map((s) => [s.id, s.headingPath, s.line])).toEqual([
      ['alpha/첫-절', ['첫 절'], 6],
      ['alpha/첫-절-둘째-절', ['첫 절', '둘째 절'], 9],
    ]);
    expect(result.note.sections[1]!.text).toBe('본문 둘');
  });

  it('turns session front matter into searchable sections', () => {
    const result = parseNote('s.md', session({}));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const info = result.note.sections.find((s) => s.heading === '세션 정보 (Session Info)');
    expect(info?.text).toContain('홍길동 (SA, AWS)');
    expect(info?.text).toContain('11:10–11:50');
  });

  it('reports a missing required field with its file and line', () => {
    const result = parseNote('s.md', session({ abstract: '' }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map(formatProblem)).toContain('s.md:2: abstract: required field is missing');
  });

  it('reports a bad time on the line where it is written', () => {
    const result = parseNote('s.md', session({ start: '"25:99"' }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(formatProblem(result.problems[0]!)).toMatch(/^s\.md:7: start: must be a time as HH:MM/);
  });

  it('rejects an unknown kind and names the allowed ones', () => {
    const result = parseNote('x.md', '---\nid: x\ntitle: X\nkind: recipe\n---\n본문\n');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(formatProblem(result.problems[0]!)).toBe('x.md:4: unknown kind "recipe"; use one of: event, topic, session, dr-strategies, tips');
  });

  it('reports invalid YAML and a missing front matter', () => {
    const broken = parseNote('y.md', '---\nid: y\ntitle: [unclosed\nkind: topic\n---\n');
    expect(broken.ok).toBe(false);
    if (!broken.ok) expect(broken.problems[0]!.message).toMatch(/invalid YAML/);
    const bare = parseNote('z.md', '# 그냥 마크다운\n');
    expect(bare.ok).toBe(false);
    if (!bare.ok) expect(formatProblem(bare.problems[0]!)).toMatch(/^z\.md:1: missing front matter/);
  });

  it('rejects an end time before the start', () => {
    const result = parseNote('s.md', session({ end: '"10:00"' }));
    expect(result.ok).toBe(false);
  });
});

describe('English renderings', () => {
  const bilingual = [
    '---',
    'id: b',
    'title: 행사',
    'title_en: The event',
    'kind: topic',
    '---',
    '## 점심 (Lunch)',
    '런치박스를 받는다.',
    ':::en',
    'You get a lunch box.',
    ':::',
    '',
    '## 배지',
    '이름표를 태깅한다.',
  ].join('\n');

  it('reads a section\'s :::en block as its English text, apart from the Korean', () => {
    const result = parseNote('b.md', bilingual);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const [lunch, badge] = result.note.sections;
    expect(lunch).toMatchObject({ text: '런치박스를 받는다.', textEn: 'You get a lunch box.', noteTitleEn: 'The event', headingPathEn: ['Lunch'] });
    expect(badge!.textEn).toBeUndefined();
    expect(badge!.headingPathEn).toEqual(['배지']);
  });

  it('lists what has no English rendering, at its line, without failing the note', () => {
    const result = parseNote('b.md', bilingual);
    expect(result.ok && result.untranslated.map(formatProblem)).toEqual(['b.md:13: warning: section "배지" has no English rendering (a ":::en" … ":::" block)']);
    const plain = parseNote('s.md', session({}));
    expect(plain.ok && plain.untranslated.map(formatProblem)).toEqual(
      expect.arrayContaining(['s.md:3: warning: title has no English rendering (title_en)', 's.md:13: warning: abstract has no English rendering (abstract_en)', 's.md:10: warning: speakers.0.name has no English rendering (name_en)']),
    );
  });

  it('reads a section\'s :::questions block as the questions it answers, apart from its text', () => {
    const result = parseNote('q.md', bilingual.replace(':::\n\n## 배지', ':::\n:::questions\n- 점심 어디서 먹어?\n- where is lunch?\n:::\n\n## 배지'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.note.sections[0]).toMatchObject({ text: '런치박스를 받는다.', questions: ['점심 어디서 먹어?', 'where is lunch?'] });
    expect(result.note.sections[0]!.textEn).toBe('You get a lunch box.');
  });

  it('reads a section\'s :::unanswered block as questions the notes leave open, apart from its text and its questions', () => {
    const result = parseNote('q.md', bilingual.replace(':::\n\n## 배지', ':::\n:::questions\n- 점심 어디서 먹어?\n:::\n:::unanswered\n- 런치박스 메뉴 뭐였어?\n- how much did the lunch box cost?\n:::\n\n## 배지'));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.note.sections[0]).toMatchObject({
      text: '런치박스를 받는다.',
      textEn: 'You get a lunch box.',
      questions: ['점심 어디서 먹어?'],
      unanswered: ['런치박스 메뉴 뭐였어?', 'how much did the lunch box cost?'],
    });
    expect(result.note.sections[1]!.unanswered).toBeUndefined();
  });

  it('reports an unclosed :::en block at the line that opens it', () => {
    const result = parseNote('b.md', bilingual.replace('You get a lunch box.\n:::', 'You get a lunch box.'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map(formatProblem)).toEqual(['b.md:9: ":::en" block is not closed before the next heading: add a line ":::" after it']);
  });

  it('renders session front matter in English when the note has its English fields', () => {
    const result = parseNote(
      's.md',
      session({ abstract_en: 'A summary', outline_en: '\n  - One', speakers: '\n  - name: 홍길동\n    name_en: Hong Gil-dong\n    role: SA\n    company: AWS' }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const info = result.note.sections.find((s) => s.headingPathEn[0] === 'Session Info');
    expect(info?.textEn).toContain('Hong Gil-dong (홍길동), SA, AWS');
    expect(info?.textEn).toContain('Abstract: A summary');
    expect(result.note.sections.find((s) => s.headingPathEn[0] === 'Outline & Key Points')?.textEn).toBe('Outline:\n1. One');
  });

  it('rejects an English outline that does not match the outline item for item', () => {
    const result = parseNote('s.md', session({ outline_en: '\n  - One\n  - Two' }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]!.message).toBe('outline_en has 2 items; it must render the 1 items of outline one by one');
  });
});

describe('loadKnowledge', () => {
  it('skips a broken file and a duplicate id, and serves the rest', () => {
    const root = tempKnowledge({
      'a.md': topic('alpha'),
      'b.md': topic('alpha'),
      'sub/c.md': topic('gamma', 'related: [nowhere]\n'),
      'd.md': '---\nid: d\nkind: topic\n---\n',
    });
    const base = loadKnowledge(root);
    expect(base.notes.map((n) => n.id)).toEqual(['alpha', 'gamma']);
    const messages = base.problems.map(formatProblem);
    expect(messages).toContain('b.md:2: duplicate id "alpha" (already used by a.md); file skipped');
    expect(messages).toContain('d.md:2: title: required field is missing');
    expect(messages).toContain('sub/c.md:5: warning: related note "nowhere" does not exist');
    expect(base.sections.every((s) => s.source === 'a.md' || s.source === 'sub/c.md')).toBe(true);
  });

  it('loads the shipped notes without a single problem', () => {
    const base = loadKnowledge(DEFAULT_KNOWLEDGE_DIR);
    expect(base.problems.map(formatProblem)).toEqual([]);
    expect(base.notes.filter((n) => n.meta.kind === 'session')).toHaveLength(4);
    expect(new Set(base.sections.map((s) => s.id)).size).toBe(base.sections.length);
  });
});

/** The problems of one broken note, as `npm run check` prints them. */
const problemsOf = (content: string): string[] => {
  const result = parseNote('n.md', content);
  return result.ok ? [] : result.problems.map(formatProblem);
};

describe('parseNote: each mistake once, at the line where it was made', () => {
  const note = (yaml: string) => `---\n${yaml}\n---\n## 본문\n내용\n`;
  const lines = ['id: n', 'title: 제목', 'kind: topic', 'keywords:', '  - alpha', '  - beta', '  - gamma', 'tags: []'];
  /** The note with line `n` of the file (2 = the first YAML line) replaced. */
  const withLine = (n: number, text: string) => note(lines.map((line, i) => (i + 2 === n ? text : line)).join('\n'));

  it.each([
    ['a list item indented less than the others', 7, ' - beta'],
    ['a list item indented more than the others', 7, '     - beta: b'],
    ['the first list item indented differently from the rest', 6, '   - alpha'],
    ['a tab in the indentation', 7, '\t- beta'],
    ['a missing space after a colon', 4, 'kind:topic'],
    ['a field name without its colon', 5, 'keywords'],
    ['a field indented under the one above', 3, ' title: 제목'],
    ['an opening quote never closed', 3, 'title: "제목'],
    ['a [ list never closed', 6, '  - [alpha'],
    ['a [ list never closed before more fields', 5, 'keywords: [alpha, beta'],
    ['an alias to an anchor that does not exist', 3, 'title: *nowhere'],
  ])('%s (line %i)', (_what, line, text) => {
    const problems = problemsOf(withLine(line, text));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(new RegExp(`^n\\.md:${line}: invalid YAML: `));
  });

  it('says what is missing when a colon or the space after it is', () => {
    expect(problemsOf(withLine(5, 'keywords'))).toEqual(['n.md:5: invalid YAML: a colon is missing after "keywords"']);
    expect(problemsOf(withLine(4, 'kind:topic'))).toEqual(['n.md:4: invalid YAML: a space is missing after the colon in "kind:topic"']);
  });

  it('names a misspelled field once, at the misspelling, with the field it should have been', () => {
    expect(problemsOf(withLine(3, 'titel: 제목'))).toEqual(['n.md:3: unknown field "titel" (and "title" is missing: misspelled?)']);
  });

  it('refuses a list or a "?" as a field name, at its line', () => {
    expect(problemsOf(withLine(9, '? [a, b]\n: x'))).toEqual([
      'n.md:9: a field name must be a single word followed by ": " (a "?" or a list cannot be a name)',
    ]);
  });

  it('reports two independent mistakes, each at its own line', () => {
    expect(problemsOf(session({ start: '"25:00"', slot: '"three"' }))).toEqual([
      'n.md:6: slot: Invalid input: expected number, received string',
      'n.md:7: start: must be a time as HH:MM (24-hour), e.g. "14:20"',
    ]);
  });

  it('tells what it could read of a broken note: the fields above the mistake', () => {
    const result = parseNote('s.md', session({ outline: '\n  - "unclosed' }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.identity).toEqual({ id: 's1', title: '세션', kind: 'session', day: 2, slot: 1, start: '11:10', end: '11:50' });
    const early = parseNote('s.md', session({ title: '"unclosed' }));
    expect(early.ok ? undefined : early.identity).toEqual({ id: 's1' });
  });
});

describe('loadKnowledge: knock-on problems at their own lines', () => {
  it('puts a related-note warning at the list entry and a tip warning at the tip', () => {
    const tips = `---\nid: tips\ntitle: 팁\nkind: tips\ntips:\n  - id: one\n    text: 하나\n    topics: [a]\n    source: alpha\n  - id: two\n    text: 둘\n    topics: [b]\n    source: nowhere\n---\n`;
    const root = tempKnowledge({ 'a.md': topic('alpha', 'related:\n  - tips\n  - nowhere\n'), 'tips.md': tips });
    expect(loadKnowledge(root).problems.map(formatProblem)).toEqual([
      'a.md:7: warning: related note "nowhere" does not exist',
      'tips.md:10: warning: tip "two" cites unknown note "nowhere"',
    ]);
  });

  it('points references to a broken note at the broken line, and reports that line once', () => {
    const root = tempKnowledge({
      'a.md': topic('alpha', 'related: [beta]\n'),
      'b.md': topic('beta', 'keywords:\n  - one\n - two\n'),
    });
    const base = loadKnowledge(root);
    expect(base.problems.map(formatProblem)).toEqual([
      'a.md:5: warning: related note "beta" is not served: b.md:7 has an error',
      expect.stringMatching(/^b\.md:7: invalid YAML: /),
    ]);
    expect(base.skipped).toEqual([{ file: 'b.md', id: 'beta', title: '제목 beta', kind: 'topic', problem: base.problems[1] }]);
    expect(base.notes.map((n) => n.id)).toEqual(['alpha']);
  });

  it('reports a duplicate id at the id line of the file it skips', () => {
    const root = tempKnowledge({ 'a.md': topic('alpha'), 'b.md': `---\ntitle: 둘\nkind: topic\nid: alpha\n---\n본문\n` });
    expect(loadKnowledge(root).problems.map(formatProblem)).toEqual(['b.md:4: duplicate id "alpha" (already used by a.md); file skipped']);
  });
});

describe('NoteFiles: re-reads only what changed', () => {
  it('parses a changed file again, leaves unchanged ones, drops a deleted folder, and remembers a broken note by its last good version', () => {
    const root = tempKnowledge({ 'a.md': topic('alpha'), 'sub/b.md': topic('beta'), 'sub/deep/c.md': topic('gamma') });
    const files = new NoteFiles(root);
    expect(files.refresh([root])).toEqual({ changed: ['a.md', 'sub/b.md', 'sub/deep/c.md'], removed: [] });
    expect(files.refresh([root])).toEqual({ changed: [], removed: [] });

    writeFileSync(join(root, 'a.md'), topic('alpha').replace('kind: topic\n', 'kind: topic\nkeywords:\n  - x\n - y\n'));
    expect(files.refresh([join(root, 'a.md'), join(root, 'sub')])).toEqual({ changed: ['a.md'], removed: [] });
    const base = files.knowledgeBase();
    expect(base.skipped.map((s) => [s.file, s.id, s.problem.line])).toEqual([['a.md', 'alpha', 7]]);
    expect(base.notes.map((n) => n.id)).toEqual(['beta', 'gamma']);

    // Breaking the id line itself still names the note: its last good version is remembered.
    writeFileSync(join(root, 'a.md'), topic('alpha').replace('id: alpha', 'id: "alpha'));
    files.refresh([join(root, 'a.md')]);
    expect(files.knowledgeBase().skipped.map((s) => [s.file, s.id, s.title])).toEqual([['a.md', 'alpha', '제목 alpha']]);

    rmSync(join(root, 'sub'), { recursive: true });
    expect(files.refresh([join(root, 'sub')])).toEqual({ changed: [], removed: ['sub/b.md', 'sub/deep/c.md'] });
    writeFileSync(join(root, 'a.md'), topic('alpha'));
    files.refresh([join(root, 'a.md')]);
    expect(files.knowledgeBase()).toMatchObject({ skipped: [], problems: [], notes: [{ id: 'alpha' }] });
  });
});

describe('NoteFiles: files as an earlier run read them (a snapshot)', () => {
  it('takes a file whose stamp has not moved as it was read then, and reads one that was written since', () => {
    const root = tempKnowledge({ 'a.md': topic('alpha'), 'b.md': topic('beta') });
    const first = new NoteFiles(root);
    first.refresh([root]);
    const before = first.parsedContents();
    // What the earlier run parsed, told apart from what parsing the files now gives.
    for (const content of before.values()) if (content.parsed.ok) content.parsed.note.title = `as read before: ${content.parsed.note.title}`;
    writeFileSync(join(root, 'b.md'), topic('beta').replace('kind: topic', 'kind: topic\nkeywords: [new]'));

    const files = new NoteFiles(root, before);
    expect(files.refresh([root])).toEqual({ changed: ['a.md', 'b.md'], removed: [] });
    const titles = files.knowledgeBase().notes.map((note) => note.title);
    expect(titles).toEqual(['as read before: 제목 alpha', '제목 beta']);
  });
});
