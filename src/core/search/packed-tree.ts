/**
 * MiniSearch's radix tree as a snapshot keeps it, and read back lazily. V8 deserializes a tree of Maps at about
 * a second per 10k sections, nearly all of it making Maps; packed into arrays it deserializes five times faster,
 * and a node is made a Map only when something first looks into it (a query touches a few paths; the standby
 * copy, in slices, all of them), so a start from a snapshot does not wait for the whole tree.
 */

/** A node's keys and children side by side; a leaf (key '') as flat numbers: field id, count, then doc id and frequency pairs. */
export type PackedNode = (string | PackedNode | number[])[];

type Tree = Map<string, unknown>;
type Leaf = Map<number, Map<number, number>>;

const LEAF = '';

export function packTree(node: Tree): PackedNode {
  const packed: PackedNode = [];
  for (const [key, value] of node) {
    if (key === LEAF) {
      const flat: number[] = [];
      for (const [field, docs] of value as Leaf) {
        flat.push(field, docs.size);
        for (const [doc, frequency] of docs) flat.push(doc, frequency);
      }
      packed.push(key, flat);
    } else packed.push(key, packTree(value as Tree));
  }
  return packed;
}

function unpackLeaf(flat: number[]): Leaf {
  const leaf: Leaf = new Map();
  for (let i = 0; i < flat.length; ) {
    const field = flat[i++]!;
    const count = flat[i++]!;
    const docs = new Map<number, number>();
    for (let n = 0; n < count; n++, i += 2) docs.set(flat[i]!, flat[i + 1]!);
    leaf.set(field, docs);
  }
  return leaf;
}

/** A tree node that is a Map like any other, unpacked on first use. */
export class PackedTreeNode extends Map<string, unknown> {
  private packed: PackedNode | undefined;

  constructor(packed: PackedNode) {
    super();
    this.packed = packed;
  }

  private unpack(): void {
    const packed = this.packed;
    if (!packed) return;
    this.packed = undefined;
    for (let i = 0; i < packed.length; i += 2) {
      const key = packed[i] as string;
      const value = packed[i + 1]!;
      super.set(key, key === LEAF ? unpackLeaf(value as number[]) : new PackedTreeNode(value as PackedNode));
    }
  }

  override get(key: string): unknown {
    this.unpack();
    return super.get(key);
  }
  override has(key: string): boolean {
    this.unpack();
    return super.has(key);
  }
  override set(key: string, value: unknown): this {
    this.unpack();
    return super.set(key, value);
  }
  override delete(key: string): boolean {
    this.unpack();
    return super.delete(key);
  }
  override clear(): void {
    this.packed = undefined;
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
  override values(): MapIterator<unknown> {
    this.unpack();
    return super.values();
  }
  override entries(): MapIterator<[string, unknown]> {
    this.unpack();
    return super.entries();
  }
  override [Symbol.iterator](): MapIterator<[string, unknown]> {
    this.unpack();
    return super[Symbol.iterator]();
  }
  override forEach(callback: (value: unknown, key: string, map: Map<string, unknown>) => void, thisArg?: unknown): void {
    this.unpack();
    super.forEach(callback, thisArg);
  }
}
