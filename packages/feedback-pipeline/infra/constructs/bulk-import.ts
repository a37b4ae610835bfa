import { Duration, Stack } from 'aws-cdk-lib';
import { AttributeType, BillingMode, Table } from 'aws-cdk-lib/aws-dynamodb';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { BlockPublicAccess, Bucket, BucketEncryption, EventType } from 'aws-cdk-lib/aws-s3';
import { SnsDestination } from 'aws-cdk-lib/aws-s3-notifications';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { grantGetObjects, grantTable } from './grants.js';
import { ObservedFunction } from './observed-function.js';
import { QueueWithDlq } from './queue-with-dlq.js';

export interface BulkImportProps {
  feedbackQueue: IQueue;
}

const IMPORT_TIMEOUT = Duration.minutes(5);

/** imports bucket → uploads topic → import-queue (import-file) and audit-queue (audit-upload). */
export class BulkImport extends Construct {
  readonly bucket: Bucket;
  readonly uploads: Topic;
  readonly importQueue: QueueWithDlq;
  readonly auditQueue: QueueWithDlq;
  readonly uploadsTable: Table;
  readonly importFile: ObservedFunction;
  readonly auditUpload: ObservedFunction;

  constructor(scope: Construct, id: string, props: BulkImportProps) {
    super(scope, id);
    this.bucket = new Bucket(this, 'Imports', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
    });
    this.uploads = new Topic(this, 'Uploads', { displayName: 'Import uploads', enforceSSL: true });
    this.bucket.addEventNotification(EventType.OBJECT_CREATED, new SnsDestination(this.uploads));

    this.importQueue = new QueueWithDlq(this, 'Import', {
      visibilityTimeout: IMPORT_TIMEOUT.plus(Duration.minutes(1)),
    });
    this.auditQueue = new QueueWithDlq(this, 'Audit', { visibilityTimeout: Duration.seconds(90) });
    this.uploads.addSubscription(new SqsSubscription(this.importQueue.queue));
    this.uploads.addSubscription(new SqsSubscription(this.auditQueue.queue));

    this.importFile = new ObservedFunction(this, 'ImportFile', {
      handler: 'import-file',
      description: 'Streams an uploaded CSV or JSON Lines file into feedback-queue',
      timeout: IMPORT_TIMEOUT,
      memorySize: 512,
      environment: { FEEDBACK_QUEUE_URL: props.feedbackQueue.queueUrl },
    });
    // One file per invocation: a large file can use the whole timeout.
    this.importFile.fn.addEventSource(
      new SqsEventSource(this.importQueue.queue, { batchSize: 1, reportBatchItemFailures: true }),
    );
    grantGetObjects(this.bucket, this.importFile.fn, Stack.of(this));
    props.feedbackQueue.grantSendMessages(this.importFile.fn);

    this.uploadsTable = new Table(this, 'UploadsTable', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });
    this.auditUpload = new ObservedFunction(this, 'AuditUpload', {
      handler: 'audit-upload',
      description: 'Records every upload to the imports bucket',
      environment: { UPLOADS_TABLE_NAME: this.uploadsTable.tableName },
    });
    this.auditUpload.fn.addEventSource(
      new SqsEventSource(this.auditQueue.queue, { batchSize: 10, reportBatchItemFailures: true }),
    );
    grantTable(this.uploadsTable, this.auditUpload.fn, ['PutItem']);
  }
}
