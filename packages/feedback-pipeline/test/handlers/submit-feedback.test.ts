import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, makeHandler } from '../../src/handlers/submit-feedback.js';
import { httpEvent, lambdaContext } from '../factories.js';
import { FakeQueue } from '../fakes.js';

const ID = '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f';

function setup() {
  const queue = new FakeQueue();
  const handler = makeHandler({ queue, newId: () => ID, now: () => new Date('2026-11-23T08:00:00.000Z') });
  const post = (options: Parameters<typeof httpEvent>[1]) =>
    handler(httpEvent('POST /feedback', options), lambdaContext());
  return { queue, post };
}

describe('submit-feedback', () => {
  it('queues valid feedback with the generated id and answers 202 {id}', async () => {
    const { queue, post } = setup();
    const res = await post({ body: { rating: 4, message: 'Nice', email: 'a@b.co', tags: ['ux'] } });
    expect(res.statusCode).toBe(202);
    expect(JSON.parse(res.body!)).toEqual({ id: ID });
    expect(queue.sent).toHaveLength(1);
    expect(queue.sent[0]?.attributes).toEqual({ feedbackId: ID });
    expect(JSON.parse(queue.sent[0]!.body)).toEqual({
      id: ID,
      submittedAt: '2026-11-23T08:00:00.000Z',
      rating: 4,
      message: 'Nice',
      email: 'a@b.co',
      tags: ['ux'],
      source: 'web',
    });
  });

  it('decodes base64 bodies', async () => {
    const { post } = setup();
    const rawBody = Buffer.from(JSON.stringify({ rating: 5, message: 'ok' })).toString('base64');
    expect((await post({ rawBody, isBase64Encoded: true })).statusCode).toBe(202);
  });

  it('answers 400 with errors per field and queues nothing', async () => {
    const { queue, post } = setup();
    const res = await post({ body: { rating: 0, email: 'x' } });
    expect(res.statusCode).toBe(400);
    const body = JSON.parse(res.body!);
    expect(body.message).toBe('Invalid feedback');
    expect(Object.keys(body.errors).sort()).toEqual(['email', 'message', 'rating']);
    expect(queue.sent).toHaveLength(0);
  });

  it('answers 400 for a missing or non-JSON body', async () => {
    const { post } = setup();
    expect((await post({})).statusCode).toBe(400);
    const res = await post({ rawBody: '{not json' });
    expect(res.statusCode).toBe(400);
    expect(JSON.parse(res.body!).errors).toEqual({ body: ['Body must be a JSON object'] });
  });

  it('answers 413 for bodies over the limit, counting bytes not characters', async () => {
    const { queue, post } = setup();
    const message = 'é'.repeat(MAX_BODY_BYTES / 2);
    const res = await post({ body: { rating: 5, message } });
    expect(res.statusCode).toBe(413);
    expect(queue.sent).toHaveLength(0);
  });
});
