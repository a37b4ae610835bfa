import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud, ManualClock } from '../../src/index.js';
import { credentials, startManual } from '../helpers.js';
import { dynamoClient } from './helpers.js';

/**
 * The same calls against dynalite (a DynamoDB emulator whose messages track AWS's) and local-cloud,
 * comparing the responses with ids and times removed.
 *
 * Not compared, and why:
 * - DescribeTable ItemCount/TableSizeBytes: dynalite reports 0 (AWS refreshes them about every six
 *   hours); local-cloud counts live, on purpose.
 * - The ResourceInUseException message: dynalite says "UnknownError", AWS "Table already exists: <name>"
 *   (only the error name is compared).
 * - DeletionProtectionEnabled in table descriptions: AWS includes it (false by default), dynalite
 *   predates it.
 * - BatchGetItem response order within a table (undefined on AWS): sorted before comparing.
 * - TransactWriteItems, TransactGetItems, TTL and DescribeEndpoints: dynalite does not implement them.
 */
const require = createRequire(import.meta.url);
const dynalite = require('dynalite') as (opts: Record<string, number>) => Server;

let server: Server;
let cloud: LocalCloud<ManualClock>;
let theirs: DynamoDBClient;
let ours: DynamoDBClient;

beforeAll(async () => {
  server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  theirs = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
  });
  cloud = await startManual();
  ours = dynamoClient(cloud);
});

afterAll(async () => {
  theirs?.destroy();
  await cloud?.stop();
  await new Promise((resolve) => server?.close(resolve));
});

// DeletionProtectionEnabled: AWS describes it (false by default); dynalite predates it.
const VOLATILE = new Set([
  'DeletionProtectionEnabled',
  '$metadata',
  'TableId',
  'CreationDateTime',
  'LastUpdateToPayPerRequestDateTime',
  'TableArn',
  'IndexArn',
]);

function normalise(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalise);
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (!VOLATILE.has(k) && x !== undefined) out[k] = normalise(x);
    return out;
  }
  return v;
}

async function outcome(fn: () => Promise<unknown>): Promise<unknown> {
  try {
    return { ok: normalise(await fn()) };
  } catch (e) {
    const err = e as { name: string; message: string };
    return { error: err.name, message: err.message };
  }
}

type Step = (c: DynamoDBClient) => Promise<unknown>;

/** Runs the steps on both servers; every step's outcome must match. */
async function compare(steps: Step[]): Promise<unknown[]> {
  const results: unknown[] = [];
  for (const step of steps) {
    const [a, b] = [await outcome(() => step(theirs)), await outcome(() => step(ours))];
    expect(b).toEqual(a);
    results.push(b);
  }
  return results;
}

class NamedError extends Error {
  constructor(name: string) {
    super('');
    this.name = name;
  }
}

let n = 0;
const fresh = () => `cmp_${++n}`;

function table(name: string, extra: Partial<CreateTableCommandInput> = {}): CreateTableCommandInput {
  return {
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 5 },
    ...extra,
  };
}

/** Creates a table on a server and waits until it is ACTIVE (dynalite flips it on a timer). */
const create =
  (name: string, extra: Partial<CreateTableCommandInput> = {}): Step =>
  async (c) => {
    await c.send(new CreateTableCommand(table(name, extra)));
    for (let i = 0; i < 50; i++) {
      const t = await c.send(new DescribeTableCommand({ TableName: name }));
      if (t.Table?.TableStatus === 'ACTIVE') return 'ACTIVE';
      await new Promise((r) => setImmediate(r));
    }
    return 'not active';
  };

const put =
  (TableName: string, pk: string, sk: number, extra = {}): Step =>
  (c) =>
    c.send(new PutItemCommand({ TableName, Item: { pk: { S: pk }, sk: { N: String(sk) }, ...extra } }));

describe('local-cloud matches dynalite', () => {
  it('CreateTable response (PROVISIONED, with a GSI)', async () => {
    const name = fresh();
    await compare([
      (c) =>
        c.send(
          new CreateTableCommand(
            table(name, {
              AttributeDefinitions: [
                { AttributeName: 'pk', AttributeType: 'S' },
                { AttributeName: 'sk', AttributeType: 'N' },
                { AttributeName: 'g', AttributeType: 'S' },
              ],
              GlobalSecondaryIndexes: [
                {
                  IndexName: 'byG',
                  KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
                  Projection: { ProjectionType: 'KEYS_ONLY' },
                  ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
                },
              ],
            }),
          ),
        ),
    ]);
  });

  it('DescribeTable of an ACTIVE table with items', async () => {
    const name = fresh();
    await compare([
      create(name),
      put(name, 'a', 1, { s: { S: 'hello' } }),
      async (c) => {
        // dynalite (like AWS, which refreshes them every ~6 hours) reports 0; local-cloud counts live (skipped).
        const { Table } = await c.send(new DescribeTableCommand({ TableName: name }));
        return { ...Table, ItemCount: undefined, TableSizeBytes: undefined };
      },
    ]);
  });

  it('PutItem then GetItem, ReturnValues ALL_OLD, and canonical numbers', async () => {
    const name = fresh();
    await compare([
      create(name),
      put(name, 'a', 1, {
        n: { N: '0010.500' },
        l: { L: [{ BOOL: true }, { NULL: true }] },
        b: { B: new Uint8Array([1, 2]) },
      }),
      (c) => c.send(new GetItemCommand({ TableName: name, Key: { pk: { S: 'a' }, sk: { N: '1.0' } } })),
      (c) =>
        c.send(
          new PutItemCommand({ TableName: name, Item: { pk: { S: 'a' }, sk: { N: '1' } }, ReturnValues: 'ALL_OLD' }),
        ),
      (c) => c.send(new GetItemCommand({ TableName: name, Key: { pk: { S: 'zz' }, sk: { N: '1' } } })),
    ]);
  });

  it('conditional put failure', async () => {
    const name = fresh();
    await compare([
      create(name),
      put(name, 'a', 1),
      (c) =>
        c.send(
          new PutItemCommand({
            TableName: name,
            Item: { pk: { S: 'a' }, sk: { N: '1' } },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
    ]);
  });

  it('UpdateItem with SET, ADD and REMOVE returning ALL_NEW and UPDATED_OLD', async () => {
    const name = fresh();
    const update =
      (ReturnValues: 'ALL_NEW' | 'UPDATED_OLD'): Step =>
      (c) =>
        c.send(
          new UpdateItemCommand({
            TableName: name,
            Key: { pk: { S: 'a' }, sk: { N: '1' } },
            UpdateExpression: 'SET #n = :n ADD c :one REMOVE gone',
            ExpressionAttributeNames: { '#n': 'name' },
            ExpressionAttributeValues: { ':n': { S: 'x' }, ':one': { N: '1' } },
            ReturnValues,
          }),
        );
    await compare([create(name), put(name, 'a', 1, { gone: { S: 'y' } }), update('ALL_NEW'), update('UPDATED_OLD')]);
  });

  it('DeleteItem with ReturnValues ALL_OLD', async () => {
    const name = fresh();
    await compare([
      create(name),
      put(name, 'a', 1, { v: { S: 'x' } }),
      (c) =>
        c.send(
          new DeleteItemCommand({ TableName: name, Key: { pk: { S: 'a' }, sk: { N: '1' } }, ReturnValues: 'ALL_OLD' }),
        ),
    ]);
  });

  it('Query ordering both ways with a range condition', async () => {
    const name = fresh();
    const query =
      (forward: boolean): Step =>
      (c) =>
        c.send(
          new QueryCommand({
            TableName: name,
            KeyConditionExpression: 'pk = :p AND sk >= :s',
            ExpressionAttributeValues: { ':p': { S: 'p' }, ':s': { N: '-2' } },
            ScanIndexForward: forward,
          }),
        );
    await compare([create(name), ...[3, -5, 10, 0, -2, 7].map((i) => put(name, 'p', i)), query(true), query(false)]);
  });

  it('Query pagination with Limit and a filter', async () => {
    const name = fresh();
    const base = {
      TableName: name,
      KeyConditionExpression: 'pk = :p',
      FilterExpression: 'v = :v',
      ExpressionAttributeValues: { ':p': { S: 'p' }, ':v': { N: '1' } },
      Limit: 3,
    };
    const steps: Step[] = [create(name)];
    for (let i = 0; i < 7; i++) steps.push(put(name, 'p', i, { v: { N: String(i % 2) } }));
    steps.push((c) => c.send(new QueryCommand(base)));
    steps.push((c) => c.send(new QueryCommand({ ...base, ExclusiveStartKey: { pk: { S: 'p' }, sk: { N: '2' } } })));
    steps.push((c) => c.send(new QueryCommand({ ...base, ExclusiveStartKey: { pk: { S: 'p' }, sk: { N: '5' } } })));
    steps.push((c) => c.send(new QueryCommand({ ...base, Select: 'COUNT' })));
    await compare(steps);
  });

  it('validation: a Query filter on a key attribute', async () => {
    const name = fresh();
    const filtered =
      (FilterExpression: string): Step =>
      (c) =>
        c.send(
          new QueryCommand({
            TableName: name,
            KeyConditionExpression: 'pk = :p',
            FilterExpression,
            ExpressionAttributeValues: { ':p': { S: 'p' }, ':s': { N: '1' } },
          }),
        );
    await compare([create(name), put(name, 'p', 1), filtered('sk > :s'), filtered('sk > :s AND pk <> :s')]);
  });

  it('Scan with a filter and Select COUNT', async () => {
    const name = fresh();
    await compare([
      create(name),
      put(name, 'a', 1, { v: { N: '1' } }),
      put(name, 'b', 1, { v: { N: '2' } }),
      (c) =>
        c.send(
          new ScanCommand({
            TableName: name,
            FilterExpression: 'v > :v',
            ExpressionAttributeValues: { ':v': { N: '1' } },
            Select: 'COUNT',
          }),
        ),
    ]);
  });

  it('BatchWriteItem then BatchGetItem', async () => {
    const name = fresh();
    const keys = [1, 2, 3].map((i) => ({ pk: { S: 'p' }, sk: { N: String(i) } }));
    await compare([
      create(name),
      (c) =>
        c.send(
          new BatchWriteItemCommand({
            RequestItems: { [name]: keys.map((k) => ({ PutRequest: { Item: { ...k, v: { S: 'x' } } } })) },
          }),
        ),
      async (c) => {
        const out = await c.send(
          new BatchGetItemCommand({
            RequestItems: { [name]: { Keys: [...keys, { pk: { S: 'q' }, sk: { N: '1' } }] } },
          }),
        );
        // Response order within a table is not defined.
        out.Responses?.[name]?.sort((a, b) => Number(a.sk?.N) - Number(b.sk?.N));
        return out;
      },
    ]);
  });

  it('validation: key that does not match the schema, missing key, type mismatch', async () => {
    const name = fresh();
    await compare([
      create(name),
      (c) => c.send(new GetItemCommand({ TableName: name, Key: { pk: { S: 'a' } } })),
      (c) => c.send(new PutItemCommand({ TableName: name, Item: { pk: { S: 'a' } } })),
      (c) => c.send(new PutItemCommand({ TableName: name, Item: { pk: { N: '1' }, sk: { N: '1' } } })),
    ]);
  });

  it('validation: duplicate keys in a batch write', async () => {
    const name = fresh();
    const req = { PutRequest: { Item: { pk: { S: 'a' }, sk: { N: '1' } } } };
    await compare([create(name), (c) => c.send(new BatchWriteItemCommand({ RequestItems: { [name]: [req, req] } }))]);
  });

  it('errors: missing table on the control plane and data plane, duplicate table', async () => {
    const name = fresh();
    await compare([
      (c) => c.send(new DescribeTableCommand({ TableName: `${name}_missing` })),
      (c) => c.send(new GetItemCommand({ TableName: `${name}_missing`, Key: { pk: { S: 'a' }, sk: { N: '1' } } })),
      create(name),
      // dynalite answers with the message "UnknownError"; AWS says "Table already exists: <name>" (name only).
      (c) => c.send(new CreateTableCommand(table(name))).catch((e: Error) => Promise.reject(new NamedError(e.name))),
    ]);
  });

  it('validation: CreateTable with undefined, misnamed and extra attribute definitions', async () => {
    const defs = (...names: string[]) => names.map((AttributeName) => ({ AttributeName, AttributeType: 'S' as const }));
    const attempt =
      (AttributeDefinitions: ReturnType<typeof defs>): Step =>
      (c) =>
        c.send(new CreateTableCommand({ ...table(fresh()), AttributeDefinitions }));
    await compare([attempt(defs('pk')), attempt(defs('pk', 'x')), attempt(defs('pk', 'sk', 'x'))]);
  });

  it('validation: key schema order and ReturnValues on PutItem', async () => {
    const name = fresh();
    await compare([
      (c) =>
        c.send(
          new CreateTableCommand({
            ...table(fresh()),
            KeySchema: [
              { AttributeName: 'sk', KeyType: 'RANGE' },
              { AttributeName: 'pk', KeyType: 'HASH' },
            ],
          }),
        ),
      create(name),
      (c) =>
        c.send(
          new PutItemCommand({ TableName: name, Item: { pk: { S: 'a' }, sk: { N: '1' } }, ReturnValues: 'ALL_NEW' }),
        ),
    ]);
  });

  it('ListTables with Limit', async () => {
    await compare([
      async (c) => {
        const out = await c.send(new ListTablesCommand({ Limit: 2 }));
        return { TableNames: out.TableNames, more: out.LastEvaluatedTableName !== undefined };
      },
    ]);
  });

  it('legacy parameters: Expected, AttributeUpdates, QueryFilter and ScanFilter', async () => {
    const name = fresh();
    const key = { pk: { S: 'p' }, sk: { N: '1' } };
    await compare([
      create(name),
      put(name, 'p', 1, { v: { N: '1' }, s: { SS: ['a', 'b'] } }),
      put(name, 'p', 2, { v: { N: '2' } }),
      (c) => c.send(new PutItemCommand({ TableName: name, Item: key, Expected: { pk: { Exists: false } } })),
      (c) =>
        c.send(
          new UpdateItemCommand({
            TableName: name,
            Key: key,
            AttributeUpdates: {
              v: { Action: 'ADD', Value: { N: '5' } },
              s: { Action: 'DELETE', Value: { SS: ['a'] } },
              t: { Action: 'PUT', Value: { S: 'new' } },
            },
            Expected: { v: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '1' }] } },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      (c) =>
        c.send(
          new QueryCommand({
            TableName: name,
            KeyConditions: { pk: { ComparisonOperator: 'EQ', AttributeValueList: [{ S: 'p' }] } },
            QueryFilter: { v: { ComparisonOperator: 'GT', AttributeValueList: [{ N: '3' }] } },
          }),
        ),
      (c) =>
        c.send(
          new ScanCommand({
            TableName: name,
            ScanFilter: {
              v: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '1' }, { N: '2' }] },
              t: { ComparisonOperator: 'NULL' },
            },
            ConditionalOperator: 'AND',
          }),
        ),
    ]);
  });

  it('ConsumedCapacity for writes, reads and queries', async () => {
    const name = fresh();
    const big = { S: 'x'.repeat(5000) };
    await compare([
      create(name),
      (c) =>
        c.send(
          new PutItemCommand({
            TableName: name,
            Item: { pk: { S: 'p' }, sk: { N: '1' }, big },
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
      (c) =>
        c.send(
          new GetItemCommand({
            TableName: name,
            Key: { pk: { S: 'p' }, sk: { N: '1' } },
            ReturnConsumedCapacity: 'TOTAL',
            ConsistentRead: true,
          }),
        ),
      (c) =>
        c.send(
          new QueryCommand({
            TableName: name,
            KeyConditionExpression: 'pk = :p',
            ExpressionAttributeValues: { ':p': { S: 'p' } },
            ReturnConsumedCapacity: 'TOTAL',
          }),
        ),
    ]);
  });

  it('GSI and LSI queries page with index keys in LastEvaluatedKey', async () => {
    const name = fresh();
    const steps: Step[] = [
      create(name, {
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'N' },
          { AttributeName: 'g', AttributeType: 'S' },
          { AttributeName: 'l', AttributeType: 'N' },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: 'byL',
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'l', KeyType: 'RANGE' },
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
            ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
          },
        ],
      }),
    ];
    for (let i = 0; i < 6; i++) {
      steps.push(put(name, 'p', i, { g: { S: 'G' }, l: { N: String(10 - i) }, v: { N: String(i) }, w: { S: 'w' } }));
    }
    steps.push((c) =>
      c.send(
        new QueryCommand({
          TableName: name,
          IndexName: 'byG',
          KeyConditionExpression: 'g = :g',
          ExpressionAttributeValues: { ':g': { S: 'G' } },
          Limit: 2,
          ScanIndexForward: false,
        }),
      ),
    );
    steps.push((c) =>
      c.send(
        new QueryCommand({
          TableName: name,
          IndexName: 'byL',
          KeyConditionExpression: 'pk = :p AND l < :l',
          ExpressionAttributeValues: { ':p': { S: 'p' }, ':l': { N: '8' } },
          Limit: 2,
        }),
      ),
    );
    steps.push((c) =>
      c.send(
        new QueryCommand({
          TableName: name,
          IndexName: 'byL',
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': { S: 'p' } },
          ExclusiveStartKey: { pk: { S: 'p' }, sk: { N: '4' }, l: { N: '6' } },
        }),
      ),
    );
    await compare(steps);
  });

  it('UpdateItem creating an item, and a conditional update failure', async () => {
    const name = fresh();
    const key = { pk: { S: 'new' }, sk: { N: '5' } };
    await compare([
      create(name),
      (c) =>
        c.send(
          new UpdateItemCommand({
            TableName: name,
            Key: key,
            UpdateExpression: 'SET n = if_not_exists(n, :z) + :one, l = list_append(if_not_exists(l, :e), :one_l)',
            ExpressionAttributeValues: {
              ':z': { N: '0' },
              ':one': { N: '1' },
              ':e': { L: [] },
              ':one_l': { L: [{ S: 'a' }] },
            },
            ReturnValues: 'ALL_NEW',
          }),
        ),
      (c) =>
        c.send(
          new UpdateItemCommand({
            TableName: name,
            Key: key,
            UpdateExpression: 'SET n = :z',
            ConditionExpression: 'n > :one',
            ExpressionAttributeValues: { ':z': { N: '0' }, ':one': { N: '1' } },
          }),
        ),
    ]);
  });

  it('validation: expression parameters, enums, start keys and key updates', async () => {
    const name = fresh();
    const key = { pk: { S: 'a' }, sk: { N: '1' } };
    const query =
      (extra: Record<string, unknown>): Step =>
      (c) =>
        c.send(
          new QueryCommand({
            TableName: name,
            KeyConditionExpression: 'pk = :p AND sk > :s',
            ExpressionAttributeValues: { ':p': { S: 'a' }, ':s': { N: '5' } },
            ...extra,
          }),
        );
    await compare([
      create(name),
      (c) => c.send(new GetItemCommand({ TableName: name, Key: key, ExpressionAttributeNames: { '#a': 'a' } })),
      (c) =>
        c.send(new PutItemCommand({ TableName: name, Item: key, ExpressionAttributeValues: { ':a': { S: 'a' } } })),
      (c) =>
        c.send(new GetItemCommand({ TableName: name, Key: key, AttributesToGet: ['a'], ProjectionExpression: 'b' })),
      (c) =>
        c.send(
          new UpdateItemCommand({
            TableName: name,
            Key: key,
            UpdateExpression: 'SET sk = :v',
            ExpressionAttributeValues: { ':v': { N: '2' } },
          }),
        ),
      // biome-ignore lint/suspicious/noExplicitAny: deliberately invalid enum
      (c) => c.send(new UpdateItemCommand({ TableName: name, Key: key, ReturnValues: 'EVERYTHING' as any })),
      // biome-ignore lint/suspicious/noExplicitAny: deliberately invalid enum
      query({ Select: 'SOME' as any }),
      query({ ExclusiveStartKey: { pk: { S: 'a' } } }),
      query({ ExclusiveStartKey: { pk: { S: 'a' }, sk: { N: '1' } } }),
      query({ ExclusiveStartKey: { pk: { S: 'b' }, sk: { N: '7' } } }),
      (c) => c.send(new ScanCommand({ TableName: name, ExclusiveStartKey: { pk: { S: 'a' } } })),
      (c) => c.send(new ScanCommand({ TableName: name, Segment: 3, TotalSegments: 2 })),
      (c) => c.send(new QueryCommand({ TableName: name })),
    ]);
  });

  it('UpdateItem UPDATED_NEW and UPDATED_OLD with nested paths', async () => {
    const name = fresh();
    const key = { pk: { S: 'a' }, sk: { N: '1' } };
    const update =
      (ReturnValues: 'UPDATED_NEW' | 'UPDATED_OLD'): Step =>
      (c) =>
        c.send(
          new UpdateItemCommand({
            TableName: name,
            Key: key,
            UpdateExpression: 'SET m.x = :v, l[1] = :v, #s = list_append(:e, :e) REMOVE m.y ADD n :one',
            ExpressionAttributeNames: { '#s': 'set' },
            ExpressionAttributeValues: { ':v': { S: 'new' }, ':e': { L: [] }, ':one': { N: '1' } },
            ReturnValues,
          }),
        );
    await compare([
      create(name),
      put(name, 'a', 1, {
        m: { M: { x: { S: 'old' }, y: { S: 'y' }, z: { S: 'z' } } },
        l: { L: [{ S: '0' }, { S: '1' }, { S: '2' }] },
        n: { N: '1' },
      }),
      update('UPDATED_OLD'),
      update('UPDATED_NEW'),
    ]);
  });
});
