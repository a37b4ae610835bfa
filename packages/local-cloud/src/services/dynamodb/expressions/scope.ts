import { AwsError } from '../../../core/errors.js';
import { validation } from '../errors.js';
import { normalizeValue, validateValue } from '../values.js';
import type { ExpressionKind } from './ast.js';
import { conditionAttributes, evalCondition } from './condition.js';
import { compileKeyCondition } from './key-condition.js';
import { Parser, type Resolver } from './parser.js';
import { compileProjection } from './projection.js';
import type { AttributeValue, Condition, ExpressionScope, KeySchemaElement } from './types.js';
import { compileUpdate } from './update.js';
import { parseProjection, parseUpdate } from './update-parser.js';

const PLACEHOLDER = /^[#:][A-Za-z0-9_]+$/;
/** Expressions may be up to 4 KB. */
const MAX_EXPRESSION_BYTES = 4096;

function checkKeys(label: string, keys: string[], prefix: '#' | ':'): void {
  if (keys.length === 0) throw validation(`${label} must not be empty`);
  for (const key of keys) {
    if (!key.startsWith(prefix) || !PLACEHOLDER.test(key)) {
      throw validation(`${label} contains invalid key: Syntax error; key: "${key}"`);
    }
  }
}

function checkedValues(values: Record<string, AttributeValue>): Map<string, AttributeValue> {
  const out = new Map<string, AttributeValue>();
  for (const [key, value] of Object.entries(values)) {
    try {
      validateValue(value);
    } catch (e) {
      if (!(e instanceof AwsError) || e.code !== 'ValidationException') throw e;
      throw validation(`ExpressionAttributeValues contains invalid value: ${e.message} for key ${key}`);
    }
    out.set(key, normalizeValue(value));
  }
  return out;
}

/**
 * One request's expressions. Placeholders are checked when the scope is made (empty maps,
 * malformed keys, invalid values) and while parsing (undefined ones); finish() reports the unused.
 */
export function createScope(names?: Record<string, string>, values?: Record<string, AttributeValue>): ExpressionScope {
  if (names) checkKeys('ExpressionAttributeNames', Object.keys(names), '#');
  if (values) checkKeys('ExpressionAttributeValues', Object.keys(values), ':');
  const nameMap = new Map(Object.entries(names ?? {}));
  const valueMap = values ? checkedValues(values) : new Map<string, AttributeValue>();
  const usedNames = new Set<string>();
  const usedValues = new Set<string>();
  const resolver: Resolver = {
    name(p) {
      const n = nameMap.get(p);
      if (n !== undefined) usedNames.add(p);
      return n;
    },
    value(p) {
      const v = valueMap.get(p);
      if (v !== undefined) usedValues.add(p);
      return v;
    },
  };
  const parser = (expression: string, kind: ExpressionKind) => {
    const size = Buffer.byteLength(expression, 'utf8');
    if (size > MAX_EXPRESSION_BYTES) {
      throw validation(
        `Invalid ${kind}: Expression size has exceeded the maximum allowed size; expression size: ${size}`,
      );
    }
    return new Parser(expression, kind, resolver);
  };

  return {
    condition(expression, kind): Condition {
      const node = parser(expression, kind).parseConditionExpression();
      return { evaluate: (item) => evalCondition(node, item), attributes: () => conditionAttributes(node) };
    },
    update(expression) {
      return compileUpdate(parseUpdate(parser(expression, 'UpdateExpression')));
    },
    projection(expression) {
      return compileProjection(parseProjection(parser(expression, 'ProjectionExpression')));
    },
    keyCondition(expression: string, keySchema: KeySchemaElement[]) {
      const node = parser(expression, 'KeyConditionExpression').parseConditionExpression();
      return compileKeyCondition(node, keySchema);
    },
    finish() {
      const unusedNames = [...nameMap.keys()].filter((k) => !usedNames.has(k));
      if (unusedNames.length > 0) {
        throw validation(
          `Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(', ')}}`,
        );
      }
      const unusedValues = [...valueMap.keys()].filter((k) => !usedValues.has(k));
      if (unusedValues.length > 0) {
        throw validation(
          `Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(', ')}}`,
        );
      }
    },
  };
}
