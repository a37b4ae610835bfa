import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud, ManualClock } from '../../src/index.js';
import { hasAwsCli, runAwsCli } from '../aws-cli.js';
import { startManual } from '../helpers.js';

/** The AWS CLI (2.9) speaks the Query protocol to CloudWatch: forms in, XML out. */
describe.skipIf(!hasAwsCli)('CloudWatch through the AWS CLI (Query protocol)', () => {
  let cloud: LocalCloud<ManualClock>;
  beforeAll(async () => {
    cloud = await startManual();
  });
  afterAll(() => cloud.stop());

  const cw = async (...args: string[]) => {
    const r = await runAwsCli(cloud.url, 'cloudwatch', ...args);
    return { ...r, json: r.code === 0 && r.stdout.trim() ? JSON.parse(r.stdout) : undefined };
  };

  it('put-metric-alarm, describe-alarms and set-alarm-state round-trip', async () => {
    const put = await cw(
      'put-metric-alarm',
      '--alarm-name',
      'cli-alarm',
      '--namespace',
      'AWS/SQS',
      '--metric-name',
      'ApproximateNumberOfMessagesVisible',
      '--dimensions',
      'Name=QueueName,Value=jobs',
      '--statistic',
      'Average',
      '--period',
      '60',
      '--evaluation-periods',
      '2',
      '--threshold',
      '0.5',
      '--comparison-operator',
      'GreaterThanThreshold',
      '--alarm-actions',
      'arn:aws:sns:us-east-1:000000000000:alerts',
    );
    expect(put.stderr).toBe('');
    expect(put.code).toBe(0);
    await cw('set-alarm-state', '--alarm-name', 'cli-alarm', '--state-value', 'OK', '--state-reason', 'from the cli');
    const described = await cw('describe-alarms', '--alarm-names', 'cli-alarm');
    expect(described.json.CompositeAlarms).toEqual([]);
    const [alarm] = described.json.MetricAlarms;
    expect(alarm).toMatchObject({
      AlarmName: 'cli-alarm',
      AlarmArn: `arn:aws:cloudwatch:us-east-1:${cloud.accountId}:alarm:cli-alarm`,
      Namespace: 'AWS/SQS',
      Dimensions: [{ Name: 'QueueName', Value: 'jobs' }],
      Period: 60,
      EvaluationPeriods: 2,
      Threshold: 0.5,
      AlarmActions: ['arn:aws:sns:us-east-1:000000000000:alerts'],
      StateValue: 'OK',
      StateReason: 'from the cli',
      ActionsEnabled: true,
    });
    expect(Date.parse(alarm.StateUpdatedTimestamp)).toBe(cloud.clock.now());
  });

  it('reports errors with the Query error code', async () => {
    const r = await cw('set-alarm-state', '--alarm-name', 'ghost', '--state-value', 'OK', '--state-reason', 'x');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      'An error occurred (ResourceNotFound) when calling the SetAlarmState operation: Alarm ghost not found',
    );
  });

  it('put-metric-data and get-metric-statistics with ISO timestamps', async () => {
    const now = new Date(cloud.clock.now()).toISOString();
    const later = new Date(cloud.clock.now() + 60_000).toISOString();
    const put = await cw(
      'put-metric-data',
      '--namespace',
      'Cli',
      '--metric-name',
      'Hits',
      '--value',
      '3',
      '--timestamp',
      now,
    );
    expect(put.stderr).toBe('');
    const stats = await cw(
      'get-metric-statistics',
      '--namespace',
      'Cli',
      '--metric-name',
      'Hits',
      '--start-time',
      now,
      '--end-time',
      later,
      '--period',
      '60',
      '--statistics',
      'Sum',
    );
    expect(stats.json.Datapoints).toEqual([{ Timestamp: expect.any(String), Sum: 3, Unit: 'None' }]);
    expect(Date.parse(stats.json.Datapoints[0].Timestamp)).toBe(cloud.clock.now());
  });
});
