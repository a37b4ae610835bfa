import { BatchGetItemCommand, BatchWriteItemCommand, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { awsError } from '../helpers.js';
import { createTable, tableInput, useDynamo } from './helpers.js';

const env = useDynamo();

beforeEach(async () => {
  await createTable(env.ddb, tableInput('first', { hashOnly: true }));
  await createTable(env.ddb, tableInput('second', { hashOnly: true }));
});

const putReq = (pk: string, extra = {}) => ({ PutRequest: { Item: { pk: { S: pk }, ...extra } } });

describe('BatchWriteItem', () => {
  it('writes and deletes across tables and leaves UnprocessedItems empty', async () => {
    const out = await env.ddb.send(
      new BatchWriteItemCommand({
        RequestItems: { first: [putReq('a'), putReq('b')], second: [putReq('c')] },
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    expect(out.UnprocessedItems).toEqual({});
    expect(out.ConsumedCapacity).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ TableName: 'first', CapacityUnits: 2 }),
        expect.objectContaining({ TableName: 'second', CapacityUnits: 1 }),
      ]),
    );
    await env.ddb.send(
      new BatchWriteItemCommand({ RequestItems: { first: [{ DeleteRequest: { Key: { pk: { S: 'a' } } } }] } }),
    );
    expect(
      (await env.ddb.send(new GetItemCommand({ TableName: 'first', Key: { pk: { S: 'a' } } }))).Item,
    ).toBeUndefined();
    expect(
      (await env.ddb.send(new GetItemCommand({ TableName: 'first', Key: { pk: { S: 'b' } } }))).Item,
    ).toBeDefined();
  });

  it('rejects more than 25 requests for a table', async () => {
    const many = Array.from({ length: 26 }, (_, i) => putReq(`k${i}`));
    const err = await awsError(() => env.ddb.send(new BatchWriteItemCommand({ RequestItems: { first: many } })));
    expect(err.name).toBe('ValidationException');
    expect(err.message).toMatch(
      /^1 validation error detected: Value .* at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: \[Member must have length less than or equal to 25, Member must have length greater than or equal to 1\]$/,
    );
  });

  it('rejects duplicate keys and writes nothing', async () => {
    const err = await awsError(() =>
      env.ddb.send(new BatchWriteItemCommand({ RequestItems: { first: [putReq('x'), putReq('y'), putReq('x')] } })),
    );
    expect(err.message).toBe('Provided list of item keys contains duplicates');
    expect(
      (await env.ddb.send(new GetItemCommand({ TableName: 'first', Key: { pk: { S: 'y' } } }))).Item,
    ).toBeUndefined();
  });

  it('rejects a batch naming a missing table', async () => {
    const err = await awsError(() =>
      env.ddb.send(new BatchWriteItemCommand({ RequestItems: { nope: [putReq('x')] } })),
    );
    expect(err).toMatchObject({ name: 'ResourceNotFoundException', message: 'Requested resource not found' });
  });
});

describe('BatchGetItem', () => {
  it('reads keys from several tables with projections', async () => {
    await env.ddb.send(
      new BatchWriteItemCommand({ RequestItems: { first: [putReq('a', { v: { N: '1' } })], second: [putReq('b')] } }),
    );
    const out = await env.ddb.send(
      new BatchGetItemCommand({
        RequestItems: {
          first: { Keys: [{ pk: { S: 'a' } }, { pk: { S: 'zz' } }], ProjectionExpression: 'v' },
          second: { Keys: [{ pk: { S: 'b' } }] },
        },
      }),
    );
    expect(out.Responses?.first).toEqual([{ v: { N: '1' } }]);
    expect(out.Responses?.second).toEqual([{ pk: { S: 'b' } }]);
    expect(out.UnprocessedKeys).toEqual({});
  });

  it('rejects duplicate keys and more than 100 keys', async () => {
    const dup = await awsError(() =>
      env.ddb.send(
        new BatchGetItemCommand({ RequestItems: { first: { Keys: [{ pk: { S: 'a' } }, { pk: { S: 'a' } }] } } }),
      ),
    );
    expect(dup.message).toBe('Provided list of item keys contains duplicates');
    const keys = Array.from({ length: 60 }, (_, i) => ({ pk: { S: `k${i}` } }));
    const many = await awsError(() =>
      env.ddb.send(new BatchGetItemCommand({ RequestItems: { first: { Keys: keys }, second: { Keys: keys } } })),
    );
    expect(many.message).toBe('Too many items requested for the BatchGetItem call');
  });

  it('returns what fits in 16 MB and the rest as UnprocessedKeys', async () => {
    const big = 'x'.repeat(390 * 1024);
    for (let i = 0; i < 45; i++) {
      await env.ddb.send(new PutItemCommand({ TableName: 'first', Item: { pk: { S: `big${i}` }, data: { S: big } } }));
    }
    const keys = Array.from({ length: 45 }, (_, i) => ({ pk: { S: `big${i}` } }));
    const out = await env.ddb.send(
      new BatchGetItemCommand({ RequestItems: { first: { Keys: keys, ProjectionExpression: 'pk' } } }),
    );
    const got = out.Responses?.first?.length ?? 0;
    const left = out.UnprocessedKeys?.first?.Keys?.length ?? 0;
    expect(got).toBe(42);
    expect(got + left).toBe(45);
    expect(out.UnprocessedKeys?.first?.ProjectionExpression).toBe('pk');
  });
});
