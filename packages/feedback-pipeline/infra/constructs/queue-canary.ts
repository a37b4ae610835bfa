import { Duration, Validations } from 'aws-cdk-lib';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ObservedFunction } from './observed-function.js';

/** Every five minutes (or by hand): send a probe to canary-queue, receive it, delete it. */
export class QueueCanary extends Construct {
  readonly queue: Queue;
  readonly canary: ObservedFunction;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.queue = new Queue(this, 'CanaryQueue', {
      visibilityTimeout: Duration.seconds(10),
      retentionPeriod: Duration.minutes(10),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'Probe messages are deleted by the canary; a dead-letter queue would only collect stale probes.',
    });
    this.canary = new ObservedFunction(this, 'QueueCanary', {
      handler: 'queue-canary',
      description: 'Round-trips a probe message through canary-queue',
      timeout: Duration.seconds(30),
      environment: { CANARY_QUEUE_URL: this.queue.queueUrl },
    });
    this.queue.grantSendMessages(this.canary.fn);
    this.queue.grantConsumeMessages(this.canary.fn);

    new Rule(this, 'Schedule', {
      description: 'Runs the queue canary',
      schedule: Schedule.rate(Duration.minutes(5)),
      targets: [new LambdaFunction(this.canary.fn, { retryAttempts: 0 })],
    });
  }
}
