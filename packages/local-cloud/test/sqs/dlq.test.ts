import {
  CancelMessageMoveTaskCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ListDeadLetterSourceQueuesCommand,
  ListMessageMoveTasksCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  type SQSClient,
  StartMessageMoveTaskCommand,
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

async function queue(name: string, Attributes: Record<string, string> = {}) {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes }));
  const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl as string, arn: attrs.Attributes?.QueueArn as string };
}
const receive = (QueueUrl: string, n = 10) =>
  sqs
    .send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: n, MessageSystemAttributeNames: ['All'] }))
    .then((r) => r.Messages ?? []);

/** A source queue with maxReceiveCount 3 and a 30 s visibility timeout, and its DLQ. */
async function withDlq() {
  const dlq = await queue('orders-dlq');
  const redrive = JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 });
  const src = await queue('orders', { RedrivePolicy: redrive });
  return { src, dlq };
}

describe('dead-letter queues', () => {
  it('moves a message to the DLQ after maxReceiveCount receives, keeping id, body and count', async () => {
    const { src, dlq } = await withDlq();
    const sent = await sqs.send(new SendMessageCommand({ QueueUrl: src.url, MessageBody: 'poison' }));
    for (let i = 1; i <= 3; i++) {
      const got = await receive(src.url);
      expect(got[0]?.Attributes?.ApproximateReceiveCount).toBe(String(i));
      await cloud.clock.advance('30s');
    }
    expect(await receive(src.url)).toEqual([]);
    const [dead] = await receive(dlq.url);
    expect(dead?.MessageId).toBe(sent.MessageId);
    expect(dead?.Body).toBe('poison');
    expect(dead?.Attributes?.DeadLetterQueueSourceArn).toBe(src.arn);
    expect(dead?.Attributes?.ApproximateReceiveCount).toBe('4');
  });

  it('lists the queues that use a DLQ', async () => {
    const { src, dlq } = await withDlq();
    const res = await sqs.send(new ListDeadLetterSourceQueuesCommand({ QueueUrl: dlq.url }));
    expect(res.queueUrls).toEqual([src.url]);
  });

  it('refuses a source that the DLQ RedriveAllowPolicy denies', async () => {
    const dlq = await queue('closed-dlq', { RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'denyAll' }) });
    const err = await awsError(() =>
      queue('src', { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }) }),
    );
    expect(err.name).toBe('InvalidParameterValue');
    expect(err.code).toBe('InvalidParameterValue');
  });

  it('accepts a source named in a byQueue RedriveAllowPolicy', async () => {
    const srcArn = 'arn:aws:sqs:us-east-1:000000000000:allowed';
    const dlq = await queue('picky-dlq', {
      RedriveAllowPolicy: JSON.stringify({ redrivePermission: 'byQueue', sourceQueueArns: [srcArn] }),
    });
    const src = await queue('allowed', {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }),
    });
    expect(src.arn).toBe(srcArn);
  });

  it('redrives a DLQ back to its source with StartMessageMoveTask', async () => {
    const { src, dlq } = await withDlq();
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: src.url, Attributes: { VisibilityTimeout: '0' } }));
    for (const body of ['a', 'b']) await sqs.send(new SendMessageCommand({ QueueUrl: src.url, MessageBody: body }));
    for (let i = 0; i < 4; i++) await receive(src.url);
    expect(
      (
        await sqs.send(
          new GetQueueAttributesCommand({ QueueUrl: dlq.url, AttributeNames: ['ApproximateNumberOfMessages'] }),
        )
      ).Attributes?.ApproximateNumberOfMessages,
    ).toBe('2');

    await sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn }));
    await cloud.clock.advance(0);
    const tasks = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn }));
    expect(tasks.Results?.[0]).toMatchObject({
      Status: 'COMPLETED',
      ApproximateNumberOfMessagesMoved: 2,
      ApproximateNumberOfMessagesToMove: 2,
    });
    expect(tasks.Results?.[0]?.TaskHandle).toBeUndefined();
    const back = await receive(src.url);
    expect(back.map((m) => m.Body).sort()).toEqual(['a', 'b']);
    expect(back[0]?.Attributes?.ApproximateReceiveCount).toBe('1');
  });

  it('moves at MaxNumberOfMessagesPerSecond and can be cancelled mid-way', async () => {
    const { src, dlq } = await withDlq();
    await sqs.send(new SetQueueAttributesCommand({ QueueUrl: src.url, Attributes: { VisibilityTimeout: '0' } }));
    for (const body of ['a', 'b', 'c'])
      await sqs.send(new SendMessageCommand({ QueueUrl: src.url, MessageBody: body }));
    for (let i = 0; i < 4; i++) await receive(src.url);
    const { TaskHandle } = await sqs.send(
      new StartMessageMoveTaskCommand({ SourceArn: dlq.arn, DestinationArn: src.arn, MaxNumberOfMessagesPerSecond: 1 }),
    );
    await cloud.clock.advance(0);
    const running = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn }));
    expect(running.Results?.[0]).toMatchObject({ Status: 'RUNNING', ApproximateNumberOfMessagesMoved: 1, TaskHandle });
    const again = await awsError(() => sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq.arn })));
    expect(again.message).toBe(
      'There is already a task running. Only one active task is allowed for a source queue arn at a given time.',
    );
    await cloud.clock.advance('1s');
    const cancelled = await sqs.send(new CancelMessageMoveTaskCommand({ TaskHandle }));
    expect(cancelled.ApproximateNumberOfMessagesMoved).toBe(2);
    await cloud.clock.advance('10s');
    const done = await sqs.send(new ListMessageMoveTasksCommand({ SourceArn: dlq.arn }));
    expect(done.Results?.[0]).toMatchObject({ Status: 'CANCELLED', ApproximateNumberOfMessagesMoved: 2 });
  });

  it('rejects a move task whose source is not a DLQ', async () => {
    const plain = await queue('plain');
    const err = await awsError(() => sqs.send(new StartMessageMoveTaskCommand({ SourceArn: plain.arn })));
    expect(err).toMatchObject({
      name: 'InvalidParameterValue',
      status: 400,
      message: 'Source queue must be configured as a Dead Letter Queue.',
    });
  });

  it('rejects a move task to a destination that does not exist', async () => {
    const { dlq } = await withDlq();
    const err = await awsError(() =>
      sqs.send(
        new StartMessageMoveTaskCommand({
          SourceArn: dlq.arn,
          DestinationArn: 'arn:aws:sqs:us-east-1:000000000000:nope',
        }),
      ),
    );
    expect(err).toMatchObject({
      name: 'ResourceNotFoundException',
      status: 404,
      message: "The resource that you specified for the DestinationArn parameter doesn't exist.",
    });
  });
});
