import { describe, expect, it } from 'vitest';
import { knowledgeGaps, questionTerms } from '../../../src/core/feedback/gaps.ts';
import type { FeedbackRecord } from '../../../src/core/store.ts';

const at = (day: number) => new Date(Date.UTC(2026, 4, day));
const window = { since: at(1), until: at(30) };

const refused = (question: string, day = 2, command = 'ask'): FeedbackRecord => ({ kind: 'unanswered', platform: 'slack', command, question, language: 'ko', at: at(day) });
const vote = (question: string, value: 'good' | 'bad', citation = 'DR › Pilot Light', day = 3): FeedbackRecord => ({
  kind: 'vote',
  vote: value,
  platform: 'discord',
  command: 'ask',
  question,
  language: 'en',
  citation,
  source: 'topics/dr.md',
  at: at(day),
});

describe('questionTerms', () => {
  it('gives the same terms to questions that differ only in particles, endings, question words, case and plurals', () => {
    expect(questionTerms('RPO가 뭐야')).toEqual(questionTerms('rpo는?'));
    expect(questionTerms('RPO가 뭐야')).toEqual(questionTerms('RPO'));
    expect(questionTerms('주차는 어디에 하나요')).toEqual(questionTerms('주차 어디'));
    expect(questionTerms('What is pilot light?')).toEqual(questionTerms('pilot lights'));
  });

  it('keeps questions about different things apart', () => {
    expect(questionTerms('RPO가 뭐야')).not.toEqual(questionTerms('RTO가 뭐야'));
    expect(questionTerms('pilot light')).not.toEqual(questionTerms('warm standby'));
  });

  it('falls back to the normalised text when nothing but question words is left', () => {
    expect(questionTerms('뭐야?')).toEqual(['뭐야?']);
    expect(questionTerms('  What   IS ')).toEqual(['what is']);
  });
});

describe('knowledgeGaps', () => {
  it('groups by terms, puts the most refused and disliked first, and counts each kind', () => {
    const report = knowledgeGaps(
      [
        refused('주차는 어디에 하나요', 2),
        refused('주차 어디', 4),
        refused('주차 어디', 5),
        vote('what is pilot light', 'bad', 'DR › Pilot Light', 7),
        vote('pilot lights?', 'good'),
        vote('What is pilot light', 'bad', 'DR › Strategies'),
        refused('와이파이 비밀번호', 6),
        vote('RPO가 뭐야', 'good'),
      ],
      window,
    );
    expect(report.totals).toEqual({ refused: 4, disliked: 2, liked: 2, questions: 8 });
    expect(report.gaps.map((g) => [g.question, g.refused, g.disliked, g.liked])).toEqual([
      ['주차 어디', 3, 0, 0],
      ['what is pilot light', 0, 2, 1],
      ['와이파이 비밀번호', 1, 0, 0],
    ]);
    const parking = report.gaps[0]!;
    expect(parking.wordings).toEqual([
      { question: '주차 어디', count: 2 },
      { question: '주차는 어디에 하나요', count: 1 },
    ]);
    expect(parking.shown).toEqual([]);
    expect(parking.lastAt).toEqual(at(5));
    expect(report.gaps[1]!.shown).toEqual([
      { citation: 'DR › Pilot Light', source: 'topics/dr.md', disliked: 1, liked: 1 },
      { citation: 'DR › Strategies', source: 'topics/dr.md', disliked: 1, liked: 0 },
    ]);
    // Only 👍: not a gap.
    expect(report.gaps.some((g) => g.question === 'RPO가 뭐야')).toBe(false);
  });

  it('breaks ties by the latest question, and reports the window it covers', () => {
    const report = knowledgeGaps([refused('graviton price', 2), refused('badge pickup', 9, 'dr')], window);
    expect(report.gaps.map((g) => [g.question, g.commands])).toEqual([
      ['badge pickup', ['dr']],
      ['graviton price', ['ask']],
    ]);
    expect([report.since, report.until]).toEqual([window.since, window.until]);
  });

  it('is empty, with zero totals, when nothing was recorded', () => {
    expect(knowledgeGaps([], window)).toEqual({ ...window, totals: { refused: 0, disliked: 0, liked: 0, questions: 0 }, gaps: [] });
  });
});
