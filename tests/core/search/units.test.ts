import { describe, expect, it } from 'vitest';
import { coverage, DEFAULT_TUNING, SearchIndex } from '../../../src/core/search/index.ts';
import { matchTerms } from '../../../src/core/search/tokenizer.ts';
import { UnitCoverage, units } from '../../../src/core/search/units.ts';
import { topicKnowledge } from '../../helpers.ts';

// An overview that names the topic in every sentence, and a section that answers in one.
const knowledge = topicKnowledge('migration', 'Database migration', [
  '## Overview',
  'The team moved its billing system off Oracle last year. Oracle had run the billing system for a decade.',
  'Oracle support, Oracle tuning and the billing schema were covered. Licensing came up once among many topics.',
  '',
  '## Costs',
  'Oracle licensing fees rose every year, which is what started the move.',
  'Hardware was replaced on a five-year cycle, and the data centre lease ran until the end of the next year.',
  'Staff training, consulting and the new monitoring tools were budgeted separately from the migration itself.',
  '',
  '## Schedule',
  'The billing system moved in three waves.',
  '- questions: How long did the move take?',
]);
const sections = knowledge.index.sections;
const section = (heading: string) => sections.find((s) => s.heading === heading)!;
const piecesOf = (question: string) => knowledge.index.analyze(question).pieces;

describe('units', () => {
  it('splits lines and sentences, keeping list items whole', () => {
    expect(units('First one. Second one.\n- a bullet. Still the bullet.\n\nLast')).toEqual(['First one.', 'Second one.', '- a bullet. Still the bullet.', 'Last']);
  });
});

describe('UnitCoverage', () => {
  const unitCoverage = new UnitCoverage();

  it('is the share of the question one sentence holds, not the whole section', () => {
    const pieces = piecesOf('oracle licensing decade');
    // The overview holds all three words, but never in one sentence.
    expect(coverage(pieces, matchTerms(section('Overview').text))).toBe(1);
    const overview = unitCoverage.best(section('Overview'), pieces);
    expect(overview).toBeGreaterThan(0.3);
    expect(overview).toBeLessThan(0.8);
    expect(unitCoverage.best(section('Costs'), piecesOf('oracle licensing fees'))).toBe(1);
  });

  it('can split every section ahead of the first question, a section per step', () => {
    const fresh = new UnitCoverage();
    expect([...fresh.prepare(sections)]).toHaveLength(sections.length);
    expect(fresh.best(section('Costs'), piecesOf('oracle licensing fees'))).toBe(1);
  });

  it('reads each sentence with its heading, and each listed question as a unit of its own', () => {
    expect(unitCoverage.best(section('Schedule'), piecesOf('schedule waves'))).toBe(1);
    expect(unitCoverage.best(section('Schedule'), piecesOf('how long did the move take'))).toBe(1);
  });
});

describe('ranking by the sentence that holds the question', () => {
  it('puts the section that answers in one sentence before an overview that names the words apart', () => {
    const ids = knowledge.index.search('why did oracle licensing matter', { limit: 3 }).map((hit) => hit.section.heading);
    expect(ids[0]).toBe('Costs');
  });

  it('is what moves the overview down: by the whole section alone, the overview comes first', () => {
    const plain = new SearchIndex(sections, { tuning: { ...DEFAULT_TUNING, unitExponent: 0 } });
    expect(plain.search('why did oracle licensing matter', { limit: 3 })[0]?.section.heading).toBe('Overview');
  });
});
