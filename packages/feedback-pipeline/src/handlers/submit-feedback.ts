import { randomUUID } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { QueueSender } from '../adapters/queue-sender.js';
import { fieldErrors } from '../domain/errors.js';
import { type QueuedFeedback, submitSchema } from '../domain/schema.js';
import { bodyBytes, type HttpResult, invalid, json, parseJson } from '../shared/http.js';
import { instrument, lazy, logger, metrics, requireEnv, tracer } from '../shared/powertools.js';

export const MAX_BODY_BYTES = 10 * 1024;

export interface SubmitDeps {
  queue: Pick<QueueSender, 'send'>;
  newId: () => string;
  now: () => Date;
}

export function makeHandler(deps: SubmitDeps) {
  return instrument('submit-feedback', async (event: APIGatewayProxyEventV2): Promise<HttpResult> => {
    const raw = bodyBytes(event);
    if (raw.length > MAX_BODY_BYTES) {
      metrics.addMetric('FeedbackRejected', MetricUnit.Count, 1);
      return json(413, { message: `Body must be at most ${MAX_BODY_BYTES} bytes` });
    }
    const body = parseJson(raw);
    if (!body) {
      metrics.addMetric('FeedbackRejected', MetricUnit.Count, 1);
      return invalid('Invalid feedback', { body: ['Body must be a JSON object'] });
    }
    const parsed = submitSchema.safeParse(body.value);
    if (!parsed.success) {
      metrics.addMetric('FeedbackRejected', MetricUnit.Count, 1);
      return invalid('Invalid feedback', fieldErrors(parsed.error));
    }
    const queued: QueuedFeedback = { ...parsed.data, id: deps.newId(), submittedAt: deps.now().toISOString() };
    const messageId = await deps.queue.send(JSON.stringify(queued), { feedbackId: queued.id });
    logger.info('Feedback accepted', { feedbackId: queued.id, messageId, rating: queued.rating });
    metrics.addMetric('FeedbackAccepted', MetricUnit.Count, 1);
    return json(202, { id: queued.id });
  });
}

const production = lazy(() =>
  makeHandler({
    queue: new QueueSender(tracer.captureAWSv3Client(new SQSClient({})), requireEnv('FEEDBACK_QUEUE_URL')),
    newId: randomUUID,
    now: () => new Date(),
  }),
);

export const handler: ReturnType<typeof makeHandler> = (event, context) => production()(event, context);
