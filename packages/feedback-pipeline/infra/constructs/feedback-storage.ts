import { Duration } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { grantTable } from './grants.js';
import { ObservedFunction } from './observed-function.js';
import { QueueWithDlq } from './queue-with-dlq.js';

export interface FeedbackStorageProps {
  supportEmail: string;
}

/** feedback-queue → store-feedback → the feedback table, with negative feedback published to feedback-events. */
export class FeedbackStorage extends Construct {
  readonly table: Table;
  readonly intake: QueueWithDlq;
  readonly events: Topic;
  readonly store: ObservedFunction;

  constructor(scope: Construct, id: string, props: FeedbackStorageProps) {
    super(scope, id);
    this.table = new Table(this, 'FeedbackTable', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });
    this.table.addGlobalSecondaryIndex({
      indexName: 'byStatus',
      partitionKey: { name: 'status', type: AttributeType.STRING },
      sortKey: { name: 'createdAt', type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });
    // One constant partition ("feedback") sorted by time: lists without a status filter stay a Query.
    this.table.addGlobalSecondaryIndex({
      indexName: 'byCreatedAt',
      partitionKey: { name: 'entity', type: AttributeType.STRING },
      sortKey: { name: 'createdAt', type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });

    this.intake = new QueueWithDlq(this, 'Feedback', { visibilityTimeout: Duration.seconds(90) });
    this.events = new Topic(this, 'FeedbackEvents', { displayName: 'Negative feedback', enforceSSL: true });
    this.events.addSubscription(new EmailSubscription(props.supportEmail));

    this.store = new ObservedFunction(this, 'StoreFeedback', {
      handler: 'store-feedback',
      description: 'Stores queued feedback idempotently and publishes negative feedback',
      timeout: Duration.seconds(15),
      environment: {
        FEEDBACK_TABLE_NAME: this.table.tableName,
        FEEDBACK_EVENTS_TOPIC_ARN: this.events.topicArn,
      },
    });
    this.store.fn.addEventSource(
      new SqsEventSource(this.intake.queue, { batchSize: 10, reportBatchItemFailures: true }),
    );
    grantTable(this.table, this.store.fn, ['PutItem', 'GetItem', 'UpdateItem']);
    this.events.grantPublish(this.store.fn);
  }
}
