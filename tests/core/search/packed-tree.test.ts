import { describe, expect, it } from 'vitest';
import { packCounts, packTree, unpackTree, UnpackingCounts } from '../../../src/core/search/packed-tree.ts';

type Tree = Map<string, unknown>;

/** A radix tree shaped as MiniSearch keeps it: labels to children, '' to a leaf of field → document → frequency. */
function tree(largestDocument: number): Tree {
  const leaf = (doc: number) => new Map([[0, new Map([[doc, 2], [largestDocument, 1]])], [3, new Map([[doc, 5]])]]);
  return new Map<string, unknown>([
    ['graviton', new Map([['', leaf(1)]])],
    ['재해', new Map<string, unknown>([['', leaf(2)], ['복구', new Map([['', leaf(3)]])]])],
    ['r', new Map<string, unknown>([['to', new Map([['', leaf(4)]])], ['po', new Map([['', leaf(5)]])]])],
  ]);
}

/** The tree as plain nested entries, which `toEqual` compares whatever the Map class. */
const plain = (node: unknown): unknown => (node instanceof Map ? [...node].map(([key, value]) => [key, plain(value)]) : node);

describe('packed tree', () => {
  it('unpacks to the tree it packed, with document ids up to 65k and beyond', () => {
    for (const largest of [65_535, 65_536, 4_000_000]) {
      const original = tree(largest);
      expect(plain(unpackTree(packTree(original)))).toEqual(plain(original));
    }
  });

  it('changes like a Map once unpacked', () => {
    const unpacked = unpackTree(packTree(tree(9)));
    unpacked.delete('graviton');
    (unpacked.get('재해') as Tree).set('전략', new Map());
    expect([...unpacked.keys()]).toEqual(['재해', 'r']);
    expect([...(unpacked.get('재해') as Tree).keys()]).toEqual(['', '복구', '전략']);
  });
});

describe('UnpackingCounts', () => {
  const counts = new Map([['zeta', 3], ['alpha', 1], ['재해', 7], ['graviton', 2], ['a', 9]]);

  it('answers look-ups before it is unpacked, as the Map it packed', () => {
    const packed = new UnpackingCounts(packCounts(counts));
    for (const term of [...counts.keys(), 'missing', '', 'zz', '재']) {
      expect(packed.get(term)).toBe(counts.get(term));
      expect(packed.has(term)).toBe(counts.has(term));
    }
    expect(new Map(packed)).toEqual(counts);
  });

  it('unpacks in steps, or at once when changed half-way, and then is the same Map', () => {
    const many = new Map(Array.from({ length: 5000 }, (_, i) => [`term${i}`, i + 1]));
    const stepped = new UnpackingCounts(packCounts(many));
    const steps = stepped.unpackSteps();
    expect(steps.next().done).toBe(false);
    expect(stepped.get('term4999')).toBe(5000);
    stepped.set('term0', 42);
    expect(steps.next().done).toBe(true);
    expect(stepped.size).toBe(5000);
    expect(stepped.get('term0')).toBe(42);
    expect(stepped.get('term4999')).toBe(5000);
    expect(new Map([...stepped].filter(([term]) => term !== 'term0'))).toEqual(new Map([...many].filter(([term]) => term !== 'term0')));
  });
});
