import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_QUERY_LENGTH, SearchIndex, snippet } from '../../src/core/search/index.ts';
import type { Section } from '../../src/core/knowledge/types.ts';
import { shippedKnowledge } from '../helpers.ts';
import { SEARCH_WORDS, textArbitrary } from './arbitraries.ts';

// '-' between fragments forms hyphenated words; Hangul syllables exercise the tokenizer and the speller.
const { fragment, shortText, anyText } = textArbitrary({ words: SEARCH_WORDS, hangul: true, separators: [' ', '', '\n', '-', '\t'], maxParts: 12 });

const RUNS = { numRuns: 200 };
const index = shippedKnowledge().index;
const ids = (hits: { section: Section }[]) => hits.map((h) => h.section.id);

describe('SearchIndex.search over the shipped notes, for any query', () => {
  it('never throws and returns at most `limit` well-formed hits, best first', () => {
    fc.assert(
      fc.property(anyText, fc.option(fc.integer({ min: 0, max: 30 }), { nil: undefined }), (query, limit) => {
        const hits = index.search(query, limit === undefined ? {} : { limit });
        expect(hits.length).toBeLessThanOrEqual(limit ?? 5);
        expect(new Set(ids(hits)).size).toBe(hits.length);
        for (const [i, hit] of hits.entries()) {
          expect(Number.isFinite(hit.score)).toBe(true);
          expect(hit.score).toBeGreaterThan(0);
          if (i > 0) expect(hit.score).toBeLessThanOrEqual(hits[i - 1]!.score);
          expect(hit.coverage).toBeGreaterThanOrEqual(0);
          expect(hit.coverage).toBeLessThanOrEqual(1);
          expect(hit.citation.startsWith(hit.section.noteTitle)).toBe(true);
          // 220 characters of text and an ellipsis at either end.
          expect(snippet(hit.section.text, ['x']).length).toBeLessThanOrEqual(222);
        }
      }),
      RUNS,
    );
  });

  it('reads only the first MAX_QUERY_LENGTH characters, deterministically', () => {
    fc.assert(
      fc.property(anyText, (query) => {
        const first = ids(index.search(query, { limit: 10 }));
        expect(ids(index.search(query, { limit: 10 }))).toEqual(first);
        expect(ids(index.search(query.slice(0, MAX_QUERY_LENGTH), { limit: 10 }))).toEqual(first);
      }),
      { numRuns: 100 },
    );
  });

  it('a smaller limit returns a prefix of a larger one', () => {
    fc.assert(
      fc.property(shortText, fc.integer({ min: 0, max: 10 }), fc.integer({ min: 0, max: 20 }), (query, a, b) => {
        const [small, large] = a <= b ? [a, b] : [b, a];
        expect(ids(index.search(query, { limit: large })).slice(0, small)).toEqual(ids(index.search(query, { limit: small })));
      }),
      { numRuns: 100 },
    );
  });

  it('a tag or note filter only ever returns sections it allows', () => {
    const sections = index.sections;
    const tags = [...new Set(sections.flatMap((s) => s.tags))];
    const notes = [...new Set(sections.map((s) => s.noteId))];
    fc.assert(
      fc.property(
        anyText,
        fc.subarray([...tags, 'no-such-tag'], { maxLength: Math.min(3, tags.length + 1) }),
        fc.subarray([...notes, 'no-such-note'], { maxLength: Math.min(3, notes.length + 1) }),
        (query, wantedTags, wantedNotes) => {
          for (const hit of index.search(query, { limit: 10, tags: wantedTags, noteIds: wantedNotes })) {
            expect(wantedNotes.includes(hit.section.noteId) || hit.section.tags.some((t) => wantedTags.includes(t))).toBe(true);
          }
        },
      ),
      RUNS,
    );
  });

  it('the question of a section usually finds that section: its exact heading text is among the hits', () => {
    // Not every heading is distinctive, so this is a sanity floor, not a per-case property.
    const sections = index.sections.filter((s) => s.headingPath.length > 0);
    let found = 0;
    let asked = 0;
    fc.assert(
      fc.property(fc.constantFrom(...sections), (section) => {
        asked++;
        if (ids(index.search(`${section.noteTitle} ${section.heading}`, { limit: 10 })).includes(section.id)) found++;
      }),
      { numRuns: 100 },
    );
    expect(found / asked).toBeGreaterThan(0.5);
  });
});

describe('SearchIndex over arbitrary sections', () => {
  const section = fc
    .record({
      noteId: fc.oneof(fc.constantFrom('a', 'b', 'c'), fc.string({ maxLength: 8 })),
      noteTitle: shortText,
      headingPath: fc.array(shortText, { maxLength: 3 }),
      text: anyText,
      keywords: fc.array(fragment, { maxLength: 4 }),
      tags: fc.array(fc.constantFrom('dr', 'ai', 'x'), { maxLength: 2 }),
    })
    .map(
      (s, i = 0): Omit<Section, 'id'> => ({
        ...s,
        heading: s.headingPath.at(-1) ?? s.noteTitle,
        headingPathEn: s.headingPath,
        source: `${s.noteId}.md`,
        line: 1 + i,
      }),
    );
  const corpus = fc
    .array(section, { maxLength: 12 })
    .map((list) => list.map((s, i): Section => ({ ...s, id: `${s.noteId}/${i}` })));

  it('builds and searches without throwing, including the empty index', () => {
    fc.assert(
      fc.property(corpus, fc.array(anyText, { minLength: 1, maxLength: 3 }), fc.integer({ min: 1, max: 8 }), (sections, queries, limit) => {
        const own = new SearchIndex(sections);
        expect(own.size).toBe(sections.length);
        for (const query of queries) {
          const hits = own.search(query, { limit });
          expect(hits.length).toBeLessThanOrEqual(Math.min(limit, sections.length));
          for (const hit of hits) expect(sections).toContain(hit.section);
        }
        // A distinctive word is found among any neighbours, however odd they are.
        const marked: Section = { ...(sections[0] ?? { noteId: 'm', noteTitle: 'm', headingPath: [], headingPathEn: [], heading: 'm', source: 'm.md', line: 1, keywords: [], tags: [] }), id: 'marked', text: 'zorblaxite quantifier' };
        const withMarked = new SearchIndex([...sections, marked]);
        expect(ids(withMarked.search(`${queries[0]!.slice(0, 200)} zorblaxite`, { limit: 50 }))).toContain('marked');
      }),
      { numRuns: 60 },
    );
  });
});

describe('snippet, for any text and terms', () => {
  it('never throws, stays within 220 characters plus ellipses, and keeps short text whole', () => {
    fc.assert(
      fc.property(anyText, fc.array(fragment, { maxLength: 4 }), (value, terms) => {
        const out = snippet(value, terms);
        expect(out.length).toBeLessThanOrEqual(222);
        const flat = value.replace(/\s+/g, ' ').trim();
        if (flat.length <= 220) expect(out).toBe(flat);
        else expect(flat).toContain(out.replace(/^…/, '').replace(/…$/, ''));
      }),
      RUNS,
    );
  });
});
