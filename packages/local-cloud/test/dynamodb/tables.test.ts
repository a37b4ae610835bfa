import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeContinuousBackupsCommand,
  DescribeEndpointsCommand,
  DescribeTableCommand,
  ListTablesCommand,
  ListTagsOfResourceCommand,
  PutItemCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateContinuousBackupsCommand,
  UpdateTableCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { awsError } from '../helpers.js';
import { createTable, tableInput, useDynamo } from './helpers.js';

const env = useDynamo();

describe('CreateTable and DescribeTable', () => {
  it('describes a new table as ACTIVE with its ARN, id, sizes and billing mode', async () => {
    const created = await env.ddb.send(
      new CreateTableCommand(tableInput('orders', { Tags: [{ Key: 'a', Value: 'b' }] })),
    );
    expect(created.TableDescription?.TableStatus).toBe('CREATING');
    const { Table } = await env.ddb.send(new DescribeTableCommand({ TableName: 'orders' }));
    expect(Table).toMatchObject({
      TableName: 'orders',
      TableStatus: 'ACTIVE',
      TableArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/orders',
      ItemCount: 0,
      TableSizeBytes: 0,
      BillingModeSummary: { BillingMode: 'PAY_PER_REQUEST' },
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    });
    expect(Table?.TableId).toMatch(/^[0-9a-f-]{36}$/);
    expect(Table?.CreationDateTime).toBeInstanceOf(Date);
    await waitUntilTableExists({ client: env.ddb, maxWaitTime: 30, minDelay: 1 }, { TableName: 'orders' });
  });

  it('counts items and bytes after writes', async () => {
    await createTable(env.ddb, tableInput('counted'));
    await env.ddb.send(new PutItemCommand({ TableName: 'counted', Item: { pk: { S: 'a' }, sk: { N: '1' } } }));
    const { Table } = await env.ddb.send(new DescribeTableCommand({ TableName: 'counted' }));
    expect(Table?.ItemCount).toBe(1);
    // "pk" (2) + "a" (1) + "sk" (2) + number 1 (2)
    expect(Table?.TableSizeBytes).toBe(7);
  });

  it('describes provisioned tables, LSIs and GSIs with their projections', async () => {
    await createTable(env.ddb, {
      ...tableInput('idx', {
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 5, WriteCapacityUnits: 3 },
      }),
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'N' },
        { AttributeName: 'l', AttributeType: 'S' },
        { AttributeName: 'g', AttributeType: 'S' },
      ],
      LocalSecondaryIndexes: [
        {
          IndexName: 'lsi',
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'l', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'KEYS_ONLY' },
        },
      ],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'gsi',
          KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] },
          ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
        },
      ],
    });
    const { Table } = await env.ddb.send(new DescribeTableCommand({ TableName: 'idx' }));
    expect(Table?.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 5, WriteCapacityUnits: 3 });
    expect(Table?.BillingModeSummary).toBeUndefined();
    expect(Table?.LocalSecondaryIndexes?.[0]).toMatchObject({
      IndexName: 'lsi',
      Projection: { ProjectionType: 'KEYS_ONLY' },
      IndexArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/idx/index/lsi',
    });
    expect(Table?.GlobalSecondaryIndexes?.[0]).toMatchObject({
      IndexName: 'gsi',
      IndexStatus: 'ACTIVE',
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['x'] },
      ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
    });
  });

  it('rejects a duplicate table with ResourceInUseException', async () => {
    await createTable(env.ddb, tableInput('dup'));
    const err = await awsError(() => createTable(env.ddb, tableInput('dup')));
    expect(err).toMatchObject({ name: 'ResourceInUseException', message: 'Table already exists: dup', status: 400 });
  });

  it('names the table when DescribeTable finds none', async () => {
    const err = await awsError(() => env.ddb.send(new DescribeTableCommand({ TableName: 'nope' })));
    expect(err).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Requested resource not found: Table: nope not found',
    });
  });

  it('rejects key attributes missing from AttributeDefinitions, and unused definitions', async () => {
    const missing = await awsError(() =>
      createTable(env.ddb, {
        ...tableInput('bad', { hashOnly: true }),
        AttributeDefinitions: [{ AttributeName: 'x', AttributeType: 'S' }],
      }),
    );
    expect(missing.message).toBe(
      'One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [pk], AttributeDefinitions: [x]',
    );
    const extra = await awsError(() =>
      createTable(env.ddb, {
        ...tableInput('bad', { hashOnly: true }),
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'x', AttributeType: 'S' },
        ],
      }),
    );
    expect(extra.message).toBe(
      'One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions',
    );
  });

  it('requires throughput for PROVISIONED tables and forbids it for PAY_PER_REQUEST', async () => {
    const prov = await awsError(() => createTable(env.ddb, tableInput('bill', { BillingMode: 'PROVISIONED' })));
    expect(prov.message).toBe(
      'One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED',
    );
    const ppr = await awsError(() =>
      createTable(
        env.ddb,
        tableInput('bill', { ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 } }),
      ),
    );
    expect(ppr.message).toContain('Neither ReadCapacityUnits nor WriteCapacityUnits can be specified');
  });

  it('rejects invalid table names with the constraint message', async () => {
    const err = await awsError(() => createTable(env.ddb, tableInput('a!')));
    expect(err.name).toBe('ValidationException');
    expect(err.message).toBe(
      "2 validation errors detected: Value 'a!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+; Value 'a!' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3",
    );
  });

  it('rejects an LSI on a table without a range key', async () => {
    const err = await awsError(() =>
      createTable(env.ddb, {
        ...tableInput('nolsi', { hashOnly: true }),
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'l', AttributeType: 'S' },
        ],
        LocalSecondaryIndexes: [
          {
            IndexName: 'lsi',
            KeySchema: [
              { AttributeName: 'pk', KeyType: 'HASH' },
              { AttributeName: 'l', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
    expect(err.message).toBe(
      'One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex',
    );
  });
});

describe('UpdateTable, DeleteTable and ListTables', () => {
  it('adds and removes a GSI, indexing existing items', async () => {
    await createTable(env.ddb, tableInput('upd'));
    await env.ddb.send(
      new PutItemCommand({ TableName: 'upd', Item: { pk: { S: 'a' }, sk: { N: '1' }, g: { S: 'x' } } }),
    );
    await env.ddb.send(
      new UpdateTableCommand({
        TableName: 'upd',
        AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
        GlobalSecondaryIndexUpdates: [
          {
            Create: {
              IndexName: 'byG',
              KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
              Projection: { ProjectionType: 'ALL' },
            },
          },
        ],
      }),
    );
    let { Table } = await env.ddb.send(new DescribeTableCommand({ TableName: 'upd' }));
    expect(Table?.GlobalSecondaryIndexes?.[0]).toMatchObject({ IndexName: 'byG', ItemCount: 1 });
    expect(Table?.AttributeDefinitions?.map((a) => a.AttributeName)).toContain('g');
    await env.ddb.send(
      new UpdateTableCommand({ TableName: 'upd', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'byG' } }] }),
    );
    ({ Table } = await env.ddb.send(new DescribeTableCommand({ TableName: 'upd' })));
    expect(Table?.GlobalSecondaryIndexes).toBeUndefined();
    expect(Table?.AttributeDefinitions?.map((a) => a.AttributeName)).not.toContain('g');
  });

  it('rejects deleting a missing GSI and creating one without throughput on a provisioned table', async () => {
    await createTable(
      env.ddb,
      tableInput('prov', {
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
      }),
    );
    const missing = await awsError(() =>
      env.ddb.send(
        new UpdateTableCommand({ TableName: 'prov', GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: 'nope' } }] }),
      ),
    );
    expect(missing.name).toBe('ResourceNotFoundException');
    const noThroughput = await awsError(() =>
      env.ddb.send(
        new UpdateTableCommand({
          TableName: 'prov',
          AttributeDefinitions: [{ AttributeName: 'g', AttributeType: 'S' }],
          GlobalSecondaryIndexUpdates: [
            {
              Create: {
                IndexName: 'byG',
                KeySchema: [{ AttributeName: 'g', KeyType: 'HASH' }],
                Projection: { ProjectionType: 'ALL' },
              },
            },
          ],
        }),
      ),
    );
    expect(noThroughput.message).toBe(
      'One or more parameter values were invalid: ProvisionedThroughput is not specified for index: byG',
    );
  });

  it('switches billing mode to PROVISIONED with throughput', async () => {
    await createTable(env.ddb, tableInput('billing'));
    const out = await env.ddb.send(
      new UpdateTableCommand({
        TableName: 'billing',
        BillingMode: 'PROVISIONED',
        ProvisionedThroughput: { ReadCapacityUnits: 2, WriteCapacityUnits: 4 },
      }),
    );
    expect(out.TableDescription?.ProvisionedThroughput).toMatchObject({ ReadCapacityUnits: 2, WriteCapacityUnits: 4 });
  });

  it('deletes a table and then reports it missing', async () => {
    await createTable(env.ddb, tableInput('gone'));
    const del = await env.ddb.send(new DeleteTableCommand({ TableName: 'gone' }));
    expect(del.TableDescription?.TableStatus).toBe('DELETING');
    const err = await awsError(() => env.ddb.send(new DeleteTableCommand({ TableName: 'gone' })));
    expect(err.message).toBe('Requested resource not found: Table: gone not found');
  });

  it('describes deletion protection and refuses to delete a protected table until it is turned off', async () => {
    await createTable(env.ddb, tableInput('guarded', { DeletionProtectionEnabled: true }));
    const err = await awsError(() => env.ddb.send(new DeleteTableCommand({ TableName: 'guarded' })));
    expect(err.message).toBe(
      'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.',
    );
    const off = await env.ddb.send(new UpdateTableCommand({ TableName: 'guarded', DeletionProtectionEnabled: false }));
    expect(off.TableDescription?.DeletionProtectionEnabled).toBe(false);
    await env.ddb.send(new DeleteTableCommand({ TableName: 'guarded' }));
  });

  it('lists tables in name order with ExclusiveStartTableName and Limit', async () => {
    for (const n of ['ccc', 'aaa', 'bbb']) await createTable(env.ddb, tableInput(n));
    const first = await env.ddb.send(new ListTablesCommand({ Limit: 2 }));
    expect(first.TableNames).toEqual(['aaa', 'bbb']);
    expect(first.LastEvaluatedTableName).toBe('bbb');
    const second = await env.ddb.send(new ListTablesCommand({ ExclusiveStartTableName: 'bbb' }));
    expect(second.TableNames).toEqual(['ccc']);
    expect(second.LastEvaluatedTableName).toBeUndefined();
  });

  it('keeps tables per region', async () => {
    await createTable(env.ddb, tableInput('regional'));
    const { dynamoClient } = await import('./helpers.js');
    const other = dynamoClient(env.cloud, 'eu-west-1');
    expect((await other.send(new ListTablesCommand({}))).TableNames).toEqual([]);
  });
});

describe('tags and endpoints', () => {
  it('tags, lists and untags a table by ARN', async () => {
    await createTable(env.ddb, tableInput('tagged', { Tags: [{ Key: 'team', Value: 'a' }] }));
    const arn = 'arn:aws:dynamodb:us-east-1:000000000000:table/tagged';
    await env.ddb.send(
      new TagResourceCommand({
        ResourceArn: arn,
        Tags: [
          { Key: 'env', Value: 'dev' },
          { Key: 'team', Value: 'b' },
        ],
      }),
    );
    let tags = await env.ddb.send(new ListTagsOfResourceCommand({ ResourceArn: arn }));
    expect(tags.Tags).toEqual([
      { Key: 'team', Value: 'b' },
      { Key: 'env', Value: 'dev' },
    ]);
    await env.ddb.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['team'] }));
    tags = await env.ddb.send(new ListTagsOfResourceCommand({ ResourceArn: arn }));
    expect(tags.Tags).toEqual([{ Key: 'env', Value: 'dev' }]);
    const err = await awsError(() =>
      env.ddb.send(
        new ListTagsOfResourceCommand({ ResourceArn: 'arn:aws:dynamodb:us-east-1:000000000000:table/none' }),
      ),
    );
    expect(err.name).toBe('ResourceNotFoundException');
  });

  it('records point-in-time recovery and names a missing table with TableNotFoundException', async () => {
    await createTable(env.ddb, tableInput('pitr'));
    let d = await env.ddb.send(new DescribeContinuousBackupsCommand({ TableName: 'pitr' }));
    expect(d.ContinuousBackupsDescription).toEqual({
      ContinuousBackupsStatus: 'ENABLED',
      PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: 'DISABLED' },
    });
    await env.ddb.send(
      new UpdateContinuousBackupsCommand({
        TableName: 'pitr',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      }),
    );
    d = await env.ddb.send(new DescribeContinuousBackupsCommand({ TableName: 'pitr' }));
    expect(d.ContinuousBackupsDescription?.PointInTimeRecoveryDescription?.PointInTimeRecoveryStatus).toBe('ENABLED');
    const err = await awsError(() => env.ddb.send(new DescribeContinuousBackupsCommand({ TableName: 'nope' })));
    expect(err).toMatchObject({ name: 'TableNotFoundException', message: 'Table not found: nope' });
  });

  it('answers DescribeEndpoints', async () => {
    const out = await env.ddb.send(new DescribeEndpointsCommand({}));
    expect(out.Endpoints?.[0]?.CachePeriodInMinutes).toBe(1440);
  });
});
