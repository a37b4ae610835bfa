import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud, ManualClock } from '../../src/index.js';
import { startManual } from '../helpers.js';

const run = promisify(execFile);
const AWS = '/usr/bin/aws';

describe.skipIf(!existsSync(AWS))('S3 through the aws CLI', () => {
  let cloud: LocalCloud<ManualClock>;
  let dir: string;
  beforeAll(async () => {
    cloud = await startManual();
    dir = mkdtempSync(join(tmpdir(), 's3-cli-'));
  });
  afterAll(async () => {
    await cloud.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const aws = async (...args: string[]) =>
    (
      await run(AWS, ['--endpoint-url', cloud.url, '--region', 'us-east-1', ...args], {
        env: {
          ...process.env,
          AWS_ACCESS_KEY_ID: 'AKIDTEST',
          AWS_SECRET_ACCESS_KEY: 'secret',
          AWS_CONFIG_FILE: '/dev/null',
          AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
          AWS_PAGER: '',
        },
        timeout: 60_000,
      })
    ).stdout;

  it('makes a bucket, copies files both ways and lists them', async () => {
    const data = randomBytes(200_000);
    writeFileSync(join(dir, 'in.bin'), data);
    await aws('s3', 'mb', 's3://cli-bucket');
    await aws('s3', 'cp', join(dir, 'in.bin'), 's3://cli-bucket/some dir/in.bin');
    await aws('s3', 'cp', 's3://cli-bucket/some dir/in.bin', join(dir, 'out.bin'));
    expect(readFileSync(join(dir, 'out.bin')).equals(data)).toBe(true);
    expect(await aws('s3', 'ls', 's3://cli-bucket/')).toContain('PRE some dir/');
    expect(await aws('s3', 'ls', 's3://cli-bucket/some dir/')).toContain('200000 in.bin');
    await aws('s3', 'rm', '--recursive', 's3://cli-bucket/');
    await aws('s3', 'rb', 's3://cli-bucket');
    expect(await aws('s3', 'ls')).not.toContain('cli-bucket');
  }, 90_000);
});
