import type { Operation, RequestContext } from '../../../core/service.js';
import { itemSize } from '../engine.js';
import { validation } from '../errors.js';
import type { Item } from '../expressions/types.js';
import { primaryKeyId } from '../model/keys.js';
import type { DynamoModel } from '../model/registry.js';
import type { TableData } from '../model/table-data.js';
import { Constraints, checkItem, checkKey, keyOf } from '../validation.js';
import {
  batchCollectionMetrics,
  checkCapacityMode,
  consumed,
  dataTable,
  gsiUnits,
  readUnits,
  writeUnits,
} from './common.js';
import { projectionOf } from './items.js';

// biome-ignore lint/suspicious/noExplicitAny: inputs are checked field by field against AWS's rules.
type Input = Record<string, any>;

const MAX_BATCH_GET_BYTES = 16 * 1024 * 1024;
const DUPLICATES = 'Provided list of item keys contains duplicates';

export function batchOperations(model: DynamoModel): Record<string, Operation> {
  return {
    BatchGetItem: (input: Input, ctx) => batchGet(model, ctx, input),
    BatchWriteItem: (input: Input, ctx) => batchWrite(model, ctx, input),
  };
}

function requestItems(input: Input): Record<string, Input> {
  const c = new Constraints();
  const req = input.RequestItems;
  if (!req || typeof req !== 'object') c.add(undefined, 'requestItems', 'Member must not be null');
  else if (Object.keys(req).length === 0)
    c.add('{}', 'requestItems', 'Member must have length greater than or equal to 1');
  c.throwIfAny();
  return req;
}

function batchGet(model: DynamoModel, ctx: RequestContext, input: Input) {
  const c = new Constraints();
  const mode = checkCapacityMode(input.ReturnConsumedCapacity, c);
  c.throwIfAny();
  const req = requestItems(input);
  let total = 0;
  const plans = Object.entries(req).map(([name, r]) => {
    const keys: unknown[] = Array.isArray(r?.Keys) ? r.Keys : [];
    if (keys.length < 1 || keys.length > 100) {
      const lc = new Constraints();
      lc.add(
        `{${name}=${JSON.stringify(r)}}`,
        'requestItems',
        `Map value must satisfy constraint: [Member must have length less than or equal to 100, Member must have length greater than or equal to 1]`,
      );
      lc.throwIfAny();
    }
    total += keys.length;
    return { name, r, keys };
  });
  if (total > 100) throw validation('Too many items requested for the BatchGetItem call');
  const checked = plans.map(({ name, r, keys }) => {
    const t = dataTable(model, ctx, name);
    const projection = projectionOf(r);
    const seen = new Set<string>();
    const ks = keys.map((k) => {
      const key = checkKey(t, k as Item);
      const id = primaryKeyId(key, t.def.KeySchema);
      if (seen.has(id)) throw validation(DUPLICATES);
      seen.add(id);
      return key;
    });
    return { name, t, r, keys: ks, projection };
  });
  const responses: Record<string, Item[]> = {};
  const unprocessed: Record<string, Input> = {};
  const capacity: Array<Record<string, unknown>> = [];
  let bytes = 0;
  for (const { name, t, r, keys, projection } of checked) {
    const found: Item[] = [];
    let tableBytes = 0;
    for (const key of keys) {
      const item = t.get(key);
      if (!item) continue;
      const size = itemSize(item);
      // A response stops short of 16 MB; the keys left over come back as UnprocessedKeys.
      if (bytes + size > MAX_BATCH_GET_BYTES) {
        unprocessed[name] ??= { ...r, Keys: [] };
        unprocessed[name].Keys.push(key);
        bytes = MAX_BATCH_GET_BYTES;
        continue;
      }
      bytes += size;
      tableBytes += size;
      found.push(projection ? projection.apply(item) : item);
    }
    responses[name] = found;
    const cap = consumed(mode, t.def.TableName, readUnits(tableBytes, r.ConsistentRead));
    if (cap) capacity.push(cap);
  }
  const out: Record<string, unknown> = { Responses: responses, UnprocessedKeys: unprocessed };
  if (mode === 'TOTAL' || mode === 'INDEXES') out.ConsumedCapacity = capacity;
  return out;
}

interface WriteOp {
  t: TableData;
  put?: Item;
  key: Item;
}

function batchWrite(model: DynamoModel, ctx: RequestContext, input: Input) {
  const c = new Constraints();
  const mode = checkCapacityMode(input.ReturnConsumedCapacity, c);
  c.throwIfAny();
  const req = requestItems(input);
  let total = 0;
  for (const [name, list] of Object.entries(req)) {
    const n = Array.isArray(list) ? list.length : 0;
    if (n < 1 || n > 25) {
      const lc = new Constraints();
      lc.add(
        `{${name}=${JSON.stringify(list)}}`,
        'requestItems',
        'Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]',
      );
      lc.throwIfAny();
    }
    total += n;
  }
  if (total > 25) throw validation('Too many items requested for the BatchWriteItem call');
  const ops: WriteOp[] = [];
  for (const [name, list] of Object.entries(req)) {
    const t = dataTable(model, ctx, name);
    const seen = new Set<string>();
    for (const r of list as Input[]) {
      const op = writeOp(t, r);
      const id = primaryKeyId(op.key, t.def.KeySchema);
      if (seen.has(id)) throw validation(DUPLICATES);
      seen.add(id);
      ops.push(op);
    }
  }
  const units = new Map<string, { t: TableData; units: number; gsi: Record<string, number> }>();
  const counting = mode === 'TOTAL' || mode === 'INDEXES';
  for (const op of ops) {
    const old = op.put ? model.putItem(op.t, op.put) : model.deleteItem(op.t, op.key);
    if (!counting) continue;
    const u = units.get(op.t.def.key) ?? { t: op.t, units: 0, gsi: {} };
    u.units += writeUnits(old ? itemSize(old) : 0, op.put ? itemSize(op.put) : 0);
    for (const [k, v] of Object.entries(gsiUnits(op.t, old, op.put))) u.gsi[k] = (u.gsi[k] ?? 0) + v;
    units.set(op.t.def.key, u);
  }
  const out: Record<string, unknown> = { UnprocessedItems: {} };
  if (input.ReturnItemCollectionMetrics === 'SIZE') out.ItemCollectionMetrics = batchCollectionMetrics(ops);
  if (counting) {
    out.ConsumedCapacity = [...units.values()].map((u) => consumed(mode, u.t.def.TableName, u.units, u.gsi));
  }
  return out;
}

function writeOp(t: TableData, r: Input): WriteOp {
  const put = r?.PutRequest;
  const del = r?.DeleteRequest;
  if ((put && del) || (!put && !del)) {
    throw validation(
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    );
  }
  if (put) {
    const item = checkItem(t, put.Item);
    return { t, put: item, key: keyOf(t, item) };
  }
  return { t, key: checkKey(t, del.Key) };
}
