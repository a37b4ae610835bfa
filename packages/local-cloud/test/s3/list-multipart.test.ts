import { createHash, randomBytes } from 'node:crypto';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  ListMultipartUploadsCommand,
  ListObjectsCommand,
  ListObjectsV2Command,
  ListPartsCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import type { LocalCloud, ManualClock } from '../../src/index.js';
import { awsError } from '../helpers.js';
import { useS3 } from './s3-helpers.js';

let cloud: LocalCloud<ManualClock>;
let s3: S3Client;
useS3((c, client) => {
  cloud = c;
  s3 = client;
});

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest();
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

async function fill(bucket: string, keys: string[]): Promise<void> {
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const k of keys) await s3.send(new PutObjectCommand({ Bucket: bucket, Key: k, Body: k }));
}

describe('S3 listing', () => {
  const keys = ['a.txt', 'dir/one', 'dir/sub/two', 'dir/three', 'other/x', 'z z'];

  it('lists with prefix and delimiter (V2)', async () => {
    await fill('lst', keys);
    const all = await s3.send(new ListObjectsV2Command({ Bucket: 'lst' }));
    expect(all.Contents?.map((c) => c.Key)).toEqual(
      ['a.txt', 'dir/one', 'dir/sub/two', 'dir/three', 'other/x', 'z z'].sort(),
    );
    expect(all.KeyCount).toBe(6);
    expect(all.Contents?.[0]).toMatchObject({ Size: 5, StorageClass: 'STANDARD' });
    const top = await s3.send(new ListObjectsV2Command({ Bucket: 'lst', Delimiter: '/' }));
    expect(top.Contents?.map((c) => c.Key)).toEqual(['a.txt', 'z z']);
    expect(top.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['dir/', 'other/']);
    const dir = await s3.send(new ListObjectsV2Command({ Bucket: 'lst', Prefix: 'dir/', Delimiter: '/' }));
    expect(dir.Contents?.map((c) => c.Key)).toEqual(['dir/one', 'dir/three']);
    expect(dir.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['dir/sub/']);
  });

  it('pages with max-keys, continuation tokens and start-after', async () => {
    await fill('pages', keys);
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({ Bucket: 'pages', MaxKeys: 2, Delimiter: '/', ContinuationToken: token }),
      );
      pages++;
      seen.push(
        ...(page.Contents ?? []).map((c) => c.Key as string),
        ...(page.CommonPrefixes ?? []).map((p) => p.Prefix as string),
      );
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    expect(seen.sort()).toEqual(['a.txt', 'dir/', 'other/', 'z z']);
    expect(pages).toBe(2);
    const after = await s3.send(new ListObjectsV2Command({ Bucket: 'pages', StartAfter: 'dir/three' }));
    expect(after.Contents?.map((c) => c.Key)).toEqual(['other/x', 'z z']);
  });

  it('lists with V1 markers and url encoding', async () => {
    await fill('ver1', keys);
    const first = await s3.send(new ListObjectsCommand({ Bucket: 'ver1', MaxKeys: 2, Delimiter: '/' }));
    expect(first.IsTruncated).toBe(true);
    expect(first.NextMarker).toBe('dir/');
    const second = await s3.send(new ListObjectsCommand({ Bucket: 'ver1', Marker: first.NextMarker, Delimiter: '/' }));
    expect(second.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['other/']);
    expect(second.Contents?.map((c) => c.Key)).toEqual(['z z']);
    const res = await fetch(`${cloud.url}/ver1?list-type=2&prefix=z&encoding-type=url`, {
      headers: {
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00',
      },
    });
    const xml = await res.text();
    expect(xml).toContain('<Key>z%20z</Key>');
    expect(xml).toContain('<EncodingType>url</EncodingType>');
  });
});

describe('S3 multipart uploads', () => {
  it('uploads 5 MiB parts and completes with the multipart ETag', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'mpu' }));
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({
        Bucket: 'mpu',
        Key: 'big.bin',
        ContentType: 'application/x-big',
        Metadata: { a: 'b' },
      }),
    );
    expect(UploadId).toBeDefined();
    const parts = [randomBytes(5 * 1024 * 1024), randomBytes(5 * 1024 * 1024), randomBytes(1234)];
    const etags: string[] = [];
    for (const [i, body] of parts.entries()) {
      const r = await s3.send(
        new UploadPartCommand({ Bucket: 'mpu', Key: 'big.bin', UploadId, PartNumber: i + 1, Body: body }),
      );
      etags.push(r.ETag as string);
    }
    const listed = await s3.send(new ListPartsCommand({ Bucket: 'mpu', Key: 'big.bin', UploadId }));
    expect(listed.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([
      [1, 5 * 1024 * 1024],
      [2, 5 * 1024 * 1024],
      [3, 1234],
    ]);
    const uploads = await s3.send(new ListMultipartUploadsCommand({ Bucket: 'mpu' }));
    expect(uploads.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([['big.bin', UploadId]]);
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'mpu',
        Key: 'big.bin',
        UploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
      }),
    );
    const expected = createHash('md5')
      .update(Buffer.concat(parts.map(md5)))
      .digest('hex');
    expect(done.ETag).toBe(`"${expected}-3"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'mpu', Key: 'big.bin' }));
    expect(got).toMatchObject({ ContentType: 'application/x-big', Metadata: { a: 'b' }, ETag: done.ETag });
    const bytes = await got.Body?.transformToByteArray();
    expect(bytes && sha256(bytes)).toBe(sha256(Buffer.concat(parts)));
    expect((await s3.send(new ListMultipartUploadsCommand({ Bucket: 'mpu' }))).Uploads ?? []).toEqual([]);
  });

  it('rejects small non-last parts, unknown parts and aborted uploads', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'small' }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'small', Key: 'k' }));
    const p1 = await s3.send(
      new UploadPartCommand({ Bucket: 'small', Key: 'k', UploadId, PartNumber: 1, Body: 'tiny' }),
    );
    const p2 = await s3.send(
      new UploadPartCommand({ Bucket: 'small', Key: 'k', UploadId, PartNumber: 2, Body: 'tail' }),
    );
    const complete = (parts: Array<{ ETag: string | undefined; PartNumber: number }>) =>
      s3.send(
        new CompleteMultipartUploadCommand({ Bucket: 'small', Key: 'k', UploadId, MultipartUpload: { Parts: parts } }),
      );
    expect(
      await awsError(() =>
        complete([
          { ETag: p1.ETag, PartNumber: 1 },
          { ETag: p2.ETag, PartNumber: 2 },
        ]),
      ),
    ).toMatchObject({ name: 'EntityTooSmall', status: 400 });
    expect(await awsError(() => complete([{ ETag: '"0000"', PartNumber: 1 }]))).toMatchObject({ name: 'InvalidPart' });
    // A single small part is fine: it is the last one.
    const one = await complete([{ ETag: p1.ETag, PartNumber: 1 }]);
    expect(one.ETag).toMatch(/-1"$/);
    const { UploadId: second } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'small', Key: 'k2' }));
    await s3.send(new AbortMultipartUploadCommand({ Bucket: 'small', Key: 'k2', UploadId: second }));
    expect(
      await awsError(() =>
        s3.send(new UploadPartCommand({ Bucket: 'small', Key: 'k2', UploadId: second, PartNumber: 1, Body: 'x' })),
      ),
    ).toMatchObject({ name: 'NoSuchUpload', status: 404 });
  });
});
