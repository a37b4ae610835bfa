import {
  CreateTopicCommand,
  DeleteTopicCommand,
  GetSubscriptionAttributesCommand,
  GetTopicAttributesCommand,
  ListSubscriptionsByTopicCommand,
  ListSubscriptionsCommand,
  ListTagsForResourceCommand,
  ListTopicsCommand,
  PublishCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  type SNSClient,
  SubscribeCommand,
  TagResourceCommand,
  UnsubscribeCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalCloud, ManualClock } from '../../src/index.js';
import { awsError, sqsClient, startManual } from '../helpers.js';
import { queue, snsClient } from './helpers.js';

let cloud: LocalCloud<ManualClock>;
let sns: SNSClient;
let sqs: SQSClient;

beforeAll(async () => {
  cloud = await startManual();
  sns = snsClient(cloud);
  sqs = sqsClient(cloud);
});
afterAll(() => cloud.stop());
beforeEach(() => cloud.reset());

const topic = async (Name: string, Attributes?: Record<string, string>) =>
  (await sns.send(new CreateTopicCommand({ Name, Attributes }))).TopicArn as string;

describe('topics', () => {
  it('creates topics idempotently and rejects a second create with other attributes or tags', async () => {
    const arn = await topic('orders', { DisplayName: 'Orders' });
    expect(arn).toBe('arn:aws:sns:us-east-1:000000000000:orders');
    expect(await topic('orders', { DisplayName: 'Orders' })).toBe(arn);
    expect(await topic('orders')).toBe(arn);
    const err = await awsError(() => topic('orders', { DisplayName: 'Other' }));
    expect(err).toMatchObject({
      name: 'InvalidParameterException',
      status: 400,
      message: 'Invalid parameter: Attributes Reason: Topic already exists with different attributes',
    });
    const tags = await awsError(() =>
      sns.send(new CreateTopicCommand({ Name: 'orders', Tags: [{ Key: 'team', Value: 'a' }] })),
    );
    expect(tags.message).toBe('Invalid parameter: Tags Reason: Topic already exists with different tags');
  });

  it('returns the default attributes, and SetTopicAttributes changes them', async () => {
    const arn = await topic('attrs');
    const { Attributes: a } = await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }));
    expect(a).toMatchObject({
      TopicArn: arn,
      Owner: '000000000000',
      DisplayName: '',
      SubscriptionsConfirmed: '0',
      SubscriptionsPending: '0',
      SubscriptionsDeleted: '0',
    });
    expect(JSON.parse(a?.Policy as string).Statement[0].Resource).toBe(arn);
    expect(JSON.parse(a?.EffectiveDeliveryPolicy as string).http.defaultHealthyRetryPolicy.numRetries).toBe(3);
    await sns.send(
      new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'DisplayName', AttributeValue: 'Hi' }),
    );
    const after = await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }));
    expect(after.Attributes?.DisplayName).toBe('Hi');
    const bad = await awsError(() =>
      sns.send(new SetTopicAttributesCommand({ TopicArn: arn, AttributeName: 'FifoTopic', AttributeValue: 'true' })),
    );
    expect(bad.message).toBe('Invalid parameter: AttributeName');
  });

  it('validates names, FIFO suffixes and ARNs with AWS messages', async () => {
    expect((await awsError(() => topic('bad name'))).message).toBe('Invalid parameter: Topic Name');
    expect((await awsError(() => topic('x.fifo'))).message).toBe('Invalid parameter: Topic Name');
    expect((await awsError(() => topic('plain', { FifoTopic: 'true' }))).message).toMatch(/must end with \.fifo/);
    const arn = await awsError(() => sns.send(new GetTopicAttributesCommand({ TopicArn: 'nope' })));
    expect(arn).toMatchObject({
      name: 'InvalidParameterException',
      message: 'Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1',
    });
    const missing = await awsError(() =>
      sns.send(new GetTopicAttributesCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:ghost' })),
    );
    expect(missing).toMatchObject({ name: 'NotFoundException', status: 404, message: 'Topic does not exist' });
    const publish = await awsError(() =>
      sns.send(new PublishCommand({ TopicArn: 'arn:aws:sns:us-east-1:000000000000:ghost', Message: 'x' })),
    );
    expect(publish.message).toBe('Topic does not exist');
  });

  it('lists topics 100 to a page', async () => {
    for (let i = 0; i < 105; i++) await topic(`t${String(i).padStart(3, '0')}`);
    const first = await sns.send(new ListTopicsCommand({}));
    expect(first.Topics).toHaveLength(100);
    expect(first.NextToken).toBeDefined();
    const second = await sns.send(new ListTopicsCommand({ NextToken: first.NextToken }));
    expect(second.Topics).toHaveLength(5);
    expect(second.NextToken).toBeUndefined();
    const all = [...(first.Topics ?? []), ...(second.Topics ?? [])].map((t) => t.TopicArn);
    expect(new Set(all).size).toBe(105);
  });

  it('tags topics', async () => {
    const arn = await topic('tagged');
    await sns.send(
      new TagResourceCommand({
        ResourceArn: arn,
        Tags: [
          { Key: 'a', Value: '1' },
          { Key: 'b', Value: '2' },
        ],
      }),
    );
    await sns.send(new UntagResourceCommand({ ResourceArn: arn, TagKeys: ['a'] }));
    const { Tags } = await sns.send(new ListTagsForResourceCommand({ ResourceArn: arn }));
    expect(Tags).toEqual([{ Key: 'b', Value: '2' }]);
    const err = await awsError(() =>
      sns.send(new ListTagsForResourceCommand({ ResourceArn: 'arn:aws:sns:us-east-1:000000000000:ghost' })),
    );
    expect(err).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
  });

  it('deletes a topic with its subscriptions, and deleting again is fine', async () => {
    const arn = await topic('gone');
    const q = await queue(sqs, 'gone-q');
    await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: q.arn }));
    await sns.send(new DeleteTopicCommand({ TopicArn: arn }));
    await sns.send(new DeleteTopicCommand({ TopicArn: arn }));
    expect((await sns.send(new ListTopicsCommand({}))).Topics).toEqual([]);
    expect((await sns.send(new ListSubscriptionsCommand({}))).Subscriptions).toEqual([]);
  });
});

describe('subscriptions', () => {
  it('subscribes a queue at once, idempotently, and lists it', async () => {
    const arn = await topic('subs');
    const q = await queue(sqs, 'subs-q');
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: q.arn }),
    );
    expect(SubscriptionArn).toMatch(new RegExp(`^${arn}:[0-9a-f-]{36}$`));
    const again = await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: q.arn }));
    expect(again.SubscriptionArn).toBe(SubscriptionArn);
    const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
    expect(Attributes).toEqual({
      Owner: '000000000000',
      RawMessageDelivery: 'false',
      TopicArn: arn,
      Endpoint: q.arn,
      Protocol: 'sqs',
      PendingConfirmation: 'false',
      ConfirmationWasAuthenticated: 'true',
      SubscriptionArn,
      SubscriptionPrincipal: 'arn:aws:iam::000000000000:user/AKIDTEST',
    });
    const listed = { SubscriptionArn, Owner: '000000000000', Protocol: 'sqs', Endpoint: q.arn, TopicArn: arn };
    expect((await sns.send(new ListSubscriptionsCommand({}))).Subscriptions).toEqual([listed]);
    expect((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }))).Subscriptions).toEqual([listed]);
    const topicAttrs = await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }));
    expect(topicAttrs.Attributes?.SubscriptionsConfirmed).toBe('1');
  });

  it('sets and validates subscription attributes', async () => {
    const arn = await topic('sattrs');
    const q = await queue(sqs, 'sattrs-q');
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: q.arn }),
    );
    const set = (AttributeName: string, AttributeValue: string) =>
      sns.send(new SetSubscriptionAttributesCommand({ SubscriptionArn, AttributeName, AttributeValue }));
    await set('RawMessageDelivery', 'TRUE');
    await set('FilterPolicy', '{"color":["red"]}');
    await set('RedrivePolicy', JSON.stringify({ deadLetterTargetArn: q.arn }));
    const { Attributes } = await sns.send(new GetSubscriptionAttributesCommand({ SubscriptionArn }));
    expect(Attributes).toMatchObject({
      RawMessageDelivery: 'true',
      FilterPolicy: '{"color":["red"]}',
      FilterPolicyScope: 'MessageAttributes',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: q.arn }),
    });
    expect((await awsError(() => set('Nope', 'x'))).message).toBe('Invalid parameter: AttributeName');
    expect((await awsError(() => set('RawMessageDelivery', 'maybe'))).message).toBe(
      'Invalid parameter: RawMessageDelivery: Invalid value [maybe]. Must be true or false.',
    );
    expect((await awsError(() => set('FilterPolicy', '{"a": "b"}'))).message).toBe(
      'Invalid parameter: FilterPolicy: "a" must be an object or an array',
    );
    expect((await awsError(() => set('FilterPolicy', '{"a": {"b": ["c"]}}'))).message).toBe(
      'Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy',
    );
    expect((await awsError(() => set('RedrivePolicy', '{"deadLetterTargetArn": "x"}'))).message).toBe(
      'Invalid parameter: RedrivePolicy: deadLetterTargetArn is an invalid arn',
    );
    const subscribeErr = await awsError(() =>
      sns.send(
        new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: q.arn, Attributes: { FilterPolicy: '[' } }),
      ),
    );
    expect(subscribeErr.message).toBe('Invalid parameter: Attributes Reason: FilterPolicy: failed to parse JSON.');
  });

  it('rejects protocols, endpoints and unknown subscriptions with AWS messages', async () => {
    const arn = await topic('bad-subs');
    const sub = (Protocol: string, Endpoint: string) =>
      awsError(() => sns.send(new SubscribeCommand({ TopicArn: arn, Protocol, Endpoint })));
    expect((await sub('smoke', 'x')).message).toBe(
      'Invalid parameter: Amazon SNS does not support this protocol string: smoke',
    );
    expect((await sub('https', 'http://example.com')).message).toBe(
      'Invalid parameter: Endpoint must match the specified protocol',
    );
    expect((await sub('sqs', 'arn:aws:sqs:us-east-1:000000000000:q.fifo')).message).toBe(
      'Invalid parameter: Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics',
    );
    const missing = await awsError(() =>
      sns.send(
        new GetSubscriptionAttributesCommand({ SubscriptionArn: `${arn}:00000000-0000-0000-0000-000000000000` }),
      ),
    );
    expect(missing).toMatchObject({ name: 'NotFoundException', status: 404, message: 'Subscription does not exist' });
    const malformed = await awsError(() => sns.send(new UnsubscribeCommand({ SubscriptionArn: 'x' })));
    expect(malformed.message).toBe(
      'Invalid parameter: SubscriptionArn Reason: An ARN must have at least 6 elements, not 1',
    );
  });

  it('unsubscribes, idempotently, and counts the deletion on the topic', async () => {
    const arn = await topic('unsub');
    const q = await queue(sqs, 'unsub-q');
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: q.arn }),
    );
    await sns.send(new UnsubscribeCommand({ SubscriptionArn }));
    await sns.send(new UnsubscribeCommand({ SubscriptionArn }));
    expect((await sns.send(new ListSubscriptionsByTopicCommand({ TopicArn: arn }))).Subscriptions).toEqual([]);
    const a = await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }));
    expect(a.Attributes?.SubscriptionsDeleted).toBe('1');
  });
});
