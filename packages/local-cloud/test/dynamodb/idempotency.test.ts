import { makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { CreateTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { useDynamo } from './helpers.js';

const env = useDynamo();

describe('Powertools idempotency on local-cloud', () => {
  it('runs the function once and returns the stored result for a repeated payload', async () => {
    await env.ddb.send(
      new CreateTableCommand({
        TableName: 'idempotency',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    const persistenceStore = new DynamoDBPersistenceLayer({ tableName: 'idempotency', awsSdkV3Client: env.ddb });
    let calls = 0;
    const charge = makeIdempotent(
      async (payload: { orderId: string; amount: number }) => {
        calls++;
        return { charged: payload.amount, receipt: `r-${calls}` };
      },
      { persistenceStore },
    );
    const first = await charge({ orderId: 'o-1', amount: 42 });
    const second = await charge({ orderId: 'o-1', amount: 42 });
    expect(first).toEqual({ charged: 42, receipt: 'r-1' });
    expect(second).toEqual(first);
    expect(calls).toBe(1);
    const other = await charge({ orderId: 'o-2', amount: 7 });
    expect(other).toEqual({ charged: 7, receipt: 'r-2' });
    const records = await env.ddb.send(new ScanCommand({ TableName: 'idempotency' }));
    expect(records.Count).toBe(2);
    expect(records.Items?.every((i) => i.status?.S === 'COMPLETED')).toBe(true);
  });
});
