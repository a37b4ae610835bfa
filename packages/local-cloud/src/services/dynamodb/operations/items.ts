import type { Operation, RequestContext } from '../../../core/service.js';
import { itemSize } from '../engine.js';
import { validation } from '../errors.js';
import type { Item, Projection } from '../expressions/types.js';
import type { DynamoModel } from '../model/registry.js';
import { pick } from '../model/table-data.js';
import { Constraints, checkEnum, checkKeySchema, checkTableName, validKey } from '../validation.js';
import {
  checkCapacityMode,
  checkExpressionParams,
  collectionMetrics,
  consumed,
  dataTable,
  gsiUnits,
  readUnits,
  tableNameOf,
  writeUnits,
} from './common.js';
import { applyProjection, updatedProjection } from './updated-paths.js';
import {
  applyWrite,
  computeNew,
  conditionFailed,
  conditionHolds,
  current,
  type PreparedWrite,
  prepareWrite,
  scopeOf,
} from './write-core.js';

// biome-ignore lint/suspicious/noExplicitAny: inputs are checked field by field against AWS's rules.
type Input = Record<string, any>;

// AWS lists enum values in this order in its constraint messages.
const RETURN_VALUES = ['ALL_NEW', 'UPDATED_OLD', 'ALL_OLD', 'NONE', 'UPDATED_NEW'];

export function itemOperations(model: DynamoModel): Record<string, Operation> {
  return {
    PutItem: (input: Input, ctx) => write(model, ctx, 'Put', input),
    UpdateItem: (input: Input, ctx) => write(model, ctx, 'Update', input),
    DeleteItem: (input: Input, ctx) => write(model, ctx, 'Delete', input),
    GetItem: (input: Input, ctx) => getItem(model, ctx, input),
  };
}

function write(model: DynamoModel, ctx: RequestContext, kind: 'Put' | 'Update' | 'Delete', input: Input) {
  const c = new Constraints();
  checkEnum(c, input.ReturnValues, 'returnValues', RETURN_VALUES);
  checkEnum(c, input.ReturnItemCollectionMetrics, 'returnItemCollectionMetrics', ['SIZE', 'NONE']);
  const mode = checkCapacityMode(input.ReturnConsumedCapacity, c);
  c.throwIfAny();
  const rv = input.ReturnValues ?? 'NONE';
  if (kind !== 'Update' && rv !== 'NONE' && rv !== 'ALL_OLD')
    throw validation('ReturnValues can only be ALL_OLD or NONE');
  const p = prepareWrite(model, ctx, kind, input);
  const old = current(p);
  if (!conditionHolds(p, old)) throw conditionFailed(p, old);
  const next = computeNew(p, old);
  applyWrite(model, p, next);
  const out: Record<string, unknown> = {};
  const attributes = returned(p, rv, old, next, input);
  if (attributes) out.Attributes = attributes;
  if (input.ReturnItemCollectionMetrics === 'SIZE') {
    const metrics = collectionMetrics(p.t, p.key);
    if (metrics) out.ItemCollectionMetrics = metrics;
  }
  if (mode === 'TOTAL' || mode === 'INDEXES') {
    const units = writeUnits(old ? itemSize(old) : 0, next ? itemSize(next) : 0);
    out.ConsumedCapacity = consumed(mode, p.t.def.TableName, units, gsiUnits(p.t, old, next));
  }
  return out;
}

/** ReturnValues: UPDATED_* cover the paths the update writes (top-level names for AttributeUpdates). */
function returned(
  p: PreparedWrite,
  rv: string,
  old: Item | undefined,
  next: Item | undefined,
  input: Input,
): Item | undefined {
  let out: Item | undefined;
  if (rv === 'ALL_OLD') out = old;
  else if (rv === 'ALL_NEW') out = next;
  else if (rv === 'UPDATED_OLD' || rv === 'UPDATED_NEW') {
    const source = rv === 'UPDATED_OLD' ? old : next;
    const paths =
      input.UpdateExpression !== undefined
        ? updatedProjection(input.UpdateExpression, input.ExpressionAttributeNames)
        : undefined;
    if (paths) out = applyProjection(paths, source);
    else out = source && p.update ? pick(source, p.update.topLevelNames) : undefined;
  }
  return out && Object.keys(out).length > 0 ? out : undefined;
}

function getItem(model: DynamoModel, ctx: RequestContext, input: Input) {
  const c = new Constraints();
  checkTableName(c, tableNameOf(input.TableName));
  const mode = checkCapacityMode(input.ReturnConsumedCapacity, c);
  c.throwIfAny();
  const raw = validKey(input.Key);
  const project = projectionOf(input);
  const t = dataTable(model, ctx, input.TableName);
  const key = checkKeySchema(t, raw);
  const item = t.get(key);
  const out: Record<string, unknown> = {};
  if (item) out.Item = project ? project.apply(item) : item;
  const cap = consumed(mode, t.def.TableName, readUnits(item ? itemSize(item) : 0, input.ConsistentRead));
  if (cap) out.ConsumedCapacity = cap;
  return out;
}

/** ProjectionExpression or the legacy AttributesToGet (with the request's scope checks). */
export function projectionOf(
  input: Input,
  extra?: (scope: ReturnType<typeof scopeOf>) => void,
): Projection | undefined {
  checkExpressionParams(input, ['ProjectionExpression'], ['AttributesToGet']);
  const scope = scopeOf(input);
  let projection: Projection | undefined;
  if (input.ProjectionExpression !== undefined) projection = scope.projection(input.ProjectionExpression);
  extra?.(scope);
  scope.finish();
  if (input.AttributesToGet !== undefined) projection = attributesToGet(input.AttributesToGet);
  return projection;
}

export function attributesToGet(names: unknown): Projection {
  if (!Array.isArray(names) || names.length === 0) {
    throw validation(
      `1 validation error detected: Value '[]' at 'attributesToGet' failed to satisfy constraint: Member must have length greater than or equal to 1`,
    );
  }
  const seen = new Set<string>();
  for (const n of names as string[]) {
    if (seen.has(n))
      throw validation(`One or more parameter values were invalid: Duplicate value in attribute name: ${n}`);
    seen.add(n);
  }
  return { apply: (item: Item) => pick(item, seen) };
}
