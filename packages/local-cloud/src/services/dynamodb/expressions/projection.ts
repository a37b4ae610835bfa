import type { Path } from './ast.js';
import { getPath } from './paths.js';
import type { AttributeValue, Item, Projection } from './types.js';

/** The projected part of a document: whole values at the leaves, partial maps/lists above them. */
type Node = { leaf: AttributeValue } | { map: Map<string, Node> } | { list: Map<number, Node> };

function insert(children: Map<string | number, Node>, value: AttributeValue, path: Path, i: number): void {
  const e = path[i]!;
  const key = 'name' in e ? e.name : e.index;
  const child = 'name' in e ? value.M?.[e.name] : value.L?.[e.index];
  if (!child) return;
  if (i === path.length - 1) {
    children.set(key, { leaf: structuredClone(child) });
    return;
  }
  const next = path[i + 1]!;
  let node = children.get(key);
  if (!node) {
    node = 'name' in next ? { map: new Map() } : { list: new Map() };
    children.set(key, node);
  }
  const sub = 'map' in node ? node.map : 'list' in node ? node.list : undefined;
  if (sub) insert(sub as Map<string | number, Node>, child, path, i + 1);
}

function build(node: Node): AttributeValue {
  if ('leaf' in node) return node.leaf;
  if ('map' in node) {
    const M: Record<string, AttributeValue> = {};
    for (const [k, v] of node.map) M[k] = build(v);
    return { M };
  }
  // Projected list elements keep their order and close up the gaps, as on AWS.
  return { L: [...node.list.entries()].sort(([a], [b]) => a - b).map(([, v]) => build(v)) };
}

export function compileProjection(paths: Path[]): Projection {
  return {
    apply(item: Item): Item {
      const root = new Map<string, Node>();
      for (const path of paths)
        if (getPath(item, path) !== undefined) insert(root as Map<string | number, Node>, { M: item }, path, 0);
      const out: Item = {};
      for (const [k, v] of root) out[k] = build(v);
      return out;
    },
  };
}
