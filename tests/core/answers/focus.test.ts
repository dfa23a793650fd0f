import { describe, expect, it } from 'vitest';
import { focus } from '../../../src/core/answers/focus.ts';
import { topicKnowledge } from '../../helpers.ts';

const knowledge = topicKnowledge('migration', 'Database migration', [
  '## Overview',
  'The team moved its billing system off Oracle last year. Oracle had run it for a decade.',
  'Licensing came up once among many topics.',
  '',
  '## Costs',
  'Oracle licensing fees rose every year, which is what started the move.',
  'Hardware was replaced on a five-year cycle.',
]);
const section = (heading: string) => knowledge.index.sections.find((s) => s.heading === heading)!;
const piecesOf = (question: string) => knowledge.index.analyze(question).pieces;

describe('focus', () => {
  it('leads with the sentence that holds the question, and says how much of the question the lead holds', () => {
    const costs = focus(section('Costs'), 'ko', piecesOf('oracle licensing fees'));
    expect(costs.units[0]).toMatch(/^Oracle licensing fees rose/);
    expect(costs.share).toBe(1);
    // The overview's sentences name the words apart, and it leads with at most two of them.
    expect(focus(section('Overview'), 'ko', piecesOf('oracle licensing fees')).share).toBeLessThan(1);
  });
});
