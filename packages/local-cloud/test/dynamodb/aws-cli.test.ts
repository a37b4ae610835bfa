import { describe, expect, it } from 'vitest';
import { hasAwsCli, runAwsCli } from '../aws-cli.js';
import { useDynamo } from './helpers.js';

const env = useDynamo();

describe.runIf(hasAwsCli)('DynamoDB through the AWS CLI (/usr/bin/aws)', () => {
  it('creates a table, writes an item with binary and reads it back', async () => {
    const create = await runAwsCli(
      env.cloud.url,
      'dynamodb',
      'create-table',
      '--table-name',
      'cli-table',
      '--attribute-definitions',
      'AttributeName=pk,AttributeType=S',
      '--key-schema',
      'AttributeName=pk,KeyType=HASH',
      '--billing-mode',
      'PAY_PER_REQUEST',
    );
    expect(create.code, create.stderr).toBe(0);
    const put = await runAwsCli(
      env.cloud.url,
      'dynamodb',
      'put-item',
      '--table-name',
      'cli-table',
      '--item',
      '{"pk":{"S":"a"},"b":{"B":"AQI="},"n":{"N":"1.50"}}',
    );
    expect(put.code, put.stderr).toBe(0);
    const get = await runAwsCli(
      env.cloud.url,
      'dynamodb',
      'get-item',
      '--table-name',
      'cli-table',
      '--key',
      '{"pk":{"S":"a"}}',
    );
    expect(get.code, get.stderr).toBe(0);
    expect(JSON.parse(get.stdout)).toEqual({ Item: { pk: { S: 'a' }, b: { B: 'AQI=' }, n: { N: '1.5' } } });
  });

  it('reports a conditional failure with the AWS error code', async () => {
    await runAwsCli(
      env.cloud.url,
      'dynamodb',
      'create-table',
      '--table-name',
      'cli-cond',
      '--attribute-definitions',
      'AttributeName=pk,AttributeType=S',
      '--key-schema',
      'AttributeName=pk,KeyType=HASH',
      '--billing-mode',
      'PAY_PER_REQUEST',
    );
    await runAwsCli(env.cloud.url, 'dynamodb', 'put-item', '--table-name', 'cli-cond', '--item', '{"pk":{"S":"a"}}');
    const again = await runAwsCli(
      env.cloud.url,
      'dynamodb',
      'put-item',
      '--table-name',
      'cli-cond',
      '--item',
      '{"pk":{"S":"a"}}',
      '--condition-expression',
      'attribute_not_exists(pk)',
    );
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('(ConditionalCheckFailedException)');
    expect(again.stderr).toContain('The conditional request failed');
  });
});
