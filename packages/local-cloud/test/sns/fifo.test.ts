import {
  CreateTopicCommand,
  GetTopicAttributesCommand,
  PublishBatchCommand,
  PublishCommand,
  type SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalCloud, ManualClock } from '../../src/index.js';
import { awsError, sqsClient, startManual } from '../helpers.js';
import { drain, queue, snsClient } from './helpers.js';

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

const fifoTopic = async (Name: string, contentBased = false) =>
  (
    await sns.send(
      new CreateTopicCommand({
        Name,
        Attributes: { FifoTopic: 'true', ContentBasedDeduplication: String(contentBased) },
      }),
    )
  ).TopicArn as string;

describe('FIFO topics', () => {
  it('delivers to FIFO queues in order with group ids, dedup ids and sequence numbers', async () => {
    const arn = await fifoTopic('orders.fifo');
    const q = await queue(sqs, 'orders.fifo', { FifoQueue: 'true' });
    const raw = await queue(sqs, 'orders-raw.fifo', { FifoQueue: 'true' });
    await sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: 'sqs', Endpoint: q.arn }));
    await sns.send(
      new SubscribeCommand({
        TopicArn: arn,
        Protocol: 'sqs',
        Endpoint: raw.arn,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    const sent = [];
    for (const [i, group] of ['a', 'b', 'a'].entries()) {
      sent.push(
        await sns.send(
          new PublishCommand({
            TopicArn: arn,
            Message: `m${i}`,
            MessageGroupId: group,
            MessageDeduplicationId: `d${i}`,
          }),
        ),
      );
    }
    expect(sent.every((r) => /^\d{20}$/.test(r.SequenceNumber ?? ''))).toBe(true);
    expect(BigInt(sent[2]?.SequenceNumber as string) > BigInt(sent[0]?.SequenceNumber as string)).toBe(true);

    const got = await drain(sqs, q.url);
    const envs = got.map((m) => JSON.parse(m.Body as string));
    expect(envs.filter((e) => e.Message !== 'm1').map((e) => e.Message)).toEqual(['m0', 'm2']);
    const first = envs.find((e) => e.Message === 'm0');
    // FIFO envelopes carry a SequenceNumber and no signature fields.
    expect(Object.keys(first)).toEqual([
      'Type',
      'MessageId',
      'SequenceNumber',
      'TopicArn',
      'Message',
      'Timestamp',
      'UnsubscribeURL',
    ]);
    expect(first.SequenceNumber).toBe(sent[0]?.SequenceNumber);
    const m0 = got.find((m) => JSON.parse(m.Body as string).Message === 'm0');
    expect(m0?.Attributes).toMatchObject({ MessageGroupId: 'a', MessageDeduplicationId: 'd0' });

    const rawGot = await drain(sqs, raw.url);
    expect(rawGot.map((m) => m.Body).sort()).toEqual(['m0', 'm1', 'm2']);
  });

  it('drops duplicates within five minutes, by id or by content', async () => {
    const arn = await fifoTopic('dedup.fifo', true);
    const q = await queue(sqs, 'dedup.fifo', { FifoQueue: 'true' });
    await sns.send(
      new SubscribeCommand({
        TopicArn: arn,
        Protocol: 'sqs',
        Endpoint: q.arn,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    const publish = (Message: string) => sns.send(new PublishCommand({ TopicArn: arn, Message, MessageGroupId: 'g' }));
    const one = await publish('same');
    const two = await publish('same');
    expect(two.MessageId).toBe(one.MessageId);
    expect(two.SequenceNumber).toBe(one.SequenceNumber);
    expect((await drain(sqs, q.url)).map((m) => m.Body)).toEqual(['same']);
    await cloud.clock.advance('5m');
    const three = await publish('same');
    expect(three.MessageId).not.toBe(one.MessageId);
    expect((await drain(sqs, q.url)).map((m) => m.Body)).toEqual(['same']);
  });

  it('requires a group id and a dedup id, and only SQS subscriptions', async () => {
    const arn = await fifoTopic('strict.fifo');
    const missingGroup = await awsError(() => sns.send(new PublishCommand({ TopicArn: arn, Message: 'x' })));
    expect(missingGroup.message).toBe('Invalid parameter: The MessageGroupId parameter is required for FIFO topics');
    const missingDedup = await awsError(() =>
      sns.send(new PublishCommand({ TopicArn: arn, Message: 'x', MessageGroupId: 'g' })),
    );
    expect(missingDedup.message).toBe(
      'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    );
    const lambda = await awsError(() =>
      sns.send(
        new SubscribeCommand({
          TopicArn: arn,
          Protocol: 'lambda',
          Endpoint: 'arn:aws:lambda:us-east-1:000000000000:function:f',
        }),
      ),
    );
    expect(lambda.message).toBe('Invalid parameter: Invalid protocol type: lambda');
    const batch = await awsError(() =>
      sns.send(new PublishBatchCommand({ TopicArn: arn, PublishBatchRequestEntries: [{ Id: 'a', Message: 'x' }] })),
    );
    expect(batch.message).toBe('Invalid parameter: The MessageGroupId parameter is required for FIFO topics');
    const { Attributes } = await sns.send(new GetTopicAttributesCommand({ TopicArn: arn }));
    expect(Attributes).toMatchObject({ FifoTopic: 'true', ContentBasedDeduplication: 'false' });
  });

  it('publishes FIFO batches with sequence numbers', async () => {
    const arn = await fifoTopic('batch.fifo', true);
    const q = await queue(sqs, 'batch.fifo', { FifoQueue: 'true' });
    await sns.send(
      new SubscribeCommand({
        TopicArn: arn,
        Protocol: 'sqs',
        Endpoint: q.arn,
        Attributes: { RawMessageDelivery: 'true' },
      }),
    );
    const r = await sns.send(
      new PublishBatchCommand({
        TopicArn: arn,
        PublishBatchRequestEntries: ['x', 'y', 'z'].map((m) => ({ Id: m, Message: m, MessageGroupId: 'g' })),
      }),
    );
    expect(r.Successful?.map((s) => /^\d{20}$/.test(s.SequenceNumber ?? ''))).toEqual([true, true, true]);
    expect((await drain(sqs, q.url)).map((m) => m.Body)).toEqual(['x', 'y', 'z']);
  });
});
