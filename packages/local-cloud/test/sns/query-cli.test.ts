import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../src/index.js';
import { hasAwsCli as hasCli, runAwsCli } from '../aws-cli.js';
import { sqsClient } from '../helpers.js';
import { drain, queue } from './helpers.js';

/**
 * SNS through Debian's AWS CLI (/usr/bin/aws): its botocore serialises Query requests on its own
 * (`Attributes.entry.N.key`, `MessageAttributes.entry.N.Name/Value.*`, `Tags.member.N.Key`) and
 * parses our XML, independently of the JavaScript SDK.
 */

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startLocalCloud({ persistence: 'memory' });
});
afterAll(async () => {
  await cloud?.stop();
});

const aws = (...args: string[]) => runAwsCli(cloud.url, ...args);

async function awsJson<T = Record<string, unknown>>(...args: string[]): Promise<T> {
  const r = await aws(...args);
  if (r.code !== 0) throw new Error(`aws ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return (r.stdout.trim() === '' ? {} : JSON.parse(r.stdout)) as T;
}

describe.skipIf(!hasCli)('SNS over Query through the AWS CLI', () => {
  it('creates, lists, tags and describes topics', async () => {
    const { TopicArn } = await awsJson<{ TopicArn: string }>(
      'sns',
      'create-topic',
      '--name',
      'cli-topic',
      '--attributes',
      'DisplayName=From the CLI',
      '--tags',
      'Key=team,Value=core',
    );
    expect(TopicArn).toBe('arn:aws:sns:us-east-1:000000000000:cli-topic');
    const { Topics } = await awsJson<{ Topics: Array<{ TopicArn: string }> }>('sns', 'list-topics');
    expect(Topics).toContainEqual({ TopicArn });
    const { Attributes } = await awsJson<{ Attributes: Record<string, string> }>(
      'sns',
      'get-topic-attributes',
      '--topic-arn',
      TopicArn,
    );
    expect(Attributes).toMatchObject({ DisplayName: 'From the CLI', TopicArn, SubscriptionsConfirmed: '0' });
    const { Tags } = await awsJson<{ Tags: unknown[] }>('sns', 'list-tags-for-resource', '--resource-arn', TopicArn);
    expect(Tags).toEqual([{ Key: 'team', Value: 'core' }]);
  });

  it('subscribes a queue and publishes with message attributes', async () => {
    const sqs = sqsClient(cloud);
    const q = await queue(sqs, 'cli-q');
    const { TopicArn } = await awsJson<{ TopicArn: string }>('sns', 'create-topic', '--name', 'cli-publish');
    const { SubscriptionArn } = await awsJson<{ SubscriptionArn: string }>(
      'sns',
      'subscribe',
      '--topic-arn',
      TopicArn,
      '--protocol',
      'sqs',
      '--notification-endpoint',
      q.arn,
      '--attributes',
      JSON.stringify({ FilterPolicy: JSON.stringify({ kind: ['keep'] }) }),
    );
    expect(SubscriptionArn).toMatch(new RegExp(`^${TopicArn}:`));
    const { Subscriptions } = await awsJson<{ Subscriptions: Array<Record<string, string>> }>(
      'sns',
      'list-subscriptions-by-topic',
      '--topic-arn',
      TopicArn,
    );
    expect(Subscriptions).toEqual([
      { SubscriptionArn, Owner: '000000000000', Protocol: 'sqs', Endpoint: q.arn, TopicArn },
    ]);
    const { MessageId } = await awsJson<{ MessageId: string }>(
      'sns',
      'publish',
      '--topic-arn',
      TopicArn,
      '--message',
      'from the cli',
      '--message-attributes',
      JSON.stringify({ kind: { DataType: 'String', StringValue: 'keep' } }),
    );
    await awsJson(
      'sns',
      'publish',
      '--topic-arn',
      TopicArn,
      '--message',
      'filtered out',
      '--message-attributes',
      JSON.stringify({ kind: { DataType: 'String', StringValue: 'drop' } }),
    );
    const got = await drain(sqs, q.url);
    expect(got.map((m) => JSON.parse(m.Body as string))).toMatchObject([
      { MessageId, Message: 'from the cli', MessageAttributes: { kind: { Type: 'String', Value: 'keep' } } },
    ]);
    await awsJson('sns', 'unsubscribe', '--subscription-arn', SubscriptionArn);
    const after = await awsJson<{ Subscriptions: unknown[] }>('sns', 'list-subscriptions');
    expect(after.Subscriptions).toEqual([]);
  });

  it('reports AWS errors with their codes', async () => {
    const missing = await aws('sns', 'get-topic-attributes', '--topic-arn', 'arn:aws:sns:us-east-1:000000000000:nope');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('(NotFound)');
    expect(missing.stderr).toContain('Topic does not exist');
    const bad = await aws('sns', 'publish', '--topic-arn', 'nope', '--message', 'x');
    expect(bad.stderr).toContain('(InvalidParameter)');
    expect(bad.stderr).toContain('Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1');
  });
});
