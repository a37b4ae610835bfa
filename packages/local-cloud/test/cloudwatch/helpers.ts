import { CloudWatchClient, PutMetricAlarmCommand, type PutMetricAlarmCommandInput } from '@aws-sdk/client-cloudwatch';
import { credentials } from '../helpers.js';

export function cloudWatchClient(cloud: { url: string }, region = 'us-east-1'): CloudWatchClient {
  return new CloudWatchClient({ endpoint: cloud.url, region, credentials, maxAttempts: 1 });
}

/** An alarm on a queue's visible-message count: ALARM at one message or more. */
export function queueAlarm(name: string, queueName: string, extra: Partial<PutMetricAlarmCommandInput> = {}) {
  return new PutMetricAlarmCommand({
    AlarmName: name,
    Namespace: 'AWS/SQS',
    MetricName: 'ApproximateNumberOfMessagesVisible',
    Dimensions: [{ Name: 'QueueName', Value: queueName }],
    Statistic: 'Maximum',
    Period: 60,
    EvaluationPeriods: 1,
    Threshold: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    ...extra,
  });
}
