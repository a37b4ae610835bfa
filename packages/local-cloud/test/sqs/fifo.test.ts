import { createHash } from 'node:crypto';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type ReceiveMessageCommandInput,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SendMessageCommandInput,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import type { LocalCloud, ManualClock } from '../../src/index.js';
import { awsError, useManualSqs } from '../helpers.js';

/** FIFO semantics (aws-semantics §1.7), driven only through @aws-sdk/client-sqs. */
let cloud: LocalCloud<ManualClock>;
let sqs: SQSClient;
useManualSqs((c, s) => {
  cloud = c;
  sqs = s;
});

async function fifoQueue(name = 'orders.fifo', attributes: Record<string, string> = {}): Promise<string> {
  const out = await sqs.send(
    new CreateQueueCommand({ QueueName: name, Attributes: { FifoQueue: 'true', ...attributes } }),
  );
  return out.QueueUrl as string;
}

let dedupCounter = 0;
/** Sends with a fresh explicit deduplication id unless one is given. */
async function send(
  QueueUrl: string,
  MessageBody: string,
  MessageGroupId: string,
  extra: Partial<SendMessageCommandInput> = {},
) {
  return sqs.send(
    new SendMessageCommand({
      QueueUrl,
      MessageBody,
      MessageGroupId,
      MessageDeduplicationId: `dedup-${++dedupCounter}`,
      ...extra,
    }),
  );
}

async function receive(QueueUrl: string, extra: Partial<ReceiveMessageCommandInput> = {}): Promise<Message[]> {
  const out = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, ...extra }));
  return out.Messages ?? [];
}

const bodies = (messages: Message[]) => messages.map((m) => m.Body);

async function remove(QueueUrl: string, m: Message | undefined) {
  await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: m?.ReceiptHandle }));
}

describe('SQS FIFO ordering and message groups', () => {
  it('delivers the messages of one group in send order across several sends', async () => {
    const url = await fifoQueue();
    for (const body of ['m1', 'm2', 'm3', 'm4', 'm5']) await send(url, body, 'g1');
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      const [m] = await receive(url, { MaxNumberOfMessages: 1 });
      seen.push(m?.Body as string);
      await remove(url, m);
    }
    expect(seen).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
    expect(await receive(url)).toEqual([]);
  });

  it('returns several messages of the same group in order from one receive', async () => {
    const url = await fifoQueue();
    for (const body of ['a', 'b', 'c', 'd']) await send(url, body, 'g1');
    const got = await receive(url, { MessageSystemAttributeNames: ['MessageGroupId'] });
    expect(bodies(got)).toEqual(['a', 'b', 'c', 'd']);
    expect(got.every((m) => m.Attributes?.MessageGroupId === 'g1')).toBe(true);
  });

  it('blocks a group while any of its messages is in flight but still delivers other groups', async () => {
    const url = await fifoQueue();
    await send(url, 'a1', 'A');
    await send(url, 'a2', 'A');
    await send(url, 'a3', 'A');
    await send(url, 'b1', 'B');
    await send(url, 'b2', 'B');

    // Take two messages of whichever group comes first; that group is now blocked.
    const first = await receive(url, { MaxNumberOfMessages: 2, MessageSystemAttributeNames: ['MessageGroupId'] });
    expect(first).toHaveLength(2);
    const group = first[0]?.Attributes?.MessageGroupId as string;
    expect(first[1]?.Attributes?.MessageGroupId).toBe(group);
    const groupA = ['a1', 'a2', 'a3'];
    const groupB = ['b1', 'b2'];
    const own = group === 'A' ? groupA : groupB;
    const other = group === 'A' ? groupB : groupA;
    expect(bodies(first)).toEqual(own.slice(0, 2));

    // The other group is still deliverable, in order; nothing more of the blocked group.
    const second = await receive(url);
    expect(bodies(second)).toEqual(other);
    expect(await receive(url)).toEqual([]);

    if (group === 'A') {
      // Deleting one of two in-flight messages keeps the group blocked.
      await remove(url, first[0]);
      expect(await receive(url)).toEqual([]);
      await remove(url, first[1]);
      expect(bodies(await receive(url))).toEqual(['a3']);
    } else {
      // Group B had only two messages; after deleting both, nothing of B is left.
      await remove(url, first[0]);
      await remove(url, first[1]);
      expect(await receive(url)).toEqual([]);
    }
  });

  it('unblocks a group after its in-flight message is deleted', async () => {
    const url = await fifoQueue();
    await send(url, 'first', 'g');
    await send(url, 'second', 'g');
    const [m] = await receive(url, { MaxNumberOfMessages: 1 });
    expect(m?.Body).toBe('first');
    expect(await receive(url)).toEqual([]);
    await remove(url, m);
    expect(bodies(await receive(url))).toEqual(['second']);
  });

  it('unblocks a group when the visibility timeout of its in-flight message runs out, redelivering it first', async () => {
    const url = await fifoQueue();
    await send(url, 'first', 'g');
    await send(url, 'second', 'g');
    const [m] = await receive(url, { MaxNumberOfMessages: 1, VisibilityTimeout: 30 });
    expect(m?.Body).toBe('first');
    await cloud.clock.advance('29s');
    expect(await receive(url)).toEqual([]);
    await cloud.clock.advance('2s');
    const again = await receive(url, { MessageSystemAttributeNames: ['ApproximateReceiveCount'] });
    expect(bodies(again)).toEqual(['first', 'second']);
    expect(again[0]?.MessageId).toBe(m?.MessageId);
    expect(again[0]?.Attributes?.ApproximateReceiveCount).toBe('2');
    expect(again[1]?.Attributes?.ApproximateReceiveCount).toBe('1');
  });
});

describe('SQS FIFO deduplication', () => {
  it('accepts a repeated MessageDeduplicationId within 5 minutes with the same MessageId but delivers it once', async () => {
    const url = await fifoQueue();
    const first = await send(url, 'original', 'g', { MessageDeduplicationId: 'order-42' });
    await cloud.clock.advance('1m');
    const dup = await send(url, 'retry', 'g', { MessageDeduplicationId: 'order-42' });
    expect(dup.$metadata.httpStatusCode).toBe(200);
    expect(dup.MessageId).toBe(first.MessageId);

    const got = await receive(url);
    expect(bodies(got)).toEqual(['original']);
    await remove(url, got[0]);

    // Still inside the window (counted from the first send): accepted but not delivered.
    await cloud.clock.advance('3m');
    const late = await send(url, 'late retry', 'g', { MessageDeduplicationId: 'order-42' });
    expect(late.MessageId).toBe(first.MessageId);
    expect(await receive(url)).toEqual([]);
  });

  it('delivers a message with the same MessageDeduplicationId again once the 5-minute window has passed', async () => {
    const url = await fifoQueue();
    const first = await send(url, 'one', 'g', { MessageDeduplicationId: 'same' });
    await remove(url, (await receive(url))[0]);
    await cloud.clock.advance('5m');
    await cloud.clock.advance('1s');
    const second = await send(url, 'two', 'g', { MessageDeduplicationId: 'same' });
    expect(second.MessageId).not.toBe(first.MessageId);
    expect(bodies(await receive(url))).toEqual(['two']);
  });

  it('deduplicates by the SHA-256 of the body when ContentBasedDeduplication is enabled', async () => {
    const url = await fifoQueue('cbd.fifo', { ContentBasedDeduplication: 'true' });
    const a = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'hello', MessageGroupId: 'g' }));
    // Attributes are not part of the content hash: same body, same message.
    const b = await sqs.send(
      new SendMessageCommand({
        QueueUrl: url,
        MessageBody: 'hello',
        MessageGroupId: 'g',
        MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } },
      }),
    );
    const c = await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'hello!', MessageGroupId: 'g' }));
    // An explicit id overrides the content hash.
    const d = await sqs.send(
      new SendMessageCommand({ QueueUrl: url, MessageBody: 'hello', MessageGroupId: 'g', MessageDeduplicationId: 'x' }),
    );
    expect(b.MessageId).toBe(a.MessageId);
    expect(c.MessageId).not.toBe(a.MessageId);
    expect(d.MessageId).not.toBe(a.MessageId);
    const got = await receive(url, { MessageSystemAttributeNames: ['MessageDeduplicationId'] });
    expect(bodies(got)).toEqual(['hello', 'hello!', 'hello']);
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    expect(got.map((m) => m.Attributes?.MessageDeduplicationId)).toEqual([sha('hello'), sha('hello!'), 'x']);
  });

  it('deduplicates across message groups with the default DeduplicationScope=queue', async () => {
    const url = await fifoQueue();
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
    expect(attrs.Attributes?.DeduplicationScope).toBe('queue');
    const g1 = await send(url, 'in g1', 'g1', { MessageDeduplicationId: 'shared' });
    const g2 = await send(url, 'in g2', 'g2', { MessageDeduplicationId: 'shared' });
    expect(g2.MessageId).toBe(g1.MessageId);
    expect(bodies(await receive(url))).toEqual(['in g1']);
  });

  it('deduplicates only within a message group with DeduplicationScope=messageGroup', async () => {
    const url = await fifoQueue('scoped.fifo', {
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
    });
    const g1 = await send(url, 'in g1', 'g1', { MessageDeduplicationId: 'shared' });
    const g2 = await send(url, 'in g2', 'g2', { MessageDeduplicationId: 'shared' });
    const g1again = await send(url, 'in g1 again', 'g1', { MessageDeduplicationId: 'shared' });
    expect(g2.MessageId).not.toBe(g1.MessageId);
    expect(g1again.MessageId).toBe(g1.MessageId);
    const got = await receive(url);
    expect(bodies(got).sort()).toEqual(['in g1', 'in g2']);
  });
});

describe('SQS FIFO sequence numbers and batches', () => {
  it('returns 20-digit, strictly increasing SequenceNumbers from SendMessage and SendMessageBatch', async () => {
    const url = await fifoQueue();
    const seqs: string[] = [];
    for (const body of ['s1', 's2']) seqs.push((await send(url, body, 'g')).SequenceNumber as string);
    const batch = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: url,
        Entries: ['b1', 'b2', 'b3'].map((b) => ({
          Id: b,
          MessageBody: b,
          MessageGroupId: b === 'b2' ? 'other' : 'g',
          MessageDeduplicationId: `d-${b}`,
        })),
      }),
    );
    expect(batch.Failed ?? []).toEqual([]);
    for (const e of batch.Successful ?? []) seqs.push(e.SequenceNumber as string);
    seqs.push((await send(url, 's3', 'g')).SequenceNumber as string);

    expect(seqs).toHaveLength(6);
    for (const s of seqs) expect(s).toMatch(/^\d{20}$/);
    for (let i = 1; i < seqs.length; i++)
      expect(BigInt(seqs[i] as string)).toBeGreaterThan(BigInt(seqs[i - 1] as string));

    // The system attribute carries the same number the send returned.
    const got = await receive(url, { MessageSystemAttributeNames: ['SequenceNumber'] });
    const byBody = Object.fromEntries(got.map((m) => [m.Body, m.Attributes?.SequenceNumber]));
    expect(byBody.s1).toBe(seqs[0]);
    expect(byBody.b3).toBe(seqs[4]);
  });

  it('enqueues SendMessageBatch entries in entry order', async () => {
    const url = await fifoQueue();
    const entries = ['z', 'y', 'x', 'w', 'v'].map((id, i) => ({
      Id: id,
      MessageBody: `m${i + 1}`,
      MessageGroupId: 'g',
      MessageDeduplicationId: `batch-${id}`,
    }));
    const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: url, Entries: entries }));
    expect((out.Successful ?? []).map((e) => e.Id).sort()).toEqual(['v', 'w', 'x', 'y', 'z']);
    expect(bodies(await receive(url))).toEqual(['m1', 'm2', 'm3', 'm4', 'm5']);
  });

  it('returns the same messages and receipt handles when a receive is retried with the same ReceiveRequestAttemptId', async () => {
    const url = await fifoQueue();
    for (const body of ['r1', 'r2', 'r3']) await send(url, body, 'g');
    const first = await receive(url, { ReceiveRequestAttemptId: 'attempt-1' });
    expect(bodies(first)).toEqual(['r1', 'r2', 'r3']);
    await cloud.clock.advance('5s');
    const retry = await receive(url, { ReceiveRequestAttemptId: 'attempt-1' });
    expect(retry.map((m) => m.MessageId)).toEqual(first.map((m) => m.MessageId));
    expect(retry.map((m) => m.ReceiptHandle)).toEqual(first.map((m) => m.ReceiptHandle));
    // A different attempt id is a new receive: the group is in flight, so nothing comes back.
    expect(await receive(url, { ReceiveRequestAttemptId: 'attempt-2' })).toEqual([]);
    // The retried handles are live ones.
    for (const m of retry) await remove(url, m);
    const attrs = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessagesNotVisible'] }),
    );
    expect(attrs.Attributes?.ApproximateNumberOfMessagesNotVisible).toBe('0');
  });
});

describe('SQS FIFO parameter rules', () => {
  it('rejects a per-message DelaySeconds other than 0 on a FIFO queue', async () => {
    const url = await fifoQueue();
    expect(await awsError(() => send(url, 'x', 'g', { DelaySeconds: 2 }))).toEqual({
      name: 'InvalidParameterValue',
      message:
        'Value 2 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.',
      status: 400,
      code: 'InvalidParameterValue',
      type: 'Sender',
    });
    const ok = await send(url, 'x', 'g', { DelaySeconds: 0 });
    expect(ok.MessageId).toBeTruthy();
  });

  it('reports a missing MessageGroupId as MissingParameter on SendMessage', async () => {
    const url = await fifoQueue();
    expect(
      await awsError(() =>
        sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', MessageDeduplicationId: 'd' })),
      ),
    ).toEqual({
      name: 'MissingParameter',
      message: 'The request must contain the parameter MessageGroupId.',
      status: 400,
      code: 'MissingParameter',
      type: 'Sender',
    });
  });

  it('reports a missing MessageGroupId as InvalidParameterValue in SendMessageBatch, failing the whole call', async () => {
    const url = await fifoQueue();
    const err = await awsError(() =>
      sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: [
            { Id: 'ok', MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd1' },
            { Id: 'nogroup', MessageBody: 'y', MessageDeduplicationId: 'd2' },
          ],
        }),
      ),
    );
    expect(err).toEqual({
      name: 'InvalidParameterValue',
      message: 'The request must contain the parameter MessageGroupId.',
      status: 400,
      code: 'InvalidParameterValue',
      type: 'Sender',
    });
    expect(await receive(url)).toEqual([]);
  });

  it('rejects DeleteMessage with a receipt handle whose visibility timeout has expired', async () => {
    const url = await fifoQueue();
    await send(url, 'x', 'g');
    const [m] = await receive(url, { VisibilityTimeout: 10 });
    await cloud.clock.advance('11s');
    expect(await awsError(() => remove(url, m))).toEqual({
      name: 'InvalidParameterValue',
      message: `Value ${m?.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`,
      status: 400,
      code: 'InvalidParameterValue',
      type: 'Sender',
    });
    // The message was not deleted.
    const again = await receive(url);
    expect(again.map((x) => x.MessageId)).toEqual([m?.MessageId]);
  });

  it('accepts MessageGroupId on a standard queue (fair queues) without blocking the group', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'tenants' }));
    const a = await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 't1', MessageGroupId: 'tenant-1' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 't2', MessageGroupId: 'tenant-1' }));
    expect(a.$metadata.httpStatusCode).toBe(200);
    expect(a.SequenceNumber).toBeUndefined();
    const first = await receive(QueueUrl as string, { MaxNumberOfMessages: 1 });
    expect(first).toHaveLength(1);
    // Unlike FIFO, the second message of the same group is available while the first is in flight.
    const second = await receive(QueueUrl as string);
    expect(second).toHaveLength(1);
    expect([...bodies(first), ...bodies(second)].sort()).toEqual(['t1', 't2']);
  });

  it('rejects MessageDeduplicationId on a standard queue', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'plain' }));
    expect(
      await awsError(() =>
        sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x', MessageDeduplicationId: 'abc' })),
      ),
    ).toEqual({
      name: 'InvalidParameterValue',
      message:
        'Value abc for parameter MessageDeduplicationId is invalid. Reason: The request include parameter that is not valid for this queue type.',
      status: 400,
      code: 'InvalidParameterValue',
      type: 'Sender',
    });
  });

  it('requires the dead-letter queue of a FIFO queue to be a FIFO queue', async () => {
    const std = await sqs.send(new CreateQueueCommand({ QueueName: 'std-dlq' }));
    const stdArn = (
      await sqs.send(new GetQueueAttributesCommand({ QueueUrl: std.QueueUrl, AttributeNames: ['QueueArn'] }))
    ).Attributes?.QueueArn as string;
    const policy = JSON.stringify({ deadLetterTargetArn: stdArn, maxReceiveCount: 3 });
    expect(
      await awsError(() =>
        sqs.send(
          new CreateQueueCommand({
            QueueName: 'source.fifo',
            Attributes: { FifoQueue: 'true', RedrivePolicy: policy },
          }),
        ),
      ),
    ).toEqual({
      name: 'InvalidParameterValue',
      // AWS's text really ends with two periods (seen in real AWS error output).
      message: `Value ${policy} for parameter RedrivePolicy is invalid. Reason: Dead-letter queue must be same type of queue as the source..`,
      status: 400,
      code: 'InvalidParameterValue',
      type: 'Sender',
    });

    const fifoDlq = await fifoQueue('dlq.fifo');
    const fifoArn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: fifoDlq, AttributeNames: ['QueueArn'] })))
      .Attributes?.QueueArn as string;
    const ok = await fifoQueue('source.fifo', {
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: fifoArn, maxReceiveCount: 3 }),
    });
    expect(ok).toMatch(/\/source\.fifo$/);
  });
});
