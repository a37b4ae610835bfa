import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
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

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');

/** Records the headers of every request the client sends. */
function captureHeaders(client: S3Client): Array<Record<string, string>> {
  const seen: Array<Record<string, string>> = [];
  client.middlewareStack.add(
    (next) => async (args) => {
      seen.push({ ...(args.request as { headers: Record<string, string> }).headers });
      return next(args);
    },
    { step: 'finalizeRequest', priority: 'low', name: `capture-${Math.random()}` },
  );
  return seen;
}

describe('S3 objects', () => {
  it('puts, gets, heads and deletes an object with metadata', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'bkt' }));
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: 'bkt',
        Key: 'a/b c+d.txt',
        Body: 'hello world',
        ContentType: 'text/plain',
        ContentDisposition: 'attachment',
        CacheControl: 'max-age=60',
        ContentEncoding: 'identity',
        Expires: new Date('2030-01-01T00:00:00Z'),
        Metadata: { color: 'blue' },
      }),
    );
    expect(put.ETag).toBe(`"${md5(Buffer.from('hello world'))}"`);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'bkt', Key: 'a/b c+d.txt' }));
    expect(await got.Body?.transformToString()).toBe('hello world');
    expect(got).toMatchObject({
      ETag: put.ETag,
      ContentType: 'text/plain',
      ContentDisposition: 'attachment',
      CacheControl: 'max-age=60',
      ContentEncoding: 'identity',
      ContentLength: 11,
      Metadata: { color: 'blue' },
    });
    expect(got.LastModified?.getTime()).toBe(Math.floor(cloud.clock.now() / 1000) * 1000);
    const head = await s3.send(new HeadObjectCommand({ Bucket: 'bkt', Key: 'a/b c+d.txt' }));
    expect(head).toMatchObject({ ContentLength: 11, ETag: put.ETag, Metadata: { color: 'blue' } });
    await s3.send(new DeleteObjectCommand({ Bucket: 'bkt', Key: 'a/b c+d.txt' }));
    expect(await awsError(() => s3.send(new GetObjectCommand({ Bucket: 'bkt', Key: 'a/b c+d.txt' })))).toMatchObject({
      name: 'NoSuchKey',
      status: 404,
    });
    expect(await awsError(() => s3.send(new HeadObjectCommand({ Bucket: 'bkt', Key: 'a/b c+d.txt' })))).toMatchObject({
      status: 404,
    });
    expect(await awsError(() => s3.send(new GetObjectCommand({ Bucket: 'zz', Key: 'k' })))).toMatchObject({
      name: 'NoSuchBucket',
      status: 404,
    });
  });

  it('stores exactly the bytes of the default checksum-trailer streaming upload', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'stream' }));
    const seen = captureHeaders(s3);
    const data = randomBytes(300_000);
    await s3.send(
      new PutObjectCommand({
        Bucket: 'stream',
        Key: 'rand.bin',
        Body: Readable.from([data]),
        ContentLength: data.length,
      }),
    );
    const sent = seen.at(-1) ?? {};
    expect(sent['content-encoding']).toContain('aws-chunked');
    expect(sent['x-amz-content-sha256']).toBe('STREAMING-UNSIGNED-PAYLOAD-TRAILER');
    expect(sent['x-amz-trailer']).toBe('x-amz-checksum-crc32');
    const got = await s3.send(new GetObjectCommand({ Bucket: 'stream', Key: 'rand.bin', ChecksumMode: 'ENABLED' }));
    const bytes = await got.Body?.transformToByteArray();
    expect(bytes && sha256(bytes)).toBe(sha256(data));
    expect(got.ContentLength).toBe(data.length);
    expect(got.ContentEncoding).toBeUndefined();
    expect(got.ChecksumCRC32).toBeDefined();

    // A Buffer body, with each other checksum algorithm.
    for (const alg of ['CRC32C', 'SHA1', 'SHA256', 'CRC64NVME'] as const) {
      const body = randomBytes(70_000);
      await s3.send(new PutObjectCommand({ Bucket: 'stream', Key: alg, Body: body, ChecksumAlgorithm: alg }));
      const back = await s3.send(new GetObjectCommand({ Bucket: 'stream', Key: alg, ChecksumMode: 'ENABLED' }));
      const b = await back.Body?.transformToByteArray();
      expect(b && sha256(b)).toBe(sha256(body));
      expect(back[`Checksum${alg}`]).toBeDefined();
    }
  });

  it('decodes the signed STREAMING-AWS4-HMAC-SHA256-PAYLOAD variant', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'signed' }));
    const payload = Buffer.from('0123456789'.repeat(10));
    const sig = 'a'.repeat(64);
    const body = Buffer.concat([
      Buffer.from(`40;chunk-signature=${sig}\r\n`),
      payload.subarray(0, 64),
      Buffer.from(`\r\n24;chunk-signature=${sig}\r\n`),
      payload.subarray(64),
      Buffer.from(`\r\n0;chunk-signature=${sig}\r\n\r\n`),
    ]);
    const res = await fetch(`${cloud.url}/signed/chunked.txt`, {
      method: 'PUT',
      body,
      headers: {
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00',
        'x-amz-content-sha256': 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD',
        'content-encoding': 'aws-chunked',
        'x-amz-decoded-content-length': String(payload.length),
      },
    });
    expect(res.status).toBe(200);
    const got = await s3.send(new GetObjectCommand({ Bucket: 'signed', Key: 'chunked.txt' }));
    expect(await got.Body?.transformToString()).toBe(payload.toString());
  });

  it('serves ranges and rejects unsatisfiable ones', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'rng' }));
    await s3.send(new PutObjectCommand({ Bucket: 'rng', Key: 'k', Body: '0123456789' }));
    const part = await s3.send(new GetObjectCommand({ Bucket: 'rng', Key: 'k', Range: 'bytes=2-5' }));
    expect(part.$metadata.httpStatusCode).toBe(206);
    expect(part.ContentRange).toBe('bytes 2-5/10');
    expect(await part.Body?.transformToString()).toBe('2345');
    const tail = await s3.send(new GetObjectCommand({ Bucket: 'rng', Key: 'k', Range: 'bytes=-3' }));
    expect(await tail.Body?.transformToString()).toBe('789');
    const open = await s3.send(new GetObjectCommand({ Bucket: 'rng', Key: 'k', Range: 'bytes=8-' }));
    expect(await open.Body?.transformToString()).toBe('89');
    expect(open.ContentRange).toBe('bytes 8-9/10');
    expect(
      await awsError(() => s3.send(new GetObjectCommand({ Bucket: 'rng', Key: 'k', Range: 'bytes=10-20' }))),
    ).toMatchObject({
      name: 'InvalidRange',
      status: 416,
    });
  });

  it('applies conditional headers (304 / 412)', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'cond' }));
    const { ETag } = await s3.send(new PutObjectCommand({ Bucket: 'cond', Key: 'k', Body: 'v1' }));
    const written = new Date(Math.floor(cloud.clock.now() / 1000) * 1000);
    const ok = await s3.send(new GetObjectCommand({ Bucket: 'cond', Key: 'k', IfMatch: ETag }));
    expect(await ok.Body?.transformToString()).toBe('v1');
    expect(
      await awsError(() => s3.send(new GetObjectCommand({ Bucket: 'cond', Key: 'k', IfMatch: '"nope"' }))),
    ).toMatchObject({
      status: 412,
      name: 'PreconditionFailed',
    });
    expect(
      await awsError(() => s3.send(new GetObjectCommand({ Bucket: 'cond', Key: 'k', IfNoneMatch: ETag }))),
    ).toMatchObject({
      status: 304,
    });
    expect(
      await awsError(() => s3.send(new GetObjectCommand({ Bucket: 'cond', Key: 'k', IfModifiedSince: written }))),
    ).toMatchObject({ status: 304 });
    expect(
      await awsError(() =>
        s3.send(
          new GetObjectCommand({ Bucket: 'cond', Key: 'k', IfUnmodifiedSince: new Date(written.getTime() - 60_000) }),
        ),
      ),
    ).toMatchObject({ status: 412 });
    await cloud.clock.advance(5_000);
    await s3.send(new PutObjectCommand({ Bucket: 'cond', Key: 'k', Body: 'v2' }));
    const changed = await s3.send(new GetObjectCommand({ Bucket: 'cond', Key: 'k', IfModifiedSince: written }));
    expect(await changed.Body?.transformToString()).toBe('v2');
    expect(
      await awsError(() => s3.send(new HeadObjectCommand({ Bucket: 'cond', Key: 'k', IfMatch: ETag }))),
    ).toMatchObject({
      status: 412,
    });
  });

  it('honours conditional writes on PutObject', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'condw' }));
    const first = await s3.send(new PutObjectCommand({ Bucket: 'condw', Key: 'k', Body: 'v1', IfNoneMatch: '*' }));
    expect(
      await awsError(() => s3.send(new PutObjectCommand({ Bucket: 'condw', Key: 'k', Body: 'v2', IfNoneMatch: '*' }))),
    ).toMatchObject({ name: 'PreconditionFailed', status: 412 });
    expect(
      await awsError(() =>
        s3.send(new PutObjectCommand({ Bucket: 'condw', Key: 'k', Body: 'v2', IfMatch: '"other"' })),
      ),
    ).toMatchObject({ status: 412 });
    await s3.send(new PutObjectCommand({ Bucket: 'condw', Key: 'k', Body: 'v3', IfMatch: first.ETag }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'condw', Key: 'k' }));
    expect(await got.Body?.transformToString()).toBe('v3');
  });

  it('copies objects with COPY and REPLACE metadata directives', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'src' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'dst' }));
    const { ETag } = await s3.send(
      new PutObjectCommand({ Bucket: 'src', Key: 'a b', Body: 'data', ContentType: 'text/x', Metadata: { m: '1' } }),
    );
    const copy = await s3.send(new CopyObjectCommand({ Bucket: 'dst', Key: 'copy', CopySource: 'src/a%20b' }));
    expect(copy.CopyObjectResult?.ETag).toBe(ETag);
    const c1 = await s3.send(new HeadObjectCommand({ Bucket: 'dst', Key: 'copy' }));
    expect(c1).toMatchObject({ ContentType: 'text/x', Metadata: { m: '1' } });
    await s3.send(
      new CopyObjectCommand({
        Bucket: 'dst',
        Key: 'copy',
        CopySource: 'dst/copy',
        MetadataDirective: 'REPLACE',
        ContentType: 'text/y',
        Metadata: { n: '2' },
      }),
    );
    const c2 = await s3.send(new GetObjectCommand({ Bucket: 'dst', Key: 'copy' }));
    expect(c2).toMatchObject({ ContentType: 'text/y', Metadata: { n: '2' } });
    expect(await c2.Body?.transformToString()).toBe('data');
    expect(
      await awsError(() => s3.send(new CopyObjectCommand({ Bucket: 'dst', Key: 'copy', CopySource: 'dst/copy' }))),
    ).toMatchObject({
      name: 'InvalidRequest',
      status: 400,
    });
    expect(
      await awsError(() => s3.send(new CopyObjectCommand({ Bucket: 'dst', Key: 'x', CopySource: 'src/none' }))),
    ).toMatchObject({
      name: 'NoSuchKey',
    });
  });

  it('deletes many objects at once, quietly or not', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'del' }));
    for (const k of ['a', 'b', 'c&d', 'e']) await s3.send(new PutObjectCommand({ Bucket: 'del', Key: k, Body: k }));
    const res = await s3.send(
      new DeleteObjectsCommand({ Bucket: 'del', Delete: { Objects: [{ Key: 'a' }, { Key: 'c&d' }, { Key: 'zz' }] } }),
    );
    expect(res.Deleted?.map((d) => d.Key)).toEqual(['a', 'c&d', 'zz']);
    const quiet = await s3.send(
      new DeleteObjectsCommand({ Bucket: 'del', Delete: { Objects: [{ Key: 'b' }], Quiet: true } }),
    );
    expect(quiet.Deleted ?? []).toEqual([]);
    expect(await awsError(() => s3.send(new HeadObjectCommand({ Bucket: 'del', Key: 'b' })))).toMatchObject({
      status: 404,
    });
    await s3.send(new HeadObjectCommand({ Bucket: 'del', Key: 'e' }));
  });
});
