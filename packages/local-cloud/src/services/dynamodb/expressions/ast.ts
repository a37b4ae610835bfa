import type { AttributeValue } from './types.js';

/** One step of a document path: a map key / attribute name, or a list index. */
export type PathElement = { name: string } | { index: number };
export type Path = PathElement[];

export type ExpressionKind =
  | 'ConditionExpression'
  | 'FilterExpression'
  | 'KeyConditionExpression'
  | 'UpdateExpression'
  | 'ProjectionExpression';

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

/** Operands of conditions: a document path, a `:value`, or `size(path)`. */
export type Operand =
  | { k: 'path'; path: Path }
  | { k: 'value'; name: string; value: AttributeValue }
  | { k: 'size'; path: Path };

export type ConditionFunction =
  | 'attribute_exists'
  | 'attribute_not_exists'
  | 'attribute_type'
  | 'begins_with'
  | 'contains';

export type ConditionNode =
  | { k: 'cmp'; op: Comparator; left: Operand; right: Operand }
  | { k: 'between'; operand: Operand; low: Operand; high: Operand }
  | { k: 'in'; operand: Operand; list: Operand[] }
  | { k: 'and' | 'or'; left: ConditionNode; right: ConditionNode }
  | { k: 'not'; cond: ConditionNode }
  | { k: 'fn'; name: ConditionFunction; args: Operand[] }
  | { k: 'paren'; cond: ConditionNode };

/** Operands of SET's right-hand side. */
export type UpdateOperand =
  | { k: 'path'; path: Path }
  | { k: 'value'; name: string; value: AttributeValue }
  | { k: 'if_not_exists'; path: Path; fallback: UpdateOperand }
  | { k: 'list_append'; first: UpdateOperand; second: UpdateOperand };

export type SetValue = UpdateOperand | { k: '+' | '-'; left: UpdateOperand; right: UpdateOperand };

export type UpdateAction =
  | { k: 'SET'; path: Path; value: SetValue }
  | { k: 'REMOVE'; path: Path }
  | { k: 'ADD' | 'DELETE'; path: Path; value: AttributeValue };

export const CONDITION_FUNCTIONS: readonly string[] = [
  'attribute_exists',
  'attribute_not_exists',
  'attribute_type',
  'begins_with',
  'contains',
];
export const UPDATE_FUNCTIONS: readonly string[] = ['if_not_exists', 'list_append'];
