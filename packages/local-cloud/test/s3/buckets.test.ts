import { Agent } from 'node:http';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketPolicyCommand,
  DeleteBucketTaggingCommand,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { describe, expect, it } from 'vitest';
import type { LocalCloud, ManualClock } from '../../src/index.js';
import { virtualHostBucket } from '../../src/services/s3/index.js';
import { awsError } from '../helpers.js';
import { s3Client, useS3 } from './s3-helpers.js';

let cloud: LocalCloud<ManualClock>;
let s3: S3Client;
useS3((c, client) => {
  cloud = c;
  s3 = client;
});

describe('S3 buckets', () => {
  it('creates, lists, heads and deletes buckets', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'alpha' }));
    await s3.send(
      new CreateBucketCommand({ Bucket: 'beta', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }),
    );
    const list = await s3.send(new ListBucketsCommand({}));
    expect(list.Buckets?.map((b) => b.Name)).toEqual(['alpha', 'beta']);
    expect(list.Buckets?.[0]?.CreationDate).toBeInstanceOf(Date);
    const head = await s3.send(new HeadBucketCommand({ Bucket: 'beta' }));
    expect(head.BucketRegion).toBe('eu-west-1');
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: 'beta' }))).LocationConstraint).toBe('eu-west-1');
    expect((await s3.send(new GetBucketLocationCommand({ Bucket: 'alpha' }))).LocationConstraint).toBeUndefined();
    await s3.send(new DeleteBucketCommand({ Bucket: 'alpha' }));
    expect((await s3.send(new ListBucketsCommand({}))).Buckets?.map((b) => b.Name)).toEqual(['beta']);
  });

  it('answers a repeated create in us-east-1 with 200, elsewhere BucketAlreadyOwnedByYou', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'again' }));
    await s3.send(new CreateBucketCommand({ Bucket: 'again' }));
    await s3.send(
      new CreateBucketCommand({ Bucket: 'again-eu', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }),
    );
    const err = await awsError(() =>
      s3.send(
        new CreateBucketCommand({ Bucket: 'again-eu', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }),
      ),
    );
    expect(err).toMatchObject({ name: 'BucketAlreadyOwnedByYou', status: 409 });
  });

  it('rejects invalid names and reports missing and non-empty buckets', async () => {
    expect(await awsError(() => s3.send(new CreateBucketCommand({ Bucket: 'Bad_Name' })))).toMatchObject({
      name: 'InvalidBucketName',
      status: 400,
    });
    expect(await awsError(() => s3.send(new DeleteBucketCommand({ Bucket: 'missing' })))).toMatchObject({
      name: 'NoSuchBucket',
      status: 404,
      message: 'The specified bucket does not exist',
    });
    expect(await awsError(() => s3.send(new HeadBucketCommand({ Bucket: 'missing' })))).toMatchObject({ status: 404 });
    await s3.send(new CreateBucketCommand({ Bucket: 'full' }));
    await s3.send(new PutObjectCommand({ Bucket: 'full', Key: 'k', Body: 'x' }));
    expect(await awsError(() => s3.send(new DeleteBucketCommand({ Bucket: 'full' })))).toMatchObject({
      name: 'BucketNotEmpty',
      status: 409,
    });
  });

  it('returns the S3 XML error document', async () => {
    const res = await fetch(`${cloud.url}/nope`, {
      headers: {
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00',
      },
    });
    expect(res.status).toBe(404);
    const text = await res.text();
    expect(text).toMatch(
      /<Error><Code>NoSuchBucket<\/Code><Message>The specified bucket does not exist<\/Message><BucketName>nope<\/BucketName><RequestId>[^<]+<\/RequestId><HostId>[^<]+<\/HostId><\/Error>/,
    );
  });

  it('answers unsupported sub-resources with 501 NotImplemented', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'subres' }));
    const res = await fetch(`${cloud.url}/subres?cors`, {
      headers: {
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=00',
      },
    });
    expect(res.status).toBe(501);
    expect(await res.text()).toContain('<Code>NotImplemented</Code>');
  });

  it('stores tagging and policy', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'tagged' }));
    expect(await awsError(() => s3.send(new GetBucketTaggingCommand({ Bucket: 'tagged' })))).toMatchObject({
      name: 'NoSuchTagSet',
      status: 404,
    });
    await s3.send(
      new PutBucketTaggingCommand({
        Bucket: 'tagged',
        Tagging: {
          TagSet: [
            { Key: 'env', Value: 'a&b' },
            { Key: 'team', Value: 'x' },
          ],
        },
      }),
    );
    expect((await s3.send(new GetBucketTaggingCommand({ Bucket: 'tagged' }))).TagSet).toEqual([
      { Key: 'env', Value: 'a&b' },
      { Key: 'team', Value: 'x' },
    ]);
    await s3.send(new DeleteBucketTaggingCommand({ Bucket: 'tagged' }));
    expect(await awsError(() => s3.send(new GetBucketTaggingCommand({ Bucket: 'tagged' })))).toMatchObject({
      name: 'NoSuchTagSet',
    });

    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::tagged/*' }],
    });
    expect(await awsError(() => s3.send(new GetBucketPolicyCommand({ Bucket: 'tagged' })))).toMatchObject({
      name: 'NoSuchBucketPolicy',
      status: 404,
    });
    await s3.send(new PutBucketPolicyCommand({ Bucket: 'tagged', Policy: policy }));
    expect((await s3.send(new GetBucketPolicyCommand({ Bucket: 'tagged' }))).Policy).toBe(policy);
    await s3.send(new DeleteBucketPolicyCommand({ Bucket: 'tagged' }));
    expect(await awsError(() => s3.send(new GetBucketPolicyCommand({ Bucket: 'tagged' })))).toMatchObject({
      name: 'NoSuchBucketPolicy',
    });
  });

  it('serves virtual-host-style requests (<bucket>.s3.localhost)', async () => {
    // *.localhost names are resolved to loopback here, as browsers and systemd-resolved do.
    const agent = new Agent({
      lookup: ((_host: string, opts: { all?: boolean }, cb: (...a: unknown[]) => void) =>
        opts.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)) as never,
    });
    const vhost = s3Client(
      { url: `http://s3.localhost:${cloud.port}` },
      { forcePathStyle: false, requestHandler: new NodeHttpHandler({ httpAgent: agent }) },
    );
    await vhost.send(new CreateBucketCommand({ Bucket: 'vhost' }));
    await vhost.send(new PutObjectCommand({ Bucket: 'vhost', Key: 'dir/file.txt', Body: 'hello' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: 'vhost', Key: 'dir/file.txt' }));
    expect(await got.Body?.transformToString()).toBe('hello');
    const back = await vhost.send(new GetObjectCommand({ Bucket: 'vhost', Key: 'dir/file.txt' }));
    expect(await back.Body?.transformToString()).toBe('hello');
    agent.destroy();
  });

  it('recognises virtual-host names', () => {
    expect(virtualHostBucket('my-bucket.s3.localhost:4566')).toBe('my-bucket');
    expect(virtualHostBucket('my.dotted.bucket.localhost')).toBe('my.dotted.bucket');
    expect(virtualHostBucket('s3.localhost:4566')).toBeUndefined();
    expect(virtualHostBucket('localhost:4566')).toBeUndefined();
    expect(virtualHostBucket('127.0.0.1:4566')).toBeUndefined();
  });
});
