import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalCloud, type ManualClock, startLocalCloud } from '../src/index.js';
import { credentials, sqsClient, startManual } from './helpers.js';

let cloud: LocalCloud<ManualClock>;

beforeAll(async () => {
  cloud = await startManual();
});
afterAll(() => cloud.stop());
beforeEach(() => cloud.reset());

const sign = (service: string, region = 'us-east-1', key = 'AKIDTEST') =>
  `AWS4-HMAC-SHA256 Credential=${key}/20260101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=00`;

describe('gateway', () => {
  it('reports its services and clock on /_local-cloud/health', async () => {
    const health = await (await fetch(`${cloud.url}/_local-cloud/health`)).json();
    expect(health).toMatchObject({ status: 'running', services: { sqs: 'running' }, clock: { mode: 'manual' } });
  });

  it('hands out queue URLs that route back through whichever host name the client used', async () => {
    const viaLocalhost = new SQSClient({
      endpoint: `http://localhost:${cloud.port}`,
      region: 'us-east-1',
      credentials,
    });
    const { QueueUrl } = await viaLocalhost.send(new CreateQueueCommand({ QueueName: 'hosts' }));
    expect(QueueUrl).toBe(`http://localhost:${cloud.port}/000000000000/hosts`);
    const viaIp = await sqsClient(cloud).send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    expect(viaIp.Attributes?.QueueArn).toBe('arn:aws:sqs:us-east-1:000000000000:hosts');
  });

  it('takes the region from the credential scope and keeps regions apart', async () => {
    const eu = sqsClient(cloud, 'eu-west-1');
    const { QueueUrl } = await eu.send(new CreateQueueCommand({ QueueName: 'regional' }));
    const attrs = await eu.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    expect(attrs.Attributes?.QueueArn).toBe('arn:aws:sqs:eu-west-1:000000000000:regional');
    const us = await sqsClient(cloud, 'us-east-1').send(new ListQueuesCommand({}));
    expect(us.QueueUrls).toBeUndefined();
  });

  it('treats a 12-digit access key id as the account id', async () => {
    const other = new SQSClient({
      endpoint: cloud.url,
      region: 'us-east-1',
      credentials: { accessKeyId: '111122223333', secretAccessKey: 'x' },
    });
    const { QueueUrl } = await other.send(new CreateQueueCommand({ QueueName: 'mine' }));
    expect(QueueUrl).toBe(`${cloud.url}/111122223333/mine`);
  });

  it('answers an unknown JSON operation with UnknownOperationException', async () => {
    const res = await fetch(cloud.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': 'AmazonSQS.FlyToTheMoon',
        authorization: sign('sqs'),
      },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { __type: string }).__type).toBe(
      'com.amazon.coral.service#UnknownOperationException',
    );
  });

  it('answers a malformed JSON body with SerializationException', async () => {
    const res = await fetch(cloud.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' },
      body: '{"QueueNamePrefix":',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { __type: string }).__type).toBe('com.amazon.coral.service#SerializationException');
  });

  it('answers an unknown Query action with InvalidAction in XML', async () => {
    const res = await fetch(cloud.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: sign('sqs') },
      body: 'Action=Teleport&Version=2012-11-05',
    });
    expect(res.status).toBe(400);
    const text = await res.text();
    expect(text).toContain('<Code>InvalidAction</Code>');
    expect(text).toContain('The action Teleport is not valid for this endpoint.');
  });

  it('answers a request for a service it does not run with an AWS-shaped error, not a crash', async () => {
    const res = await fetch(cloud.url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Kinesis_20131202.ListStreams' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { __type: string }).__type).toContain('UnknownOperationException');
  });

  it('wipes all state on POST /_local-cloud/reset', async () => {
    const sqs = sqsClient(cloud);
    await sqs.send(new CreateQueueCommand({ QueueName: 'doomed' }));
    expect((await fetch(`${cloud.url}/_local-cloud/reset`, { method: 'POST' })).status).toBe(200);
    expect((await sqs.send(new ListQueuesCommand({}))).QueueUrls).toBeUndefined();
  });

  it('advances a manual clock from outside the process', async () => {
    const before = cloud.clock.now();
    const res = await fetch(`${cloud.url}/_local-cloud/clock/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ by: '5m' }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { epochMs: number }).epochMs).toBe(before + 300_000);
    expect(cloud.clock.now()).toBe(before + 300_000);
  });

  it('fast-forwards the system clock by an offset, firing what falls due (a hidden message reappears)', async () => {
    const live = await startLocalCloud({ persistence: 'memory' });
    try {
      const sqs = sqsClient(live);
      const { QueueUrl } = await sqs.send(
        new CreateQueueCommand({ QueueName: 'ff', Attributes: { VisibilityTimeout: '600' } }),
      );
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'again' }));
      await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
      expect((await sqs.send(new ReceiveMessageCommand({ QueueUrl }))).Messages).toBeUndefined();
      const before = Date.now();
      const res = await fetch(`${live.url}/_local-cloud/clock/advance?by=10m`, { method: 'POST' });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { epochMs: number }).epochMs).toBeGreaterThanOrEqual(before + 600_000);
      const back = await sqs.send(new ReceiveMessageCommand({ QueueUrl }));
      expect(back.Messages?.[0]?.Body).toBe('again');
    } finally {
      await live.stop();
    }
  });

  it('never moves the system clock backwards', async () => {
    const live = await startLocalCloud({ persistence: 'memory' });
    try {
      const res = await fetch(`${live.url}/_local-cloud/clock/set?to=2000-01-01T00:00:00Z`, { method: 'POST' });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { epochMs: number }).epochMs).toBeGreaterThan(Date.parse('2026-01-01'));
    } finally {
      await live.stop();
    }
  });
});
