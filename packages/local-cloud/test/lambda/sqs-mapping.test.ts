import { createHash } from 'node:crypto';
import {
  CreateEventSourceMappingCommand,
  DeleteEventSourceMappingCommand,
  GetEventSourceMappingCommand,
  type LambdaClient,
  UpdateEventSourceMappingCommand,
} from '@aws-sdk/client-lambda';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeZip } from '../../src/core/zip.js';
import { type LocalCloud, type ManualClock, startLocalCloud } from '../../src/index.js';
import { awsError, sqsClient } from '../helpers.js';
import { createNodeFunction, lambdaClient } from './helpers.js';

let cloud: LocalCloud<ManualClock>;
let lambda: LambdaClient;
let sqs: SQSClient;

beforeAll(async () => {
  cloud = await startLocalCloud({ clock: 'manual', persistence: 'memory' });
  lambda = lambdaClient(cloud);
  sqs = sqsClient(cloud);
});
afterAll(() => cloud.stop());
beforeEach(() => cloud.reset());

async function queue(name: string, Attributes: Record<string, string> = {}) {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes }));
  const a = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl as string, arn: a.Attributes?.QueueArn as string };
}

async function depth(url: string) {
  const a = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['All'] }));
  return {
    visible: Number(a.Attributes?.ApproximateNumberOfMessages),
    inflight: Number(a.Attributes?.ApproximateNumberOfMessagesNotVisible),
  };
}

/** Waits (in real time) until check passes; pollers and functions run asynchronously. */
async function eventually(check: () => Promise<boolean>, ms = 10_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not met in time');
}

/** A CommonJS handler that records every event it gets in the `seen` queue, then runs `body`. */
function recorder(seenUrl: string, body: string) {
  return writeZip({
    'index.js': `
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
const sqs = new SQSClient({});
exports.handler = async (event) => {
  await sqs.send(new SendMessageCommand({ QueueUrl: '${seenUrl}', MessageBody: JSON.stringify(event) }));
  ${body}
};`,
  });
}

async function seenEvents(url: string) {
  const out = [];
  for (;;) {
    const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10 }));
    if (!r.Messages?.length) return out;
    out.push(...r.Messages.map((m) => JSON.parse(m.Body ?? '{}')));
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: r.Messages.map((m, i) => ({ Id: `d${i}`, ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  }
}

describe('SQS event source mappings', () => {
  it('delivers a batch in the AWS event shape and deletes it on success', async () => {
    const seen = await queue('seen');
    const work = await queue('work');
    await createNodeFunction(lambda, 'worker', '', { Code: { ZipFile: recorder(seen.url, 'return {};') } });
    const created = await lambda.send(
      new CreateEventSourceMappingCommand({ FunctionName: 'worker', EventSourceArn: work.arn, BatchSize: 10 }),
    );
    expect(created.State).toBe('Creating');
    expect((await lambda.send(new GetEventSourceMappingCommand({ UUID: created.UUID }))).State).toBe('Enabled');
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: work.url,
        MessageBody: '{"foo":2}',
        MessageAttributes: { Author: { DataType: 'String', StringValue: 'John Grisham' } },
      }),
    );
    await eventually(async () => (await depth(work.url)).visible + (await depth(work.url)).inflight === 0);
    const [event] = await seenEvents(seen.url);
    const record = event.Records[0];
    expect(Object.keys(record)).toEqual([
      'messageId',
      'receiptHandle',
      'body',
      'attributes',
      'messageAttributes',
      'md5OfMessageAttributes',
      'md5OfBody',
      'eventSource',
      'eventSourceARN',
      'awsRegion',
    ]);
    expect(record).toMatchObject({
      body: '{"foo":2}',
      attributes: { ApproximateReceiveCount: '1', SenderId: 'AKIDTEST' },
      messageAttributes: {
        Author: { stringValue: 'John Grisham', stringListValues: [], binaryListValues: [], dataType: 'String' },
      },
      md5OfBody: createHash('md5').update('{"foo":2}').digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: work.arn,
      awsRegion: 'us-east-1',
    });
    expect(Object.keys(record.attributes)).toEqual([
      'ApproximateReceiveCount',
      'SentTimestamp',
      'SenderId',
      'ApproximateFirstReceiveTimestamp',
    ]);
  });

  it('retries a failing batch after the visibility timeout and moves it to the DLQ after maxReceiveCount', async () => {
    const seen = await queue('seen');
    const dlq = await queue('work-dlq');
    const work = await queue('work', {
      VisibilityTimeout: '30',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 3 }),
    });
    await createNodeFunction(lambda, 'poison', '', {
      Code: { ZipFile: recorder(seen.url, 'throw new Error("nope");') },
    });
    await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'poison', EventSourceArn: work.arn }));
    await sqs.send(new SendMessageCommand({ QueueUrl: work.url, MessageBody: 'poison pill' }));
    for (let attempt = 1; attempt <= 3; attempt++) {
      await eventually(async () => (await seenEvents(seen.url)).length === 1);
      expect((await depth(work.url)).inflight).toBe(1);
      await cloud.clock.advance('30s');
    }
    await eventually(async () => (await depth(dlq.url)).visible === 1);
    expect(await depth(work.url)).toEqual({ visible: 0, inflight: 0 });
  });

  it('keeps only the messages a ReportBatchItemFailures response lists', async () => {
    const seen = await queue('seen');
    const work = await queue('work', { VisibilityTimeout: '30' });
    const fail = `return { batchItemFailures: event.Records.filter((r) => r.body.startsWith('bad')).map((r) => ({ itemIdentifier: r.messageId })) };`;
    await createNodeFunction(lambda, 'picky', '', { Code: { ZipFile: recorder(seen.url, fail) } });
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: work.url,
        Entries: ['good-1', 'bad-1', 'good-2'].map((b, i) => ({ Id: `m${i}`, MessageBody: b })),
      }),
    );
    await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'picky',
        EventSourceArn: work.arn,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      }),
    );
    await eventually(async () => {
      const d = await depth(work.url);
      return d.visible === 0 && d.inflight === 1;
    });
    await cloud.clock.advance('30s');
    await eventually(async () => (await seenEvents(seen.url)).some((e) => e.Records[0]?.body === 'bad-1'));
  });

  it('deletes without invoking the messages its filter criteria reject', async () => {
    const seen = await queue('seen');
    const work = await queue('work');
    await createNodeFunction(lambda, 'filtered', '', { Code: { ZipFile: recorder(seen.url, 'return {};') } });
    await lambda.send(
      new CreateEventSourceMappingCommand({
        FunctionName: 'filtered',
        EventSourceArn: work.arn,
        FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ body: { kind: ['order'] } }) }] },
      }),
    );
    await sqs.send(new SendMessageCommand({ QueueUrl: work.url, MessageBody: '{"kind":"noise"}' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: work.url, MessageBody: '{"kind":"order"}' }));
    await eventually(async () => {
      const d = await depth(work.url);
      return d.visible + d.inflight === 0;
    });
    const events = await seenEvents(seen.url);
    expect(events.flatMap((e) => e.Records.map((r: { body: string }) => r.body))).toEqual(['{"kind":"order"}']);
  });

  it('keeps FIFO order within a message group across batches', async () => {
    const seen = await queue('seen');
    const work = await queue('work.fifo', { FifoQueue: 'true', ContentBasedDeduplication: 'true' });
    await createNodeFunction(lambda, 'ordered', '', { Code: { ZipFile: recorder(seen.url, 'return {};') } });
    for (let i = 0; i < 15; i++) {
      await sqs.send(new SendMessageCommand({ QueueUrl: work.url, MessageBody: `m${i}`, MessageGroupId: 'g' }));
    }
    await lambda.send(
      new CreateEventSourceMappingCommand({ FunctionName: 'ordered', EventSourceArn: work.arn, BatchSize: 5 }),
    );
    const bodies: string[] = [];
    await eventually(async () => {
      for (const e of await seenEvents(seen.url)) bodies.push(...e.Records.map((r: { body: string }) => r.body));
      return bodies.length === 15;
    });
    expect(bodies).toEqual(Array.from({ length: 15 }, (_, i) => `m${i}`));
  });

  it('stops delivering while the mapping is disabled', async () => {
    const seen = await queue('seen');
    const work = await queue('work');
    await createNodeFunction(lambda, 'pausable', '', { Code: { ZipFile: recorder(seen.url, 'return {};') } });
    const m = await lambda.send(
      new CreateEventSourceMappingCommand({ FunctionName: 'pausable', EventSourceArn: work.arn }),
    );
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID: m.UUID, Enabled: false }));
    await sqs.send(new SendMessageCommand({ QueueUrl: work.url, MessageBody: 'wait for me' }));
    await new Promise((r) => setTimeout(r, 300));
    expect(await depth(work.url)).toEqual({ visible: 1, inflight: 0 });
    await lambda.send(new UpdateEventSourceMappingCommand({ UUID: m.UUID, Enabled: true }));
    await eventually(async () => (await depth(work.url)).visible === 0 && (await depth(work.url)).inflight === 0);
  });

  it('refuses a BatchSize over 10 without a batching window, and a second mapping of the same pair', async () => {
    const work = await queue('work');
    await createNodeFunction(lambda, 'fn', 'export const handler = async () => 1;');
    const big = await awsError(() =>
      lambda.send(
        new CreateEventSourceMappingCommand({ FunctionName: 'fn', EventSourceArn: work.arn, BatchSize: 100 }),
      ),
    );
    expect(big).toMatchObject({ name: 'InvalidParameterValueException', status: 400 });
    const m = await lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'fn', EventSourceArn: work.arn }));
    const dup = await awsError(() =>
      lambda.send(new CreateEventSourceMappingCommand({ FunctionName: 'fn', EventSourceArn: work.arn })),
    );
    expect(dup).toMatchObject({ name: 'ResourceConflictException', status: 409 });
    const deleted = await lambda.send(new DeleteEventSourceMappingCommand({ UUID: m.UUID }));
    expect(deleted.State).toBe('Deleting');
  });
});
