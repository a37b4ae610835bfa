import {
  type AttributeValue,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { awsError } from '../helpers.js';
import { createTable, tableInput, useDynamo } from './helpers.js';

const env = useDynamo();
const T = 'items';
const key = { pk: { S: 'a' }, sk: { N: '1' } };

beforeEach(async () => {
  await createTable(env.ddb, {
    ...tableInput(T),
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'N' },
      { AttributeName: 'g', AttributeType: 'S' },
    ],
    GlobalSecondaryIndexes: [
      { IndexName: 'byG', KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }], Projection: { ProjectionType: 'ALL' } },
    ],
  });
});

const put = (item: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  // biome-ignore lint/suspicious/noExplicitAny: test inputs
  env.ddb.send(new PutItemCommand({ TableName: T, Item: item as any, ...extra }));

describe('PutItem and GetItem', () => {
  it('stores an item and reads it back with numbers in canonical form', async () => {
    await put({
      ...key,
      n: { N: '01.50' },
      l: { L: [{ S: 'x' }, { NULL: true }] },
      b: { B: new Uint8Array([0, 255]) },
    });
    const { Item } = await env.ddb.send(new GetItemCommand({ TableName: T, Key: key }));
    expect(Item?.n).toEqual({ N: '1.5' });
    expect(Item?.l).toEqual({ L: [{ S: 'x' }, { NULL: true }] });
    expect(Buffer.from(Item?.b?.B as Uint8Array)).toEqual(Buffer.from([0, 255]));
  });

  it('treats equal numbers with different spelling as the same key', async () => {
    await put({ pk: { S: 'a' }, sk: { N: '1.0' }, v: { S: 'first' } });
    await put({ pk: { S: 'a' }, sk: { N: '1' }, v: { S: 'second' } });
    const { Item } = await env.ddb.send(
      new GetItemCommand({ TableName: T, Key: { pk: { S: 'a' }, sk: { N: '1.00' } } }),
    );
    expect(Item?.v).toEqual({ S: 'second' });
  });

  it('returns nothing for a missing item, and applies ProjectionExpression and AttributesToGet', async () => {
    expect((await env.ddb.send(new GetItemCommand({ TableName: T, Key: key }))).Item).toBeUndefined();
    await put({ ...key, a: { S: '1' }, b: { S: '2' }, m: { M: { x: { N: '1' }, y: { N: '2' } } } });
    const p = await env.ddb.send(
      new GetItemCommand({
        TableName: T,
        Key: key,
        ProjectionExpression: '#a, m.y',
        ExpressionAttributeNames: { '#a': 'a' },
      }),
    );
    expect(p.Item).toEqual({ a: { S: '1' }, m: { M: { y: { N: '2' } } } });
    const g = await env.ddb.send(new GetItemCommand({ TableName: T, Key: key, AttributesToGet: ['b'] }));
    expect(g.Item).toEqual({ b: { S: '2' } });
  });

  it('rejects keys that do not match the schema', async () => {
    const keys: Array<Record<string, AttributeValue>> = [
      { pk: { S: 'a' } },
      { pk: { N: '1' }, sk: { N: '1' } },
      { ...key, extra: { S: 'x' } },
    ];
    for (const Key of keys) {
      const err = await awsError(() => env.ddb.send(new GetItemCommand({ TableName: T, Key })));
      expect(err).toMatchObject({
        name: 'ValidationException',
        message: 'The provided key element does not match the schema',
      });
    }
  });

  it('rejects items with missing or mistyped keys, empty key strings and bad GSI key types', async () => {
    expect((await awsError(() => put({ pk: { S: 'a' } }))).message).toBe(
      'One or more parameter values were invalid: Missing the key sk in the item',
    );
    expect((await awsError(() => put({ pk: { N: '1' }, sk: { N: '1' } }))).message).toBe(
      'One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N',
    );
    expect((await awsError(() => put({ pk: { S: '' }, sk: { N: '1' } }))).message).toBe(
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
    );
    expect((await awsError(() => put({ ...key, g: { N: '1' } }))).message).toBe(
      'One or more parameter values were invalid: Type mismatch for Index Key g Expected: S Actual: N IndexName: byG',
    );
  });

  it('rejects items over 400 KB', async () => {
    const err = await awsError(() => put({ ...key, big: { S: 'x'.repeat(400 * 1024) } }));
    expect(err.message).toBe('Item size has exceeded the maximum allowed size');
    await put({ ...key, big: { S: 'x'.repeat(400 * 1024 - 20) } });
  });

  it('answers data-plane calls on a missing table with "Requested resource not found"', async () => {
    const err = await awsError(() => env.ddb.send(new GetItemCommand({ TableName: 'missing', Key: key })));
    expect(err).toMatchObject({ name: 'ResourceNotFoundException', message: 'Requested resource not found' });
  });
});

describe('conditions and return values', () => {
  it('fails a conditional put with ConditionalCheckFailedException carrying the old item', async () => {
    await put({ ...key, v: { N: '1' } });
    const err = await awsError(() =>
      put(
        { ...key, v: { N: '2' } },
        { ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
      ),
    );
    expect(err).toMatchObject({ name: 'ConditionalCheckFailedException', message: 'The conditional request failed' });
    try {
      await put(
        { ...key },
        { ConditionExpression: 'attribute_not_exists(pk)', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' },
      );
    } catch (e) {
      expect((e as { Item?: unknown }).Item).toEqual({ ...key, v: { N: '1' } });
    }
    const { Item } = await env.ddb.send(new GetItemCommand({ TableName: T, Key: key }));
    expect(Item?.v).toEqual({ N: '1' });
  });

  it('returns ALL_OLD from PutItem and DeleteItem, and rejects ALL_NEW there', async () => {
    await put({ ...key, v: { N: '1' } });
    const out = await put({ ...key, v: { N: '2' } }, { ReturnValues: 'ALL_OLD' });
    expect(out.Attributes).toEqual({ ...key, v: { N: '1' } });
    const bad = await awsError(() => put({ ...key }, { ReturnValues: 'ALL_NEW' }));
    expect(bad.message).toBe('ReturnValues can only be ALL_OLD or NONE');
    const del = await env.ddb.send(new DeleteItemCommand({ TableName: T, Key: key, ReturnValues: 'ALL_OLD' }));
    expect(del.Attributes).toEqual({ ...key, v: { N: '2' } });
    expect((await env.ddb.send(new GetItemCommand({ TableName: T, Key: key }))).Item).toBeUndefined();
  });

  it('deletes only when the condition holds', async () => {
    await put({ ...key, v: { N: '1' } });
    const err = await awsError(() =>
      env.ddb.send(
        new DeleteItemCommand({
          TableName: T,
          Key: key,
          ConditionExpression: 'v = :v',
          ExpressionAttributeValues: { ':v': { N: '2' } },
        }),
      ),
    );
    expect(err.name).toBe('ConditionalCheckFailedException');
    expect((await env.ddb.send(new GetItemCommand({ TableName: T, Key: key }))).Item).toBeDefined();
  });

  it('updates with SET/ADD/REMOVE and returns each ReturnValues flavour', async () => {
    await put({ ...key, a: { N: '1' }, b: { S: 'x' }, c: { S: 'gone' } });
    const upd = (ReturnValues: 'ALL_NEW' | 'ALL_OLD' | 'UPDATED_OLD' | 'UPDATED_NEW' | 'NONE') =>
      env.ddb.send(
        new UpdateItemCommand({
          TableName: T,
          Key: key,
          UpdateExpression: 'SET b = :b ADD a :one REMOVE c',
          ExpressionAttributeValues: { ':b': { S: 'y' }, ':one': { N: '1' } },
          ReturnValues,
        }),
      );
    expect((await upd('UPDATED_NEW')).Attributes).toEqual({ a: { N: '2' }, b: { S: 'y' } });
    expect((await upd('UPDATED_OLD')).Attributes).toEqual({ a: { N: '2' }, b: { S: 'y' } });
    expect((await upd('ALL_OLD')).Attributes).toEqual({ ...key, a: { N: '3' }, b: { S: 'y' } });
    expect((await upd('ALL_NEW')).Attributes).toEqual({ ...key, a: { N: '5' }, b: { S: 'y' } });
    expect((await upd('NONE')).Attributes).toBeUndefined();
  });

  it('creates an item from an update of a missing key', async () => {
    const out = await env.ddb.send(
      new UpdateItemCommand({
        TableName: T,
        Key: key,
        UpdateExpression: 'SET n = if_not_exists(n, :z) + :one',
        ExpressionAttributeValues: { ':z': { N: '0' }, ':one': { N: '1' } },
        ReturnValues: 'ALL_NEW',
      }),
    );
    expect(out.Attributes).toEqual({ ...key, n: { N: '1' } });
  });

  it('refuses to update key attributes', async () => {
    const err = await awsError(() =>
      env.ddb.send(
        new UpdateItemCommand({
          TableName: T,
          Key: key,
          UpdateExpression: 'SET pk = :v',
          ExpressionAttributeValues: { ':v': { S: 'b' } },
        }),
      ),
    );
    expect(err.message).toBe(
      'One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key',
    );
  });

  it('rejects an unknown ReturnValues with the enum constraint', async () => {
    const err = await awsError(() =>
      // biome-ignore lint/suspicious/noExplicitAny: deliberately invalid
      env.ddb.send(new UpdateItemCommand({ TableName: T, Key: key, ReturnValues: 'SOME' as any })),
    );
    expect(err.message).toBe(
      "1 validation error detected: Value 'SOME' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]",
    );
  });
});

describe('consumed capacity', () => {
  it('charges 1 WCU per KB written, plus the GSI, and half an RCU per 4 KB read', async () => {
    const big = { S: 'x'.repeat(1500) };
    const w = await put({ ...key, big, g: { S: 'k' } }, { ReturnConsumedCapacity: 'INDEXES' });
    expect(w.ConsumedCapacity).toMatchObject({
      TableName: T,
      CapacityUnits: 3,
      Table: { CapacityUnits: 2 },
      GlobalSecondaryIndexes: { byG: { CapacityUnits: 1 } },
    });
    const r = await env.ddb.send(new GetItemCommand({ TableName: T, Key: key, ReturnConsumedCapacity: 'TOTAL' }));
    expect(r.ConsumedCapacity).toMatchObject({ TableName: T, CapacityUnits: 0.5 });
    const c = await env.ddb.send(
      new GetItemCommand({ TableName: T, Key: key, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' }),
    );
    expect(c.ConsumedCapacity?.CapacityUnits).toBe(1);
  });
});

describe('expression parameters and legacy parameters', () => {
  it('rejects placeholder maps without an expression and mixing with legacy parameters', async () => {
    const names = await awsError(() =>
      env.ddb.send(new GetItemCommand({ TableName: T, Key: key, ExpressionAttributeNames: { '#a': 'a' } })),
    );
    expect(names.message).toBe('ExpressionAttributeNames can only be specified when using expressions');
    const values = await awsError(() => put({ ...key }, { ExpressionAttributeValues: { ':a': { S: 'a' } } }));
    expect(values.message).toBe(
      'ExpressionAttributeValues can only be specified when using expressions: ConditionExpression is null',
    );
    const mixed = await awsError(() =>
      env.ddb.send(new GetItemCommand({ TableName: T, Key: key, AttributesToGet: ['a'], ProjectionExpression: 'b' })),
    );
    expect(mixed.message).toBe(
      'Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}',
    );
  });

  it('evaluates Expected and applies AttributeUpdates', async () => {
    await put({ ...key, n: { N: '1' } });
    const failed = await awsError(() => put({ ...key }, { Expected: { n: { Value: { N: '2' } } } }));
    expect(failed.name).toBe('ConditionalCheckFailedException');
    const out = await env.ddb.send(
      new UpdateItemCommand({
        TableName: T,
        Key: key,
        Expected: { n: { ComparisonOperator: 'EQ', AttributeValueList: [{ N: '1' }] } },
        AttributeUpdates: { n: { Action: 'ADD', Value: { N: '4' } }, s: { Action: 'PUT', Value: { S: 'x' } } },
        ReturnValues: 'ALL_NEW',
      }),
    );
    expect(out.Attributes).toEqual({ ...key, n: { N: '5' }, s: { S: 'x' } });
    const args = await awsError(() =>
      put({ ...key }, { Expected: { n: { ComparisonOperator: 'BETWEEN', AttributeValueList: [{ N: '1' }] } } }),
    );
    expect(args.message).toBe(
      'One or more parameter values were invalid: Invalid number of argument(s) for the BETWEEN ComparisonOperator',
    );
  });
});
