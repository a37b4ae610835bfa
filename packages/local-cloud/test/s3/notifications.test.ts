import { createHash } from 'node:crypto';
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateBucketCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetBucketNotificationConfigurationCommand,
  PutBucketNotificationConfigurationCommand,
  PutObjectCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { CreateTopicCommand, type SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeZip } from '../../src/core/zip.js';
import type { LocalCloud, ManualClock } from '../../src/index.js';
import { awsError, sqsClient } from '../helpers.js';
import { createNodeFunction, lambdaClient } from '../lambda/helpers.js';
import { drain, eventually, queue, snsClient } from '../sns/helpers.js';
import { useS3 } from './s3-helpers.js';

let cloud: LocalCloud<ManualClock>;
let s3: S3Client;
let sqs: SQSClient;
let sns: SNSClient;
useS3((c, client) => {
  cloud = c;
  s3 = client;
});
beforeAll(() => {
  sqs = sqsClient(cloud);
  sns = snsClient(cloud);
});

const md5 = (s: string) => createHash('md5').update(s).digest('hex');
const bodies = async (url: string) => (await drain(sqs, url)).map((m) => JSON.parse(m.Body ?? '{}'));

describe('S3 event notifications', () => {
  it('fans out through SNS to two queues, one with a filter policy', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'uploads' }));
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: 's3-events' }));
    const all = await queue(sqs, 'all');
    const puts = await queue(sqs, 'puts');
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: all.arn }));
    await sns.send(
      new SubscribeCommand({
        TopicArn,
        Protocol: 'sqs',
        Endpoint: puts.arn,
        Attributes: {
          FilterPolicyScope: 'MessageBody',
          FilterPolicy: JSON.stringify({ Records: { eventName: ['ObjectCreated:Put'] } }),
        },
      }),
    );
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: 'uploads',
        NotificationConfiguration: {
          TopicConfigurations: [{ Id: 'to-topic', TopicArn, Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'] }],
        },
      }),
    );
    // The test event reaches the unfiltered queue only (it has no Records).
    const [test] = await bodies(all.url);
    expect(test.Subject).toBe('Amazon S3 Notification');
    expect(JSON.parse(test.Message)).toMatchObject({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'uploads' });
    expect(await bodies(puts.url)).toEqual([]);

    await cloud.clock.advance('1s');
    const put = await s3.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'dir/my file@1.txt', Body: 'hello s3' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'uploads', Key: 'dir/my file@1.txt' }));

    const [envelope] = await bodies(puts.url);
    expect(envelope).toMatchObject({ Type: 'Notification', TopicArn, Subject: 'Amazon S3 Notification' });
    const record = JSON.parse(envelope.Message).Records[0];
    expect(record).toMatchObject({
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: new Date(cloud.clock.now()).toISOString(),
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: 'AWS:AKIDTEST' },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'to-topic',
        bucket: { name: 'uploads', arn: 'arn:aws:s3:::uploads' },
        object: { key: 'dir/my+file%401.txt', size: 8, eTag: md5('hello s3') },
      },
    });
    expect(put.ETag).toBe(`"${record.s3.object.eTag}"`);
    expect(record.responseElements['x-amz-request-id']).toEqual(expect.any(String));
    expect(record.s3.object.sequencer).toMatch(/^[0-9A-F]+$/);

    const rest = await bodies(all.url);
    const records = rest.map((e) => JSON.parse(e.Message).Records[0]);
    expect(records.map((r) => r.eventName)).toEqual(['ObjectCreated:Put', 'ObjectRemoved:Delete']);
    const [created, removed] = records;
    expect(removed.s3.object).not.toHaveProperty('eTag');
    expect(removed.s3.object).not.toHaveProperty('size');
    expect(removed.s3.object.key).toBe('dir/my+file%401.txt');
    expect(removed.s3.object.sequencer > created.s3.object.sequencer).toBe(true);
  });

  it('sends to SQS directly with prefix/suffix filters, the test event first', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'images' }));
    const q = await queue(sqs, 'images');
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: 'images',
        NotificationConfiguration: {
          QueueConfigurations: [
            {
              Id: 'jpgs',
              QueueArn: q.arn,
              Events: ['s3:ObjectCreated:*'],
              Filter: {
                Key: {
                  FilterRules: [
                    { Name: 'prefix', Value: 'photos/' },
                    { Name: 'suffix', Value: '.jpg' },
                  ],
                },
              },
            },
          ],
        },
      }),
    );
    const got = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'images' }));
    expect(got.QueueConfigurations).toEqual([
      {
        Id: 'jpgs',
        QueueArn: q.arn,
        Events: ['s3:ObjectCreated:*'],
        Filter: {
          Key: {
            FilterRules: [
              { Name: 'prefix', Value: 'photos/' },
              { Name: 'suffix', Value: '.jpg' },
            ],
          },
        },
      },
    ]);
    const [test] = await bodies(q.url);
    expect(test).toMatchObject({ Service: 'Amazon S3', Event: 's3:TestEvent', Bucket: 'images' });
    expect(test.Time).toBe(new Date(cloud.clock.now()).toISOString());

    await s3.send(new PutObjectCommand({ Bucket: 'images', Key: 'photos/a.png', Body: 'x' }));
    await s3.send(new PutObjectCommand({ Bucket: 'images', Key: 'other/b.jpg', Body: 'x' }));
    expect(await bodies(q.url)).toEqual([]);

    await s3.send(new PutObjectCommand({ Bucket: 'images', Key: 'photos/c.jpg', Body: 'abc' }));
    await s3.send(new CopyObjectCommand({ Bucket: 'images', Key: 'photos/d.jpg', CopySource: 'images/photos/c.jpg' }));
    const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: 'images', Key: 'photos/e.jpg' }));
    const part = await s3.send(
      new UploadPartCommand({ Bucket: 'images', Key: 'photos/e.jpg', UploadId, PartNumber: 1, Body: 'part' }),
    );
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'images',
        Key: 'photos/e.jpg',
        UploadId,
        MultipartUpload: { Parts: [{ PartNumber: 1, ETag: part.ETag }] },
      }),
    );
    // Removals are not configured.
    await s3.send(new DeleteObjectsCommand({ Bucket: 'images', Delete: { Objects: [{ Key: 'photos/c.jpg' }] } }));
    const records = (await bodies(q.url)).map((b) => b.Records[0]);
    expect(records.map((r) => [r.eventName, r.s3.object.key, r.s3.object.size])).toEqual([
      ['ObjectCreated:Put', 'photos/c.jpg', 3],
      ['ObjectCreated:Copy', 'photos/d.jpg', 3],
      ['ObjectCreated:CompleteMultipartUpload', 'photos/e.jpg', 4],
    ]);
    expect(records[2].s3.object.eTag).toMatch(/^[0-9a-f]{32}-1$/);

    // Replacing the configuration with an empty one stops the events.
    await s3.send(new PutBucketNotificationConfigurationCommand({ Bucket: 'images', NotificationConfiguration: {} }));
    const empty = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'images' }));
    expect(empty.QueueConfigurations).toBeUndefined();
    await s3.send(new PutObjectCommand({ Bucket: 'images', Key: 'photos/f.jpg', Body: 'x' }));
    expect(await bodies(q.url)).toEqual([]);
  });

  it('invokes a Lambda function asynchronously with the event, and reports a delete', async () => {
    const lambda = lambdaClient(cloud);
    const seen = await queue(sqs, 'seen');
    const fn = await createNodeFunction(lambda, 'on-upload', '', {
      Code: {
        ZipFile: writeZip({
          'index.js': `
const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');
const sqs = new SQSClient({});
exports.handler = async (event) => {
  await sqs.send(new SendMessageCommand({ QueueUrl: '${seen.url}', MessageBody: JSON.stringify(event) }));
};`,
        }),
      },
    });
    await s3.send(new CreateBucketCommand({ Bucket: 'docs' }));
    await s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: 'docs',
        NotificationConfiguration: {
          LambdaFunctionConfigurations: [
            { Id: 'fn', LambdaFunctionArn: fn.FunctionArn, Events: ['s3:ObjectRemoved:Delete'] },
          ],
        },
      }),
    );
    const got = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'docs' }));
    expect(got.LambdaFunctionConfigurations).toEqual([
      { Id: 'fn', LambdaFunctionArn: fn.FunctionArn, Events: ['s3:ObjectRemoved:Delete'] },
    ]);
    await s3.send(new PutObjectCommand({ Bucket: 'docs', Key: 'a b.txt', Body: 'x' }));
    await s3.send(new DeleteObjectCommand({ Bucket: 'docs', Key: 'a b.txt' }));
    let events: Awaited<ReturnType<typeof bodies>> = [];
    await eventually(async () => {
      events.push(...(await bodies(seen.url)));
      return events.length > 0;
    }, 15_000);
    events = events.filter((e) => e.Records);
    expect(events).toHaveLength(1);
    const record = events[0]?.Records[0];
    expect(record).toMatchObject({
      eventName: 'ObjectRemoved:Delete',
      s3: { configurationId: 'fn', bucket: { name: 'docs' }, object: { key: 'a+b.txt' } },
    });
    expect(record?.s3.object).not.toHaveProperty('size');
  });

  it('rejects a configuration whose destination does not exist, keeping the old one', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: 'strict' }));
    const e = await awsError(() =>
      s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket: 'strict',
          NotificationConfiguration: {
            QueueConfigurations: [
              { QueueArn: 'arn:aws:sqs:us-east-1:000000000000:nope', Events: ['s3:ObjectCreated:*'] },
            ],
          },
        }),
      ),
    );
    expect(e).toMatchObject({
      name: 'InvalidArgument',
      status: 400,
      message: 'Unable to validate the following destination configurations',
    });
    const got = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: 'strict' }));
    expect(got.QueueConfigurations ?? []).toEqual([]);
  });
});
