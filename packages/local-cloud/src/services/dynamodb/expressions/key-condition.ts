import { validation } from '../errors.js';
import type { Comparator, ConditionNode, Operand } from './ast.js';
import type { AttributeValue, KeyCondition, KeySchemaElement, RangeCondition } from './types.js';

type Leaf = Extract<ConditionNode, { k: 'cmp' | 'between' | 'fn' }>;
interface KeyTerm {
  name: string;
  op: Comparator | 'BETWEEN' | 'begins_with';
  values: AttributeValue[];
}

const INVALID_CONDITION = 'Invalid condition in KeyConditionExpression: ';
const FLIPPED: Record<string, Comparator> = { '=': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** The AND-ed leaves; any other operator is refused (AWS names it without the usual prefix). */
function leaves(node: ConditionNode, out: Leaf[] = []): Leaf[] {
  const refuse = (op: string) => validation(`Invalid operator used in KeyConditionExpression: ${op}`);
  switch (node.k) {
    case 'paren':
      return leaves(node.cond, out);
    case 'and':
      leaves(node.left, out);
      return leaves(node.right, out);
    case 'or':
      throw refuse('OR');
    case 'not':
      throw refuse('NOT');
    case 'in':
      throw refuse('IN');
    case 'cmp':
      if (node.op === '<>') throw refuse('<>');
      break;
    case 'fn':
      if (node.name !== 'begins_with') throw refuse(node.name);
      break;
  }
  out.push(node);
  return out;
}

function keyName(o: Operand): string {
  if (o.k === 'size') throw validation('KeyConditionExpressions cannot contain nested operations');
  if (o.k !== 'path') throw validation(`${INVALID_CONDITION}No key attribute specified`);
  const [first] = o.path;
  if (o.path.length > 1 || !first || !('name' in first)) {
    throw validation('KeyConditionExpressions cannot have conditions on nested attributes');
  }
  return first.name;
}

function literal(o: Operand): AttributeValue {
  if (o.k === 'size') throw validation('KeyConditionExpressions cannot contain nested operations');
  if (o.k === 'path') throw validation(`${INVALID_CONDITION}Multiple attribute names used in one condition`);
  return o.value;
}

function term(leaf: Leaf): KeyTerm {
  if (leaf.k === 'cmp') {
    // `:v < k` reads as `k > :v`.
    const flip = leaf.left.k === 'value' && leaf.right.k !== 'value';
    const [keySide, valueSide] = flip ? [leaf.right, leaf.left] : [leaf.left, leaf.right];
    if (keySide.k === 'size' || valueSide.k === 'size') {
      throw validation('KeyConditionExpressions cannot contain nested operations');
    }
    return { name: keyName(keySide), op: flip ? FLIPPED[leaf.op]! : leaf.op, values: [literal(valueSide)] };
  }
  const [first, ...rest] = leaf.k === 'between' ? [leaf.operand, leaf.low, leaf.high] : leaf.args;
  const label = leaf.k === 'between' ? 'BETWEEN' : 'begins_with';
  if (first!.k !== 'path') {
    if (first!.k === 'size') throw validation('KeyConditionExpressions cannot contain nested operations');
    throw validation(`${INVALID_CONDITION}${label} operator must have the key attribute as its first operand`);
  }
  return { name: keyName(first!), op: label, values: rest.map(literal) };
}

function rangeCondition(t: KeyTerm): RangeCondition {
  if (t.op === 'BETWEEN') return { op: 'BETWEEN', low: t.values[0]!, high: t.values[1]! };
  if (t.op === 'begins_with') return { op: 'begins_with', prefix: t.values[0]! };
  if (t.op === '<>') throw validation('Query key condition not supported');
  return { op: t.op, value: t.values[0]! };
}

/** Resolves a parsed KeyConditionExpression against the key schema of the table or index. */
export function compileKeyCondition(node: ConditionNode, keySchema: readonly KeySchemaElement[]): KeyCondition {
  const terms = leaves(node).map(term);
  const names = new Set(terms.map((t) => t.name));
  if (terms.length > 2 || names.size !== terms.length) {
    throw validation('KeyConditionExpressions must only contain one condition per key');
  }
  const hashName = keySchema.find((k) => k.KeyType === 'HASH')?.AttributeName ?? '';
  const rangeName = keySchema.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  const hash = terms.find((t) => t.name === hashName);
  if (!hash) throw validation(`Query condition missed key schema element: ${hashName}`);
  const other = terms.find((t) => t !== hash);
  if (other && other.name !== rangeName) {
    throw validation(
      rangeName ? `Query condition missed key schema element: ${rangeName}` : 'Query key condition not supported',
    );
  }
  if (hash.op !== '=') throw validation('Query key condition not supported');
  const result: KeyCondition = { hashName, hashValue: hash.values[0]! };
  if (other) {
    result.rangeName = other.name;
    result.range = rangeCondition(other);
  }
  return result;
}
