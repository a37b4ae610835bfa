import { AwsError } from '../../../core/errors.js';
import type { Operation, RequestContext } from '../../../core/service.js';
import { itemSize } from '../engine.js';
import { IdempotentParameterMismatchException, TransactionCanceledException, validation } from '../errors.js';
import type { Item } from '../expressions/types.js';
import { primaryKeyId } from '../model/keys.js';
import type { DynamoModel } from '../model/registry.js';
import { Constraints, checkKey } from '../validation.js';
import { batchCollectionMetrics, checkCapacityMode, consumed, dataTable, readUnits, writeUnits } from './common.js';
import { projectionOf } from './items.js';
import {
  applyWrite,
  computeNew,
  conditionHolds,
  current,
  type PreparedWrite,
  prepareWrite,
  type WriteKind,
} from './write-core.js';

// biome-ignore lint/suspicious/noExplicitAny: inputs are checked field by field against AWS's rules.
type Input = Record<string, any>;

/** ClientRequestToken makes TransactWriteItems idempotent for 10 minutes. */
const TOKEN_TTL_MS = 10 * 60 * 1000;
const KINDS: WriteKind[] = ['ConditionCheck', 'Put', 'Delete', 'Update'];

export function transactionOperations(model: DynamoModel): Record<string, Operation> {
  // In memory only: tokens are forgotten on restart (GAPS.md).
  const tokens = model.txTokens;
  return {
    TransactWriteItems: (input: Input, ctx) => {
      const token = input.ClientRequestToken as string | undefined;
      const scoped = token === undefined ? undefined : `${ctx.scope.accountId}/${ctx.scope.region}/${token}`;
      const request = JSON.stringify({ ...input, ClientRequestToken: undefined });
      const now = model.clock.now();
      for (const [k, r] of tokens) if (now - r.at >= TOKEN_TTL_MS) tokens.delete(k);
      const seen = scoped === undefined ? undefined : tokens.get(scoped);
      if (seen) {
        if (seen.request !== request) {
          throw new IdempotentParameterMismatchException(
            'Request parameters do not match the parameters of the original request with the same client token',
          );
        }
        return seen.response;
      }
      const response = transactWrite(model, ctx, input);
      if (scoped !== undefined) tokens.set(scoped, { request, response, at: now });
      return response;
    },
    TransactGetItems: (input: Input, ctx) => transactGet(model, ctx, input),
  };
}

function transactItems(input: Input): Input[] {
  const c = new Constraints();
  const items = input.TransactItems;
  if (!Array.isArray(items)) c.add(undefined, 'transactItems', 'Member must not be null');
  else if (items.length < 1) c.add('[]', 'transactItems', 'Member must have length greater than or equal to 1');
  else if (items.length > 100) c.add(items, 'transactItems', 'Member must have length less than or equal to 100');
  checkCapacityMode(input.ReturnConsumedCapacity, c);
  const token = input.ClientRequestToken;
  if (typeof token === 'string' && token.length > 36) {
    c.add(token, 'clientRequestToken', 'Member must have length less than or equal to 36');
  }
  if (token === '') c.add(token, 'clientRequestToken', 'Member must have length greater than or equal to 1');
  c.throwIfAny();
  return items;
}

function transactWrite(model: DynamoModel, ctx: RequestContext, input: Input) {
  const items = transactItems(input);
  const prepared: PreparedWrite[] = [];
  const ids = new Set<string>();
  for (const entry of items) {
    const kinds = KINDS.filter((k) => entry?.[k] !== undefined);
    if (kinds.length !== 1) {
      throw validation('TransactItems can only contain one of Check, Put, Update or Delete');
    }
    const kind = kinds[0] as WriteKind;
    const p = prepareWrite(model, ctx, kind, entry[kind]);
    const id = `${p.t.def.key}\u0000${primaryKeyId(p.key, p.t.def.KeySchema)}`;
    if (ids.has(id)) throw validation('Transaction request cannot include multiple operations on one item');
    ids.add(id);
    prepared.push(p);
  }
  const olds = prepared.map(current);
  const nexts: Array<Item | undefined> = [];
  let failed = false;
  const reasons = prepared.map((p, i) => {
    const old = olds[i];
    if (!conditionHolds(p, old)) {
      failed = true;
      const reason: Record<string, unknown> = {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
      };
      if (p.returnOnFailure && old) reason.Item = old;
      return reason;
    }
    try {
      nexts[i] = computeNew(p, old);
    } catch (e) {
      if (!(e instanceof AwsError) || e.code !== 'ValidationException') throw e;
      failed = true;
      return { Code: 'ValidationError', Message: e.message };
    }
    return { Code: 'None' };
  });
  if (failed) {
    const codes = reasons.map((r) => r.Code).join(', ');
    const err = new TransactionCanceledException(
      `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes}]`,
    );
    err.extra.CancellationReasons = reasons;
    throw err;
  }
  for (const [i, p] of prepared.entries()) applyWrite(model, p, nexts[i]);
  const out: Record<string, unknown> = capacity(input, prepared, olds, nexts);
  if (input.ReturnItemCollectionMetrics === 'SIZE') {
    out.ItemCollectionMetrics = batchCollectionMetrics(prepared.filter((p) => p.kind !== 'ConditionCheck'));
  }
  return out;
}

function capacity(
  input: Input,
  prepared: PreparedWrite[],
  olds: Array<Item | undefined>,
  nexts: Array<Item | undefined>,
) {
  const mode = input.ReturnConsumedCapacity;
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return {};
  const byTable = new Map<string, number>();
  prepared.forEach((p, i) => {
    const old = olds[i];
    const next = nexts[i];
    // Transactional writes cost two write units per KB.
    const units = 2 * writeUnits(old ? itemSize(old) : 0, next ? itemSize(next) : 0);
    byTable.set(p.t.def.TableName, (byTable.get(p.t.def.TableName) ?? 0) + units);
  });
  return { ConsumedCapacity: [...byTable].map(([name, units]) => consumed(mode, name, units)) };
}

function transactGet(model: DynamoModel, ctx: RequestContext, input: Input) {
  const items = transactItems(input);
  const ids = new Set<string>();
  const gets = items.map((entry) => {
    const g = entry?.Get;
    if (!g)
      throw validation(
        "1 validation error detected: Value null at 'transactItems.1.member.get' failed to satisfy constraint: Member must not be null",
      );
    const t = dataTable(model, ctx, g.TableName);
    const key = checkKey(t, g.Key);
    const id = `${t.def.key}\u0000${primaryKeyId(key, t.def.KeySchema)}`;
    if (ids.has(id)) throw validation('Transaction request cannot include multiple operations on one item');
    ids.add(id);
    return { t, key, projection: projectionOf(g) };
  });
  const byTable = new Map<string, number>();
  const responses = gets.map(({ t, key, projection }) => {
    const item = t.get(key);
    byTable.set(t.def.TableName, (byTable.get(t.def.TableName) ?? 0) + 2 * readUnits(item ? itemSize(item) : 0, true));
    if (!item) return {};
    return { Item: projection ? projection.apply(item) : item };
  });
  const out: Record<string, unknown> = { Responses: responses };
  const mode = input.ReturnConsumedCapacity;
  if (mode === 'TOTAL' || mode === 'INDEXES') {
    out.ConsumedCapacity = [...byTable].map(([name, units]) => consumed(mode, name, units));
  }
  return out;
}
