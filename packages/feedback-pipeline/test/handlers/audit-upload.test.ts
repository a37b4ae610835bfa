import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../src/handlers/audit-upload.js';
import { lambdaContext, snsWrappedS3Body, sqsEvent } from '../factories.js';
import { FakeUploadLog } from '../fakes.js';

describe('audit-upload', () => {
  it('records bucket, key, size, etag and time of every created object', async () => {
    const uploads = new FakeUploadLog();
    const handler = makeHandler({ uploads, now: () => new Date('2026-11-23T08:00:01.000Z') });
    const body = snsWrappedS3Body({ key: 'x%2By.csv', size: 10, etag: 'e1' }, { key: 'z.csv', size: 20, etag: 'e2' });
    expect(await handler(sqsEvent(body), lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(uploads.records.map((r) => [r.ref.key, r.ref.size, r.ref.etag, r.recordedAt])).toEqual([
      ['x+y.csv', 10, 'e1', '2026-11-23T08:00:01.000Z'],
      ['z.csv', 20, 'e2', '2026-11-23T08:00:01.000Z'],
    ]);
  });

  it('fails messages that are not S3 notifications', async () => {
    const handler = makeHandler({ uploads: new FakeUploadLog(), now: () => new Date() });
    const res = await handler(sqsEvent(snsWrappedS3Body({ key: 'ok.csv' }), 'garbage'), lambdaContext());
    expect(res).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
  });
});
