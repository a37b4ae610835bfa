import type { LambdaClient } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, PublishCommand, type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeZip } from '../../src/core/zip.js';
import type { LocalCloud, ManualClock } from '../../src/index.js';
import { sqsClient, startManual } from '../helpers.js';
import { createNodeFunction, lambdaClient } from '../lambda/helpers.js';
import { drain, eventually, queue, snsClient } from './helpers.js';

let cloud: LocalCloud<ManualClock>;
let sns: SNSClient;
let sqs: SQSClient;
let lambda: LambdaClient;

beforeAll(async () => {
  cloud = await startManual();
  sns = snsClient(cloud);
  sqs = sqsClient(cloud);
  lambda = lambdaClient(cloud);
});
afterAll(() => cloud.stop());
beforeEach(() => cloud.reset());

/** A function that records each event it receives into the `seen` queue. */
function recorder(seenUrl: string) {
  return writeZip({
    'index.js': `
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
const sqs = new SQSClient({});
exports.handler = async (event) => {
  await sqs.send(new SendMessageCommand({ QueueUrl: '${seenUrl}', MessageBody: JSON.stringify(event) }));
};`,
  });
}

describe('SNS to Lambda', () => {
  it('invokes the function asynchronously with the SNS event', async () => {
    const seen = await queue(sqs, 'seen');
    const fn = await createNodeFunction(lambda, 'listener', '', { Code: { ZipFile: recorder(seen.url) } });
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'events' }));
    const { SubscriptionArn } = await sns.send(
      new SubscribeCommand({ TopicArn, Protocol: 'lambda', Endpoint: fn.FunctionArn }),
    );
    expect(SubscriptionArn).toMatch(/^arn:aws:sns:/);
    const { MessageId } = await sns.send(new PublishCommand({ TopicArn, Message: 'hello lambda' }));

    const events: Array<{ Body?: string }> = [];
    await eventually(async () => {
      events.push(...(await drain(sqs, seen.url)));
      return events.length > 0;
    }, 20_000);
    expect(events).toHaveLength(1);
    const event = JSON.parse(events[0]?.Body as string);
    expect(Object.keys(event.Records[0])).toEqual(['EventSource', 'EventVersion', 'EventSubscriptionArn', 'Sns']);
    expect(event.Records[0]).toMatchObject({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: SubscriptionArn,
    });
    const s = event.Records[0].Sns;
    expect(Object.keys(s)).toEqual([
      'Type',
      'MessageId',
      'TopicArn',
      'Subject',
      'Message',
      'Timestamp',
      'SignatureVersion',
      'Signature',
      'SigningCertUrl',
      'UnsubscribeUrl',
      'MessageAttributes',
    ]);
    expect(s).toMatchObject({
      Type: 'Notification',
      MessageId,
      TopicArn,
      Subject: null,
      Message: 'hello lambda',
      SignatureVersion: '1',
      UnsubscribeUrl: `${cloud.url}/?Action=Unsubscribe&SubscriptionArn=${SubscriptionArn}`,
      MessageAttributes: {},
    });
  });

  it('sends the notification to the subscription DLQ when the function does not exist', async () => {
    const dlq = await queue(sqs, 'dlq');
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'orphans' }));
    await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'lambda',
        Endpoint: 'arn:aws:lambda:us-east-1:000000000000:function:missing',
        Attributes: { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) },
      }),
    );
    await sns.send(new PublishCommand({ TopicArn, Message: 'for nobody', Subject: 'lost' }));
    const [m] = await drain(sqs, dlq.url);
    expect(JSON.parse(m?.Body as string)).toMatchObject({
      Type: 'Notification',
      Message: 'for nobody',
      Subject: 'lost',
    });
  });
});
