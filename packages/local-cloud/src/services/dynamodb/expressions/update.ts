import { validation } from '../errors.js';
import { addNumbers, setMemberKey, subtractNumbers, typeOf } from '../values.js';
import type { Path, SetValue, UpdateAction, UpdateOperand } from './ast.js';
import { getPath, removePath, setPath } from './paths.js';
import type { AttributeValue, Item, Update } from './types.js';

const MISSING = 'The provided expression refers to an attribute that does not exist in the item';
const WRONG_TYPE = 'An operand in the update expression has an incorrect data type';

const clone = <T>(v: T): T => structuredClone(v);

function evalOperand(o: UpdateOperand, item: Item): AttributeValue {
  switch (o.k) {
    case 'value':
      return o.value;
    case 'path': {
      const v = getPath(item, o.path);
      if (!v) throw validation(MISSING);
      return v;
    }
    case 'if_not_exists':
      return getPath(item, o.path) ?? evalOperand(o.fallback, item);
    case 'list_append': {
      const a = evalOperand(o.first, item);
      const b = evalOperand(o.second, item);
      if (!a.L || !b.L) throw validation(WRONG_TYPE);
      return { L: [...a.L, ...b.L] };
    }
  }
}

function evalSetValue(v: SetValue, item: Item): AttributeValue {
  if (!('left' in v)) return evalOperand(v, item);
  const a = evalOperand(v.left, item);
  const b = evalOperand(v.right, item);
  if (a.N === undefined || b.N === undefined) throw validation(WRONG_TYPE);
  return { N: v.k === '+' ? addNumbers(a.N, b.N) : subtractNumbers(a.N, b.N) };
}

type SetType = 'SS' | 'NS' | 'BS';

function union(type: SetType, a: string[], b: string[]): string[] {
  const seen = new Set(a.map((m) => setMemberKey(type, m)));
  const out = [...a];
  for (const m of b) {
    const k = setMemberKey(type, m);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(m);
    }
  }
  return out;
}

function applyAdd(item: Item, path: Path, value: AttributeValue): void {
  const current = getPath(item, path);
  const t = typeOf(value);
  if (current && typeOf(current) !== t) throw validation(WRONG_TYPE);
  let next: AttributeValue;
  if (!current) next = clone(value);
  else if (t === 'N') next = { N: addNumbers(current.N!, value.N!) };
  else next = { [t]: union(t as SetType, current[t as SetType]!, value[t as SetType]!) };
  setPath(item, path, next);
}

function applyDelete(item: Item, path: Path, value: AttributeValue): void {
  const current = getPath(item, path);
  if (!current) return;
  const type = typeOf(value) as SetType;
  if (typeOf(current) !== type) throw validation(WRONG_TYPE);
  const drop = new Set(value[type]!.map((m) => setMemberKey(type, m)));
  const kept = current[type]!.filter((m) => !drop.has(setMemberKey(type, m)));
  // A set may not be empty: deleting its last members removes the attribute.
  if (kept.length === 0) removePath(item, path);
  else setPath(item, path, { [type]: kept });
}

/**
 * REMOVE targets are located before anything is removed, so `REMOVE a[0], a[1]` removes the
 * first two elements of the list as it was (AWS's behaviour), not elements 0 and 2.
 */
function applyRemoves(item: Item, paths: Path[]): void {
  const lists = new Map<AttributeValue[], number[]>();
  for (const path of paths) {
    const last = path[path.length - 1]!;
    if ('name' in last) continue;
    const parent = getPath(item, path.slice(0, -1));
    if (!parent?.L) continue;
    lists.set(parent.L, [...(lists.get(parent.L) ?? []), last.index]);
  }
  for (const path of paths) if ('name' in path[path.length - 1]!) removePath(item, path);
  for (const [list, indexes] of lists) {
    for (const i of indexes.sort((a, b) => b - a)) if (i < list.length) list.splice(i, 1);
  }
}

/** Compiles parsed actions into an Update: SET values are all computed from the item as it was. */
export function compileUpdate(actions: UpdateAction[]): Update {
  const topLevelNames = new Set<string>();
  for (const a of actions) {
    const first = a.path[0];
    if (first && 'name' in first) topLevelNames.add(first.name);
  }
  return {
    topLevelNames,
    apply(item: Item): Item {
      const out = clone(item);
      const sets = actions.flatMap((a) =>
        a.k === 'SET' ? [{ path: a.path, value: evalSetValue(a.value, item) }] : [],
      );
      for (const s of sets) setPath(out, s.path, clone(s.value));
      applyRemoves(
        out,
        actions.flatMap((a) => (a.k === 'REMOVE' ? [a.path] : [])),
      );
      for (const a of actions) {
        if (a.k === 'ADD') applyAdd(out, a.path, a.value);
        else if (a.k === 'DELETE') applyDelete(out, a.path, a.value);
      }
      return out;
    },
  };
}
