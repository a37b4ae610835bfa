import {
  CreateTopicCommand,
  PublishBatchCommand,
  PublishCommand,
  type SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import { DeleteQueueCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalCloud, ManualClock } from '../../src/index.js';
import { awsError, sqsClient, startManual } from '../helpers.js';
import { drain, queue, snsClient, verifySnsSignature } from './helpers.js';

let cloud: LocalCloud<ManualClock>;
let sns: SNSClient;
let sqs: SQSClient;

beforeAll(async () => {
  cloud = await startManual();
  sns = snsClient(cloud);
  sqs = sqsClient(cloud);
});
afterAll(() => cloud.stop());
beforeEach(() => cloud.reset());

const topic = async (Name: string) => (await sns.send(new CreateTopicCommand({ Name }))).TopicArn as string;
const subscribe = async (TopicArn: string, Endpoint: string, Attributes?: Record<string, string>) =>
  (await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint, Attributes }))).SubscriptionArn as string;
const body = (m: { Body?: string }) => JSON.parse(m.Body ?? '{}');

describe('SNS to SQS', () => {
  it('fans out to two queues, one with a filter policy, in the JSON envelope', async () => {
    const arn = await topic('fanout');
    const all = await queue(sqs, 'all');
    const red = await queue(sqs, 'red');
    const allSub = await subscribe(arn, all.arn);
    await subscribe(arn, red.arn, { FilterPolicy: JSON.stringify({ color: ['red'], size: [{ numeric: ['>', 2] }] }) });

    const published = await sns.send(
      new PublishCommand({
        TopicArn: arn,
        Message: 'a red one',
        Subject: 'Paint',
        MessageAttributes: {
          color: { DataType: 'String', StringValue: 'red' },
          size: { DataType: 'Number', StringValue: '3' },
          blob: { DataType: 'Binary', BinaryValue: Buffer.from('hi') },
        },
      }),
    );
    await sns.send(
      new PublishCommand({
        TopicArn: arn,
        Message: 'a blue one',
        MessageAttributes: { color: { DataType: 'String', StringValue: 'blue' } },
      }),
    );

    const inAll = await drain(sqs, all.url);
    expect(inAll.map((m) => body(m).Message).sort()).toEqual(['a blue one', 'a red one']);
    const inRed = await drain(sqs, red.url);
    expect(inRed).toHaveLength(1);

    const env = body(inAll.find((m) => body(m).Message === 'a red one') as { Body?: string });
    expect(Object.keys(env)).toEqual([
      'Type',
      'MessageId',
      'TopicArn',
      'Subject',
      'Message',
      'Timestamp',
      'SignatureVersion',
      'Signature',
      'SigningCertURL',
      'UnsubscribeURL',
      'MessageAttributes',
    ]);
    expect(env.Type).toBe('Notification');
    expect(env.MessageId).toBe(published.MessageId);
    expect(env.TopicArn).toBe(arn);
    expect(env.Subject).toBe('Paint');
    expect(env.Message).toBe('a red one');
    expect(env.Timestamp).toBe(new Date(cloud.clock.now()).toISOString());
    expect(env.SignatureVersion).toBe('1');
    expect(Buffer.from(env.Signature, 'base64')).toHaveLength(128);
    expect(env.SigningCertURL).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.+\.pem$/);
    expect(env.UnsubscribeURL).toBe(`${cloud.url}/?Action=Unsubscribe&SubscriptionArn=${allSub}`);
    expect(env.MessageAttributes).toEqual({
      color: { Type: 'String', Value: 'red' },
      size: { Type: 'Number', Value: '3' },
      blob: { Type: 'Binary', Value: Buffer.from('hi').toString('base64') },
    });
    // Without a Subject the key is left out.
    const blue = body(inAll.find((m) => body(m).Message === 'a blue one') as { Body?: string });
    expect(blue).not.toHaveProperty('Subject');
  });

  it('signs notifications so they verify against the certificate SigningCertURL serves (versions 1 and 2)', async () => {
    const v1 = await topic('signed-v1');
    const v2 = (await sns.send(new CreateTopicCommand({ Name: 'signed-v2', Attributes: { SignatureVersion: '2' } })))
      .TopicArn as string;
    const q = await queue(sqs, 'signed');
    await subscribe(v1, q.arn);
    await subscribe(v2, q.arn);
    await sns.send(new PublishCommand({ TopicArn: v1, Message: 'one', Subject: 'With a subject' }));
    await sns.send(new PublishCommand({ TopicArn: v2, Message: 'two' }));
    const envs = (await drain(sqs, q.url)).map(body);
    expect(envs.map((e) => e.SignatureVersion).sort()).toEqual(['1', '2']);
    for (const e of envs) expect(await verifySnsSignature(e)).toBe(true);
    // A changed message no longer verifies.
    expect(await verifySnsSignature({ ...envs[0], Message: 'tampered' })).toBe(false);
    // Only the current certificate is served.
    const certUrl = String(envs[0].SigningCertURL);
    const other = certUrl.replace(/-[0-9a-f]+\.pem$/, '-0000.pem');
    expect(other).not.toBe(certUrl);
    expect((await fetch(other)).status).toBe(404);
  });

  it('delivers the bare message with raw delivery, attributes as SQS message attributes', async () => {
    const arn = await topic('raw');
    const q = await queue(sqs, 'raw-q');
    await subscribe(arn, q.arn, { RawMessageDelivery: 'true' });
    await sns.send(
      new PublishCommand({
        TopicArn: arn,
        Message: 'just this',
        MessageAttributes: {
          kind: { DataType: 'String', StringValue: 'x' },
          n: { DataType: 'Number', StringValue: '1.5' },
          b: { DataType: 'Binary', BinaryValue: Buffer.from([1, 2]) },
        },
      }),
    );
    const [m] = await drain(sqs, q.url);
    expect(m?.Body).toBe('just this');
    expect(m?.MessageAttributes?.kind).toMatchObject({ DataType: 'String', StringValue: 'x' });
    expect(m?.MessageAttributes?.n).toMatchObject({ DataType: 'Number', StringValue: '1.5' });
    expect(Buffer.from(m?.MessageAttributes?.b?.BinaryValue ?? [])).toEqual(Buffer.from([1, 2]));
    expect(m?.Attributes?.SenderId).toBe('AIDAIT2UOQQY3AUEKVGXU');
  });

  it('drops a raw message with more than 10 attributes (to the DLQ when there is one)', async () => {
    const arn = await topic('many');
    const q = await queue(sqs, 'many-q');
    const dlq = await queue(sqs, 'many-dlq');
    await subscribe(arn, q.arn, {
      RawMessageDelivery: 'true',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }),
    });
    const MessageAttributes = Object.fromEntries(
      Array.from({ length: 11 }, (_, i) => [`a${i}`, { DataType: 'String', StringValue: String(i) }]),
    );
    await sns.send(new PublishCommand({ TopicArn: arn, Message: 'crowded', MessageAttributes }));
    expect(await drain(sqs, q.url)).toEqual([]);
    const dead = await drain(sqs, dlq.url);
    expect(dead.map((m) => m.Body)).toEqual(['crowded']);
  });

  it('sends to the subscription DLQ when the queue is gone', async () => {
    const arn = await topic('lost');
    const q = await queue(sqs, 'lost-q');
    const dlq = await queue(sqs, 'lost-dlq');
    await subscribe(arn, q.arn, { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn }) });
    await sqs.send(new DeleteQueueCommand({ QueueUrl: q.url }));
    await sns.send(new PublishCommand({ TopicArn: arn, Message: 'nowhere' }));
    const [m] = await drain(sqs, dlq.url);
    expect(body(m ?? {})).toMatchObject({ Type: 'Notification', Message: 'nowhere', TopicArn: arn });
    // Without attributes the key is left out.
    expect(body(m ?? {})).not.toHaveProperty('MessageAttributes');
  });

  it('filters on the message body with MessageBody scope', async () => {
    const arn = await topic('bodies');
    const q = await queue(sqs, 'bodies-q');
    await subscribe(arn, q.arn, {
      FilterPolicyScope: 'MessageBody',
      FilterPolicy: JSON.stringify({ order: { status: ['paid'], total: [{ numeric: ['>=', 100] }] } }),
    });
    const send = (o: unknown) => sns.send(new PublishCommand({ TopicArn: arn, Message: JSON.stringify(o) }));
    await send({ order: { status: 'paid', total: 150 } });
    await send({ order: { status: 'paid', total: 50 } });
    await send({ order: { status: 'open', total: 150 } });
    await sns.send(new PublishCommand({ TopicArn: arn, Message: 'not json' }));
    const got = await drain(sqs, q.url);
    expect(got.map((m) => JSON.parse(body(m).Message))).toEqual([{ order: { status: 'paid', total: 150 } }]);
  });

  it('sends each protocol its own text with MessageStructure=json', async () => {
    const arn = await topic('structured');
    const q = await queue(sqs, 'structured-q');
    await subscribe(arn, q.arn);
    await sns.send(
      new PublishCommand({
        TopicArn: arn,
        MessageStructure: 'json',
        Message: JSON.stringify({ default: 'for everyone', sqs: 'for queues', email: 'for people' }),
      }),
    );
    const [m] = await drain(sqs, q.url);
    expect(body(m ?? {}).Message).toBe('for queues');
    const noDefault = await awsError(() =>
      sns.send(new PublishCommand({ TopicArn: arn, MessageStructure: 'json', Message: '{"sqs":"x"}' })),
    );
    expect(noDefault.message).toBe('Invalid parameter: Message Structure - No default entry in JSON message body');
  });

  it('validates messages with AWS messages', async () => {
    const arn = await topic('checks');
    const publish = (input: Omit<ConstructorParameters<typeof PublishCommand>[0], 'TopicArn'>) =>
      awsError(() => sns.send(new PublishCommand({ TopicArn: arn, ...input })));
    expect((await publish({ Message: '' })).message).toBe('Invalid parameter: Empty message');
    expect((await publish({ Message: 'x'.repeat(262_145) })).message).toBe('Invalid parameter: Message too long');
    expect((await publish({ Message: 'x', Subject: 'a\nb' })).message).toBe('Invalid parameter: Subject');
    expect((await publish({ Message: 'x', Subject: 's'.repeat(100) })).message).toBe('Invalid parameter: Subject');
    expect((await publish({ Message: 'x', MessageGroupId: 'g' })).message).toBe(
      'Invalid parameter: MessageGroupId Reason: The request includes MessageGroupId parameter that is not valid for this topic type',
    );
    const attr = await publish({ Message: 'x', MessageAttributes: { a: { DataType: 'Text', StringValue: 'v' } } });
    expect(attr).toMatchObject({ name: 'InvalidParameterValueException', status: 400 });
    expect(attr.message).toBe(
      "The message attribute 'a' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.",
    );
    await sns.send(new PublishCommand({ TopicArn: arn, Message: 'x'.repeat(262_144) }));
  });
});

describe('PublishBatch', () => {
  it('publishes up to ten messages and reports each one', async () => {
    const arn = await topic('batch');
    const q = await queue(sqs, 'batch-q');
    await subscribe(arn, q.arn, { RawMessageDelivery: 'true' });
    const r = await sns.send(
      new PublishBatchCommand({
        TopicArn: arn,
        PublishBatchRequestEntries: [
          { Id: 'one', Message: 'first' },
          { Id: 'two', Message: 'second', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } },
        ],
      }),
    );
    expect(r.Successful?.map((s) => s.Id)).toEqual(['one', 'two']);
    expect(r.Successful?.every((s) => /^[0-9a-f-]{36}$/.test(s.MessageId ?? ''))).toBe(true);
    expect(r.Failed ?? []).toEqual([]);
    const got = await drain(sqs, q.url);
    expect(got.map((m) => m.Body).sort()).toEqual(['first', 'second']);
  });

  it('enforces the batch limits', async () => {
    const arn = await topic('batch-limits');
    const batch = (entries: Array<{ Id: string; Message: string }>) =>
      awsError(() => sns.send(new PublishBatchCommand({ TopicArn: arn, PublishBatchRequestEntries: entries })));
    const eleven = Array.from({ length: 11 }, (_, i) => ({ Id: `m${i}`, Message: 'x' }));
    expect(await batch(eleven)).toMatchObject({ name: 'TooManyEntriesInBatchRequestException', status: 400 });
    expect(await batch([])).toMatchObject({ name: 'EmptyBatchRequestException' });
    expect(
      await batch([
        { Id: 'a', Message: 'x' },
        { Id: 'a', Message: 'y' },
      ]),
    ).toMatchObject({ name: 'BatchEntryIdsNotDistinctException' });
    expect(await batch([{ Id: 'bad id!', Message: 'x' }])).toMatchObject({ name: 'InvalidBatchEntryIdException' });
    expect(
      await batch([
        { Id: 'a', Message: 'x'.repeat(200_000) },
        { Id: 'b', Message: 'x'.repeat(100_000) },
      ]),
    ).toMatchObject({ name: 'BatchRequestTooLongException' });
  });
});
