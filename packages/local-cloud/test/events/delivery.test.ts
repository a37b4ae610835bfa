import {
  DisableRuleCommand,
  EnableRuleCommand,
  type EventBridgeClient,
  PutEventsCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { AddPermissionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalCloud, ManualClock } from '../../src/index.js';
import { sqsClient, startManual } from '../helpers.js';
import { createNodeFunction, lambdaClient } from '../lambda/helpers.js';
import { drain, eventually, outbox, queue, snsClient } from '../sns/helpers.js';
import { eventsClient } from './helpers.js';

let cloud: LocalCloud<ManualClock>;
let eb: EventBridgeClient;
let sqs: SQSClient;
let sns: SNSClient;
let lambda: LambdaClient;

beforeAll(async () => {
  cloud = await startManual();
  eb = eventsClient(cloud);
  sqs = sqsClient(cloud);
  sns = snsClient(cloud);
  lambda = lambdaClient(cloud);
});
afterAll(() => cloud.stop());
beforeEach(() => cloud.reset());

async function count(url: string): Promise<number> {
  const r = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  return Number(r.Attributes?.ApproximateNumberOfMessages);
}

async function scheduleTo(name: string, expr: string, arn: string) {
  const { RuleArn } = await eb.send(new PutRuleCommand({ Name: name, ScheduleExpression: expr }));
  await eb.send(new PutTargetsCommand({ Rule: name, Targets: [{ Id: 't1', Arn: arn }] }));
  return RuleArn as string;
}

describe('schedule rules', () => {
  it('send the Scheduled Event to an SQS target once per rate period', async () => {
    const q = await queue(sqs, 'ticks');
    const start = cloud.clock.now();
    const ruleArn = await scheduleTo('every-5', 'rate(5 minutes)', q.arn);
    await cloud.clock.advance('4m');
    expect(await count(q.url)).toBe(0);
    await cloud.clock.advance('1m');
    const [first] = await drain(sqs, q.url);
    expect(JSON.parse(first?.Body as string)).toEqual({
      version: '0',
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      account: cloud.accountId,
      time: `${new Date(start + 300_000).toISOString().slice(0, 19)}Z`,
      region: 'us-east-1',
      resources: [ruleArn],
      detail: {},
    });
    await cloud.clock.advance('15m');
    const later = await drain(sqs, q.url);
    expect(later.map((m) => JSON.parse(m.Body as string).time)).toEqual(
      [10, 15, 20].map((n) => `${new Date(start + n * 60_000).toISOString().slice(0, 19)}Z`),
    );
  });

  it('do not fire while disabled, and resume when enabled', async () => {
    const q = await queue(sqs, 'paused');
    await scheduleTo('paused', 'rate(1 minute)', q.arn);
    await eb.send(new DisableRuleCommand({ Name: 'paused' }));
    await cloud.clock.advance('5m');
    expect(await count(q.url)).toBe(0);
    await eb.send(new EnableRuleCommand({ Name: 'paused' }));
    await cloud.clock.advance('2m');
    expect(await count(q.url)).toBe(2);
  });

  it('can be created disabled, and deliver a constant Input instead of the event', async () => {
    const q = await queue(sqs, 'constant');
    await eb.send(new PutRuleCommand({ Name: 'off', ScheduleExpression: 'rate(1 minute)', State: 'DISABLED' }));
    await eb.send(new PutRuleCommand({ Name: 'on', ScheduleExpression: 'cron(* * * * ? *)' }));
    await eb.send(new PutTargetsCommand({ Rule: 'off', Targets: [{ Id: 'a', Arn: q.arn }] }));
    await eb.send(
      new PutTargetsCommand({ Rule: 'on', Targets: [{ Id: 'a', Arn: q.arn, Input: '{"job":"cleanup"}' }] }),
    );
    await cloud.clock.advance('3m');
    const bodies = (await drain(sqs, q.url)).map((m) => m.Body);
    expect(bodies).toEqual(['{"job":"cleanup"}', '{"job":"cleanup"}', '{"job":"cleanup"}']);
  });

  it('invoke a Lambda target asynchronously with the Scheduled Event', async () => {
    const seen = await queue(sqs, 'seen');
    const source = `
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
const sqs = new SQSClient({});
export const handler = async (event) => {
  await sqs.send(new SendMessageCommand({ QueueUrl: '${seen.url}', MessageBody: JSON.stringify(event) }));
};`;
    const fn = await createNodeFunction(lambda, 'on-schedule', source);
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: 'on-schedule',
        StatementId: 'events',
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
      }),
    );
    const ruleArn = await scheduleTo('nightly', 'rate(5 minutes)', fn.FunctionArn as string);
    await cloud.clock.advance('5m');
    await eventually(async () => (await count(seen.url)) === 1, 15_000);
    await cloud.clock.advance('5m');
    await eventually(async () => (await count(seen.url)) === 2, 15_000);
    const events = (await drain(sqs, seen.url)).map((m) => JSON.parse(m.Body as string));
    expect(events.map((e) => [e['detail-type'], e.source, e.resources])).toEqual([
      ['Scheduled Event', 'aws.events', [ruleArn]],
      ['Scheduled Event', 'aws.events', [ruleArn]],
    ]);
  });
});

describe('PutEvents', () => {
  it('delivers events that match a rule pattern, shaped by InputPath, and skips the rest', async () => {
    const q = await queue(sqs, 'paid');
    await eb.send(
      new PutRuleCommand({
        Name: 'paid-orders',
        EventPattern: JSON.stringify({ source: ['shop.orders'], detail: { status: ['paid'] } }),
      }),
    );
    await eb.send(
      new PutTargetsCommand({ Rule: 'paid-orders', Targets: [{ Id: 'q', Arn: q.arn, InputPath: '$.detail' }] }),
    );
    const r = await eb.send(
      new PutEventsCommand({
        Entries: [
          { Source: 'shop.orders', DetailType: 'Order', Detail: '{"status":"paid","id":1}' },
          { Source: 'shop.orders', DetailType: 'Order', Detail: '{"status":"open","id":2}' },
          { Source: 'shop.other', DetailType: 'Order', Detail: '{"status":"paid","id":3}' },
        ],
      }),
    );
    expect(r.FailedEntryCount).toBe(0);
    expect(r.Entries?.every((e) => typeof e.EventId === 'string')).toBe(true);
    expect((await drain(sqs, q.url)).map((m) => m.Body)).toEqual(['{"status":"paid","id":1}']);
  });

  it('reports entries with a missing source or malformed detail, and sends the rest', async () => {
    const q = await queue(sqs, 'all');
    await eb.send(new PutRuleCommand({ Name: 'all', EventPattern: '{"source":[{"prefix":""}]}' }));
    await eb.send(new PutTargetsCommand({ Rule: 'all', Targets: [{ Id: 'q', Arn: q.arn }] }));
    const r = await eb.send(
      new PutEventsCommand({
        Entries: [
          { DetailType: 'x', Detail: '{}' },
          { Source: 'a', DetailType: 'x', Detail: 'not json' },
          { Source: 'a', DetailType: 'x', Detail: '{"ok":true}', Resources: ['arn:aws:s3:::b'] },
        ],
      }),
    );
    expect(r.FailedEntryCount).toBe(2);
    expect(r.Entries?.[0]).toEqual({
      ErrorCode: 'InvalidArgument',
      ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.',
    });
    expect(r.Entries?.[1]).toEqual({ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
    const [only] = await drain(sqs, q.url);
    expect(JSON.parse(only?.Body as string)).toMatchObject({
      id: r.Entries?.[2]?.EventId,
      source: 'a',
      'detail-type': 'x',
      resources: ['arn:aws:s3:::b'],
      detail: { ok: true },
    });
  });

  it('publishes to an SNS target, whose email subscribers get the event', async () => {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'events' }));
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: 'eb@example.com' }));
    await eb.send(new PutRuleCommand({ Name: 'to-sns', EventPattern: '{"source":["app"]}' }));
    await eb.send(
      new PutTargetsCommand({
        Rule: 'to-sns',
        Targets: [
          {
            Id: 't',
            Arn: TopicArn,
            InputTransformer: {
              InputPathsMap: { who: '$.detail.user' },
              InputTemplate: '"User <who> signed up"',
            },
          },
        ],
      }),
    );
    await eb.send(
      new PutEventsCommand({ Entries: [{ Source: 'app', DetailType: 'Signup', Detail: '{"user":"ana"}' }] }),
    );
    const mails = (await outbox(cloud, '?endpoint=eb@example.com')).filter((m) => m.type === 'Notification');
    expect(mails.map((m) => m.body.split('\n\n--\n')[0])).toEqual(['"User ana signed up"']);
  });
});
