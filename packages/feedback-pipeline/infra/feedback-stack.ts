import { CfnOutput, CfnParameter, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Alerts } from './constructs/alerts.js';
import { BulkImport } from './constructs/bulk-import.js';
import { FeedbackApi } from './constructs/feedback-api.js';
import { FeedbackStorage } from './constructs/feedback-storage.js';
import { QueueCanary } from './constructs/queue-canary.js';
import { suppressStackFindings } from './nag-suppressions.js';

const EMAIL_PATTERN = '^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$';

export class FeedbackStack extends Stack {
  readonly storage: FeedbackStorage;
  readonly api: FeedbackApi;
  readonly imports: BulkImport;
  readonly alerts: Alerts;
  readonly canary: QueueCanary;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    const supportEmail = new CfnParameter(this, 'SupportEmail', {
      description: 'Receives negative feedback (rating 1 or 2) by email',
      default: 'support@example.com',
      allowedPattern: EMAIL_PATTERN,
    });
    const opsEmail = new CfnParameter(this, 'OpsEmail', {
      description: 'Receives dead-letter alarms by email',
      default: 'ops@example.com',
      allowedPattern: EMAIL_PATTERN,
    });
    const opsPhone = new CfnParameter(this, 'OpsPhone', {
      description: 'Optional E.164 phone number (+15551234567) for dead-letter alarms by SMS; empty for none',
      default: '',
      allowedPattern: '^(\\+[1-9][0-9]{6,14})?$',
    });

    this.storage = new FeedbackStorage(this, 'Storage', { supportEmail: supportEmail.valueAsString });
    this.api = new FeedbackApi(this, 'Api', {
      table: this.storage.table,
      feedbackQueue: this.storage.intake.queue,
    });
    this.imports = new BulkImport(this, 'BulkImport', { feedbackQueue: this.storage.intake.queue });
    this.alerts = new Alerts(this, 'Alerts', { opsEmail: opsEmail.valueAsString, opsPhone: opsPhone.valueAsString });
    this.alerts.alarmOnDeadLetters(
      'FeedbackDlqAlarm',
      this.storage.intake.dlq,
      'Feedback could not be stored after 3 attempts and is waiting in feedback-dlq',
    );
    this.canary = new QueueCanary(this, 'Canary');

    this.#outputs();
    suppressStackFindings(this);
  }

  #outputs(): void {
    const outputs: Record<string, [string, string]> = {
      ApiUrl: [this.api.url, 'Base URL of the HTTP API ($default stage): {ApiUrl}/feedback'],
      FeedbackTableName: [this.storage.table.tableName, 'DynamoDB table of stored feedback'],
      FeedbackQueueUrl: [this.storage.intake.queue.queueUrl, 'feedback-queue'],
      FeedbackDlqUrl: [this.storage.intake.dlq.queueUrl, 'feedback-dlq (alarmed)'],
      FeedbackEventsTopicArn: [this.storage.events.topicArn, 'Negative feedback notifications'],
      ImportsBucketName: [this.imports.bucket.bucketName, 'Upload CSV or JSON Lines files here'],
      UploadsTableName: [this.imports.uploadsTable.tableName, 'Audit log of uploads'],
      ImportDlqUrl: [this.imports.importQueue.dlq.queueUrl, 'import-queue dead-letter queue'],
      OpsAlertsTopicArn: [this.alerts.topic.topicArn, 'Operational alarms'],
      CanaryQueueUrl: [this.canary.queue.queueUrl, 'canary-queue'],
      QueueCanaryFunctionName: [this.canary.canary.fn.functionName, 'Invoke by hand to run the canary'],
      StoreFeedbackFunctionName: [this.storage.store.fn.functionName, 'store-feedback'],
      ImportFileFunctionName: [this.imports.importFile.fn.functionName, 'import-file'],
    };
    for (const [id, [value, description]] of Object.entries(outputs)) new CfnOutput(this, id, { value, description });
  }
}
