import { CreateTableCommand, type CreateTableCommandInput, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { LocalCloud, ManualClock } from '../../src/index.js';
import { credentials, startManual } from '../helpers.js';

export function dynamoClient(cloud: { url: string }, region = 'us-east-1'): DynamoDBClient {
  return new DynamoDBClient({ endpoint: cloud.url, region, credentials, maxAttempts: 1 });
}

export interface DynamoEnv {
  cloud: LocalCloud<ManualClock>;
  ddb: DynamoDBClient;
  doc: DynamoDBDocumentClient;
}

/** One manual-clock cloud per file, wiped before each test. */
export function useDynamo(): DynamoEnv {
  const env = {} as DynamoEnv;
  beforeAll(async () => {
    env.cloud = await startManual();
    env.ddb = dynamoClient(env.cloud);
    env.doc = DynamoDBDocumentClient.from(env.ddb);
  });
  afterAll(() => env.cloud?.stop());
  beforeEach(() => env.cloud?.reset());
  return env;
}

/** A table with a string hash key `pk` and, unless hashOnly, a numeric range key `sk`. */
export function tableInput(name: string, opts: Partial<CreateTableCommandInput> & { hashOnly?: boolean } = {}) {
  const { hashOnly, ...rest } = opts;
  return {
    TableName: name,
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' as const },
      ...(hashOnly ? [] : [{ AttributeName: 'sk', AttributeType: 'N' as const }]),
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' as const },
      ...(hashOnly ? [] : [{ AttributeName: 'sk', KeyType: 'RANGE' as const }]),
    ],
    BillingMode: 'PAY_PER_REQUEST' as const,
    ...rest,
  };
}

export async function createTable(ddb: DynamoDBClient, input: CreateTableCommandInput): Promise<void> {
  await ddb.send(new CreateTableCommand(input));
}
