import {
  type CloudWatchClient,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { CreateQueueCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalCloud, ManualClock } from '../../src/index.js';
import { awsError, sqsClient, startManual } from '../helpers.js';
import { cloudWatchClient, queueAlarm } from './helpers.js';

let cloud: LocalCloud<ManualClock>;
let cw: CloudWatchClient;
let sqs: SQSClient;

beforeAll(async () => {
  cloud = await startManual();
  cw = cloudWatchClient(cloud);
  sqs = sqsClient(cloud);
});
afterAll(() => cloud.stop());
beforeEach(() => cloud.reset());

describe('PutMetricData and GetMetricStatistics', () => {
  it('aggregates values, value lists and statistic sets per period', async () => {
    const t0 = cloud.clock.now();
    const dims = [{ Name: 'Api', Value: 'orders' }];
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'Shop',
        MetricData: [
          { MetricName: 'Latency', Dimensions: dims, Value: 100, Unit: 'Milliseconds', Timestamp: new Date(t0) },
          {
            MetricName: 'Latency',
            Dimensions: dims,
            Values: [10, 30],
            Counts: [1, 2],
            Unit: 'Milliseconds',
            Timestamp: new Date(t0 + 10_000),
          },
          {
            MetricName: 'Latency',
            Dimensions: dims,
            StatisticValues: { SampleCount: 2, Sum: 50, Minimum: 20, Maximum: 30 },
            Unit: 'Milliseconds',
            Timestamp: new Date(t0 + 70_000),
          },
        ],
      }),
    );
    const r = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Shop',
        MetricName: 'Latency',
        Dimensions: dims,
        StartTime: new Date(t0),
        EndTime: new Date(t0 + 120_000),
        Period: 60,
        Statistics: ['SampleCount', 'Sum', 'Average', 'Minimum', 'Maximum'],
      }),
    );
    expect(r.Label).toBe('Latency');
    expect(r.Datapoints).toEqual([
      {
        Timestamp: new Date(t0),
        SampleCount: 4,
        Sum: 170,
        Average: 42.5,
        Minimum: 10,
        Maximum: 100,
        Unit: 'Milliseconds',
      },
      {
        Timestamp: new Date(t0 + 60_000),
        SampleCount: 2,
        Sum: 50,
        Average: 25,
        Minimum: 20,
        Maximum: 30,
        Unit: 'Milliseconds',
      },
    ]);
    const p = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'Shop',
        MetricName: 'Latency',
        Dimensions: dims,
        StartTime: new Date(t0),
        EndTime: new Date(t0 + 60_000),
        Period: 60,
        ExtendedStatistics: ['p50', 'p100'],
      }),
    );
    expect(p.Datapoints?.[0]?.ExtendedStatistics).toEqual({ p50: 30, p100: 100 });
  });

  it('reads the built-in SQS queue metrics', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'depth' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a' }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'b', DelaySeconds: 60 }));
    const now = cloud.clock.now();
    const get = (MetricName: string) =>
      cw.send(
        new GetMetricStatisticsCommand({
          Namespace: 'AWS/SQS',
          MetricName,
          Dimensions: [{ Name: 'QueueName', Value: 'depth' }],
          StartTime: new Date(now - 300_000),
          EndTime: new Date(now + 60_000),
          Period: 60,
          Statistics: ['Maximum'],
        }),
      );
    expect((await get('ApproximateNumberOfMessagesVisible')).Datapoints?.map((d) => d.Maximum)).toEqual([1]);
    expect((await get('ApproximateNumberOfMessagesDelayed')).Datapoints?.map((d) => d.Maximum)).toEqual([1]);
  });

  it('lists the metrics it holds, filtered by namespace and dimension', async () => {
    await cw.send(
      new PutMetricDataCommand({
        Namespace: 'Shop',
        MetricData: [
          { MetricName: 'Orders', Value: 1, Dimensions: [{ Name: 'Region', Value: 'eu' }] },
          { MetricName: 'Orders', Value: 1, Dimensions: [{ Name: 'Region', Value: 'us' }] },
        ],
      }),
    );
    await cw.send(new PutMetricDataCommand({ Namespace: 'Other', MetricData: [{ MetricName: 'X', Value: 1 }] }));
    const shop = await cw.send(
      new ListMetricsCommand({ Namespace: 'Shop', Dimensions: [{ Name: 'Region', Value: 'eu' }] }),
    );
    expect(shop.Metrics).toEqual([
      { Namespace: 'Shop', MetricName: 'Orders', Dimensions: [{ Name: 'Region', Value: 'eu' }] },
    ]);
    expect((await cw.send(new ListMetricsCommand({}))).Metrics).toHaveLength(3);
  });

  it('rejects mixed Value and StatisticValues, AWS/ namespaces and StartTime after EndTime', async () => {
    const mixed = await awsError(() =>
      cw.send(
        new PutMetricDataCommand({
          Namespace: 'Shop',
          MetricData: [
            { MetricName: 'X', Value: 1, StatisticValues: { SampleCount: 1, Sum: 1, Minimum: 1, Maximum: 1 } },
          ],
        }),
      ),
    );
    expect([mixed.name, mixed.code]).toEqual(['InvalidParameterCombinationException', 'InvalidParameterCombination']);
    const reserved = await awsError(() =>
      cw.send(new PutMetricDataCommand({ Namespace: 'AWS/SQS', MetricData: [{ MetricName: 'X', Value: 1 }] })),
    );
    expect(reserved.name).toBe('InvalidParameterValueException');
    const now = cloud.clock.now();
    const order = await awsError(() =>
      cw.send(
        new GetMetricStatisticsCommand({
          Namespace: 'Shop',
          MetricName: 'X',
          StartTime: new Date(now),
          EndTime: new Date(now - 60_000),
          Period: 60,
          Statistics: ['Sum'],
        }),
      ),
    );
    expect([order.name, order.message]).toEqual([
      'InvalidParameterValueException',
      'The parameter StartTime must be less than the parameter EndTime.',
    ]);
  });

  it('keeps sampling an alarmed queue every minute, so past minutes have datapoints', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'history' }));
    await cw.send(queueAlarm('h', 'history'));
    const t0 = cloud.clock.now();
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'a' }));
    await cloud.clock.advance('1m');
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'b' }));
    await cloud.clock.advance('1m');
    const r = await cw.send(
      new GetMetricStatisticsCommand({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: 'history' }],
        StartTime: new Date(t0),
        EndTime: new Date(t0 + 120_000),
        Period: 60,
        Statistics: ['Maximum'],
      }),
    );
    expect(r.Datapoints?.map((d) => [d.Timestamp?.getTime(), d.Maximum])).toEqual([
      [t0, 1],
      [t0 + 60_000, 2],
    ]);
  });
});
