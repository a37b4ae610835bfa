import { bool, doc, int, list, type OperationShape, str, struct } from '../../protocols/shapes.js';

/**
 * CloudWatch inputs and outputs (awsJson 1.0 and awsQuery), from botocore's cloudwatch/2010-08-01 model.
 * Doubles and timestamps are `doc`: JSON sends numbers (timestamps as epoch seconds), Query sends text
 * (ISO 8601 timestamps); operations/common.ts reads both and writes the form each protocol expects.
 */
const double = doc;
const timestamp = doc;
const strList = list(str);
const none = struct({});
const dimension = struct({ Name: str, Value: str });
const dimensions = list(dimension);
const tags = list(struct({ Key: str, Value: str }));

const metricAlarm = struct({
  AlarmName: str,
  AlarmArn: str,
  AlarmDescription: str,
  AlarmConfigurationUpdatedTimestamp: timestamp,
  ActionsEnabled: bool,
  OKActions: strList,
  AlarmActions: strList,
  InsufficientDataActions: strList,
  StateValue: str,
  StateReason: str,
  StateReasonData: str,
  StateUpdatedTimestamp: timestamp,
  MetricName: str,
  Namespace: str,
  Statistic: str,
  ExtendedStatistic: str,
  Dimensions: dimensions,
  Period: int,
  Unit: str,
  EvaluationPeriods: int,
  DatapointsToAlarm: int,
  Threshold: double,
  ComparisonOperator: str,
  TreatMissingData: str,
  EvaluateLowSampleCountPercentile: str,
  StateTransitionedTimestamp: timestamp,
});

const datapoint = struct({
  Timestamp: timestamp,
  SampleCount: double,
  Average: double,
  Sum: double,
  Minimum: double,
  Maximum: double,
  Unit: str,
  ExtendedStatistics: { type: 'map', key: str, value: double },
});

const metricDatum = struct({
  MetricName: str,
  Dimensions: dimensions,
  Timestamp: timestamp,
  Value: double,
  StatisticValues: struct({ SampleCount: double, Sum: double, Minimum: double, Maximum: double }),
  Values: list(double),
  Counts: list(double),
  Unit: str,
  StorageResolution: int,
});

const historyItem = struct({
  AlarmName: str,
  AlarmType: str,
  Timestamp: timestamp,
  HistoryItemType: str,
  HistorySummary: str,
  HistoryData: str,
});

export const CLOUDWATCH_SHAPES: Record<string, OperationShape> = {
  PutMetricAlarm: {
    input: struct({
      AlarmName: str,
      AlarmDescription: str,
      ActionsEnabled: bool,
      OKActions: strList,
      AlarmActions: strList,
      InsufficientDataActions: strList,
      MetricName: str,
      Namespace: str,
      Statistic: str,
      ExtendedStatistic: str,
      Dimensions: dimensions,
      Period: int,
      Unit: str,
      EvaluationPeriods: int,
      DatapointsToAlarm: int,
      Threshold: double,
      ComparisonOperator: str,
      TreatMissingData: str,
      EvaluateLowSampleCountPercentile: str,
      Metrics: list(doc),
      Tags: tags,
      ThresholdMetricId: str,
    }),
    output: none,
  },
  DescribeAlarms: {
    input: struct({
      AlarmNames: strList,
      AlarmNamePrefix: str,
      AlarmTypes: strList,
      ChildrenOfAlarmName: str,
      ParentsOfAlarmName: str,
      StateValue: str,
      ActionPrefix: str,
      MaxRecords: int,
      NextToken: str,
    }),
    output: struct({ CompositeAlarms: list(doc), MetricAlarms: list(metricAlarm), NextToken: str }),
  },
  DescribeAlarmsForMetric: {
    input: struct({
      MetricName: str,
      Namespace: str,
      Statistic: str,
      ExtendedStatistic: str,
      Dimensions: dimensions,
      Period: int,
      Unit: str,
    }),
    output: struct({ MetricAlarms: list(metricAlarm) }),
  },
  DeleteAlarms: { input: struct({ AlarmNames: strList }), output: none },
  SetAlarmState: {
    input: struct({ AlarmName: str, StateValue: str, StateReason: str, StateReasonData: str }),
    output: none,
  },
  EnableAlarmActions: { input: struct({ AlarmNames: strList }), output: none },
  DisableAlarmActions: { input: struct({ AlarmNames: strList }), output: none },
  DescribeAlarmHistory: {
    input: struct({
      AlarmName: str,
      AlarmContributorId: str,
      AlarmTypes: strList,
      HistoryItemType: str,
      StartDate: timestamp,
      EndDate: timestamp,
      MaxRecords: int,
      NextToken: str,
      ScanBy: str,
    }),
    output: struct({ AlarmHistoryItems: list(historyItem), NextToken: str }),
  },
  PutMetricData: {
    input: struct({ Namespace: str, MetricData: list(metricDatum), StrictEntityValidation: bool }),
    output: none,
  },
  GetMetricStatistics: {
    input: struct({
      Namespace: str,
      MetricName: str,
      Dimensions: dimensions,
      StartTime: timestamp,
      EndTime: timestamp,
      Period: int,
      Statistics: strList,
      ExtendedStatistics: strList,
      Unit: str,
    }),
    output: struct({ Label: str, Datapoints: list(datapoint) }),
  },
  ListMetrics: {
    input: struct({
      Namespace: str,
      MetricName: str,
      Dimensions: list(struct({ Name: str, Value: str })),
      NextToken: str,
      RecentlyActive: str,
    }),
    output: struct({
      Metrics: list(struct({ Namespace: str, MetricName: str, Dimensions: dimensions })),
      NextToken: str,
    }),
  },
  TagResource: { input: struct({ ResourceARN: str, Tags: tags }), output: none },
  UntagResource: { input: struct({ ResourceARN: str, TagKeys: strList }), output: none },
  ListTagsForResource: { input: struct({ ResourceARN: str }), output: struct({ Tags: tags }) },
};
