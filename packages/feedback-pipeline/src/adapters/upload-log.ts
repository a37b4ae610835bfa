import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { S3ObjectRef } from '../domain/s3-events.js';

export class UploadLog {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * One item per upload event, keyed by object and event (time + S3 sequencer), so a redelivered
   * notification overwrites its own item instead of adding one.
   */
  async record(ref: S3ObjectRef, recordedAt: string): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          pk: `${ref.bucket}/${ref.key}`,
          sk: `${ref.eventTime}#${ref.sequencer}`,
          bucket: ref.bucket,
          key: ref.key,
          size: ref.size,
          etag: ref.etag,
          eventName: ref.eventName,
          eventTime: ref.eventTime,
          recordedAt,
        },
      }),
    );
  }
}
