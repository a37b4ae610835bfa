import {
  ChangeMessageVisibilityBatchCommand,
  ChangeMessageVisibilityCommand,
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import type { LocalCloud, ManualClock } from '../../src/index.js';
import { useManualSqs } from '../helpers.js';

let cloud: LocalCloud<ManualClock>;
let sqs: SQSClient;
useManualSqs((c, s) => {
  cloud = c;
  sqs = s;
});

async function queue(name: string, Attributes: Record<string, string> = {}) {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes }));
  return QueueUrl as string;
}
const receive = (QueueUrl: string, extra: Partial<ConstructorParameters<typeof ReceiveMessageCommand>[0]> = {}) =>
  sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10, ...extra })).then((r) => r.Messages ?? []);
const counts = async (QueueUrl: string) =>
  (await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['All'] }))).Attributes ?? {};

describe('SQS timing on the manual clock', () => {
  it('keeps a message hidden for a 12-hour visibility timeout, tested in milliseconds', async () => {
    const url = await queue('long-visibility', { VisibilityTimeout: '43200' });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    expect(await receive(url)).toHaveLength(1);
    await cloud.clock.advance('43199s');
    expect(await receive(url)).toHaveLength(0);
    expect((await counts(url)).ApproximateNumberOfMessagesNotVisible).toBe('1');
    await cloud.clock.advance('1s');
    const again = await receive(url, { MessageSystemAttributeNames: ['ApproximateReceiveCount'] });
    expect(again[0]?.Attributes?.ApproximateReceiveCount).toBe('2');
  });

  it('counts a changed visibility timeout from the call, not from the receive', async () => {
    const url = await queue('change-visibility');
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    const [m] = await receive(url);
    await cloud.clock.advance('20s');
    await sqs.send(
      new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: m?.ReceiptHandle, VisibilityTimeout: 60 }),
    );
    await cloud.clock.advance('59s');
    expect(await receive(url)).toHaveLength(0);
    await cloud.clock.advance('1s');
    expect(await receive(url)).toHaveLength(1);
  });

  it('makes a message visible at once with a visibility timeout of 0, in a batch', async () => {
    const url = await queue('release');
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    const [m] = await receive(url);
    const res = await sqs.send(
      new ChangeMessageVisibilityBatchCommand({
        QueueUrl: url,
        Entries: [{ Id: 'one', ReceiptHandle: m?.ReceiptHandle, VisibilityTimeout: 0 }],
      }),
    );
    expect(res.Successful?.map((s) => s.Id)).toEqual(['one']);
    expect(await receive(url)).toHaveLength(1);
  });

  it('answers a long poll as soon as a message arrives, without moving the clock', async () => {
    const url = await queue('long-poll');
    const polling = receive(url, { WaitTimeSeconds: 20 });
    await new Promise((r) => setTimeout(r, 20));
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'arrived' }));
    expect((await polling).map((m) => m.Body)).toEqual(['arrived']);
  });

  it('ends an empty long poll after WaitTimeSeconds on the clock', async () => {
    const url = await queue('empty-poll', { ReceiveMessageWaitTimeSeconds: '20' });
    let settled = false;
    const polling = receive(url).then((m) => {
      settled = true;
      return m;
    });
    await new Promise((r) => setTimeout(r, 20));
    await cloud.clock.advance('19s');
    expect(settled).toBe(false);
    await cloud.clock.advance('1s');
    expect(await polling).toEqual([]);
  });

  it('delays messages by the queue DelaySeconds and counts them as delayed', async () => {
    const url = await queue('delayed', { DelaySeconds: '120' });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    expect((await counts(url)).ApproximateNumberOfMessagesDelayed).toBe('1');
    expect(await receive(url)).toHaveLength(0);
    await cloud.clock.advance('120s');
    expect(await receive(url)).toHaveLength(1);
  });

  it('lets a per-message DelaySeconds override the queue default', async () => {
    const url = await queue('override', { DelaySeconds: '900' });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x', DelaySeconds: 0 }));
    expect(await receive(url)).toHaveLength(1);
  });

  it('deletes messages once the retention period has passed', async () => {
    const url = await queue('retention', { MessageRetentionPeriod: '60' });
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    await cloud.clock.advance('61s');
    expect((await counts(url)).ApproximateNumberOfMessages).toBe('0');
    expect(await receive(url)).toHaveLength(0);
  });

  it('reports timestamps from the clock: SentTimestamp in ms, CreatedTimestamp in seconds', async () => {
    const url = await queue('stamps');
    const created = Math.floor(cloud.clock.now() / 1000);
    await cloud.clock.advance('5s');
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: 'x' }));
    const sentAt = cloud.clock.now();
    await cloud.clock.advance('3s');
    const [m] = await receive(url, { MessageSystemAttributeNames: ['All'] });
    expect(m?.Attributes?.SentTimestamp).toBe(String(sentAt));
    expect(m?.Attributes?.ApproximateFirstReceiveTimestamp).toBe(String(sentAt + 3000));
    expect((await counts(url)).CreatedTimestamp).toBe(String(created));
  });
});
