import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { UploadLog } from '../adapters/upload-log.js';
import { objectsFromSnsMessage } from '../domain/s3-events.js';
import { instrument, lazy, logger, metrics, requireEnv, tracer } from '../shared/powertools.js';

export interface AuditDeps {
  uploads: Pick<UploadLog, 'record'>;
  now: () => Date;
}

export function makeHandler(deps: AuditDeps) {
  const processor = new BatchProcessor(EventType.SQS);
  const onRecord = async (record: SQSRecord): Promise<void> => {
    for (const ref of objectsFromSnsMessage(record.body)) {
      await deps.uploads.record(ref, deps.now().toISOString());
      logger.info('Upload recorded', { bucket: ref.bucket, key: ref.key, size: ref.size, etag: ref.etag });
      metrics.addMetric('UploadsRecorded', MetricUnit.Count, 1);
    }
  };
  return instrument(
    'audit-upload',
    (event: SQSEvent, context): Promise<SQSBatchResponse> =>
      processPartialResponse(event, onRecord, processor, { context }),
  );
}

const production = lazy(() => {
  const doc = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})));
  return makeHandler({ uploads: new UploadLog(doc, requireEnv('UPLOADS_TABLE_NAME')), now: () => new Date() });
});

export const handler: ReturnType<typeof makeHandler> = (event, context) => production()(event, context);
