import { expect } from 'vitest';
import { createScope } from '../../src/services/dynamodb/expressions/index.js';
import type { AttributeValue, Item } from '../../src/services/dynamodb/expressions/types.js';

/** Shorthand for building AttributeValues in tables. */
export const S = (s: string): AttributeValue => ({ S: s });
export const N = (n: string | number): AttributeValue => ({ N: String(n) });
export const B = (bytes: number[]): AttributeValue => ({ B: Buffer.from(bytes).toString('base64') });

/** The ValidationException message thrown by fn (asserting it is one), or undefined. */
export function validationMessage(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    const err = e as { code?: string; namespace?: string; message: string };
    expect(err.code).toBe('ValidationException');
    expect(err.namespace).toBe('com.amazon.coral.validate');
    return err.message;
  }
  return undefined;
}

/** Placeholder maps as a request would send them: an empty table entry means "not sent". */
export const sent = <T>(map?: Record<string, T>) => (map && Object.keys(map).length > 0 ? map : undefined);

/** Evaluates a ConditionExpression against an item with the given placeholders. */
export function check(
  expression: string,
  item: Item | undefined,
  values?: Record<string, AttributeValue>,
  names?: Record<string, string>,
): boolean {
  const scope = createScope(sent(names), sent(values));
  return scope.condition(expression, 'ConditionExpression').evaluate(item);
}

/** Applies an UpdateExpression to an item with the given placeholders. */
export function update(
  expression: string,
  item: Item,
  values?: Record<string, AttributeValue>,
  names?: Record<string, string>,
): Item {
  const scope = createScope(sent(names), sent(values));
  const compiled = scope.update(expression);
  scope.finish();
  return compiled.apply(item);
}
