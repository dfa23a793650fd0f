/**
 * MiniSearch's radix tree and the engine's term counts as a snapshot keeps them, and read back. V8 deserializes a
 * tree of Maps, or nested arrays, at most a few hundred thousand objects a second, and every one of them survives
 * young-generation collections that copy it (half a second of deserializing and as much of collecting at 10k
 * sections). Packed, the tree is one string of edge labels and two Uint32Arrays, which deserialize as copies of
 * bytes; a node is made a Map only when something first looks into it (a query touches a few paths; the standby
 * copy, in slices, all of them), so a start from a snapshot does not wait for the whole tree.
 */

/**
 * The tree, packed. `nodes` holds each node as its child count, then per child the start and length of its label
 * in `labels` and where the child is: a node's position in `nodes`, or for a leaf (label '') its position in
 * `postings`. A leaf is its field count, then per field the field id, the document count and (document id,
 * term frequency) pairs.
 */
export interface PackedTree {
  labels: string;
  nodes: Uint32Array;
  /** 16-bit when every document id and count fits (up to 65k sections): half the bytes to read at start. */
  postings: Uint16Array | Uint32Array;
}

type Tree = Map<string, unknown>;
type Leaf = Map<number, Map<number, number>>;

const LEAF = '';

export function packTree(tree: Tree): PackedTree {
  const labels: string[] = [];
  let labelsLength = 0;
  const nodes: number[] = [];
  const postings: number[] = [];
  const packNode = (node: Tree): number => {
    const at = nodes.length;
    nodes.push(node.size);
    const children = [...node];
    // Slots first, filled once each child's position is known.
    for (let i = 0; i < children.length; i++) nodes.push(0, 0, 0);
    children.forEach(([label, value], i) => {
      const slot = at + 1 + 3 * i;
      nodes[slot] = labelsLength;
      nodes[slot + 1] = label.length;
      labels.push(label);
      labelsLength += label.length;
      if (label === LEAF) {
        nodes[slot + 2] = postings.length;
        const leaf = value as Leaf;
        postings.push(leaf.size);
        for (const [field, docs] of leaf) {
          postings.push(field, docs.size);
          for (const [doc, frequency] of docs) postings.push(doc, frequency);
        }
      } else nodes[slot + 2] = packNode(value as Tree);
    });
    return at;
  };
  packNode(tree);
  const wide = postings.some((value) => value > 0xffff);
  return { labels: labels.join(''), nodes: Uint32Array.from(nodes), postings: wide ? Uint32Array.from(postings) : Uint16Array.from(postings) };
}

function unpackLeaf(postings: Uint16Array | Uint32Array, at: number): Leaf {
  const leaf: Leaf = new Map();
  const fields = postings[at]!;
  let i = at + 1;
  for (let f = 0; f < fields; f++) {
    const field = postings[i++]!;
    const count = postings[i++]!;
    const docs = new Map<number, number>();
    for (let n = 0; n < count; n++, i += 2) docs.set(postings[i]!, postings[i + 1]!);
    leaf.set(field, docs);
  }
  return leaf;
}

/** The root of a packed tree, as a Map like any other. */
export function unpackTree(tree: PackedTree): Map<string, unknown> {
  return new PackedTreeNode(tree, 0);
}

/**
 * A Map whose entries are unpacked from a compact form on first use: every way of reading or changing it
 * unpacks first. `store` adds an unpacked entry without unpacking again.
 */
abstract class UnpackedOnUse<V> extends Map<string, V> {
  protected abstract unpack(): void;
  /** Drops the packed form (the map is being cleared). */
  protected abstract forget(): void;

  protected store(key: string, value: V): void {
    Map.prototype.set.call(this, key, value);
  }

  override get(key: string): V | undefined {
    this.unpack();
    return super.get(key);
  }
  override has(key: string): boolean {
    this.unpack();
    return super.has(key);
  }
  override set(key: string, value: V): this {
    this.unpack();
    return super.set(key, value);
  }
  override delete(key: string): boolean {
    this.unpack();
    return super.delete(key);
  }
  override clear(): void {
    this.forget();
    super.clear();
  }
  override get size(): number {
    this.unpack();
    return super.size;
  }
  override keys(): MapIterator<string> {
    this.unpack();
    return super.keys();
  }
  override values(): MapIterator<V> {
    this.unpack();
    return super.values();
  }
  override entries(): MapIterator<[string, V]> {
    this.unpack();
    return super.entries();
  }
  override [Symbol.iterator](): MapIterator<[string, V]> {
    this.unpack();
    return super[Symbol.iterator]();
  }
  override forEach(callback: (value: V, key: string, map: Map<string, V>) => void, thisArg?: unknown): void {
    this.unpack();
    super.forEach(callback, thisArg);
  }
}

/** A tree node that is a Map like any other, unpacked on first use. */
class PackedTreeNode extends UnpackedOnUse<unknown> {
  private tree: PackedTree | undefined;

  constructor(
    tree: PackedTree,
    private readonly at: number,
  ) {
    super();
    this.tree = tree;
  }

  protected unpack(): void {
    const tree = this.tree;
    if (!tree) return;
    this.tree = undefined;
    const { labels, nodes, postings } = tree;
    const children = nodes[this.at]!;
    for (let i = 0, slot = this.at + 1; i < children; i++, slot += 3) {
      const start = nodes[slot]!;
      const label = labels.slice(start, start + nodes[slot + 1]!);
      const where = nodes[slot + 2]!;
      this.store(label, label === LEAF ? unpackLeaf(postings, where) : new PackedTreeNode(tree, where));
    }
  }

  protected forget(): void {
    this.tree = undefined;
  }
}

/**
 * Term counts (term → a positive whole number), packed the same way: the terms end to end in code-unit order,
 * where each starts (and, last, where the last ends), their counts.
 */
export interface PackedCounts {
  terms: string;
  starts: Uint32Array;
  counts: Uint32Array;
}

export function packCounts(counts: Map<string, number>): PackedCounts {
  const sorted = [...counts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const starts = new Uint32Array(sorted.length + 1);
  const values = new Uint32Array(sorted.length);
  sorted.forEach((term, i) => {
    starts[i + 1] = starts[i]! + term.length;
    values[i] = counts.get(term)!;
  });
  return { terms: sorted.join(''), starts, counts: values };
}

/** How many entries `UnpackingCounts.unpackSteps` makes a Map entry of between two yields. */
const UNPACK_BATCH = 2000;

/**
 * Term counts read from a snapshot: a Map like any other, which answers `get` and `has` by a binary search of the
 * packed terms until it is unpacked. Making 120k Map entries (three such maps at 10k sections) costs a few hundred
 * milliseconds a start need not wait for: `unpackSteps` makes them in the background, a batch at a time; anything
 * else than a look-up (a change, iterating, the size) unpacks what is left at once.
 */
export class UnpackingCounts extends UnpackedOnUse<number> {
  private packed: PackedCounts | undefined;
  /** How many of the packed entries are in the Map already. */
  private unpackedCount = 0;

  constructor(packed: PackedCounts) {
    super();
    this.packed = packed;
  }

  private find(term: string): number | undefined {
    const { terms, starts, counts } = this.packed!;
    let low = 0;
    let high = counts.length - 1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const probe = terms.slice(starts[middle]!, starts[middle + 1]!);
      if (probe === term) return counts[middle]!;
      if (probe < term) low = middle + 1;
      else high = middle - 1;
    }
    return undefined;
  }

  /** Unpacks up to `limit` more entries; true once all are. */
  private unpackSome(limit: number): boolean {
    const packed = this.packed;
    if (!packed) return true;
    const { terms, starts, counts } = packed;
    const end = Math.min(counts.length, this.unpackedCount + limit);
    for (let i = this.unpackedCount; i < end; i++) this.store(terms.slice(starts[i]!, starts[i + 1]!), counts[i]!);
    this.unpackedCount = end;
    if (end < counts.length) return false;
    this.packed = undefined;
    return true;
  }

  protected unpack(): void {
    this.unpackSome(Infinity);
  }

  protected forget(): void {
    this.packed = undefined;
  }

  /** Unpacks the entries a batch at a time, so a caller can leave the event loop free in between (see `inSlices`). */
  *unpackSteps(): Generator<void, void, undefined> {
    while (!this.unpackSome(UNPACK_BATCH)) yield;
  }

  override get(key: string): number | undefined {
    return this.packed ? this.find(key) : super.get(key);
  }
  override has(key: string): boolean {
    return this.packed ? this.find(key) !== undefined : super.has(key);
  }
}
