import {
  AddPermissionCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  PurgeQueueCommand,
  ReceiveMessageCommand,
  RemovePermissionCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  type SQSClient,
  TagQueueCommand,
  UntagQueueCommand,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import type { LocalCloud, ManualClock } from '../../src/index.js';
import { awsError, useManualSqs } from '../helpers.js';

let cloud: LocalCloud<ManualClock>;
let sqs: SQSClient;
useManualSqs((c, s) => {
  cloud = c;
  sqs = s;
});

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

  it('returns the same URL when CreateQueue is repeated with the same attributes', async () => {
    const a = await sqs.send(new CreateQueueCommand({ QueueName: 'same', Attributes: { DelaySeconds: '5' } }));
    const b = await sqs.send(new CreateQueueCommand({ QueueName: 'same', Attributes: { DelaySeconds: '5' } }));
    const c = await sqs.send(new CreateQueueCommand({ QueueName: 'same' }));
    expect(b.QueueUrl).toBe(a.QueueUrl);
    expect(c.QueueUrl).toBe(a.QueueUrl);
  });

  it('finds a queue URL by name and forgets it once deleted', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'findme' }));
    expect((await sqs.send(new GetQueueUrlCommand({ QueueName: 'findme' }))).QueueUrl).toBe(QueueUrl);
    await sqs.send(new DeleteQueueCommand({ QueueUrl }));
    const err = await awsError(() => sqs.send(new GetQueueUrlCommand({ QueueName: 'findme' })));
    expect(err).toMatchObject({ name: 'QueueDoesNotExist', code: 'AWS.SimpleQueueService.NonExistentQueue' });
  });

  it('lists queues by prefix and pages with MaxResults and NextToken', async () => {
    for (const n of ['app-a', 'app-b', 'app-c', 'other']) await sqs.send(new CreateQueueCommand({ QueueName: n }));
    const all = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'app-' }));
    expect(all.QueueUrls?.map((u) => u.split('/').pop())).toEqual(['app-a', 'app-b', 'app-c']);
    expect(all.NextToken).toBeUndefined();
    const first = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'app-', MaxResults: 2 }));
    expect(first.QueueUrls).toHaveLength(2);
    const second = await sqs.send(
      new ListQueuesCommand({ QueueNamePrefix: 'app-', MaxResults: 2, NextToken: first.NextToken }),
    );
    expect(second.QueueUrls?.map((u) => u.split('/').pop())).toEqual(['app-c']);
    expect(second.NextToken).toBeUndefined();
  });

  it('returns default attributes and changes them with SetQueueAttributes', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'attrs' }));
    const before = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    expect(before.Attributes).toMatchObject({
      DelaySeconds: '0',
      MaximumMessageSize: '1048576',
      MessageRetentionPeriod: '345600',
      ReceiveMessageWaitTimeSeconds: '0',
      VisibilityTimeout: '30',
      SqsManagedSseEnabled: 'true',
      QueueArn: 'arn:aws:sqs:us-east-1:000000000000:attrs',
    });
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl, Attributes: { VisibilityTimeout: '99' } }));
    const after = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['VisibilityTimeout'] }));
    expect(after.Attributes).toEqual({ VisibilityTimeout: '99' });
  });

  it('tags, lists and untags a queue', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'tagged', tags: { team: 'a' } }));
    await sqs.send(new TagQueueCommand({ QueueUrl, Tags: { env: 'dev' } }));
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags).toEqual({ team: 'a', env: 'dev' });
    await sqs.send(new UntagQueueCommand({ QueueUrl, TagKeys: ['team', 'absent'] }));
    expect((await sqs.send(new ListQueueTagsCommand({ QueueUrl }))).Tags).toEqual({ env: 'dev' });
  });

  it('builds the queue Policy from AddPermission and removes it with RemovePermission', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'shared' }));
    await sqs.send(
      new AddPermissionCommand({ QueueUrl, Label: 'x', AWSAccountIds: ['111122223333'], Actions: ['SendMessage'] }),
    );
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Policy'] }));
    expect(JSON.parse(attrs.Attributes?.Policy ?? '{}')).toEqual({
      Version: '2008-10-17',
      Id: 'arn:aws:sqs:us-east-1:000000000000:shared/SQSDefaultPolicy',
      Statement: [
        {
          Sid: 'x',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111122223333:root' },
          Action: 'SQS:SendMessage',
          Resource: 'arn:aws:sqs:us-east-1:000000000000:shared',
        },
      ],
    });
    await sqs.send(new RemovePermissionCommand({ QueueUrl, Label: 'x' }));
    const gone = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['Policy'] }));
    expect(gone.Attributes).toBeUndefined();
  });

  it('sends and deletes in batches, reporting each entry', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'batches' }));
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl,
        Entries: [1, 2, 3].map((i) => ({ Id: `m${i}`, MessageBody: `body ${i}` })),
      }),
    );
    expect(sent.Successful?.map((s) => s.Id)).toEqual(['m1', 'm2', 'm3']);
    expect(sent.Failed ?? []).toEqual([]);
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    expect(got.Messages?.map((m) => m.Body)).toEqual(['body 1', 'body 2', 'body 3']);
    const deleted = await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl,
        Entries: [
          ...(got.Messages ?? []).map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })),
          { Id: 'bad', ReceiptHandle: 'garbage' },
        ],
      }),
    );
    expect(deleted.Successful?.map((s) => s.Id)).toEqual(['d0', 'd1', 'd2']);
    expect(deleted.Failed).toEqual([
      {
        Id: 'bad',
        SenderFault: true,
        Code: 'ReceiptHandleIsInvalid',
        Message: 'The input receipt handle "garbage" is not a valid receipt handle.',
      },
    ]);
  });

  it('purges every message, in flight or not', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'purge' }));
    for (const b of ['a', 'b']) await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: b }));
    await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
    await sqs.send(new PurgeQueueCommand({ QueueUrl }));
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }));
    expect(attrs.Attributes?.ApproximateNumberOfMessages).toBe('0');
    expect(attrs.Attributes?.ApproximateNumberOfMessagesNotVisible).toBe('0');
  });

  it('returns only the message attributes asked for, by name or prefix', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'select' }));
    await sqs.send(
      new SendMessageCommand({
        QueueUrl,
        MessageBody: 'x',
        MessageAttributes: {
          'user.id': { DataType: 'Number', StringValue: '42' },
          'user.name': { DataType: 'String', StringValue: 'ann' },
          trace: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2, 3]) },
        },
      }),
    );
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MessageAttributeNames: ['user.*'] }));
    const m = got.Messages?.[0];
    expect(Object.keys(m?.MessageAttributes ?? {}).sort()).toEqual(['user.id', 'user.name']);
    expect(m?.MessageAttributes?.['user.id']).toMatchObject({ DataType: 'Number', StringValue: '42' });
  });
});
