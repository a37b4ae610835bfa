import {
  type AttributeValue,
  BatchWriteItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { awsError } from '../helpers.js';
import { createTable, tableInput, useDynamo } from './helpers.js';

const env = useDynamo();
const T = 'events';

async function load(items: Array<Record<string, AttributeValue>>) {
  for (let i = 0; i < items.length; i += 25) {
    const chunk = items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } }));
    await env.ddb.send(new BatchWriteItemCommand({ RequestItems: { [T]: chunk } }));
  }
}

beforeEach(async () => {
  await createTable(env.ddb, {
    ...tableInput(T),
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
      { AttributeName: 'tag', AttributeType: 'S' },
      { AttributeName: 'g', AttributeType: 'S' },
    ],
    LocalSecondaryIndexes: [
      {
        IndexName: 'byTag',
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'tag', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: 'byG',
        KeySchema: [
          { AttributeName: 'g', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['v'] },
      },
    ],
  });
  const items: Array<Record<string, AttributeValue>> = [];
  for (let i = 0; i < 10; i++) {
    const item: Record<string, AttributeValue> = {
      pk: { S: 'p' },
      sk: { N: String(i) },
      tag: { S: `t${9 - i}` },
      v: { N: String(i % 3) },
      other: { S: 'o' },
    };
    if (i % 2 === 0) item.g = { S: 'even' };
    items.push(item);
  }
  items.push({ pk: { S: 'q' }, sk: { N: '-1.5' } });
  await load(items);
});

const q = (input: Record<string, unknown>) => env.ddb.send(new QueryCommand({ TableName: T, ...input }));
const sks = (items: Array<Record<string, AttributeValue>> | undefined) => (items ?? []).map((i) => Number(i.sk?.N));

describe('Query', () => {
  it('returns a partition in sort-key order, forwards and backwards', async () => {
    const fwd = await q({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } });
    expect(sks(fwd.Items)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(fwd.Count).toBe(10);
    const back = await q({
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: 'p' } },
      ScanIndexForward: false,
    });
    expect(sks(back.Items)).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
  });

  it('applies BETWEEN and comparison range conditions', async () => {
    const between = await q({
      KeyConditionExpression: 'pk = :p AND sk BETWEEN :a AND :b',
      ExpressionAttributeValues: { ':p': { S: 'p' }, ':a': { N: '3' }, ':b': { N: '5' } },
    });
    expect(sks(between.Items)).toEqual([3, 4, 5]);
    const lt = await q({
      KeyConditionExpression: 'pk = :p AND sk < :a',
      ExpressionAttributeValues: { ':p': { S: 'p' }, ':a': { N: '2' } },
    });
    expect(sks(lt.Items)).toEqual([0, 1]);
  });

  it('pages with Limit (counted before the filter) and resumes from LastEvaluatedKey', async () => {
    const input = {
      KeyConditionExpression: 'pk = :p',
      FilterExpression: 'v = :z',
      ExpressionAttributeValues: { ':p': { S: 'p' }, ':z': { N: '0' } },
      Limit: 4,
    };
    const first = await q(input);
    expect(first.ScannedCount).toBe(4);
    expect(sks(first.Items)).toEqual([0, 3]);
    expect(first.LastEvaluatedKey).toEqual({ pk: { S: 'p' }, sk: { N: '3' } });
    const second = await q({ ...input, ExclusiveStartKey: first.LastEvaluatedKey });
    expect(sks(second.Items)).toEqual([6]);
    const third = await q({ ...input, ExclusiveStartKey: second.LastEvaluatedKey });
    expect(sks(third.Items)).toEqual([9]);
    expect(third.ScannedCount).toBe(2);
    expect(third.LastEvaluatedKey).toBeUndefined();
  });

  it('queries an LSI by begins_with with its keys-only projection and index LastEvaluatedKey', async () => {
    const out = await q({
      IndexName: 'byTag',
      KeyConditionExpression: 'pk = :p AND begins_with(tag, :t)',
      ExpressionAttributeValues: { ':p': { S: 'p' }, ':t': { S: 't' } },
      Limit: 2,
    });
    expect(out.Items).toEqual([
      { pk: { S: 'p' }, sk: { N: '9' }, tag: { S: 't0' } },
      { pk: { S: 'p' }, sk: { N: '8' }, tag: { S: 't1' } },
    ]);
    expect(out.LastEvaluatedKey).toEqual({ pk: { S: 'p' }, sk: { N: '8' }, tag: { S: 't1' } });
  });

  it('queries a GSI, which holds only the items that have its key', async () => {
    const out = await q({
      IndexName: 'byG',
      KeyConditionExpression: 'g = :g AND sk > :s',
      ExpressionAttributeValues: { ':g': { S: 'even' }, ':s': { N: '2' } },
    });
    expect(sks(out.Items)).toEqual([4, 6, 8]);
    expect(out.Items?.[0]).toEqual({ pk: { S: 'p' }, sk: { N: '4' }, g: { S: 'even' }, v: { N: '1' } });
    const err = await awsError(() =>
      q({
        IndexName: 'byG',
        KeyConditionExpression: 'g = :g',
        ExpressionAttributeValues: { ':g': { S: 'even' } },
        ConsistentRead: true,
      }),
    );
    expect(err.message).toBe('Consistent reads are not supported on global secondary indexes');
  });

  it('counts with Select COUNT and projects with ProjectionExpression', async () => {
    const count = await q({
      KeyConditionExpression: 'pk = :p',
      ExpressionAttributeValues: { ':p': { S: 'p' } },
      Select: 'COUNT',
    });
    expect(count.Items).toBeUndefined();
    expect(count.Count).toBe(10);
    const proj = await q({
      KeyConditionExpression: 'pk = :p AND sk = :s',
      ProjectionExpression: 'v',
      ExpressionAttributeValues: { ':p': { S: 'p' }, ':s': { N: '4' } },
    });
    expect(proj.Items).toEqual([{ v: { N: '1' } }]);
  });

  it('supports the legacy KeyConditions', async () => {
    const out = await q({
      KeyConditions: {
        pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] },
        sk: { ComparisonOperator: 'GE', AttributeValueList: [{ N: '8' }] },
      },
    });
    expect(sks(out.Items)).toEqual([8, 9]);
  });

  it('returns ItemCollectionMetrics for a table with an LSI', async () => {
    const out = await env.ddb.send(
      new PutItemCommand({
        TableName: T,
        Item: { pk: { S: 'p' }, sk: { N: '99' } },
        ReturnItemCollectionMetrics: 'SIZE',
      }),
    );
    expect(out.ItemCollectionMetrics).toEqual({ ItemCollectionKey: { pk: { S: 'p' } }, SizeEstimateRangeGB: [0, 1] });
  });

  it('fetches attributes an LSI does not project when a ProjectionExpression asks for them', async () => {
    const out = await q({
      IndexName: 'byTag',
      KeyConditionExpression: 'pk = :p AND tag = :t',
      ProjectionExpression: '#o, tag',
      ExpressionAttributeNames: { '#o': 'other' },
      ExpressionAttributeValues: { ':p': { S: 'p' }, ':t': { S: 't0' } },
    });
    expect(out.Items).toEqual([{ other: { S: 'o' }, tag: { S: 't0' } }]);
  });

  it('rejects an unknown index and a condition value of the wrong type', async () => {
    const idx = await awsError(() =>
      q({ IndexName: 'nope', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'p' } } }),
    );
    expect(idx.message).toBe('The table does not have the specified index: nope');
    const type = await awsError(() =>
      q({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { N: '1' } } }),
    );
    expect(type.message).toBe(
      'One or more parameter values were invalid: Condition parameter type does not match schema type',
    );
  });

  it('rejects a filter that reads a key attribute of the queried table or index, naming the hash key first', async () => {
    const onSortKey = await awsError(() =>
      q({
        KeyConditionExpression: 'pk = :p',
        FilterExpression: 'v = :v AND #sk > :s',
        ExpressionAttributeNames: { '#sk': 'sk' },
        ExpressionAttributeValues: { ':p': { S: 'p' }, ':v': { N: '1' }, ':s': { N: '2' } },
      }),
    );
    expect(onSortKey.name).toBe('ValidationException');
    expect(onSortKey.status).toBe(400);
    expect(onSortKey.message).toBe(
      'Filter Expression can only contain non-primary key attributes: Primary key attribute: sk',
    );
    const both = await awsError(() =>
      q({
        KeyConditionExpression: 'pk = :p',
        FilterExpression: 'sk > :s OR attribute_exists(pk.subfield)',
        ExpressionAttributeValues: { ':p': { S: 'p' }, ':s': { N: '2' } },
      }),
    );
    expect(both.message).toBe(
      'Filter Expression can only contain non-primary key attributes: Primary key attribute: pk',
    );
    const onIndexKey = await awsError(() =>
      q({
        IndexName: 'byG',
        KeyConditionExpression: 'g = :g',
        FilterExpression: 'sk < :s',
        ExpressionAttributeValues: { ':g': { S: 'even' }, ':s': { N: '5' } },
      }),
    );
    expect(onIndexKey.message).toBe(
      'Filter Expression can only contain non-primary key attributes: Primary key attribute: sk',
    );
    const legacy = await awsError(() =>
      q({
        KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] } },
        QueryFilter: { sk: { ComparisonOperator: 'GT', AttributeValueList: [{ N: '2' }] } },
      }),
    );
    expect(legacy.message).toBe('QueryFilter can only contain non-primary key attributes: Primary key attribute: sk');
  });

  it('accepts a filter on a table key attribute that is not part of the queried index key', async () => {
    const out = await q({
      IndexName: 'byG',
      KeyConditionExpression: 'g = :g',
      FilterExpression: 'pk = :p',
      ExpressionAttributeValues: { ':g': { S: 'even' }, ':p': { S: 'p' } },
    });
    expect(out.Count).toBe(5);
  });
});

describe('Scan', () => {
  it('reads every item, paging with Limit and ExclusiveStartKey', async () => {
    const seen: number[] = [];
    let start: Record<string, AttributeValue> | undefined;
    let pages = 0;
    do {
      const out = await env.ddb.send(new ScanCommand({ TableName: T, Limit: 3, ExclusiveStartKey: start }));
      seen.push(...sks(out.Items));
      start = out.LastEvaluatedKey;
      pages++;
    } while (start);
    expect(seen.sort((a, b) => a - b)).toEqual([-1.5, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(pages).toBe(4);
  });

  it('splits items between parallel-scan segments without overlap', async () => {
    const extra: Array<Record<string, AttributeValue>> = [];
    for (let i = 0; i < 40; i++) extra.push({ pk: { S: `k${i}` }, sk: { N: '0' } });
    await load(extra);
    const segs = await Promise.all(
      [0, 1, 2, 3].map((Segment) => env.ddb.send(new ScanCommand({ TableName: T, Segment, TotalSegments: 4 }))),
    );
    const keys = segs.flatMap((s) => (s.Items ?? []).map((i) => `${i.pk?.S}/${i.sk?.N}`));
    expect(keys.length).toBe(51);
    expect(new Set(keys).size).toBe(51);
    expect(segs.filter((s) => (s.Count ?? 0) > 0).length).toBeGreaterThan(1);
    const again = await env.ddb.send(new ScanCommand({ TableName: T, Segment: 2, TotalSegments: 4 }));
    expect(again.Items).toEqual(segs[2]?.Items);
  });

  it('filters after reading and validates Segment', async () => {
    const out = await env.ddb.send(
      new ScanCommand({ TableName: T, FilterExpression: 'v = :v', ExpressionAttributeValues: { ':v': { N: '2' } } }),
    );
    expect(out.ScannedCount).toBe(11);
    expect(sks(out.Items).sort()).toEqual([2, 5, 8]);
    const err = await awsError(() => env.ddb.send(new ScanCommand({ TableName: T, Segment: 4, TotalSegments: 4 })));
    expect(err.message).toBe(
      'The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 4 is not less than TotalSegments: 4',
    );
  });

  it('scans a GSI', async () => {
    const out = await env.ddb.send(new ScanCommand({ TableName: T, IndexName: 'byG' }));
    expect(out.Count).toBe(5);
  });

  it('stops a page at 1 MB', async () => {
    const big: Array<Record<string, AttributeValue>> = [];
    for (let i = 0; i < 30; i++) big.push({ pk: { S: 'big' }, sk: { N: String(i) }, data: { S: 'x'.repeat(100_000) } });
    await load(big);
    const out = await q({ KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': { S: 'big' } } });
    expect(out.Count).toBe(11);
    expect(out.LastEvaluatedKey).toEqual({ pk: { S: 'big' }, sk: { N: '10' } });
  });
});
