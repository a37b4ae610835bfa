import { compareValues, typeOf, valuesEqual } from '../values.js';
import type { ConditionNode, Operand } from './ast.js';
import { getPath } from './paths.js';
import type { AttributeValue, Item } from './types.js';

const bytes = (b64: string) => Buffer.from(b64, 'base64');

/**
 * size(): strings count UTF-16 code units (real DynamoDB gives size("é𝄞") = 3, not its 6 UTF-8
 * bytes), binary counts bytes, sets and lists count elements, maps count entries; other types
 * have no size.
 */
export function sizeOf(v: AttributeValue): number | undefined {
  switch (typeOf(v)) {
    case 'S':
      return v.S!.length;
    case 'B':
      return bytes(v.B!).length;
    case 'SS':
      return v.SS!.length;
    case 'NS':
      return v.NS!.length;
    case 'BS':
      return v.BS!.length;
    case 'L':
      return v.L!.length;
    case 'M':
      return Object.keys(v.M!).length;
    default:
      return undefined;
  }
}

export function evalOperand(o: Operand, item: Item | undefined): AttributeValue | undefined {
  if (o.k === 'value') return o.value;
  const v = getPath(item, o.path);
  if (o.k === 'path' || !v) return v;
  const size = sizeOf(v);
  return size === undefined ? undefined : { N: String(size) };
}

function ordered(a: AttributeValue | undefined, b: AttributeValue | undefined): number | undefined {
  return a && b ? compareValues(a, b) : undefined;
}

const equal = (a: AttributeValue | undefined, b: AttributeValue | undefined) => !!a && !!b && valuesEqual(a, b);

function beginsWith(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (!a || !b) return false;
  if (a.S !== undefined && b.S !== undefined) return a.S.startsWith(b.S);
  if (a.B !== undefined && b.B !== undefined) {
    const x = bytes(a.B);
    const y = bytes(b.B);
    return y.length <= x.length && x.subarray(0, y.length).equals(y);
  }
  return false;
}

/** contains(): substring of a string, member of a set of the operand's type, or element of a list. */
function contains(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (!a || !b) return false;
  const t = typeOf(a);
  const bt = typeOf(b);
  if (t === 'S' && bt === 'S') return a.S!.includes(b.S!);
  if (t === 'SS' && bt === 'S') return a.SS!.includes(b.S!);
  if (t === 'NS' && bt === 'N') return a.NS!.some((n) => valuesEqual({ N: n }, b));
  if (t === 'BS' && bt === 'B') return a.BS!.some((m) => valuesEqual({ B: m }, b));
  if (t === 'L') return a.L!.some((e) => valuesEqual(e, b));
  return false;
}

function evalFunction(node: Extract<ConditionNode, { k: 'fn' }>, item: Item | undefined): boolean {
  const [first, second] = node.args;
  switch (node.name) {
    case 'attribute_exists':
      return evalOperand(first!, item) !== undefined;
    case 'attribute_not_exists':
      return evalOperand(first!, item) === undefined;
    case 'attribute_type': {
      const v = evalOperand(first!, item);
      return !!v && typeOf(v) === evalOperand(second!, item)?.S;
    }
    case 'begins_with':
      return beginsWith(evalOperand(first!, item), evalOperand(second!, item));
    case 'contains':
      return contains(evalOperand(first!, item), evalOperand(second!, item));
  }
}

function evalCompare(node: Extract<ConditionNode, { k: 'cmp' }>, item: Item | undefined): boolean {
  const l = evalOperand(node.left, item);
  const r = evalOperand(node.right, item);
  switch (node.op) {
    case '=':
      return equal(l, r);
    case '<>':
      // A missing attribute or a value of another type is "not equal".
      return !equal(l, r);
    default: {
      const c = ordered(l, r);
      if (c === undefined) return false;
      return node.op === '<' ? c < 0 : node.op === '<=' ? c <= 0 : node.op === '>' ? c > 0 : c >= 0;
    }
  }
}

/** Evaluates a parsed condition; types that differ or attributes that are missing make comparisons false. */
export function evalCondition(node: ConditionNode, item: Item | undefined): boolean {
  switch (node.k) {
    case 'and':
      return evalCondition(node.left, item) && evalCondition(node.right, item);
    case 'or':
      return evalCondition(node.left, item) || evalCondition(node.right, item);
    case 'not':
      return !evalCondition(node.cond, item);
    case 'paren':
      return evalCondition(node.cond, item);
    case 'fn':
      return evalFunction(node, item);
    case 'cmp':
      return evalCompare(node, item);
    case 'between': {
      const v = evalOperand(node.operand, item);
      const lo = ordered(v, evalOperand(node.low, item));
      const hi = ordered(v, evalOperand(node.high, item));
      return lo !== undefined && hi !== undefined && lo >= 0 && hi <= 0;
    }
    case 'in': {
      const v = evalOperand(node.operand, item);
      return node.list.some((o) => equal(v, evalOperand(o, item)));
    }
  }
}

/** The first element of every path the condition reads (Query rejects filters on key attributes). */
export function conditionAttributes(node: ConditionNode): string[] {
  const out: string[] = [];
  const operand = (o: Operand) => {
    if (o.k === 'value') return;
    const head = o.path[0];
    if (head && 'name' in head && !out.includes(head.name)) out.push(head.name);
  };
  const walk = (n: ConditionNode): void => {
    switch (n.k) {
      case 'cmp':
        operand(n.left);
        operand(n.right);
        return;
      case 'between':
        for (const o of [n.operand, n.low, n.high]) operand(o);
        return;
      case 'in':
        for (const o of [n.operand, ...n.list]) operand(o);
        return;
      case 'and':
      case 'or':
        walk(n.left);
        walk(n.right);
        return;
      case 'not':
      case 'paren':
        walk(n.cond);
        return;
      case 'fn':
        for (const o of n.args) operand(o);
    }
  };
  walk(node);
  return out;
}
