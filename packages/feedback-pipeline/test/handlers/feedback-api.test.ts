import { beforeEach, describe, expect, it } from 'vitest';
import { newItem } from '../../src/domain/feedback.js';
import { encodeToken } from '../../src/domain/paging.js';
import { makeHandler } from '../../src/handlers/feedback-api.js';
import { httpEvent, lambdaContext } from '../factories.js';
import { InMemoryFeedbackRepo } from '../fakes.js';

function id(n: number) {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/** The fields the tests read from any of the API's JSON answers. */
interface Body {
  items: { id: string }[];
  nextToken?: string;
  message: string;
  errors: Record<string, string[]>;
  id: string;
  status: string;
  tags: string[];
  version: number;
}

let repo: InMemoryFeedbackRepo;
let call: (
  routeKey: string,
  options?: Parameters<typeof httpEvent>[1],
) => Promise<{ status: number; body: Body; headers: Record<string, unknown> | undefined }>;

beforeEach(() => {
  repo = new InMemoryFeedbackRepo();
  const handler = makeHandler({ repo, now: () => new Date('2026-11-23T12:00:00.000Z') });
  call = async (routeKey, options) => {
    const res = await handler(httpEvent(routeKey, options), lambdaContext());
    return { status: res.statusCode ?? 200, body: res.body ? JSON.parse(res.body) : {}, headers: res.headers };
  };
  for (let n = 1; n <= 5; n++) {
    const item = newItem({
      id: id(n),
      submittedAt: `2026-11-0${n}T10:00:00.000Z`,
      rating: n,
      message: `m${n}`,
      source: 'web',
    });
    repo.items.set(item.pk, n % 2 === 0 ? { ...item, status: 'resolved' } : item);
  }
});

describe('GET /feedback', () => {
  it('pages newest first with an opaque nextToken', async () => {
    const first = await call('GET /feedback', { query: { limit: '2' } });
    expect(first.status).toBe(200);
    expect(first.body.items.map((i) => i.id)).toEqual([id(5), id(4)]);
    expect(first.body.items[0]).not.toHaveProperty('pk');
    const second = await call('GET /feedback', { query: { limit: '2', nextToken: first.body.nextToken! } });
    expect(second.body.items.map((i) => i.id)).toEqual([id(3), id(2)]);
    const third = await call('GET /feedback', { query: { limit: '2', nextToken: second.body.nextToken! } });
    expect(third.body).toEqual({ items: [expect.objectContaining({ id: id(1) })] });
  });

  it('filters by status and by date range', async () => {
    const resolved = await call('GET /feedback', { query: { status: 'resolved' } });
    expect(resolved.body.items.map((i) => i.id)).toEqual([id(4), id(2)]);
    const range = await call('GET /feedback', { query: { from: '2026-11-02', to: '2026-11-03' } });
    expect(range.body.items.map((i) => i.id)).toEqual([id(3), id(2)]);
  });

  it('answers 400 for bad limits, statuses, dates and tokens', async () => {
    expect((await call('GET /feedback', { query: { limit: '101' } })).body.errors).toHaveProperty('limit');
    expect((await call('GET /feedback', { query: { status: 'open' } })).status).toBe(400);
    expect((await call('GET /feedback', { query: { from: '2026-11-05', to: '2026-11-01' } })).status).toBe(400);
    const bad = await call('GET /feedback', { query: { nextToken: encodeToken({ evil: 'x' })! } });
    expect(bad).toMatchObject({ status: 400, body: { errors: { nextToken: ['Invalid paging token'] } } });
  });
});

describe('GET /feedback/{id}', () => {
  it('returns the item with its version as ETag, or 404', async () => {
    const found = await call('GET /feedback/{id}', { id: id(1) });
    expect(found).toMatchObject({ status: 200, body: { id: id(1), rating: 1 }, headers: { etag: '"1"' } });
    expect((await call('GET /feedback/{id}', { id: id(9) })).status).toBe(404);
  });
});

describe('PUT /feedback/{id}', () => {
  it('updates status and tags and returns the new version', async () => {
    const res = await call('PUT /feedback/{id}', { id: id(1), body: { status: 'in-progress', tags: ['triage'] } });
    expect(res).toMatchObject({ status: 200, body: { status: 'in-progress', tags: ['triage'], version: 2 } });
    expect(res.headers?.etag).toBe('"2"');
    expect(repo.items.get(id(1))).toMatchObject({ status: 'in-progress', updatedAt: '2026-11-23T12:00:00.000Z' });
  });

  it('answers 400 for other fields or bad values, 404 when missing', async () => {
    expect((await call('PUT /feedback/{id}', { id: id(1), body: { rating: 5 } })).status).toBe(400);
    expect((await call('PUT /feedback/{id}', { id: id(1), body: { status: 'closed' } })).body.errors).toHaveProperty(
      'status',
    );
    expect((await call('PUT /feedback/{id}', { id: id(1), rawBody: 'nope' })).status).toBe(400);
    expect((await call('PUT /feedback/{id}', { id: id(9), body: { status: 'resolved' } })).status).toBe(404);
  });

  it('answers 409 for a disallowed transition', async () => {
    const res = await call('PUT /feedback/{id}', { id: id(2), body: { status: 'new' } });
    expect(res).toMatchObject({ status: 409, body: { message: 'Cannot change status from resolved to new' } });
  });

  it('answers 409 when If-Match names an old version, and applies a current one', async () => {
    await call('PUT /feedback/{id}', { id: id(1), body: { tags: ['a'] } });
    const stale = await call('PUT /feedback/{id}', {
      id: id(1),
      body: { tags: ['b'] },
      headers: { 'if-match': '"1"' },
    });
    expect(stale.status).toBe(409);
    const fresh = await call('PUT /feedback/{id}', {
      id: id(1),
      body: { tags: ['b'] },
      headers: { 'if-match': '"2"' },
    });
    expect(fresh).toMatchObject({ status: 200, body: { tags: ['b'], version: 3 } });
    expect(
      (await call('PUT /feedback/{id}', { id: id(1), body: { tags: [] }, headers: { 'if-match': 'x' } })).status,
    ).toBe(400);
  });

  it('answers 409 when another writer wins between read and write', async () => {
    const racing = makeHandler({
      repo: Object.assign(Object.create(repo), { update: async () => 'conflict' as const, get: repo.get.bind(repo) }),
      now: () => new Date(),
    });
    const res = await racing(httpEvent('PUT /feedback/{id}', { id: id(1), body: { tags: ['x'] } }), lambdaContext());
    expect(res.statusCode).toBe(409);
  });
});

describe('DELETE /feedback/{id}', () => {
  it('answers 204, then 404', async () => {
    expect((await call('DELETE /feedback/{id}', { id: id(3) })).status).toBe(204);
    expect(repo.items.has(id(3))).toBe(false);
    expect((await call('DELETE /feedback/{id}', { id: id(3) })).status).toBe(404);
  });
});

it('answers 404 for a route it does not serve', async () => {
  expect((await call('PATCH /feedback/{id}', { id: id(1) })).status).toBe(404);
});
