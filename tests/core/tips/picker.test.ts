import { describe, expect, it } from 'vitest';
import { Knowledge } from '../../../src/core/knowledge/knowledge.ts';
import { loadKnowledge } from '../../../src/core/knowledge/loader.ts';
import { DEFAULT_KNOWLEDGE_DIR } from '../../../src/core/knowledge/paths.ts';
import { bestTipFor, cycleOrder, dayNumber, randomTip, tipOfTheDay } from '../../../src/core/tips/picker.ts';

const knowledge = new Knowledge(loadKnowledge(DEFAULT_KNOWLEDGE_DIR));
const tips = knowledge.tips;
const DAY = 86_400_000;
/** Noon UTC of a day number: the same calendar date in UTC and Asia/Seoul (21:00). */
const noonOfDay = (day: number) => new Date(day * DAY + 12 * 3_600_000);

describe('dayNumber', () => {
  it('counts days since 1970-01-01 of the local date', () => {
    expect(dayNumber(new Date(Date.UTC(1970, 0, 1, 0, 0)), 'UTC')).toBe(0);
    expect(dayNumber(new Date(Date.UTC(1970, 0, 2, 0, 0)), 'UTC')).toBe(1);
    expect(dayNumber(new Date(Date.UTC(2023, 4, 4, 12)), 'UTC')).toBe(Date.UTC(2023, 4, 4) / DAY);
  });

  it('uses the calendar date in the given zone', () => {
    // 2023-05-03 20:00 UTC is already 2023-05-04 05:00 in Seoul, still 05-03 13:00 in Los Angeles.
    const instant = new Date(Date.UTC(2023, 4, 3, 20, 0));
    const seoul = dayNumber(instant, 'Asia/Seoul');
    expect(seoul).toBe(Date.UTC(2023, 4, 4) / DAY);
    expect(dayNumber(instant, 'America/Los_Angeles')).toBe(seoul - 1);
    expect(dayNumber(instant, 'UTC')).toBe(seoul - 1);
  });

  it('changes exactly at local midnight', () => {
    const beforeMidnight = new Date(Date.UTC(2023, 4, 3, 14, 59)); // 23:59 KST
    const afterMidnight = new Date(Date.UTC(2023, 4, 3, 15, 0)); // 00:00 KST
    expect(dayNumber(afterMidnight, 'Asia/Seoul') - dayNumber(beforeMidnight, 'Asia/Seoul')).toBe(1);
  });
});

describe('tipOfTheDay', () => {
  it('has tips to rotate through', () => {
    expect(tips.length).toBeGreaterThan(10);
  });

  it('is the same all local day', () => {
    const early = new Date(Date.UTC(2023, 4, 3, 15, 5)); // 00:05 KST on 05-04
    const late = new Date(Date.UTC(2023, 4, 4, 14, 55)); // 23:55 KST on 05-04
    expect(tipOfTheDay(tips, early, 'Asia/Seoul')).toBe(tipOfTheDay(tips, late, 'Asia/Seoul'));
  });

  it('shows every tip exactly once per cycle of N days', () => {
    const n = tips.length;
    for (const cycle of [0, 1, 2, 417, 418]) {
      const seen = new Map<string, number>();
      for (let day = cycle * n; day < (cycle + 1) * n; day++) {
        const tip = tipOfTheDay(tips, noonOfDay(day), 'UTC')!;
        seen.set(tip.tip.id, (seen.get(tip.tip.id) ?? 0) + 1);
      }
      expect(seen.size).toBe(n);
      expect([...seen.values()].every((count) => count === 1)).toBe(true);
    }
  });

  it('never shows the same tip two days in a row, across cycle boundaries too', () => {
    const n = tips.length;
    let previous: string | undefined;
    for (let day = 380 * n; day < 390 * n; day++) {
      const id = tipOfTheDay(tips, noonOfDay(day), 'UTC')!.tip.id;
      expect(id).not.toBe(previous);
      previous = id;
    }
  });

  it('uses different orders in different cycles', () => {
    const n = tips.length;
    expect(cycleOrder(n, 10)).not.toEqual(cycleOrder(n, 11));
    expect([...cycleOrder(n, 10)].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it('handles tiny and empty lists', () => {
    expect(tipOfTheDay([], new Date(), 'UTC')).toBeUndefined();
    expect(tipOfTheDay(['only'], new Date(), 'UTC')).toBe('only');
    const two = ['a', 'b'];
    const picks = Array.from({ length: 6 }, (_, i) => tipOfTheDay(two, noonOfDay(19_000 + i), 'UTC'));
    for (let i = 1; i < picks.length; i++) expect(picks[i]).not.toBe(picks[i - 1]);
    const three = ['a', 'b', 'c'];
    let previous: string | undefined;
    for (let day = 0; day < 300; day++) {
      const pick = tipOfTheDay(three, noonOfDay(day), 'UTC');
      expect(pick).not.toBe(previous);
      previous = pick;
    }
  });
});

describe('randomTip', () => {
  it('uses the random source it is given', () => {
    expect(randomTip(['a', 'b', 'c'], () => 0)).toBe('a');
    expect(randomTip(['a', 'b', 'c'], () => 0.5)).toBe('b');
    expect(randomTip(['a', 'b', 'c'], () => 0.999_999)).toBe('c');
    expect(randomTip(['a', 'b', 'c'], () => 1)).toBe('c');
    expect(randomTip([], () => 0.5)).toBeUndefined();
  });
});

describe('bestTipFor', () => {
  it('finds the Graviton tip in Korean and English, any case', () => {
    for (const topic of ['그래비톤', 'graviton', 'GRAVITON', 'Graviton 인스턴스']) {
      expect(bestTipFor(tips, topic)?.tip.id).toBe('use-graviton');
    }
  });

  it('matches topics in either language', () => {
    expect(bestTipFor(tips, '줄서기')?.tip.id).toBe('queue-early-popular-sessions');
    expect(bestTipFor(tips, 'queue')?.tip.id).toBe('queue-early-popular-sessions');
    expect(bestTipFor(tips, 'wristband')?.tip.id).toBe('get-keynote-wristband');
    expect(bestTipFor(tips, 'Secrets Manager')?.tip.id).toBe('no-plaintext-db-credentials');
    expect(bestTipFor(tips, 'DR')?.tip.topics.map((t) => t.toLowerCase())).toContain('dr');
  });

  it('matches words in the tip text and particles attached to topics', () => {
    expect(bestTipFor(tips, '스팟 인스턴스를')?.tip.id).toBe('use-spot-instances');
    expect(bestTipFor(tips, 'CodeBuild')?.tip.id).toBe('dr-automate-with-codebuild');
  });

  it('returns undefined when nothing matches', () => {
    for (const topic of ['', '   ', 'xyzzy', '🎉🎉', '!!!', 'qwertyuiop']) expect(bestTipFor(tips, topic)).toBeUndefined();
  });
});
