import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../src/handlers/store-feedback.js';
import { lambdaContext, sqsEvent } from '../factories.js';
import { FakePublisher, InMemoryFeedbackRepo } from '../fakes.js';

function message(id: string, rating: number) {
  return JSON.stringify({ id, submittedAt: '2026-11-23T08:00:00.000Z', rating, message: `m${rating}`, source: 'web' });
}

const A = '0a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d';
const B = '1a1b2c3d-4e5f-4a6b-8c7d-8e9f0a1b2c3d';

function setup() {
  const repo = new InMemoryFeedbackRepo();
  const events = new FakePublisher();
  const handler = makeHandler({ repo, events, now: () => new Date('2026-11-23T08:00:05.000Z') });
  return { repo, events, run: (...bodies: string[]) => handler(sqsEvent(...bodies), lambdaContext()) };
}

describe('store-feedback', () => {
  it('stores each message as a new item and reports no failures', async () => {
    const { repo, run } = setup();
    expect(await run(message(A, 5), message(B, 4))).toEqual({ batchItemFailures: [] });
    expect(repo.items.get(A)).toMatchObject({ id: A, status: 'new', rating: 5, createdAt: '2026-11-23T08:00:00.000Z' });
    expect(repo.items.size).toBe(2);
  });

  it('treats a redelivered message as success without a second item', async () => {
    const { repo, run } = setup();
    await run(message(A, 5));
    expect(await run(message(A, 5))).toEqual({ batchItemFailures: [] });
    expect(repo.items.size).toBe(1);
  });

  it('publishes negative feedback once and marks it notified', async () => {
    const { repo, events, run } = setup();
    await run(message(A, 2), message(B, 3));
    await run(message(A, 2));
    expect(events.published.map((i) => i.id)).toEqual([A]);
    expect(repo.items.get(A)?.notifiedAt).toBe('2026-11-23T08:00:05.000Z');
  });

  it('retries the alert on redelivery when the publish failed after the item was stored', async () => {
    const { events, run } = setup();
    events.failures = 1;
    expect(await run(message(A, 1), message(B, 5))).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
    expect(await run(message(A, 1))).toEqual({ batchItemFailures: [] });
    expect(events.published.map((i) => i.id)).toEqual([A]);
  });

  it('throws when every message of the batch fails, so Lambda retries the whole batch', async () => {
    const { run } = setup();
    await expect(run('not json')).rejects.toThrow('All records failed processing');
  });

  it('reports only the failing messages of a batch', async () => {
    const { repo, run } = setup();
    const res = await run(message(A, 5), '{"rating":5}', message(B, 5));
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
    expect([...repo.items.keys()].sort()).toEqual([A, B]);
  });

  it('fails the message when DynamoDB fails, so SQS redelivers it', async () => {
    const { repo, run } = setup();
    repo.failCreates = 1;
    expect(await run(message(A, 5), message(B, 5))).toEqual({ batchItemFailures: [{ itemIdentifier: 'm1' }] });
  });
});
