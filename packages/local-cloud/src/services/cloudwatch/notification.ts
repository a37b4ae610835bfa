import { createHash } from 'node:crypto';
import type { Transition } from './model/alarms.js';
import { isoOffset, JavaDouble, javaJson, regionName } from './model/format.js';

/** What CloudWatch sends when an alarm changes state: the SNS notification and the Lambda action event. */

const STAT_NAMES: Record<string, string> = {
  SampleCount: 'SAMPLE_COUNT',
  Average: 'AVERAGE',
  Sum: 'SUM',
  Minimum: 'MINIMUM',
  Maximum: 'MAXIMUM',
};

/** Subject `ALARM: "name" in US East (N. Virginia)` and the JSON message CloudWatch publishes to SNS. */
export function alarmSnsNotification(t: Transition): { subject: string; message: string } {
  const a = t.alarm;
  const c = a.config;
  const trigger = {
    MetricName: c.MetricName,
    Namespace: c.Namespace,
    StatisticType: c.ExtendedStatistic ? 'ExtendedStatistic' : 'Statistic',
    ...(c.ExtendedStatistic
      ? { ExtendedStatistic: c.ExtendedStatistic }
      : { Statistic: STAT_NAMES[c.Statistic ?? ''] ?? c.Statistic }),
    Unit: c.Unit ?? null,
    Dimensions: c.Dimensions.map((d) => ({ value: d.Value, name: d.Name })),
    Period: c.Period,
    EvaluationPeriods: c.EvaluationPeriods,
    ...(c.DatapointsToAlarm !== undefined ? { DatapointsToAlarm: c.DatapointsToAlarm } : {}),
    ComparisonOperator: c.ComparisonOperator,
    Threshold: new JavaDouble(c.Threshold),
    TreatMissingData: c.TreatMissingData ?? 'missing',
    EvaluateLowSampleCountPercentile: c.EvaluateLowSampleCountPercentile ?? '',
  };
  const message = javaJson({
    AlarmName: a.name,
    AlarmDescription: c.AlarmDescription ?? null,
    AWSAccountId: a.accountId,
    AlarmConfigurationUpdatedTimestamp: isoOffset(a.configUpdatedAt),
    NewStateValue: a.state,
    NewStateReason: a.stateReason,
    StateChangeTime: isoOffset(a.stateUpdatedAt),
    Region: regionName(a.region),
    AlarmArn: a.arn,
    OldStateValue: t.oldState,
    OKActions: c.OKActions,
    AlarmActions: c.AlarmActions,
    InsufficientDataActions: c.InsufficientDataActions,
    Trigger: trigger,
  });
  // Subjects are capped at 100 characters by SNS; CloudWatch truncates long alarm names.
  const subject = `${a.state}: "${a.name}" in ${regionName(a.region)}`.slice(0, 100);
  return { subject, message };
}

/** The event a Lambda alarm action receives (source aws.cloudwatch, alarmData with both states). */
export function alarmLambdaEvent(t: Transition): Record<string, unknown> {
  const a = t.alarm;
  const c = a.config;
  const state = (value: string, reason: string, at: number, reasonData?: string) => ({
    value,
    reason,
    ...(reasonData !== undefined ? { reasonData } : {}),
    timestamp: isoOffset(at),
  });
  return {
    source: 'aws.cloudwatch',
    alarmArn: a.arn,
    accountId: a.accountId,
    time: isoOffset(a.stateUpdatedAt),
    region: a.region,
    alarmData: {
      alarmName: a.name,
      state: state(a.state, a.stateReason, a.stateUpdatedAt, a.stateReasonData),
      previousState: state(t.oldState, t.oldReason, t.oldUpdatedAt, t.oldReasonData),
      configuration: {
        ...(c.AlarmDescription !== undefined ? { description: c.AlarmDescription } : {}),
        metrics: [
          {
            id: metricId(a.arn),
            metricStat: {
              metric: {
                namespace: c.Namespace,
                name: c.MetricName,
                dimensions: Object.fromEntries(c.Dimensions.map((d) => [d.Name, d.Value])),
              },
              period: c.Period,
              stat: c.ExtendedStatistic ?? c.Statistic,
              ...(c.Unit ? { unit: c.Unit } : {}),
            },
            returnData: true,
          },
        ],
      },
    },
  };
}

/** A stable uuid-shaped id for the alarm's one metric (AWS generates one per metric). */
function metricId(alarmArn: string): string {
  const h = createHash('md5').update(alarmArn).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}
