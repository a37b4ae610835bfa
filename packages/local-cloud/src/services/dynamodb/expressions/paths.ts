import { validation } from '../errors.js';
import type { Path, PathElement } from './ast.js';
import type { AttributeValue, Item } from './types.js';

/** AWS's rendering of a path in messages: `[a, b, [1]]`. */
export function formatPath(path: Path): string {
  return `[${path.map((e) => ('name' in e ? e.name : `[${e.index}]`)).join(', ')}]`;
}

/** The value at a document path, or undefined when any step is missing or of the wrong type. */
export function getPath(item: Item | undefined, path: Path): AttributeValue | undefined {
  if (!item) return undefined;
  const [first, ...rest] = path;
  if (!first || !('name' in first)) return undefined;
  let current = item[first.name];
  for (const e of rest) {
    if (!current) return undefined;
    current = step(current, e);
  }
  return current;
}

function step(value: AttributeValue, e: PathElement): AttributeValue | undefined {
  if ('name' in e) return value.M ? value.M[e.name] : undefined;
  return value.L ? value.L[e.index] : undefined;
}

const INVALID_FOR_UPDATE = 'The document path provided in the update expression is invalid for update';

/** The container holding the path's last element, or undefined when the parent does not exist. */
function parentOf(
  item: Item,
  path: Path,
): { map?: Record<string, AttributeValue>; list?: AttributeValue[] } | undefined {
  if (path.length === 1) return { map: item };
  const parent = getPath(item, path.slice(0, -1));
  if (!parent) return undefined;
  const last = path[path.length - 1]!;
  if ('name' in last) return parent.M ? { map: parent.M } : undefined;
  return parent.L ? { list: parent.L } : undefined;
}

/**
 * Writes a value at a path of a mutable item. The parent must exist with the right type;
 * an index past the end of a list appends (AWS's behaviour).
 */
export function setPath(item: Item, path: Path, value: AttributeValue): void {
  const parent = parentOf(item, path);
  const last = path[path.length - 1]!;
  if (!parent) throw validation(INVALID_FOR_UPDATE);
  if ('name' in last && parent.map) parent.map[last.name] = value;
  else if ('index' in last && parent.list) {
    if (last.index >= parent.list.length) parent.list.push(value);
    else parent.list[last.index] = value;
  } else throw validation(INVALID_FOR_UPDATE);
}

/** Removes the value at a path of a mutable item; a missing path is a no-op. */
export function removePath(item: Item, path: Path): void {
  const parent = parentOf(item, path);
  const last = path[path.length - 1]!;
  if (!parent) return;
  if ('name' in last && parent.map) delete parent.map[last.name];
  else if ('index' in last && parent.list && last.index < parent.list.length) parent.list.splice(last.index, 1);
}

type Relation = 'overlap' | 'conflict' | undefined;

function relation(a: Path, b: Path): Relation {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if ('name' in x !== 'name' in y) return 'conflict';
    if ('name' in x ? x.name !== (y as { name: string }).name : x.index !== (y as { index: number }).index) {
      return undefined;
    }
  }
  return 'overlap';
}

/**
 * AWS rejects two paths where one is a prefix of the other ("overlap") or where one indexes a
 * list and the other a map at the same step ("conflict"); overlaps are reported first.
 */
export function checkPaths(paths: Path[]): string | undefined {
  for (const wanted of ['overlap', 'conflict'] as const) {
    for (let i = 0; i < paths.length; i++) {
      for (let j = i + 1; j < paths.length; j++) {
        if (relation(paths[i]!, paths[j]!) !== wanted) continue;
        return (
          `Two document paths ${wanted} with each other; must remove or rewrite one of these paths; ` +
          `path one: ${formatPath(paths[i]!)}, path two: ${formatPath(paths[j]!)}`
        );
      }
    }
  }
  return undefined;
}

export function samePath(a: Path, b: Path): boolean {
  return a.length === b.length && relation(a, b) === 'overlap';
}
