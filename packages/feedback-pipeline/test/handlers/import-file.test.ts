import { describe, expect, it } from 'vitest';
import { importRowId } from '../../src/domain/import-rows.js';
import { makeHandler } from '../../src/handlers/import-file.js';
import { lambdaContext, snsEnvelope, snsWrappedS3Body, sqsEvent } from '../factories.js';
import { FakeObjects, FakeQueue } from '../fakes.js';

function setup() {
  const objects = new FakeObjects();
  const queue = new FakeQueue();
  const handler = makeHandler({ objects, queue });
  return { objects, queue, run: (...bodies: string[]) => handler(sqsEvent(...bodies), lambdaContext()) };
}

describe('import-file', () => {
  it('streams a CSV upload into feedback-queue in batches of ten, skipping bad rows', async () => {
    const { objects, queue, run } = setup();
    const rows = Array.from({ length: 23 }, (_, i) => `${(i % 5) + 1},"Row ${i}, quoted",,tag${i}`);
    rows.splice(4, 0, '7,too high,,');
    objects.put('imports-bucket', 'in/big file.csv', ['rating,message,email,tags', ...rows].join('\r\n'));

    expect(await run(snsWrappedS3Body({ key: 'in/big+file.csv', etag: 'e1' }))).toEqual({ batchItemFailures: [] });
    expect(queue.batches.map((b) => b.length)).toEqual([10, 10, 3]);
    const bodies = queue.bodies();
    expect(bodies[0]).toEqual({
      id: importRowId('imports-bucket', 'in/big file.csv', 'e1', 2),
      submittedAt: '2026-11-23T08:00:00.000Z',
      rating: 1,
      message: 'Row 0, quoted',
      tags: ['tag0'],
      source: 'import',
    });
    expect(bodies.some((b) => b.rating === 7)).toBe(false);
    expect(queue.batches[0]?.[0]?.attributes).toEqual({ feedbackId: bodies[0]?.id });
  });

  it('imports JSON Lines uploads', async () => {
    const { objects, queue, run } = setup();
    objects.put(
      'imports-bucket',
      'a.jsonl',
      '{"rating":5,"message":"one","source":"mobile"}\n{"rating":2,"message":"two"}\n',
    );
    await run(snsWrappedS3Body({ key: 'a.jsonl' }));
    expect(queue.bodies().map((b) => [b.message, b.source])).toEqual([
      ['one', 'mobile'],
      ['two', 'import'],
    ]);
  });

  it('gives the same ids when the same upload is processed twice', async () => {
    const { objects, queue, run } = setup();
    objects.put('imports-bucket', 'a.jsonl', '{"rating":5,"message":"one"}');
    await run(snsWrappedS3Body({ key: 'a.jsonl' }));
    await run(snsWrappedS3Body({ key: 'a.jsonl' }));
    const [first, second] = queue.bodies();
    expect(first?.id).toBe(second?.id);
  });

  it('fails the message when rows cannot be enqueued after retries, so the file is retried', async () => {
    const { objects, queue, run } = setup();
    objects.put('imports-bucket', 'a.jsonl', '{"rating":5,"message":"one"}');
    objects.put('imports-bucket', 'b.jsonl', '{"rating":4,"message":"two"}');
    queue.failNext = [{ id: 'line-1', code: 'InternalError', message: 'boom' }];
    const res = await run(snsWrappedS3Body({ key: 'a.jsonl' }), snsWrappedS3Body({ key: 'b.jsonl' }));
    expect(res.batchItemFailures).toHaveLength(1);
  });

  it('skips unsupported files and S3 test events without reading them', async () => {
    const { objects, queue, run } = setup();
    objects.put('imports-bucket', 'photo.png', 'binary');
    const testEvent = snsEnvelope(JSON.stringify({ Event: 's3:TestEvent' }));
    expect(await run(snsWrappedS3Body({ key: 'photo.png' }), testEvent)).toEqual({ batchItemFailures: [] });
    expect(objects.opened).toEqual([]);
    expect(queue.batches).toEqual([]);
  });
});
