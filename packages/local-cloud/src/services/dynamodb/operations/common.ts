import type { RequestContext } from '../../../core/service.js';
import { ResourceNotFoundException, tableNotFound, validation } from '../errors.js';
import type { Item } from '../expressions/types.js';
import type { DynamoModel } from '../model/registry.js';
import type { TableData } from '../model/table-data.js';
import type { Sizes } from '../model/tables.js';
import { Constraints, checkTableName } from '../validation.js';

export function tableKey(ctx: RequestContext, name: string): string {
  return `${ctx.scope.accountId}/${ctx.scope.region}/${name}`;
}

/** TableName may also be a table ARN (in the caller's account and region). */
export function tableNameOf(name: string | undefined): string | undefined {
  const m = name ? /^arn:aws[\w-]*:dynamodb:[^:]*:[^:]*:table\/([^/]+)$/.exec(name) : null;
  return m ? m[1] : name;
}

/** Data-plane lookup: a bad name is a ValidationException, a missing table "Requested resource not found". */
export function dataTable(model: DynamoModel, ctx: RequestContext, name: string | undefined): TableData {
  const n = tableNameOf(name);
  const c = new Constraints();
  checkTableName(c, n);
  c.throwIfAny();
  const t = model.table(tableKey(ctx, n as string));
  if (!t) throw tableNotFound();
  return t;
}

/** Control-plane lookup (DescribeTable, DeleteTable...): AWS names the table in the error. */
export function controlTable(model: DynamoModel, ctx: RequestContext, name: string | undefined): TableData {
  const n = tableNameOf(name);
  const c = new Constraints();
  checkTableName(c, n);
  c.throwIfAny();
  const t = model.table(tableKey(ctx, n as string));
  if (!t) throw new ResourceNotFoundException(`Requested resource not found: Table: ${n} not found`);
  return t;
}

export function sizesOf(t: TableData): Sizes {
  return {
    count: t.primary.count,
    bytes: t.primary.bytes,
    index: (name) => {
      const s = t.indexes.get(name);
      return { count: s?.count ?? 0, bytes: s?.bytes ?? 0 };
    },
  };
}

export type CapacityMode = 'INDEXES' | 'TOTAL' | 'NONE' | undefined;

export function checkCapacityMode(mode: unknown, c: Constraints): CapacityMode {
  if (mode !== undefined && !['INDEXES', 'TOTAL', 'NONE'].includes(String(mode))) {
    c.add(mode, 'returnConsumedCapacity', 'Member must satisfy enum value set: [INDEXES, TOTAL, NONE]');
  }
  return mode as CapacityMode;
}

/** Write units: 1 per started KB of the larger of the old and new item (at least 1). */
export function writeUnits(...sizes: number[]): number {
  return Math.max(1, Math.ceil(Math.max(0, ...sizes) / 1024));
}

/** Read units: 1 per started 4 KB (at least 1), halved for eventually consistent reads. */
export function readUnits(bytes: number, consistent: boolean | undefined): number {
  const units = Math.max(1, Math.ceil(bytes / 4096));
  return consistent ? units : units / 2;
}

/** ConsumedCapacity for one table (INDEXES also breaks it down per table and index). */
export function consumed(
  mode: CapacityMode,
  table: string,
  units: number,
  indexes: Record<string, number> = {},
): Record<string, unknown> | undefined {
  if (mode !== 'TOTAL' && mode !== 'INDEXES') return undefined;
  const indexTotal = Object.values(indexes).reduce((a, b) => a + b, 0);
  const total = units + indexTotal;
  const out: Record<string, unknown> = { TableName: table, CapacityUnits: total };
  if (mode === 'INDEXES') {
    out.Table = { CapacityUnits: units };
    const gsis = Object.entries(indexes);
    if (gsis.length) out.GlobalSecondaryIndexes = Object.fromEntries(gsis.map(([k, v]) => [k, { CapacityUnits: v }]));
  }
  return out;
}

/** Write units charged to each GSI the old or new item appears in. */
export function gsiUnits(t: TableData, oldItem: Item | undefined, newItem: Item | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const index of t.def.indexes) {
    if (!index.global) continue;
    const inOld = oldItem !== undefined && t.inIndex(index, oldItem);
    const inNew = newItem !== undefined && t.inIndex(index, newItem);
    if (inOld || inNew) out[index.IndexName] = inOld && inNew ? 2 : 1;
  }
  return out;
}

/**
 * AWS's checks on which expression parameters a request uses: expressions cannot be mixed with
 * their legacy equivalents, and placeholder maps need an expression that could use them.
 */
export function checkExpressionParams(input: Record<string, unknown>, expressions: string[], legacy: string[]): void {
  const used = expressions.filter((k) => input[k] !== undefined);
  if (used.length) {
    // KeyConditions alone may accompany expressions other than KeyConditionExpression.
    const old = legacy.filter(
      (k) => input[k] !== undefined && !(k === 'KeyConditions' && input.KeyConditionExpression === undefined),
    );
    if (old.length) {
      throw validation(
        `Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {${old.join(', ')}} Expression parameters: {${used.join(', ')}}`,
      );
    }
  }
  if (input.ExpressionAttributeNames !== undefined && !used.length) {
    throw validation('ExpressionAttributeNames can only be specified when using expressions');
  }
  const valued = expressions.filter((k) => k !== 'ProjectionExpression');
  if (valued.length && input.ExpressionAttributeValues !== undefined && valued.every((k) => input[k] === undefined)) {
    throw validation(
      `ExpressionAttributeValues can only be specified when using expressions: ${valued.join(' and ')} ${valued.length > 1 ? 'are' : 'is'} null`,
    );
  }
}

/**
 * ItemCollectionMetrics (ReturnItemCollectionMetrics SIZE, tables with LSIs only): the size of the
 * item's collection (its partition, table and LSI entries) as a [lower, upper] GB estimate.
 */
export function collectionMetrics(t: TableData, key: Item): Record<string, unknown> | undefined {
  if (!t.def.indexes.some((i) => !i.global)) return undefined;
  const hash = key[t.hashName];
  if (!hash) return undefined;
  let bytes = 0;
  for (const e of t.primary.partition(hash)?.entries ?? []) bytes += e.bytes;
  for (const i of t.def.indexes) {
    if (i.global) continue;
    for (const e of t.indexes.get(i.IndexName)?.partition(hash)?.entries ?? []) bytes += e.bytes;
  }
  const gb = Math.floor(bytes / 2 ** 30);
  return { ItemCollectionKey: { [t.hashName]: hash }, SizeEstimateRangeGB: [gb, gb + 1] };
}

/** Metrics for a batch or transaction: per table, one entry per item collection written. */
export function batchCollectionMetrics(writes: Array<{ t: TableData; key: Item }>): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  const seen = new Set<string>();
  for (const { t, key } of writes) {
    const m = collectionMetrics(t, key);
    const id = `${t.def.key}\u0000${JSON.stringify(key[t.hashName])}`;
    if (!m || seen.has(id)) continue;
    seen.add(id);
    const list = out[t.def.TableName] ?? [];
    list.push(m);
    out[t.def.TableName] = list;
  }
  return out;
}
