import { createHash, randomBytes } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { describe, expect, it } from 'vitest';
import type { LocalCloud, ManualClock } from '../../src/index.js';
import { useS3 } from './s3-helpers.js';

const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

describe('S3 large bodies, presigned URLs and anonymous requests', () => {
  let cloud: LocalCloud<ManualClock>;
  let s3: S3Client;
  useS3((c, client) => {
    cloud = c;
    s3 = client;
  });

  const bytes = async (key: string, range?: string) => {
    const out = await s3.send(new GetObjectCommand({ Bucket: 'big', Key: key, ...(range ? { Range: range } : {}) }));
    return Buffer.from(await (out.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
  };

  it('streams a 24 MiB PutObject to disk and back, byte for byte, with ranges', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'big' }));
    const data = randomBytes(24 * 1024 * 1024);
    const put = await s3.send(new PutObjectCommand({ Bucket: 'big', Key: 'blob', Body: data }));
    expect(put.ETag).toBe(`"${md5(data)}"`);
    expect((await s3.send(new HeadObjectCommand({ Bucket: 'big', Key: 'blob' }))).ContentLength).toBe(data.length);
    expect((await bytes('blob')).equals(data)).toBe(true);
    const tail = await bytes('blob', 'bytes=20000000-');
    expect(tail.equals(data.subarray(20_000_000))).toBe(true);
  });

  it('keeps checksum trailers of a streamed aws-chunked upload out of the stored bytes', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'big' }));
    const data = randomBytes(5 * 1024 * 1024 + 17);
    // A stream body of unknown length makes the SDK send aws-chunked with an x-amz-checksum-crc32 trailer.
    const { Readable } = await import('node:stream');
    const put = await s3.send(
      new PutObjectCommand({ Bucket: 'big', Key: 'chunked', Body: Readable.from([data]), ContentLength: data.length }),
    );
    expect(put.ETag).toBe(`"${md5(data)}"`);
    expect((await bytes('chunked')).equals(data)).toBe(true);
  });

  it('joins multipart parts on disk into one object with the -N ETag', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'big' }));
    const parts = [randomBytes(5 * 1024 * 1024), randomBytes(5 * 1024 * 1024), randomBytes(1234)];
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'big', Key: 'mp' }));
    const etags: string[] = [];
    for (const [i, part] of parts.entries()) {
      const out = await s3.send(
        new UploadPartCommand({ Bucket: 'big', Key: 'mp', UploadId, PartNumber: i + 1, Body: part }),
      );
      etags.push(out.ETag as string);
    }
    const done = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'big',
        Key: 'mp',
        UploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
      }),
    );
    const joined = createHash('md5')
      .update(Buffer.concat(parts.map((p) => Buffer.from(md5(p), 'hex'))))
      .digest('hex');
    expect(done.ETag).toBe(`"${joined}-3"`);
    expect((await bytes('mp')).equals(Buffer.concat(parts))).toBe(true);
  });

  it('uploads through lib-storage Upload (concurrent multipart parts)', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'big' }));
    const data = randomBytes(17 * 1024 * 1024);
    await new Upload({ client: s3, params: { Bucket: 'big', Key: 'managed', Body: data }, queueSize: 4 }).done();
    expect((await bytes('managed')).equals(data)).toBe(true);
  });

  it('serves presigned GET and PUT URLs to plain fetch', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'big' }));
    const signingDate = new Date(cloud.clock.now());
    const putUrl = await getSignedUrl(s3, new PutObjectCommand({ Bucket: 'big', Key: 'via-url.txt' }), {
      expiresIn: 300,
      signingDate,
    });
    const put = await fetch(putUrl, { method: 'PUT', body: 'hello from a browser' });
    expect(put.status).toBe(200);
    const getUrl = await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'big', Key: 'via-url.txt' }), {
      expiresIn: 300,
      signingDate,
    });
    const got = await fetch(getUrl);
    expect(got.status).toBe(200);
    expect(await got.text()).toBe('hello from a browser');
  });

  it('refuses a presigned URL once it has expired on the clock', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'big' }));
    await s3.send(new PutObjectCommand({ Bucket: 'big', Key: 'k', Body: 'v' }));
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'big', Key: 'k' }), {
      expiresIn: 60,
      signingDate: new Date(cloud.clock.now()),
    });
    expect((await fetch(url)).status).toBe(200);
    await cloud.clock.advance('61s');
    const res = await fetch(url);
    expect(res.status).toBe(403);
    const text = await res.text();
    expect(text).toContain('<Code>AccessDenied</Code>');
    expect(text).toContain('<Message>Request has expired</Message>');
    expect(text).toContain('<X-Amz-Expires>60</X-Amz-Expires>');
  });

  it('rejects a presigned URL valid for more than a week', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'big' }));
    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket: 'big', Key: 'k' }), { expiresIn: 60 });
    const res = await fetch(url.replace('X-Amz-Expires=60', 'X-Amz-Expires=604801'));
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('X-Amz-Expires must be less than a week (in seconds) that is; 604800');
  });

  it('routes unsigned path-style and virtual-host requests to S3', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'big' }));
    await s3.send(new PutObjectCommand({ Bucket: 'big', Key: 'public.txt', Body: 'open' }));
    const path = await fetch(`${cloud.url}/big/public.txt`);
    expect(await path.text()).toBe('open');
    const missing = await fetch(`${cloud.url}/big/nope.txt`);
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('<Code>NoSuchKey</Code>');
    const { request } = await import('node:http');
    const body = await new Promise<string>((resolve, reject) => {
      const r = request(
        {
          host: '127.0.0.1',
          port: cloud.port,
          path: '/public.txt',
          headers: { host: `big.s3.localhost:${cloud.port}` },
        },
        (res) => {
          let t = '';
          res.on('data', (d) => {
            t += d;
          });
          res.on('end', () => resolve(t));
        },
      );
      r.on('error', reject);
      r.end();
    });
    expect(body).toBe('open');
  });
});
