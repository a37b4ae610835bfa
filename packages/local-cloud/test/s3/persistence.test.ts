import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalCloud } from '../../src/index.js';
import { s3Client } from './s3-helpers.js';

describe('S3 on disk', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 's3-disk-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps buckets and objects across restarts', async () => {
    const first = await startLocalCloud({ clock: 'manual', persistence: 'disk', dataDir });
    const s3 = s3Client(first);
    await s3.send(new CreateBucketCommand({ Bucket: 'kept' }));
    await s3.send(new PutObjectCommand({ Bucket: 'kept', Key: 'a/b', Body: 'persisted', Metadata: { x: 'y' } }));
    await first.stop();

    const second = await startLocalCloud({ clock: 'manual', persistence: 'disk', dataDir });
    const again = s3Client(second);
    const got = await again.send(new GetObjectCommand({ Bucket: 'kept', Key: 'a/b' }));
    expect(await got.Body?.transformToString()).toBe('persisted');
    expect(got.Metadata).toEqual({ x: 'y' });
    expect((await again.send(new ListObjectsV2Command({ Bucket: 'kept' }))).KeyCount).toBe(1);
    await second.stop();
  });
});
