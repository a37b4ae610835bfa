import { createScope } from '../engine.js';
import { validation } from '../errors.js';
import type { AttributeValue, Condition, Update } from '../expressions/types.js';

/**
 * The legacy parameters (Expected, QueryFilter, ScanFilter, ConditionalOperator, AttributeUpdates),
 * rewritten as expressions over generated placeholders and compiled by the expression engine.
 */
// biome-ignore lint/suspicious/noExplicitAny: legacy inputs are checked field by field.
type Input = Record<string, any>;

/** Argument counts per ComparisonOperator, in the order AWS lists them in its enum message. */
const ARGS: Record<string, [number, number]> = {
  IN: [1, 100],
  NULL: [0, 0],
  BETWEEN: [2, 2],
  LT: [1, 1],
  NOT_CONTAINS: [1, 1],
  EQ: [1, 1],
  GT: [1, 1],
  NOT_NULL: [0, 0],
  NE: [1, 1],
  LE: [1, 1],
  BEGINS_WITH: [1, 1],
  GE: [1, 1],
  CONTAINS: [1, 1],
};
const SYMBOLS: Record<string, string> = { EQ: '=', NE: '<>', LE: '<=', LT: '<', GE: '>=', GT: '>' };

class Builder {
  names: Record<string, string> = {};
  values: Record<string, AttributeValue> = {};
  private n = 0;

  name(attr: string): string {
    const p = `#l${this.n++}`;
    this.names[p] = attr;
    return p;
  }

  value(v: AttributeValue): string {
    const p = `:l${this.n++}`;
    this.values[p] = v;
    return p;
  }

  scope() {
    return createScope(
      Object.keys(this.names).length ? this.names : undefined,
      Object.keys(this.values).length ? this.values : undefined,
    );
  }
}

function comparison(b: Builder, attr: string, op: string, args: AttributeValue[]): string {
  const range = ARGS[op];
  if (!range)
    throw validation(
      `1 validation error detected: Value '${op}' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [${Object.keys(ARGS).join(', ')}]`,
    );
  if (args.length < range[0] || args.length > range[1]) {
    throw validation(
      `One or more parameter values were invalid: Invalid number of argument(s) for the ${op} ComparisonOperator`,
    );
  }
  const n = b.name(attr);
  const v = args.map((a) => b.value(a));
  if (SYMBOLS[op]) return `${n} ${SYMBOLS[op]} ${v[0]}`;
  switch (op) {
    case 'NOT_NULL':
      return `attribute_exists(${n})`;
    case 'NULL':
      return `attribute_not_exists(${n})`;
    case 'CONTAINS':
      return `contains(${n}, ${v[0]})`;
    case 'NOT_CONTAINS':
      return `NOT contains(${n}, ${v[0]})`;
    case 'BEGINS_WITH':
      return `begins_with(${n}, ${v[0]})`;
    case 'IN':
      return `${n} IN (${v.join(', ')})`;
    default:
      return `${n} BETWEEN ${v[0]} AND ${v[1]}`;
  }
}

function joiner(op: unknown): string {
  if (op !== undefined && op !== 'AND' && op !== 'OR') {
    throw validation(
      `1 validation error detected: Value '${op}' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [OR, AND]`,
    );
  }
  return op === 'OR' ? ' OR ' : ' AND ';
}

/** QueryFilter / ScanFilter: {attr: {ComparisonOperator, AttributeValueList}}. */
export function legacyFilter(filter: Input, operator: unknown): Condition {
  const b = new Builder();
  const parts = Object.entries(filter ?? {}).map(([attr, c]) =>
    comparison(b, attr, c?.ComparisonOperator, c?.AttributeValueList ?? []),
  );
  const expr = parts.map((p) => `(${p})`).join(joiner(operator));
  return b.scope().condition(expr, 'FilterExpression');
}

/** Expected: {attr: {Value, Exists} | {ComparisonOperator, AttributeValueList}}. */
export function legacyExpected(expected: Input, operator: unknown): Condition {
  const b = new Builder();
  const parts = Object.entries(expected ?? {}).map(([attr, c]) => {
    if (c?.ComparisonOperator !== undefined) {
      if (c.Value !== undefined || c.Exists !== undefined) {
        throw validation(
          `One or more parameter values were invalid: Value or Exists cannot be used with ComparisonOperator for Attribute: ${attr}`,
        );
      }
      return comparison(b, attr, c.ComparisonOperator, c.AttributeValueList ?? []);
    }
    if (c?.Exists === false) {
      if (c.Value !== undefined) {
        throw validation(
          `One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: ${attr}`,
        );
      }
      return `attribute_not_exists(${b.name(attr)})`;
    }
    if (c?.Value === undefined) {
      throw validation(
        `One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: ${attr}`,
      );
    }
    return `${b.name(attr)} = ${b.value(c.Value)}`;
  });
  const expr = parts.map((p) => `(${p})`).join(joiner(operator));
  return b.scope().condition(expr, 'ConditionExpression');
}

/** AttributeUpdates: {attr: {Action: PUT | ADD | DELETE, Value}}. */
export function legacyUpdates(updates: Input): Update {
  const b = new Builder();
  const set: string[] = [];
  const add: string[] = [];
  const del: string[] = [];
  const remove: string[] = [];
  for (const [attr, u] of Object.entries(updates ?? {})) {
    const action = u?.Action ?? 'PUT';
    const n = b.name(attr);
    if (action === 'PUT') {
      if (u?.Value === undefined)
        throw validation(
          `One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified`,
        );
      set.push(`${n} = ${b.value(u.Value)}`);
    } else if (action === 'ADD') {
      add.push(`${n} ${b.value(u.Value)}`);
    } else if (action === 'DELETE') {
      if (u?.Value === undefined) remove.push(n);
      else del.push(`${n} ${b.value(u.Value)}`);
    } else {
      throw validation(
        `1 validation error detected: Value '${action}' at 'attributeUpdates.${attr}.member.action' failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]`,
      );
    }
  }
  const clauses = [
    set.length ? `SET ${set.join(', ')}` : '',
    add.length ? `ADD ${add.join(', ')}` : '',
    del.length ? `DELETE ${del.join(', ')}` : '',
    remove.length ? `REMOVE ${remove.join(', ')}` : '',
  ].filter(Boolean);
  if (clauses.length === 0) {
    return { apply: (item) => ({ ...item }), topLevelNames: new Set() };
  }
  return b.scope().update(clauses.join(' '));
}
