import {
  GetItemCommand,
  PutItemCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  type TransactWriteItemsCommandInput,
} from '@aws-sdk/client-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { awsError } from '../helpers.js';
import { createTable, tableInput, useDynamo } from './helpers.js';

const env = useDynamo();
const T = 'accounts';
const k = (pk: string) => ({ pk: { S: pk } });

beforeEach(async () => {
  await createTable(env.ddb, tableInput(T, { hashOnly: true }));
  await env.ddb.send(new PutItemCommand({ TableName: T, Item: { ...k('alice'), balance: { N: '100' } } }));
});

const get = async (pk: string) => (await env.ddb.send(new GetItemCommand({ TableName: T, Key: k(pk) }))).Item;

const transfer = (amount: number): TransactWriteItemsCommandInput => ({
  TransactItems: [
    {
      Update: {
        TableName: T,
        Key: k('alice'),
        UpdateExpression: 'SET balance = balance - :a',
        ConditionExpression: 'balance >= :a',
        ExpressionAttributeValues: { ':a': { N: String(amount) } },
      },
    },
    { Put: { TableName: T, Item: { ...k('bob'), got: { N: String(amount) } } } },
  ],
});

describe('TransactWriteItems', () => {
  it('applies every write when all conditions hold', async () => {
    await env.ddb.send(new TransactWriteItemsCommand(transfer(30)));
    expect((await get('alice'))?.balance).toEqual({ N: '70' });
    expect((await get('bob'))?.got).toEqual({ N: '30' });
  });

  it('cancels everything with per-item reasons when a condition fails', async () => {
    const input = transfer(500);
    const first = input.TransactItems?.[0]?.Update;
    if (first) first.ReturnValuesOnConditionCheckFailure = 'ALL_OLD';
    let caught: { name?: string; message?: string; CancellationReasons?: unknown } = {};
    try {
      await env.ddb.send(new TransactWriteItemsCommand(input));
    } catch (e) {
      caught = e as typeof caught;
    }
    expect(caught.name).toBe('TransactionCanceledException');
    expect(caught.message).toBe(
      'Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]',
    );
    expect(caught.CancellationReasons).toEqual([
      {
        Code: 'ConditionalCheckFailed',
        Message: 'The conditional request failed',
        Item: { ...k('alice'), balance: { N: '100' } },
      },
      { Code: 'None' },
    ]);
    expect(await get('bob')).toBeUndefined();
  });

  it('supports ConditionCheck and Delete', async () => {
    await env.ddb.send(
      new TransactWriteItemsCommand({
        TransactItems: [
          { ConditionCheck: { TableName: T, Key: k('alice'), ConditionExpression: 'attribute_exists(balance)' } },
          { Delete: { TableName: T, Key: k('carol') } },
        ],
      }),
    );
    const err = await awsError(() =>
      env.ddb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { ConditionCheck: { TableName: T, Key: k('nobody'), ConditionExpression: 'attribute_exists(pk)' } },
            { Delete: { TableName: T, Key: k('alice') } },
          ],
        }),
      ),
    );
    expect(err.name).toBe('TransactionCanceledException');
    expect(await get('alice')).toBeDefined();
  });

  it('cancels with a ValidationError reason when an update would break an item', async () => {
    let caught: { name?: string; message?: string; CancellationReasons?: Array<{ Code?: string; Message?: string }> } =
      {};
    try {
      await env.ddb.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: T, Item: k('zed') } },
            {
              Update: {
                TableName: T,
                Key: k('alice'),
                UpdateExpression: 'SET big = :b',
                ExpressionAttributeValues: { ':b': { S: 'x'.repeat(410 * 1024) } },
              },
            },
          ],
        }),
      );
    } catch (e) {
      caught = e as typeof caught;
    }
    expect(caught.message).toBe(
      'Transaction cancelled, please refer cancellation reasons for specific reasons [None, ValidationError]',
    );
    expect(caught.CancellationReasons?.[1]).toEqual({
      Code: 'ValidationError',
      Message: 'Item size to update has exceeded the maximum allowed size',
    });
    expect(await get('zed')).toBeUndefined();
  });

  it('rejects two operations on the same item', async () => {
    const err = await awsError(() =>
      env.ddb.send(
        new TransactWriteItemsCommand({
          TransactItems: [{ Put: { TableName: T, Item: k('x') } }, { Delete: { TableName: T, Key: k('x') } }],
        }),
      ),
    );
    expect(err).toMatchObject({
      name: 'ValidationException',
      message: 'Transaction request cannot include multiple operations on one item',
    });
  });

  it('rejects more than 100 items', async () => {
    const TransactItems = Array.from({ length: 101 }, (_, i) => ({ Put: { TableName: T, Item: k(`p${i}`) } }));
    const err = await awsError(() => env.ddb.send(new TransactWriteItemsCommand({ TransactItems })));
    expect(err.message).toMatch(
      /at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100$/,
    );
  });

  it('replays a ClientRequestToken within 10 minutes and rejects it with a different request', async () => {
    const input = { ...transfer(10), ClientRequestToken: 'tok-1' };
    await env.ddb.send(new TransactWriteItemsCommand(input));
    await env.ddb.send(new TransactWriteItemsCommand(input));
    expect((await get('alice'))?.balance).toEqual({ N: '90' });
    const err = await awsError(() =>
      env.ddb.send(new TransactWriteItemsCommand({ ...transfer(20), ClientRequestToken: 'tok-1' })),
    );
    expect(err.name).toBe('IdempotentParameterMismatchException');
    await env.cloud.clock.advance('11m');
    await env.ddb.send(new TransactWriteItemsCommand(input));
    expect((await get('alice'))?.balance).toEqual({ N: '80' });
  });
});

describe('TransactGetItems', () => {
  it('returns items in request order, empty for missing ones', async () => {
    const out = await env.ddb.send(
      new TransactGetItemsCommand({
        TransactItems: [
          { Get: { TableName: T, Key: k('nobody') } },
          { Get: { TableName: T, Key: k('alice'), ProjectionExpression: 'balance' } },
        ],
      }),
    );
    expect(out.Responses).toEqual([{}, { Item: { balance: { N: '100' } } }]);
  });
});
