import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { LocalCloud, ManualClock } from '../../src/index.js';
import { credentials, startManual } from '../helpers.js';

export function s3Client(cloud: { url: string }, extra: Partial<S3ClientConfig> = {}): S3Client {
  return new S3Client({
    endpoint: cloud.url,
    region: 'us-east-1',
    credentials,
    forcePathStyle: true,
    maxAttempts: 1,
    ...extra,
  });
}

/** One manual-clock cloud and S3 client per file, state wiped before each test. */
export function useS3(bind: (cloud: LocalCloud<ManualClock>, s3: S3Client) => void): void {
  let cloud: LocalCloud<ManualClock> | undefined;
  beforeAll(async () => {
    cloud = await startManual();
    bind(cloud, s3Client(cloud));
  });
  beforeEach(async () => {
    await cloud?.reset();
  });
  afterAll(async () => {
    await cloud?.stop();
  });
}
