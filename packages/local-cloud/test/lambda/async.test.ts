import { type CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { InvokeCommand, type LambdaClient, PutFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeZip } from '../../src/core/zip.js';
import { type LocalCloud, type ManualClock, startLocalCloud } from '../../src/index.js';
import { logsClient, sqsClient } from '../helpers.js';
import { createNodeFunction, lambdaClient } from './helpers.js';

let cloud: LocalCloud<ManualClock>;
let lambda: LambdaClient;
let sqs: SQSClient;
let logs: CloudWatchLogsClient;

beforeAll(async () => {
  cloud = await startLocalCloud({ clock: 'manual', persistence: 'memory' });
  lambda = lambdaClient(cloud);
  sqs = sqsClient(cloud);
  logs = logsClient(cloud);
});
afterAll(() => cloud.stop());
beforeEach(() => cloud.reset());

async function queue(name: string) {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  const a = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl as string, arn: a.Attributes?.QueueArn as string };
}

/** Lets queued work run: event invocations are asynchronous even on a manual clock. */
const settle = () => new Promise((r) => setTimeout(r, 400));

/** Waits (in real time) until check passes; functions run in their own processes. */
async function eventually(check: () => Promise<boolean>, ms = 10_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not met in time');
}

/** A function that appends each attempt's timestamp to an SQS queue, then fails. */
const failing = (countUrl: string) => `
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
const sqs = new SQSClient({});
exports.handler = async (event) => {
  await sqs.send(new SendMessageCommand({ QueueUrl: '${countUrl}', MessageBody: 'attempt' }));
  throw new Error('always fails: ' + event.order);
};`;

describe('asynchronous invocation', () => {
  it('retries a failing event twice, 1 and 2 minutes apart, then sends it to the on-failure destination', async () => {
    const attempts = await queue('attempts');
    const failures = await queue('failures');
    await createNodeFunction(lambda, 'flaky', failing(attempts.url), {
      Code: { ZipFile: writeZip({ 'index.js': failing(attempts.url) }) },
    });
    await lambda.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: 'flaky',
        DestinationConfig: { OnFailure: { Destination: failures.arn } },
      }),
    );
    const count = async (url: string) =>
      Number(
        (
          await sqs.send(
            new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
          )
        ).Attributes?.ApproximateNumberOfMessages,
      );

    await lambda.send(
      new InvokeCommand({ FunctionName: 'flaky', InvocationType: 'Event', Payload: JSON.stringify({ order: 7 }) }),
    );
    // A retry is scheduled when an attempt ends, i.e. when its REPORT line is written: wait for
    // that before moving the clock, or the clock would run ahead of the function.
    const reports = async () =>
      (
        await logs.send(
          new FilterLogEventsCommand({ logGroupName: '/aws/lambda/flaky', filterPattern: '"REPORT RequestId"' }),
        )
      ).events?.length ?? 0;
    const attemptEnded = (n: number) => eventually(async () => (await reports()) >= n);
    await attemptEnded(1);
    await cloud.clock.advance('59s');
    await settle();
    expect(await count(attempts.url)).toBe(1);
    await cloud.clock.advance('1s');
    await attemptEnded(2);
    expect(await count(attempts.url)).toBe(2);
    await cloud.clock.advance('2m');
    await attemptEnded(3);
    await eventually(async () => (await count(failures.url)) === 1);
    expect(await count(attempts.url)).toBe(3);

    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: failures.url }));
    const record = JSON.parse(got.Messages?.[0]?.Body ?? '{}');
    expect(record).toMatchObject({
      version: '1.0',
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: { order: 7 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      responsePayload: { errorType: 'Error', errorMessage: 'always fails: 7' },
    });
  });
});
