import { AwsError } from '../../../core/errors.js';
import type { RequestContext } from '../../../core/service.js';
import { validatedItem } from '../engine.js';
import { validation } from '../errors.js';
import type { Condition, ExpressionScope, Item, KeySchemaElement, Projection } from '../expressions/types.js';
import type { Entry, KeySpace } from '../model/keyspace.js';
import type { DynamoModel } from '../model/registry.js';
import { pick, type TableData } from '../model/table-data.js';
import { type IndexDef, projectedNames } from '../model/tables.js';
import { Constraints, checkEnum, checkTableName, typeOf } from '../validation.js';
import {
  type CapacityMode,
  checkCapacityMode,
  checkExpressionParams,
  consumed,
  dataTable,
  readUnits,
  tableNameOf,
} from './common.js';
import { attributesToGet } from './items.js';
import { legacyFilter } from './legacy.js';
import { scopeOf } from './write-core.js';

/** What Query and Scan share: the key space read, filter, projection, Select, Limit and paging. */
export interface ReadPlan {
  t: TableData;
  index?: IndexDef;
  space: KeySpace;
  /** Key attributes of LastEvaluatedKey / ExclusiveStartKey: table key, then index key. */
  keyNames: string[];
  filter?: Condition;
  projection?: Projection;
  projected?: Set<string>;
  select: string;
  limit?: number;
  consistent: boolean;
  mode: CapacityMode;
}

// biome-ignore lint/suspicious/noExplicitAny: inputs are checked field by field against AWS's rules.
type Input = Record<string, any>;

const PAGE_BYTES = 1024 * 1024;
const SELECT = ['SPECIFIC_ATTRIBUTES', 'COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES'];

export function planRead(
  model: DynamoModel,
  ctx: RequestContext,
  input: Input,
  op: 'Query' | 'Scan',
  withScope?: (scope: ExpressionScope, schema: KeySchemaElement[]) => void,
): ReadPlan {
  const mode = checkReadInput(input, op);
  const t = dataTable(model, ctx, input.TableName);
  const index = input.IndexName === undefined ? undefined : t.def.indexes.find((i) => i.IndexName === input.IndexName);
  if (input.IndexName !== undefined && !index)
    throw validation(`The table does not have the specified index: ${input.IndexName}`);
  if (index?.global && input.ConsistentRead)
    throw validation('Consistent reads are not supported on global secondary indexes');
  const select = checkSelect(input, index);
  const scope = scopeOf(input);
  withScope?.(scope, index ? index.KeySchema : t.def.KeySchema);
  const plan: ReadPlan = {
    t,
    space: index ? (t.indexes.get(index.IndexName) as KeySpace) : t.primary,
    keyNames: [...t.def.KeySchema, ...(index?.KeySchema ?? [])]
      .map((k) => k.AttributeName)
      .filter((n, i, all) => all.indexOf(n) === i),
    select,
    consistent: input.ConsistentRead === true,
    mode,
  };
  if (index) plan.index = index;
  if (input.Limit !== undefined) plan.limit = input.Limit;
  addExpressions(plan, input, scope, op);
  // LSIs fetch attributes they do not project from the table; GSIs return only what they project.
  const fetches = select === 'ALL_ATTRIBUTES' || (index && !index.global && select === 'SPECIFIC_ATTRIBUTES');
  const names = index && !fetches ? projectedNames(t.def, index) : undefined;
  if (names) plan.projected = names;
  return plan;
}

/** Constraint and expression-parameter checks, made before the table is looked up. */
function checkReadInput(input: Input, op: 'Query' | 'Scan'): CapacityMode {
  const c = new Constraints();
  checkTableName(c, tableNameOf(input.TableName));
  checkEnum(c, input.Select, 'select', SELECT);
  const mode = checkCapacityMode(input.ReturnConsumedCapacity, c);
  if (input.Limit !== undefined && input.Limit < 1) {
    c.add(input.Limit, 'limit', 'Member must have value greater than or equal to 1');
  }
  c.throwIfAny();
  const query = op === 'Query';
  checkExpressionParams(
    input,
    ['ProjectionExpression', 'FilterExpression', ...(query ? ['KeyConditionExpression'] : [])],
    [
      'AttributesToGet',
      query ? 'QueryFilter' : 'ScanFilter',
      'ConditionalOperator',
      ...(query ? ['KeyConditions'] : []),
    ],
  );
  return mode;
}

/** FilterExpression and ProjectionExpression, or their legacy forms. */
function addExpressions(plan: ReadPlan, input: Input, scope: ExpressionScope, op: 'Query' | 'Scan'): void {
  if (input.FilterExpression !== undefined) plan.filter = scope.condition(input.FilterExpression, 'FilterExpression');
  if (input.ProjectionExpression !== undefined) plan.projection = scope.projection(input.ProjectionExpression);
  scope.finish();
  if (input.AttributesToGet !== undefined) plan.projection = attributesToGet(input.AttributesToGet);
  const legacy = op === 'Query' ? input.QueryFilter : input.ScanFilter;
  if (op === 'Query' && plan.filter) rejectKeyFilter(plan, plan.filter.attributes(), 'Filter Expression');
  if (legacy === undefined) return;
  if (op === 'Query') rejectKeyFilter(plan, Object.keys(legacy), 'QueryFilter');
  plan.filter = legacyFilter(legacy, input.ConditionalOperator);
}

/** A Query's filter may not read the key attributes of the table or index it queries (hash key first). */
function rejectKeyFilter(plan: ReadPlan, attributes: string[], what: string): void {
  const keys = (plan.index ?? plan.t.def).KeySchema.map((k) => k.AttributeName);
  const onKey = keys.find((k) => attributes.includes(k));
  if (onKey) throw validation(`${what} can only contain non-primary key attributes: Primary key attribute: ${onKey}`);
}

function checkSelect(input: Input, index: IndexDef | undefined): string {
  const specific = input.ProjectionExpression !== undefined || input.AttributesToGet !== undefined;
  const select =
    input.Select ?? (specific ? 'SPECIFIC_ATTRIBUTES' : index ? 'ALL_PROJECTED_ATTRIBUTES' : 'ALL_ATTRIBUTES');
  if (select === 'ALL_PROJECTED_ATTRIBUTES' && !index) {
    throw validation('ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName');
  }
  if (specific && select !== 'SPECIFIC_ATTRIBUTES') {
    const what = input.ProjectionExpression !== undefined ? 'ProjectionExpression' : 'AttributesToGet';
    const how =
      select === 'COUNT'
        ? 'to get only the Count'
        : select === 'ALL_ATTRIBUTES'
          ? 'to get ALL_ATTRIBUTES'
          : `Select: ${select}`;
    throw validation(`Cannot specify the ${what} when choosing ${how}`);
  }
  if (select === 'ALL_ATTRIBUTES' && index?.global && index.Projection.ProjectionType !== 'ALL') {
    throw validation(
      `One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index ${index.IndexName} because its projection type is not ALL`,
    );
  }
  return select;
}

/**
 * ExclusiveStartKey must hold exactly the key attributes (table key, plus index key for indexes).
 * AWS only explains the mismatch for table keys ("...: The provided key element does not match the schema").
 */
export function checkStartKey(plan: ReadPlan, start: Item | undefined, op: 'Query' | 'Scan'): Item | undefined {
  if (start === undefined) return undefined;
  validStartValues(start);
  const bare = validation('The provided starting key is invalid');
  const schema = validation('The provided starting key is invalid: The provided key element does not match the schema');
  if (typeof start !== 'object' || Object.keys(start).length !== plan.keyNames.length) {
    throw op === 'Scan' && !plan.index ? schema : bare;
  }
  const tableKeys = new Set(plan.t.def.KeySchema.map((k) => k.AttributeName));
  for (const n of plan.keyNames) {
    const want = plan.t.def.AttributeDefinitions.find((d) => d.AttributeName === n)?.AttributeType;
    if (start[n] === undefined) throw bare;
    if (typeOf(start[n]) !== want) throw tableKeys.has(n) ? schema : bare;
  }
  return start;
}

/** AWS prefixes most value errors in a start key, but not the number and set ones. */
function validStartValues(start: Item): void {
  try {
    validatedItem(start);
  } catch (e) {
    if (!(e instanceof AwsError)) throw e;
    if (/contains duplicates|number set|numeric value|significant digits|number with magnitude/.test(e.message))
      throw e;
    throw validation(`The provided starting key is invalid: ${e.message}`);
  }
}

/** The sort position of a start key in the plan's key space. */
export function startSort(plan: ReadPlan, start: Item) {
  return plan.index ? plan.t.indexSort(plan.index, start) : plan.t.tableSort(start);
}

/**
 * Reads one page: Limit counts items read before the filter (as on AWS), and a page ends after
 * 1 MB read. LastEvaluatedKey is set whenever the page stopped early for either reason.
 */
export function readPage(plan: ReadPlan, entries: Iterable<Entry>): Record<string, unknown> {
  const items: Item[] = [];
  let scanned = 0;
  let bytes = 0;
  let last: Entry | undefined;
  let stopped = false;
  for (const e of entries) {
    if ((plan.limit !== undefined && scanned >= plan.limit) || bytes >= PAGE_BYTES) {
      stopped = true;
      break;
    }
    scanned++;
    bytes += e.bytes;
    last = e;
    if (plan.filter && !plan.filter.evaluate(e.item)) continue;
    items.push(shape(plan, e.item));
  }
  if (!stopped && plan.limit !== undefined && scanned >= plan.limit) stopped = true;
  const out: Record<string, unknown> = {};
  if (plan.select !== 'COUNT') out.Items = items;
  out.Count = items.length;
  out.ScannedCount = scanned;
  if (stopped && last) out.LastEvaluatedKey = pick(last.item, plan.keyNames);
  const cap = consumed(plan.mode, plan.t.def.TableName, readUnits(bytes, plan.consistent));
  if (cap) {
    if (plan.mode === 'INDEXES' && plan.index) {
      delete cap.Table;
      cap[plan.index.global ? 'GlobalSecondaryIndexes' : 'LocalSecondaryIndexes'] = {
        [plan.index.IndexName]: { CapacityUnits: cap.CapacityUnits },
      };
    }
    out.ConsumedCapacity = cap;
  }
  return out;
}

function shape(plan: ReadPlan, item: Item): Item {
  const base = plan.projected ? pick(item, plan.projected) : item;
  return plan.projection ? plan.projection.apply(base) : base;
}
