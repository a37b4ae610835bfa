import { CfnCondition, Duration, Fn } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { type CfnSubscription, Subscription, SubscriptionProtocol, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface AlertsProps {
  opsEmail: string;
  /** E.164 number or an empty string; the SMS subscription only exists when it is set. */
  opsPhone: string;
}

export class Alerts extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: AlertsProps) {
    super(scope, id);
    this.topic = new Topic(this, 'OpsAlerts', { displayName: 'Feedback pipeline alerts', enforceSSL: true });
    this.topic.addSubscription(new EmailSubscription(props.opsEmail));

    const hasPhone = new CfnCondition(this, 'HasOpsPhone', {
      expression: Fn.conditionNot(Fn.conditionEquals(props.opsPhone, '')),
    });
    const sms = new Subscription(this, 'OpsSms', {
      topic: this.topic,
      protocol: SubscriptionProtocol.SMS,
      endpoint: props.opsPhone,
    });
    (sms.node.defaultChild as CfnSubscription).cfnOptions.condition = hasPhone;
  }

  /** Alarms as soon as one message is visible on the dead-letter queue. */
  alarmOnDeadLetters(id: string, dlq: IQueue, description: string): Alarm {
    const alarm = new Alarm(this, id, {
      alarmDescription: description,
      metric: dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.seconds(60), statistic: 'Maximum' }),
      threshold: 0,
      comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new SnsAction(this.topic));
    return alarm;
  }
}
