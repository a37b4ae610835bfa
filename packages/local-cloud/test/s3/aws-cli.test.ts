import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

  it('copies a 40 MiB file with a multipart upload and downloads it intact', async () => {
    const data = randomBytes(40 * 1024 * 1024);
    writeFileSync(join(dir, 'large.bin'), data);
    await aws('s3', 'mb', 's3://cli-large');
    await aws('s3', 'cp', join(dir, 'large.bin'), 's3://cli-large/large.bin');
    const head = JSON.parse(await aws('s3api', 'head-object', '--bucket', 'cli-large', '--key', 'large.bin'));
    expect(head.ContentLength).toBe(data.length);
    expect(head.ETag).toMatch(/-5"$/); // 8 MiB parts: the CLI's default multipart_chunksize
    await aws('s3', 'cp', 's3://cli-large/large.bin', join(dir, 'large-out.bin'));
    expect(readFileSync(join(dir, 'large-out.bin')).equals(data)).toBe(true);
  }, 120_000);

  it('syncs a directory up and down, copying only what changed', async () => {
    const src = join(dir, 'tree');
    mkdirSync(join(src, 'nested'), { recursive: true });
    writeFileSync(join(src, 'a.txt'), 'alpha');
    writeFileSync(join(src, 'nested', 'b.json'), '{"b":1}');
    await aws('s3', 'mb', 's3://cli-sync');
    // sync compares LastModified with file times: bring the manual clock (2026-01-01) to the present.
    await cloud.clock.set(Date.now() + 60_000);
    const first = await aws('s3', 'sync', src, 's3://cli-sync/site');
    expect(first).toContain('upload:');
    expect(await aws('s3', 'sync', src, 's3://cli-sync/site')).not.toContain('upload:');
    writeFileSync(join(src, 'a.txt'), 'alpha, longer');
    const second = await aws('s3', 'sync', src, 's3://cli-sync/site');
    expect(second).toContain('site/a.txt');
    expect(second).not.toContain('b.json');
    const listing = await aws('s3', 'ls', '--recursive', 's3://cli-sync/');
    expect(listing).toContain('site/a.txt');
    expect(listing).toContain('site/nested/b.json');
    const back = join(dir, 'tree-back');
    await aws('s3', 'sync', 's3://cli-sync/site', back);
    expect(readFileSync(join(back, 'nested', 'b.json'), 'utf8')).toBe('{"b":1}');
  }, 90_000);

  it('presigns a URL with `aws s3 presign` that plain fetch can read', async () => {
    await aws('s3', 'mb', 's3://cli-presign');
    writeFileSync(join(dir, 'p.txt'), 'presigned body');
    await aws('s3', 'cp', join(dir, 'p.txt'), 's3://cli-presign/p.txt');
    const url = (await aws('s3', 'presign', 's3://cli-presign/p.txt', '--expires-in', '600')).trim();
    expect(url).toContain('X-Amz-Signature=');
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('presigned body');
  }, 60_000);
});
