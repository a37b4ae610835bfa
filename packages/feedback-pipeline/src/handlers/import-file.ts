import { createInterface } from 'node:readline';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { ObjectSource } from '../adapters/object-source.js';
import { type OutgoingMessage, QueueSender } from '../adapters/queue-sender.js';
import { formatFromKey, ImportRowParser, importRowId, type RowResult } from '../domain/import-rows.js';
import { objectsFromSnsMessage, type S3ObjectRef } from '../domain/s3-events.js';
import type { QueuedFeedback } from '../domain/schema.js';
import { instrument, lazy, logger, metrics, requireEnv, tracer } from '../shared/powertools.js';

export interface ImportDeps {
  objects: Pick<ObjectSource, 'open'>;
  queue: Pick<QueueSender, 'sendBatch'>;
  /** Bad rows logged one by one per file; the rest are only counted. */
  maxLoggedRejects?: number;
}

export interface ImportSummary {
  bucket: string;
  key: string;
  format: string;
  lines: number;
  enqueued: number;
  rejected: number;
}

const BATCH = 10;

export function makeHandler(deps: ImportDeps) {
  const processor = new BatchProcessor(EventType.SQS);
  const onRecord = async (record: SQSRecord): Promise<void> => {
    for (const ref of objectsFromSnsMessage(record.body)) await importObject(ref, deps);
  };
  return instrument(
    'import-file',
    (event: SQSEvent, context): Promise<SQSBatchResponse> =>
      processPartialResponse(event, onRecord, processor, { context }),
  );
}

export async function importObject(ref: S3ObjectRef, deps: ImportDeps): Promise<ImportSummary | undefined> {
  const format = formatFromKey(ref.key);
  if (!format) {
    logger.warn('Skipped upload: not .csv, .jsonl, .ndjson or .json', { bucket: ref.bucket, key: ref.key });
    metrics.addMetric('ImportFilesSkipped', MetricUnit.Count, 1);
    return undefined;
  }
  const summary: ImportSummary = { bucket: ref.bucket, key: ref.key, format, lines: 0, enqueued: 0, rejected: 0 };
  const maxLogged = deps.maxLoggedRejects ?? 100;
  const parser = new ImportRowParser(format);
  let batch: OutgoingMessage[] = [];

  const flush = async () => {
    if (batch.length === 0) return;
    const { failed } = await deps.queue.sendBatch(batch);
    // Row ids are deterministic, so failing the whole file for a retry cannot duplicate stored feedback.
    if (failed.length > 0)
      throw new Error(`Could not enqueue ${failed.length} rows: ${failed[0]?.code} ${failed[0]?.message}`);
    summary.enqueued += batch.length;
    batch = [];
  };
  const onRow = async (row: RowResult) => {
    if (!row.ok) {
      summary.rejected++;
      if (summary.rejected <= maxLogged)
        logger.warn('Rejected import row', { key: ref.key, line: row.line, errors: row.errors });
      return;
    }
    const queued: QueuedFeedback = {
      ...row.value,
      id: importRowId(ref.bucket, ref.key, ref.etag, row.line),
      submittedAt: ref.eventTime,
    };
    batch.push({ id: `line-${row.line}`, body: JSON.stringify(queued), attributes: { feedbackId: queued.id } });
    if (batch.length === BATCH) await flush();
  };

  const input = await deps.objects.open(ref.bucket, ref.key);
  const lines = createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    summary.lines++;
    const row = parser.push(line, summary.lines);
    if (row) await onRow(row);
  }
  const last = parser.end();
  if (last) await onRow(last);
  await flush();

  logger.info('Import finished', { ...summary });
  metrics.addMetric('ImportFilesProcessed', MetricUnit.Count, 1);
  metrics.addMetric('ImportRowsEnqueued', MetricUnit.Count, summary.enqueued);
  metrics.addMetric('ImportRowsRejected', MetricUnit.Count, summary.rejected);
  return summary;
}

const production = lazy(() =>
  makeHandler({
    objects: new ObjectSource(tracer.captureAWSv3Client(new S3Client({}))),
    queue: new QueueSender(tracer.captureAWSv3Client(new SQSClient({})), requireEnv('FEEDBACK_QUEUE_URL')),
  }),
);

export const handler: ReturnType<typeof makeHandler> = (event, context) => production()(event, context);
