import type { AwsError } from '../../../core/errors.js';
import type { RequestContext } from '../../../core/service.js';
import { createScope } from '../engine.js';
import { ConditionalCheckFailedException, validation } from '../errors.js';
import type { Condition, ExpressionScope, Item, Update } from '../expressions/types.js';
import type { DynamoModel } from '../model/registry.js';
import type { TableData } from '../model/table-data.js';
import {
  Constraints,
  checkEnum,
  checkItem,
  checkItemSchema,
  checkKeySchema,
  checkTableName,
  keyOf,
  validItem,
  validKey,
} from '../validation.js';
import { checkExpressionParams, dataTable, tableNameOf } from './common.js';
import { legacyExpected, legacyUpdates } from './legacy.js';

/**
 * One checked write (PutItem, UpdateItem, DeleteItem, or a transaction's ConditionCheck): validated
 * and compiled up front, then evaluated against the current item and applied. Shared by the single
 * item operations, BatchWriteItem and TransactWriteItems.
 */
export type WriteKind = 'Put' | 'Update' | 'Delete' | 'ConditionCheck';

export interface PreparedWrite {
  kind: WriteKind;
  t: TableData;
  key: Item;
  item?: Item;
  update?: Update;
  condition?: Condition;
  returnOnFailure: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: inputs are checked field by field against AWS's rules.
type Input = Record<string, any>;

export function scopeOf(input: Input): ExpressionScope {
  return createScope(input.ExpressionAttributeNames, input.ExpressionAttributeValues);
}

export function prepareWrite(model: DynamoModel, ctx: RequestContext, kind: WriteKind, input: Input): PreparedWrite {
  const c = new Constraints();
  checkTableName(c, tableNameOf(input.TableName));
  checkEnum(c, input.ReturnValuesOnConditionCheckFailure, 'returnValuesOnConditionCheckFailure', ['ALL_OLD', 'NONE']);
  c.throwIfAny();
  if (kind === 'Update')
    checkExpressionParams(input, ['UpdateExpression', 'ConditionExpression'], ['AttributeUpdates', 'Expected']);
  else checkExpressionParams(input, ['ConditionExpression'], kind === 'ConditionCheck' ? [] : ['Expected']);
  const raw = kind === 'Put' ? validItem(input.Item) : validKey(input.Key);
  const { update, condition } = compileWrite(kind, input);
  const t = dataTable(model, ctx, input.TableName);
  const p: PreparedWrite = {
    kind,
    t,
    key: {},
    returnOnFailure: input.ReturnValuesOnConditionCheckFailure === 'ALL_OLD',
  };
  if (kind === 'Put') {
    p.item = checkItemSchema(t, raw);
    p.key = keyOf(t, p.item);
  } else {
    p.key = checkKeySchema(t, raw);
  }
  if (update) {
    checkKeyUpdate(t, update);
    p.update = update;
  }
  if (condition) p.condition = condition;
  return p;
}

/** Compiles a write's expressions (or legacy parameters); AWS checks them before looking at the table. */
function compileWrite(kind: WriteKind, input: Input): { update?: Update; condition?: Condition } {
  const scope = scopeOf(input);
  let update: Update | undefined;
  if (kind === 'Update' && input.AttributeUpdates !== undefined) update = legacyUpdates(input.AttributeUpdates);
  else if (kind === 'Update' && input.UpdateExpression !== undefined) update = scope.update(input.UpdateExpression);
  if (kind === 'ConditionCheck' && input.ConditionExpression === undefined) {
    throw validation(
      "1 validation error detected: Value null at 'transactItems.1.member.conditionCheck.conditionExpression' failed to satisfy constraint: Member must not be null",
    );
  }
  let condition: Condition | undefined;
  if (input.ConditionExpression !== undefined) {
    condition = scope.condition(input.ConditionExpression, 'ConditionExpression');
  } else if (input.Expected !== undefined) {
    condition = legacyExpected(input.Expected, input.ConditionalOperator);
  }
  scope.finish();
  const out: { update?: Update; condition?: Condition } = {};
  if (update) out.update = update;
  if (condition) out.condition = condition;
  return out;
}

function checkKeyUpdate(t: TableData, update: Update): void {
  for (const k of t.def.KeySchema) {
    if (update.topLevelNames.has(k.AttributeName)) {
      throw validation(
        `One or more parameter values were invalid: Cannot update attribute ${k.AttributeName}. This attribute is part of the key`,
      );
    }
  }
}

/** The item as it is now, or undefined. */
export function current(p: PreparedWrite): Item | undefined {
  return p.t.get(p.key);
}

export function conditionHolds(p: PreparedWrite, old: Item | undefined): boolean {
  return !p.condition || p.condition.evaluate(old);
}

export function conditionFailed(p: PreparedWrite, old: Item | undefined): AwsError {
  const err = new ConditionalCheckFailedException('The conditional request failed');
  if (p.returnOnFailure && old) err.extra.Item = old;
  return err;
}

/** The item after the write (undefined when deleted or for a ConditionCheck), validated. */
export function computeNew(p: PreparedWrite, old: Item | undefined): Item | undefined {
  switch (p.kind) {
    case 'Put':
      return p.item;
    case 'Delete':
    case 'ConditionCheck':
      return undefined;
    case 'Update': {
      const base = old ?? { ...p.key };
      const next = p.update ? p.update.apply(base) : base;
      try {
        return checkItem(p.t, next);
      } catch (e) {
        if ((e as Error).message === 'Item size has exceeded the maximum allowed size') {
          throw validation('Item size to update has exceeded the maximum allowed size');
        }
        throw e;
      }
    }
  }
}

/** Stores the result of a write. */
export function applyWrite(model: DynamoModel, p: PreparedWrite, next: Item | undefined): void {
  if (p.kind === 'ConditionCheck') return;
  if (next) model.putItem(p.t, next);
  else model.deleteItem(p.t, p.key);
}
