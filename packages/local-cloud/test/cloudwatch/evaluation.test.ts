import {
  type CloudWatchClient,
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  PutMetricAlarmCommand,
  PutMetricDataCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { AddPermissionCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { CreateTopicCommand, type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalCloud, ManualClock } from '../../src/index.js';
import { sqsClient, startManual } from '../helpers.js';
import { createNodeFunction, lambdaClient } from '../lambda/helpers.js';
import { drain, eventually, outbox, queue, snsClient } from '../sns/helpers.js';
import { cloudWatchClient, queueAlarm } from './helpers.js';

let cloud: LocalCloud<ManualClock>;
let cw: CloudWatchClient;
let sqs: SQSClient;
let sns: SNSClient;
let lambda: LambdaClient;

beforeAll(async () => {
  cloud = await startManual();
  cw = cloudWatchClient(cloud);
  sqs = sqsClient(cloud);
  sns = snsClient(cloud);
  lambda = lambdaClient(cloud);
});
afterAll(() => cloud.stop());
beforeEach(() => cloud.reset());

async function state(name: string) {
  const r = await cw.send(new DescribeAlarmsCommand({ AlarmNames: [name] }));
  return r.MetricAlarms?.[0];
}

/** The alarm JSON of an email notification (the text before SNS's unsubscribe footer). */
const messageOf = (body: string | undefined) => JSON.parse((body ?? '').split('\n\n--\n')[0] as string);

/** `dd/MM/yy HH:mm:ss` of the minute that just closed, as state reasons print datapoints. */
function lastMinute(now: number): string {
  const d = new Date(now - 60_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCFullYear() % 100)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:00`;
}

async function emailTopic(address: string) {
  const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 'alerts' }));
  await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'email', Endpoint: address }));
  return TopicArn as string;
}

describe('alarms on SQS queue metrics', () => {
  it('goes to ALARM when the queue has a message, emails the topic, and returns to OK once it is empty', async () => {
    const topic = await emailTopic('ops@example.com');
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'jobs' }));
    await cw.send(
      queueAlarm('jobs-backlog', 'jobs', { AlarmActions: [topic], OKActions: [topic], AlarmDescription: 'backlog' }),
    );
    expect((await state('jobs-backlog'))?.StateValue).toBe('INSUFFICIENT_DATA');

    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'work' }));
    const now = await cloud.clock.advance('1m');
    const alarm = await state('jobs-backlog');
    expect(alarm?.StateValue).toBe('ALARM');
    expect(alarm?.StateReason).toBe(
      `Threshold Crossed: 1 out of the last 1 datapoints [1.0 (${lastMinute(now)})] was greater than or equal to the threshold (1.0) (minimum 1 datapoint for OK -> ALARM transition).`,
    );
    expect(JSON.parse(alarm?.StateReasonData as string)).toMatchObject({ statistic: 'Maximum', recentDatapoints: [1] });

    const mails = (await outbox(cloud, '?endpoint=ops@example.com')).filter((m) => m.type === 'Notification');
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toBe('ALARM: "jobs-backlog" in US East (N. Virginia)');
    const body = mails[0]?.body as string;
    expect(body).toContain('"Threshold":1.0,');
    const message = messageOf(body);
    expect(message).toMatchObject({
      AlarmName: 'jobs-backlog',
      AlarmDescription: 'backlog',
      AWSAccountId: cloud.accountId,
      NewStateValue: 'ALARM',
      OldStateValue: 'INSUFFICIENT_DATA',
      StateChangeTime: new Date(now).toISOString().replace('Z', '+0000'),
      Region: 'US East (N. Virginia)',
      AlarmArn: `arn:aws:cloudwatch:us-east-1:${cloud.accountId}:alarm:jobs-backlog`,
      Trigger: {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        StatisticType: 'Statistic',
        Statistic: 'MAXIMUM',
        Unit: null,
        Dimensions: [{ value: 'jobs', name: 'QueueName' }],
        Period: 60,
        EvaluationPeriods: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 1,
        TreatMissingData: 'missing',
        EvaluateLowSampleCountPercentile: '',
      },
    });
    expect(message.NewStateReason).toBe(alarm?.StateReason);

    await drain(sqs, QueueUrl as string);
    await cloud.clock.advance('1m');
    expect((await state('jobs-backlog'))?.StateValue).toBe('OK');
    const all = (await outbox(cloud, '?endpoint=ops@example.com')).filter((m) => m.type === 'Notification');
    expect(all.map((m) => m.subject)).toEqual([
      'ALARM: "jobs-backlog" in US East (N. Virginia)',
      'OK: "jobs-backlog" in US East (N. Virginia)',
    ]);
    expect(messageOf(all[1]?.body)).toMatchObject({ NewStateValue: 'OK', OldStateValue: 'ALARM' });
  });

  it('records each transition and action in the alarm history, newest first', async () => {
    const topic = await emailTopic('ops@example.com');
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'jobs' }));
    await cw.send(queueAlarm('h', 'jobs', { AlarmActions: [topic] }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }));
    const now = await cloud.clock.advance('1m');
    const items = (await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'h' }))).AlarmHistoryItems ?? [];
    expect(items.map((i) => [i.HistoryItemType, i.HistorySummary])).toEqual([
      ['Action', `Successfully executed action ${topic}`],
      ['StateUpdate', 'Alarm updated from INSUFFICIENT_DATA to ALARM'],
      ['ConfigurationUpdate', 'Alarm "h" created'],
    ]);
    expect(items[1]?.Timestamp).toEqual(new Date(now));
    const states = await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'h', HistoryItemType: 'StateUpdate' }));
    expect(states.AlarmHistoryItems).toHaveLength(1);
  });

  it('needs DatapointsToAlarm breaching periods out of EvaluationPeriods before it alarms', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'slow' }));
    await cw.send(queueAlarm('two-of-three', 'slow', { EvaluationPeriods: 3, DatapointsToAlarm: 2 }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }));
    await cloud.clock.advance('1m');
    expect((await state('two-of-three'))?.StateValue).toBe('OK');
    await cloud.clock.advance('1m');
    const alarm = await state('two-of-three');
    expect(alarm?.StateValue).toBe('ALARM');
    expect(alarm?.StateReason).toContain('2 out of the last 3 datapoints');
  });

  it('does not run actions while they are disabled, but still changes state', async () => {
    const topic = await emailTopic('quiet@example.com');
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'q' }));
    await cw.send(queueAlarm('quiet', 'q', { AlarmActions: [topic], ActionsEnabled: false }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }));
    await cloud.clock.advance('1m');
    expect((await state('quiet'))?.StateValue).toBe('ALARM');
    expect((await outbox(cloud, '?endpoint=quiet@example.com')).filter((m) => m.type === 'Notification')).toEqual([]);
  });
});

describe('alarms on custom metrics', () => {
  it('evaluates PutMetricData datapoints per period and treats missing data as configured', async () => {
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'latency',
        Namespace: 'App',
        MetricName: 'Latency',
        Statistic: 'Average',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 100,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'App',
        MetricData: [
          { MetricName: 'Latency', Value: 150 },
          { MetricName: 'Latency', Value: 250 },
        ],
      }),
    );
    const now = await cloud.clock.advance('1m');
    const alarm = await state('latency');
    expect(alarm?.StateValue).toBe('ALARM');
    expect(alarm?.StateReason).toContain(`[200.0 (${lastMinute(now)})] was greater than the threshold (100.0)`);
    await cloud.clock.advance('1m');
    const missing = await state('latency');
    expect(missing?.StateValue).toBe('INSUFFICIENT_DATA');
    expect(missing?.StateReason).toBe('Insufficient Data: 1 datapoint was unknown.');
  });

  it('treats missing data as not breaching when told to', async () => {
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'errors',
        Namespace: 'App',
        MetricName: 'Errors',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 2,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      }),
    );
    await cloud.clock.advance('1m');
    expect((await state('errors'))?.StateValue).toBe('OK');
  });

  it('SetAlarmState changes the state at once and runs the actions of the new state', async () => {
    const topic = await emailTopic('set@example.com');
    await cw.send(queueAlarm('manual', 'nowhere', { AlarmActions: [topic] }));
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'manual', StateValue: 'ALARM', StateReason: 'testing' }));
    const alarm = await state('manual');
    expect(alarm?.StateValue).toBe('ALARM');
    expect(alarm?.StateReason).toBe('testing');
    const mails = (await outbox(cloud, '?endpoint=set@example.com')).filter((m) => m.type === 'Notification');
    expect(messageOf(mails[0]?.body)).toMatchObject({ NewStateValue: 'ALARM', NewStateReason: 'testing' });
  });
});

describe('Lambda alarm actions', () => {
  it('invoke the function asynchronously with the CloudWatch alarm event', async () => {
    const seen = await queue(sqs, 'alarm-events');
    const source = `
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
const sqs = new SQSClient({});
export const handler = async (event) => {
  await sqs.send(new SendMessageCommand({ QueueUrl: '${seen.url}', MessageBody: JSON.stringify(event) }));
};`;
    const fn = await createNodeFunction(lambda, 'on-alarm', source);
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: 'on-alarm',
        StatementId: 'alarms',
        Action: 'lambda:InvokeFunction',
        Principal: 'lambda.alarms.cloudwatch.amazonaws.com',
      }),
    );
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'watched' }));
    await cw.send(queueAlarm('to-lambda', 'watched', { AlarmActions: [fn.FunctionArn as string] }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }));
    const now = await cloud.clock.advance('1m');
    let body = '';
    await eventually(async () => {
      const got = await drain(sqs, seen.url);
      if (got[0]) body = got[0].Body as string;
      return body !== '';
    }, 15_000);
    const event = JSON.parse(body);
    const time = new Date(now).toISOString().replace('Z', '+0000');
    expect(event).toMatchObject({
      source: 'aws.cloudwatch',
      alarmArn: `arn:aws:cloudwatch:us-east-1:${cloud.accountId}:alarm:to-lambda`,
      accountId: cloud.accountId,
      time,
      region: 'us-east-1',
      alarmData: {
        alarmName: 'to-lambda',
        state: { value: 'ALARM', timestamp: time },
        previousState: { value: 'INSUFFICIENT_DATA', reason: 'Unchecked: Initial alarm creation' },
        configuration: {
          metrics: [
            {
              metricStat: {
                metric: {
                  namespace: 'AWS/SQS',
                  name: 'ApproximateNumberOfMessagesVisible',
                  dimensions: { QueueName: 'watched' },
                },
                period: 60,
                stat: 'Maximum',
              },
              returnData: true,
            },
          ],
        },
      },
    });
    expect(event.alarmData.state.reason).toMatch(/^Threshold Crossed: 1 out of the last 1 datapoints/);
  });
});
