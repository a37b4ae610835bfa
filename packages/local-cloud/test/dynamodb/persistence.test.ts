import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteItemCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalCloud } from '../../src/index.js';
import { createTable, dynamoClient, tableInput } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ddb-persist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const start = () => startLocalCloud({ clock: 'manual', persistence: 'disk', dataDir: dir });

describe('persistence', () => {
  it('keeps tables, items and indexes across a restart, and forgets deleted ones', async () => {
    let cloud = await start();
    let ddb = dynamoClient(cloud);
    await createTable(ddb, {
      ...tableInput('kept'),
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
        { AttributeName: 'g', AttributeType: 'S' },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byG',
          KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
    await createTable(ddb, tableInput('dropped'));
    for (let i = 0; i < 5; i++) {
      await ddb.send(
        new PutItemCommand({ TableName: 'kept', Item: { pk: { S: 'p' }, sk: { N: String(i) }, g: { S: 'x' } } }),
      );
    }
    await ddb.send(new DeleteItemCommand({ TableName: 'kept', Key: { pk: { S: 'p' }, sk: { N: '2' } } }));
    await ddb.send(new PutItemCommand({ TableName: 'dropped', Item: { pk: { S: 'p' }, sk: { N: '1' } } }));
    await ddb.send(new DeleteTableCommand({ TableName: 'dropped' }));
    await ddb.send(
      new UpdateTimeToLiveCommand({
        TableName: 'kept',
        TimeToLiveSpecification: { AttributeName: 'exp', Enabled: true },
      }),
    );
    await ddb.send(
      new UpdateTableCommand({
        TableName: 'kept',
        AttributeDefinitions: [{ AttributeName: 'h', AttributeType: 'N' }],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: 'byH',
              KeySchema: [{ AttributeName: 'h', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'KEYS_ONLY' },
            },
          },
        ],
      }),
    );
    await ddb.send(new PutItemCommand({ TableName: 'kept', Item: { pk: { S: 'h' }, sk: { N: '1' }, h: { N: '7' } } }));
    const before = (await ddb.send(new DescribeTableCommand({ TableName: 'kept' }))).Table;
    await cloud.stop();

    cloud = await start();
    ddb = dynamoClient(cloud);
    try {
      const after = (await ddb.send(new DescribeTableCommand({ TableName: 'kept' }))).Table;
      expect(after?.TableId).toBe(before?.TableId);
      expect(after?.ItemCount).toBe(5);
      const ttl = await ddb.send(new DescribeTimeToLiveCommand({ TableName: 'kept' }));
      expect(ttl.TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'exp' });
      const byH = await ddb.send(
        new QueryCommand({
          TableName: 'kept',
          IndexName: 'byH',
          KeyConditionExpression: 'h = :h',
          ExpressionAttributeValues: { ':h': { N: '7' } },
        }),
      );
      expect(byH.Items).toEqual([{ pk: { S: 'h' }, sk: { N: '1' }, h: { N: '7' } }]);
      const q = await ddb.send(
        new QueryCommand({
          TableName: 'kept',
          IndexName: 'byG',
          KeyConditionExpression: 'g = :g',
          ExpressionAttributeValues: { ':g': { S: 'x' } },
        }),
      );
      expect(q.Count).toBe(4);
      const got = await ddb.send(new GetItemCommand({ TableName: 'kept', Key: { pk: { S: 'p' }, sk: { N: '3' } } }));
      expect(got.Item?.g).toEqual({ S: 'x' });
      await createTable(ddb, tableInput('dropped'));
      expect((await ddb.send(new DescribeTableCommand({ TableName: 'dropped' }))).Table?.ItemCount).toBe(0);
    } finally {
      await cloud.stop();
    }
  });
});
