import type { Operation, RequestContext } from '../../../core/service.js';
import { validation } from '../errors.js';
import type { AttributeValue, KeyCondition, KeySchemaElement, RangeCondition } from '../expressions/types.js';
import { compareKeyValues, keyValueId, partitionToken, segmentStart } from '../model/keys.js';
import { type Entry, findAfter, findSort } from '../model/keyspace.js';
import { rangeSlice } from '../model/ranges.js';
import type { DynamoModel } from '../model/registry.js';
import { Constraints, typeOf } from '../validation.js';
import { checkStartKey, planRead, type ReadPlan, readPage, startSort } from './read-plan.js';

// biome-ignore lint/suspicious/noExplicitAny: inputs are checked field by field against AWS's rules.
type Input = Record<string, any>;

export function queryOperations(model: DynamoModel): Record<string, Operation> {
  return {
    Query: (input: Input, ctx) => query(model, ctx, input),
    Scan: (input: Input, ctx) => scan(model, ctx, input),
  };
}

function query(model: DynamoModel, ctx: RequestContext, input: Input) {
  let cond: KeyCondition | undefined;
  const plan = planRead(model, ctx, input, 'Query', (scope, schema) => {
    if (input.KeyConditionExpression !== undefined) cond = scope.keyCondition(input.KeyConditionExpression, schema);
    else if (input.KeyConditions !== undefined) cond = legacyKeyConditions(input.KeyConditions, schema);
    else
      throw validation(
        'Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.',
      );
  });
  const kc = cond as KeyCondition;
  checkConditionTypes(plan, kc);
  const start = checkStartKey(plan, input.ExclusiveStartKey, 'Query');
  if (start) checkQueryStart(start, kc);
  const forward = input.ScanIndexForward !== false;
  const entries = plan.space.partition(kc.hashValue)?.entries ?? [];
  let [lo, hi] = rangeSlice(entries, kc.range);
  if (start) {
    const sort = startSort(plan, start);
    if (forward) lo = Math.max(lo, findAfter(entries, sort));
    else hi = Math.min(hi, findSort(entries, sort));
  }
  return readPage(plan, slice(entries, lo, hi, forward));
}

/** AWS's checks that a Query's ExclusiveStartKey lies within its key condition. */
function checkQueryStart(start: Record<string, AttributeValue>, kc: KeyCondition): void {
  const sameHash = keyValueId(start[kc.hashName] as AttributeValue) === keyValueId(kc.hashValue);
  if (!kc.range || !kc.rangeName) {
    if (!sameHash)
      throw validation('The provided starting key is outside query boundaries based on provided conditions');
    return;
  }
  if (!inRange(start[kc.rangeName] as AttributeValue, kc.range)) {
    throw validation('The provided starting key does not match the range key predicate');
  }
  if (!sameHash) throw validation('The query can return at most one row and cannot be restarted');
}

function inRange(v: AttributeValue, r: RangeCondition): boolean {
  switch (r.op) {
    case 'BETWEEN':
      return compareKeyValues(v, r.low) >= 0 && compareKeyValues(v, r.high) <= 0;
    case 'begins_with': {
      const [lo, hi] = rangeSlice([{ sort: [v], item: {}, bytes: 0 }], r);
      return hi > lo;
    }
    default: {
      const c = compareKeyValues(v, r.value);
      return r.op === '=' ? c === 0 : r.op === '<' ? c < 0 : r.op === '<=' ? c <= 0 : r.op === '>' ? c > 0 : c >= 0;
    }
  }
}

function* slice(entries: Entry[], lo: number, hi: number, forward: boolean): Generator<Entry> {
  if (forward) for (let i = lo; i < hi; i++) yield entries[i] as Entry;
  else for (let i = hi - 1; i >= lo; i--) yield entries[i] as Entry;
}

function checkConditionTypes(plan: ReadPlan, kc: KeyCondition): void {
  const defs = plan.t.def.AttributeDefinitions;
  const type = (n: string) => defs.find((d) => d.AttributeName === n)?.AttributeType;
  const values: AttributeValue[] = [kc.hashValue];
  const r = kc.range;
  if (r) values.push(...(r.op === 'BETWEEN' ? [r.low, r.high] : [r.op === 'begins_with' ? r.prefix : r.value]));
  values.forEach((v, i) => {
    if (typeOf(v) !== type(i === 0 ? kc.hashName : (kc.rangeName as string))) {
      throw validation(
        'One or more parameter values were invalid: Condition parameter type does not match schema type',
      );
    }
  });
}

const LEGACY_OPS: Record<string, RangeCondition['op'] | 'EQ'> = {
  EQ: '=',
  LT: '<',
  LE: '<=',
  GT: '>',
  GE: '>=',
  BETWEEN: 'BETWEEN',
  BEGINS_WITH: 'begins_with',
};

/** The legacy KeyConditions map, as a KeyCondition. */
function legacyKeyConditions(conds: Record<string, Input>, schema: KeySchemaElement[]): KeyCondition {
  const hash = schema.find((k) => k.KeyType === 'HASH')?.AttributeName as string;
  const range = schema.find((k) => k.KeyType === 'RANGE')?.AttributeName;
  const names = Object.keys(conds ?? {});
  if (!conds[hash] || names.some((n) => n !== hash && n !== range)) {
    throw validation('Query condition missed key schema element: ' + hash);
  }
  const value = (n: string, i: number): AttributeValue => {
    const v = conds[n]?.AttributeValueList?.[i];
    if (!v)
      throw validation(
        'One or more parameter values were invalid: Invalid number of argument(s) for the ' +
          conds[n]?.ComparisonOperator +
          ' ComparisonOperator',
      );
    return v;
  };
  if (conds[hash]?.ComparisonOperator !== 'EQ') throw validation('Query key condition not supported');
  const out: KeyCondition = { hashName: hash, hashValue: value(hash, 0) };
  if (range && conds[range]) {
    const op = LEGACY_OPS[conds[range].ComparisonOperator];
    if (!op) throw validation('Query key condition not supported');
    out.rangeName = range;
    if (op === 'BETWEEN') out.range = { op, low: value(range, 0), high: value(range, 1) };
    else if (op === 'begins_with') out.range = { op, prefix: value(range, 0) };
    else out.range = { op: op as '=', value: value(range, 0) };
  }
  return out;
}

function scan(model: DynamoModel, ctx: RequestContext, input: Input) {
  const c = new Constraints();
  const { Segment: segment, TotalSegments: total } = input;
  if (total !== undefined && total < 1)
    c.add(total, 'totalSegments', 'Member must have value greater than or equal to 1');
  if (total !== undefined && total > 1_000_000)
    c.add(total, 'totalSegments', 'Member must have value less than or equal to 1000000');
  if (segment !== undefined && segment < 0)
    c.add(segment, 'segment', 'Member must have value greater than or equal to 0');
  c.throwIfAny();
  if (segment !== undefined && total === undefined) {
    throw validation(
      'The TotalSegments parameter is required but was not present in the request when Segment parameter is present',
    );
  }
  if (total !== undefined && segment === undefined) {
    throw validation(
      'The Segment parameter is required but was not present in the request when parameter TotalSegments is present',
    );
  }
  if (total !== undefined && segment >= total) {
    throw validation(
      `The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: ${segment} is not less than TotalSegments: ${total}`,
    );
  }
  const plan = planRead(model, ctx, input, 'Scan');
  const start = checkStartKey(plan, input.ExclusiveStartKey, 'Scan');
  const from = total === undefined ? '' : segmentStart(segment, total);
  const to = total === undefined || segment + 1 === total ? undefined : segmentStart(segment + 1, total);
  if (start && total !== undefined) {
    const hashName = (plan.index ?? plan.t.def).KeySchema[0]?.AttributeName as string;
    const token = partitionToken(keyValueId(start[hashName] as AttributeValue));
    if (token < from || (to !== undefined && token >= to)) {
      throw validation(
        `The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: ${total} Segment: ${segment}`,
      );
    }
  }
  return readPage(plan, scanEntries(plan, from, to, start));
}

function* scanEntries(
  plan: ReadPlan,
  from: string,
  to: string | undefined,
  start: Record<string, AttributeValue> | undefined,
) {
  let first = from;
  let skipTo: { token: string; at: number } | undefined;
  if (start) {
    const hashName = (plan.index ?? { KeySchema: plan.t.def.KeySchema }).KeySchema[0]?.AttributeName as string;
    const token = partitionToken(keyValueId(start[hashName] as AttributeValue));
    const p = plan.space.partition(start[hashName] as AttributeValue);
    first = token > from ? token : from;
    skipTo = { token, at: p ? findAfter(p.entries, startSort(plan, start)) : Number.POSITIVE_INFINITY };
  }
  for (const p of plan.space.partitionsFrom(first, to)) {
    const begin = skipTo && p.token === skipTo.token ? skipTo.at : 0;
    for (let i = begin; i < p.entries.length; i++) yield p.entries[i] as Entry;
  }
}
