import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalCloud, ManualClock } from '../../src/index.js';
import { sqsClient, startManual } from '../helpers.js';

let cloud: LocalCloud<ManualClock>;
let sqs: SQSClient;

beforeAll(async () => {
  cloud = await startManual();
  sqs = sqsClient(cloud);
});
afterAll(() => cloud.stop());
beforeEach(() => cloud.reset());

describe('SQS through the AWS SDK v3', () => {
  it('sends, receives and deletes a message with attributes and matching MD5s', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'orders' }));
    const sent = await sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: 'hello',
        MessageAttributes: { attribName1: { DataType: 'String', StringValue: 'attribValue 1' } },
      }),
    );
    expect(sent.MD5OfMessageBody).toBe('5d41402abc4b2a76b9719d911017c592');
    expect(sent.MD5OfMessageAttributes).toBe('19e27d4e946b072f3f58da80d94fd778');
    const got = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['All'], MessageSystemAttributeNames: ['All'] }),
    );
    expect(got.Messages).toHaveLength(1);
    const m = got.Messages?.[0];
    expect(m?.Body).toBe('hello');
    expect(m?.MessageId).toBe(sent.MessageId);
    expect(m?.MessageAttributes?.attribName1?.StringValue).toBe('attribValue 1');
    expect(m?.Attributes?.ApproximateReceiveCount).toBe('1');
    expect(m?.Attributes?.SentTimestamp).toBe(String(cloud.clock.now()));
    await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m?.ReceiptHandle }));
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    expect(attrs.Attributes?.ApproximateNumberOfMessages).toBe('0');
    expect(attrs.Attributes?.ApproximateNumberOfMessagesNotVisible).toBe('0');
  });
});
