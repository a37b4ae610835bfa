import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { FeedbackEventPublisher } from '../adapters/event-publisher.js';
import { FeedbackRepository } from '../adapters/feedback-repository.js';
import { needsAlert, newItem } from '../domain/feedback.js';
import { queuedFeedbackSchema } from '../domain/schema.js';
import { instrument, lazy, logger, metrics, requireEnv, tracer } from '../shared/powertools.js';

export interface StoreDeps {
  repo: Pick<FeedbackRepository, 'create' | 'get' | 'markNotified'>;
  events: Pick<FeedbackEventPublisher, 'publishNegative'>;
  now: () => Date;
}

export function makeHandler(deps: StoreDeps) {
  const processor = new BatchProcessor(EventType.SQS);

  const storeOne = async (record: SQSRecord): Promise<void> => {
    try {
      const queued = queuedFeedbackSchema.parse(JSON.parse(record.body));
      const item = newItem(queued);
      const outcome = await deps.repo.create(item);
      if (outcome === 'duplicate') {
        logger.info('Feedback already stored', { feedbackId: item.id, messageId: record.messageId });
        metrics.addMetric('FeedbackDuplicate', MetricUnit.Count, 1);
      } else {
        logger.info('Feedback stored', { feedbackId: item.id, messageId: record.messageId });
        metrics.addMetric('FeedbackStored', MetricUnit.Count, 1);
      }
      // On a redelivery the alert may not have gone out yet (the publish failed last time): check the item.
      const stored = outcome === 'created' ? item : await deps.repo.get(item.id);
      if (stored && needsAlert(stored)) {
        await deps.events.publishNegative(stored);
        await deps.repo.markNotified(stored.id, deps.now().toISOString());
        metrics.addMetric('NegativeFeedbackPublished', MetricUnit.Count, 1);
      }
    } catch (error) {
      logger.error('Could not store feedback', { messageId: record.messageId, error: error as Error });
      throw error;
    }
  };

  return instrument(
    'store-feedback',
    (event: SQSEvent, context): Promise<SQSBatchResponse> =>
      processPartialResponse(event, storeOne, processor, { context }),
  );
}

const production = lazy(() => {
  const doc = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return makeHandler({
    repo: new FeedbackRepository(doc, requireEnv('FEEDBACK_TABLE_NAME')),
    events: new FeedbackEventPublisher(
      tracer.captureAWSv3Client(new SNSClient({})),
      requireEnv('FEEDBACK_EVENTS_TOPIC_ARN'),
    ),
    now: () => new Date(),
  });
});

export const handler: ReturnType<typeof makeHandler> = (event, context) => production()(event, context);
