import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetBucketNotificationConfigurationCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalCloud } from '../../src/index.js';
import { sqsClient } from '../helpers.js';
import { drain, queue } from '../sns/helpers.js';
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

  it('keeps the notification configuration with the bucket', async () => {
    const first = await startLocalCloud({ clock: 'manual', persistence: 'disk', dataDir });
    const q = await queue(sqsClient(first), 'events');
    const s3 = s3Client(first);
    await s3.send(new CreateBucketCommand({ Bucket: 'notified' }));
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: 'notified',
        NotificationConfiguration: {
          QueueConfigurations: [{ Id: 'q', QueueArn: q.arn, Events: ['s3:ObjectCreated:Put'] }],
        },
      }),
    );
    await drain(sqsClient(first), q.url);
    await first.stop();

    const second = await startLocalCloud({ clock: 'manual', persistence: 'disk', dataDir });
    const again = s3Client(second);
    const got = await again.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'notified' }));
    expect(got.QueueConfigurations).toEqual([{ Id: 'q', QueueArn: q.arn, Events: ['s3:ObjectCreated:Put'] }]);
    await again.send(new PutObjectCommand({ Bucket: 'notified', Key: 'k', Body: 'v' }));
    const [m] = await drain(sqsClient(second), q.url);
    expect(JSON.parse(m?.Body ?? '{}').Records[0].eventName).toBe('ObjectCreated:Put');
    await second.stop();
  });
});
