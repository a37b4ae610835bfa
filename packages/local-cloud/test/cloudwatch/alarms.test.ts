import {
  type CloudWatchClient,
  DeleteAlarmsCommand,
  DescribeAlarmsCommand,
  type DescribeAlarmsCommandInput,
  DescribeAlarmsForMetricCommand,
  DisableAlarmActionsCommand,
  EnableAlarmActionsCommand,
  ListTagsForResourceCommand,
  PutMetricAlarmCommand,
  SetAlarmStateCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalCloud, ManualClock } from '../../src/index.js';
import { awsError, startManual } from '../helpers.js';
import { cloudWatchClient, queueAlarm } from './helpers.js';

let cloud: LocalCloud<ManualClock>;
let cw: CloudWatchClient;

beforeAll(async () => {
  cloud = await startManual();
  cw = cloudWatchClient(cloud);
});
afterAll(() => cloud.stop());
beforeEach(() => cloud.reset());

describe('PutMetricAlarm and DescribeAlarms', () => {
  it('creates an alarm in INSUFFICIENT_DATA and describes its whole configuration', async () => {
    const now = cloud.clock.now();
    await cw.send(
      queueAlarm('backlog', 'jobs', {
        AlarmDescription: 'too many jobs',
        Threshold: 2.5,
        DatapointsToAlarm: 1,
        TreatMissingData: 'notBreaching',
        Unit: 'Count',
        AlarmActions: ['arn:aws:sns:us-east-1:000000000000:alerts'],
      }),
    );
    const [alarm] = (await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? [];
    expect(alarm).toEqual({
      AlarmName: 'backlog',
      AlarmArn: `arn:aws:cloudwatch:us-east-1:${cloud.accountId}:alarm:backlog`,
      AlarmDescription: 'too many jobs',
      AlarmConfigurationUpdatedTimestamp: new Date(now),
      ActionsEnabled: true,
      OKActions: [],
      AlarmActions: ['arn:aws:sns:us-east-1:000000000000:alerts'],
      InsufficientDataActions: [],
      StateValue: 'INSUFFICIENT_DATA',
      StateReason: 'Unchecked: Initial alarm creation',
      StateUpdatedTimestamp: new Date(now),
      StateTransitionedTimestamp: new Date(now),
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Statistic: 'Maximum',
      Dimensions: [{ Name: 'QueueName', Value: 'jobs' }],
      Period: 60,
      Unit: 'Count',
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      Threshold: 2.5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
    });
  });

  it('filters by names, prefix and state, and pages with MaxRecords', async () => {
    for (const name of ['a-1', 'a-2', 'a-3', 'b-1']) await cw.send(queueAlarm(name, 'q'));
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'a-2', StateValue: 'OK', StateReason: 'manual' }));
    const names = async (input: DescribeAlarmsCommandInput) =>
      ((await cw.send(new DescribeAlarmsCommand(input))).MetricAlarms ?? []).map((a) => a.AlarmName);
    expect(await names({ AlarmNamePrefix: 'a-' })).toEqual(['a-1', 'a-2', 'a-3']);
    expect(await names({ AlarmNames: ['b-1', 'a-3', 'nope'] })).toEqual(['a-3', 'b-1']);
    expect(await names({ StateValue: 'OK' })).toEqual(['a-2']);
    const first = await cw.send(new DescribeAlarmsCommand({ MaxRecords: 3 }));
    expect(first.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['a-1', 'a-2', 'a-3']);
    const rest = await cw.send(new DescribeAlarmsCommand({ MaxRecords: 3, NextToken: first.NextToken }));
    expect(rest.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['b-1']);
    expect(rest.NextToken).toBeUndefined();
    expect(await names({ AlarmTypes: ['CompositeAlarm'] })).toEqual([]);
  });

  it('replaces the configuration of an existing alarm and keeps its state', async () => {
    await cw.send(queueAlarm('x', 'q'));
    await cw.send(new SetAlarmStateCommand({ AlarmName: 'x', StateValue: 'ALARM', StateReason: 'r' }));
    await cw.send(queueAlarm('x', 'q', { Threshold: 10 }));
    const [a] = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['x'] }))).MetricAlarms ?? [];
    expect([a?.Threshold, a?.StateValue]).toEqual([10, 'ALARM']);
  });

  it('finds alarms for a metric and dimensions', async () => {
    await cw.send(queueAlarm('one', 'q1'));
    await cw.send(queueAlarm('two', 'q2'));
    const r = await cw.send(
      new DescribeAlarmsForMetricCommand({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: 'q2' }],
      }),
    );
    expect(r.MetricAlarms?.map((a) => a.AlarmName)).toEqual(['two']);
  });

  it('deletes alarms (none when any name is unknown) and toggles their actions', async () => {
    await cw.send(queueAlarm('keep', 'q'));
    await cw.send(queueAlarm('drop', 'q'));
    await cw.send(new DisableAlarmActionsCommand({ AlarmNames: ['keep'] }));
    let [keep] = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['keep'] }))).MetricAlarms ?? [];
    expect(keep?.ActionsEnabled).toBe(false);
    await cw.send(new EnableAlarmActionsCommand({ AlarmNames: ['keep'] }));
    [keep] = (await cw.send(new DescribeAlarmsCommand({ AlarmNames: ['keep'] }))).MetricAlarms ?? [];
    expect(keep?.ActionsEnabled).toBe(true);
    const err = await awsError(() => cw.send(new DeleteAlarmsCommand({ AlarmNames: ['drop', 'ghost'] })));
    expect([err.name, err.status]).toEqual(['ResourceNotFound', 404]);
    expect((await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms).toHaveLength(2);
    await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['drop'] }));
    const left = (await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms?.map((a) => a.AlarmName);
    expect(left).toEqual(['keep']);
  });

  it('tags alarms by ARN', async () => {
    await cw.send(queueAlarm('t', 'q', { Tags: [{ Key: 'team', Value: 'ops' }] }));
    const arn = `arn:aws:cloudwatch:us-east-1:${cloud.accountId}:alarm:t`;
    await cw.send(new TagResourceCommand({ ResourceARN: arn, Tags: [{ Key: 'env', Value: 'dev' }] }));
    await cw.send(new UntagResourceCommand({ ResourceARN: arn, TagKeys: ['team'] }));
    expect((await cw.send(new ListTagsForResourceCommand({ ResourceARN: arn }))).Tags).toEqual([
      { Key: 'env', Value: 'dev' },
    ]);
  });
});

describe('errors', () => {
  it('reports constraint violations as ValidationError, with the legacy code for Query-compatible clients', async () => {
    const err = await awsError(() =>
      cw.send(queueAlarm('bad', 'q', { EvaluationPeriods: 0, ComparisonOperator: 'Bigger' as never })),
    );
    expect(err.name).toBe('ValidationException');
    expect(err.code).toBe('ValidationError');
    expect(err.status).toBe(400);
    expect(err.message).toBe(
      "2 validation errors detected: Value '0' at 'evaluationPeriods' failed to satisfy constraint: Member must have value greater than or equal to 1; Value 'Bigger' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [GreaterThanOrEqualToThreshold, GreaterThanThreshold, LessThanThreshold, LessThanOrEqualToThreshold, LessThanLowerOrGreaterThanUpperThreshold, LessThanLowerThreshold, GreaterThanUpperThreshold]",
    );
  });

  it('requires exactly one of Statistic and ExtendedStatistic', async () => {
    const err = await awsError(() => cw.send(queueAlarm('both', 'q', { ExtendedStatistic: 'p90' })));
    expect([err.name, err.code, err.message]).toEqual([
      'InvalidParameterCombinationException',
      'InvalidParameterCombination',
      'Exactly one element of the Statistic and ExtendedStatistic parameters must be specified.',
    ]);
  });

  it('rejects DatapointsToAlarm above EvaluationPeriods and unknown TreatMissingData', async () => {
    const m = await awsError(() => cw.send(queueAlarm('m', 'q', { DatapointsToAlarm: 3, EvaluationPeriods: 2 })));
    expect([m.name, m.code]).toEqual(['InvalidParameterValueException', 'InvalidParameterValue']);
    const t = await awsError(() => cw.send(queueAlarm('t', 'q', { TreatMissingData: 'sometimes' })));
    expect(t.name).toBe('InvalidParameterValueException');
  });

  it('SetAlarmState on a missing alarm is ResourceNotFound', async () => {
    const err = await awsError(() =>
      cw.send(new SetAlarmStateCommand({ AlarmName: 'ghost', StateValue: 'ALARM', StateReason: 'x' })),
    );
    expect([err.name, err.code, err.status, err.message]).toEqual([
      'ResourceNotFound',
      'ResourceNotFound',
      404,
      'Alarm ghost not found',
    ]);
  });

  it('rejects StateReasonData that is not JSON', async () => {
    await cw.send(queueAlarm('x', 'q'));
    const err = await awsError(() =>
      cw.send(
        new SetAlarmStateCommand({ AlarmName: 'x', StateValue: 'OK', StateReason: 'x', StateReasonData: '{oops' }),
      ),
    );
    expect([err.name, err.code]).toEqual(['InvalidFormatFault', 'InvalidFormat']);
  });

  it('ListTagsForResource on a missing alarm is ResourceNotFoundException', async () => {
    const arn = `arn:aws:cloudwatch:us-east-1:${cloud.accountId}:alarm:none`;
    const err = await awsError(() => cw.send(new ListTagsForResourceCommand({ ResourceARN: arn })));
    expect(err.name).toBe('ResourceNotFoundException');
  });

  it('refuses metric math alarms, which local-cloud does not evaluate', async () => {
    const err = await awsError(() =>
      cw.send(
        new PutMetricAlarmCommand({
          AlarmName: 'math',
          EvaluationPeriods: 1,
          Threshold: 1,
          ComparisonOperator: 'GreaterThanThreshold',
          Metrics: [{ Id: 'e1', Expression: 'SUM(METRICS())' }],
        }),
      ),
    );
    expect(err.name).toBe('InvalidParameterValueException');
  });
});
