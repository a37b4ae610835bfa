import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { FeedbackRepository } from '../adapters/feedback-repository.js';
import { fieldErrors } from '../domain/errors.js';
import { applyUpdate, etagOf, parseIfMatch, toPublic } from '../domain/feedback.js';
import { decodeToken, encodeToken, timeRange } from '../domain/paging.js';
import { listQuerySchema, updateSchema } from '../domain/schema.js';
import { bodyBytes, type HttpResult, invalid, json, noContent, notFound, parseJson } from '../shared/http.js';
import { instrument, lazy, logger, metrics, requireEnv, tracer } from '../shared/powertools.js';

export interface ApiDeps {
  repo: Pick<FeedbackRepository, 'get' | 'list' | 'update' | 'delete'>;
  now: () => Date;
}

type Route = (event: APIGatewayProxyEventV2, deps: ApiDeps, id: string) => Promise<HttpResult>;

const routes: Record<string, Route> = {
  'GET /feedback': listFeedback,
  'GET /feedback/{id}': getFeedback,
  'PUT /feedback/{id}': updateFeedback,
  'DELETE /feedback/{id}': deleteFeedback,
};

export function makeHandler(deps: ApiDeps) {
  return instrument('feedback-api', async (event: APIGatewayProxyEventV2): Promise<HttpResult> => {
    const route = routes[event.routeKey];
    if (!route) return json(404, { message: `No route for ${event.routeKey}` });
    const result = await route(event, deps, event.pathParameters?.id ?? '');
    metrics.addMetric(`Api${result.statusCode ?? 200}`, MetricUnit.Count, 1);
    return result;
  });
}

async function listFeedback(event: APIGatewayProxyEventV2, deps: ApiDeps): Promise<HttpResult> {
  const query = listQuerySchema.safeParse(event.queryStringParameters ?? {});
  if (!query.success) return invalid('Invalid query', fieldErrors(query.error, 'query'));
  const { limit, nextToken, status, from, to } = query.data;
  const startKey = nextToken === undefined ? undefined : decodeToken(nextToken);
  if (nextToken !== undefined && !startKey) return invalid('Invalid query', { nextToken: ['Invalid paging token'] });
  const range = timeRange(from, to);
  if ('error' in range) return invalid('Invalid query', { from: [range.error] });
  const page = await deps.repo.list({ status, ...range, limit, startKey });
  const token = encodeToken(page.lastKey);
  return json(200, { items: page.items.map(toPublic), ...(token && { nextToken: token }) });
}

async function getFeedback(_event: APIGatewayProxyEventV2, deps: ApiDeps, id: string): Promise<HttpResult> {
  const item = await deps.repo.get(id);
  if (!item) return notFound();
  return json(200, toPublic(item), { etag: etagOf(item) });
}

/**
 * 409 covers both conflicts: an If-Match version that is not the stored one (optimistic concurrency) and a
 * status change the workflow does not allow. A write that loses a race with another one is also a 409.
 */
async function updateFeedback(event: APIGatewayProxyEventV2, deps: ApiDeps, id: string): Promise<HttpResult> {
  const body = parseJson(bodyBytes(event));
  if (!body) return invalid('Invalid update', { body: ['Body must be a JSON object'] });
  const update = updateSchema.safeParse(body.value);
  if (!update.success) return invalid('Invalid update', fieldErrors(update.error));
  const expected = parseIfMatch(event.headers?.['if-match']);
  if (expected === 'invalid') return invalid('Invalid update', { 'if-match': ['If-Match must be a version ETag'] });

  const current = await deps.repo.get(id);
  if (!current) return notFound();
  const outcome = applyUpdate(current, update.data, deps.now().toISOString(), expected);
  if (outcome.kind === 'conflict') return json(409, { message: outcome.reason });
  const written = await deps.repo.update(outcome.item, current.version);
  if (written === 'conflict') {
    // The condition failed: the item was deleted or changed between our read and write.
    if (!(await deps.repo.get(id))) return notFound();
    return json(409, { message: 'Feedback was modified concurrently; retry with the latest version' });
  }
  logger.info('Feedback updated', { feedbackId: id, status: outcome.item.status, version: outcome.item.version });
  return json(200, toPublic(outcome.item), { etag: etagOf(outcome.item) });
}

async function deleteFeedback(_event: APIGatewayProxyEventV2, deps: ApiDeps, id: string): Promise<HttpResult> {
  const outcome = await deps.repo.delete(id);
  if (outcome === 'missing') return notFound();
  logger.info('Feedback deleted', { feedbackId: id });
  return noContent();
}

const production = lazy(() => {
  const doc = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return makeHandler({ repo: new FeedbackRepository(doc, requireEnv('FEEDBACK_TABLE_NAME')), now: () => new Date() });
});

export const handler: ReturnType<typeof makeHandler> = (event, context) => production()(event, context);
