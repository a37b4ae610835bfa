import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../src/index.js';
import { AWS_CLI, hasAwsCli as hasCli, runAwsCli } from '../aws-cli.js';

/**
 * SQS over the legacy Query/XML protocol: Debian's AWS CLI 2.9.19 (/usr/bin/aws) still speaks
 * Query for SQS, so it exercises form decoding and XML encoding end to end; raw fetch() checks the
 * wire format itself. The `aws` on PATH may be a newer CLI that speaks JSON, so the path is fixed.
 */
const ACCOUNT = '000000000000';
const NS = 'http://queue.amazonaws.com/doc/2012-11-05/';

let cloud: LocalCloud;

beforeAll(async () => {
  cloud = await startLocalCloud({ persistence: 'memory' });
});
afterAll(async () => {
  await cloud?.stop();
});

const aws = (...args: string[]) => runAwsCli(cloud.url, ...args);

/** Runs the CLI and parses its JSON output, failing with the CLI's stderr if it exits non-zero. */
async function awsJson<T = Record<string, unknown>>(...args: string[]): Promise<T> {
  const r = await aws(...args);
  if (r.code !== 0) throw new Error(`aws ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
  return (r.stdout.trim() === '' ? {} : JSON.parse(r.stdout)) as T;
}

function queueUrlOf(name: string): string {
  return `${cloud.url}/${ACCOUNT}/${name}`;
}

interface CliMessage {
  MessageId: string;
  ReceiptHandle: string;
  MD5OfBody: string;
  Body: string;
  Attributes?: Record<string, string>;
  MD5OfMessageAttributes?: string;
  MessageAttributes?: Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;
}

/** MD5OfMessageAttributes computed independently of the server (aws-semantics §1.4). */
function md5OfAttributes(attrs: Record<string, { DataType: string; StringValue?: string; BinaryValue?: Buffer }>) {
  const parts: Buffer[] = [];
  const withLength = (b: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    parts.push(len, b);
  };
  for (const name of Object.keys(attrs).sort()) {
    const v = attrs[name] as { DataType: string; StringValue?: string; BinaryValue?: Buffer };
    withLength(Buffer.from(name, 'utf8'));
    withLength(Buffer.from(v.DataType, 'utf8'));
    if (v.BinaryValue !== undefined) {
      parts.push(Buffer.from([2]));
      withLength(v.BinaryValue);
    } else {
      parts.push(Buffer.from([1]));
      withLength(Buffer.from(v.StringValue ?? '', 'utf8'));
    }
  }
  return createHash('md5').update(Buffer.concat(parts)).digest('hex');
}

const md5 = (s: string) => createHash('md5').update(s, 'utf8').digest('hex');

/** POSTs a Query form (unsigned) and returns status, headers and the XML text. */
async function postQuery(params: Record<string, string>, path = '/') {
  const res = await fetch(`${cloud.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

async function postJson(target: string, body: string) {
  const res = await fetch(cloud.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': target },
    body,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text };
}

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|lt|gt|amp|quot|apos);/g, (_, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number.parseInt(e.slice(1), 10));
    return ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[e] as string;
  });
}

/** Text of every <tag>…</tag> (no nested elements of the same name in SQS responses). */
function xmlAll(xml: string, tag: string): string[] {
  return [...xml.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((m) => unescapeXml(m[1] as string));
}
function xmlOne(xml: string, tag: string): string | undefined {
  return xmlAll(xml, tag)[0];
}

// Each CLI call starts Python (about 1 s), so these tests get a longer timeout.
describe.skipIf(!hasCli)(
  hasCli
    ? `SQS Query protocol through the AWS CLI (${AWS_CLI})`
    : `SQS Query protocol through the AWS CLI: skipped, ${AWS_CLI} (Debian's awscli 2.9.x, which speaks Query) is not installed`,
  { timeout: 90_000 },
  () => {
    it('the MD5 helper used by these tests matches the published test vector', () => {
      expect(md5OfAttributes({ attribName1: { DataType: 'String', StringValue: 'attribValue 1' } })).toBe(
        '19e27d4e946b072f3f58da80d94fd778',
      );
    });

    it('create-queue applies attributes and tags; get-queue-url and get-queue-attributes report them', async () => {
      const created = await awsJson<{ QueueUrl: string }>(
        'sqs',
        'create-queue',
        '--queue-name',
        'cli-create',
        '--attributes',
        'VisibilityTimeout=45,MessageRetentionPeriod=86400',
        '--tags',
        'env=test,team=core',
      );
      expect(created.QueueUrl).toBe(queueUrlOf('cli-create'));
      const got = await awsJson<{ QueueUrl: string }>('sqs', 'get-queue-url', '--queue-name', 'cli-create');
      expect(got.QueueUrl).toBe(created.QueueUrl);
      const attrs = await awsJson<{ Attributes: Record<string, string> }>(
        'sqs',
        'get-queue-attributes',
        '--queue-url',
        created.QueueUrl,
        '--attribute-names',
        'All',
      );
      expect(attrs.Attributes.VisibilityTimeout).toBe('45');
      expect(attrs.Attributes.MessageRetentionPeriod).toBe('86400');
      expect(attrs.Attributes.QueueArn).toBe(`arn:aws:sqs:us-east-1:${ACCOUNT}:cli-create`);
      expect(attrs.Attributes.ApproximateNumberOfMessages).toBe('0');
      const tags = await awsJson<{ Tags: Record<string, string> }>(
        'sqs',
        'list-queue-tags',
        '--queue-url',
        created.QueueUrl,
      );
      expect(tags.Tags).toEqual({ env: 'test', team: 'core' });
    });

    it('list-queues filters by name prefix', async () => {
      for (const name of ['cli-list-a', 'cli-list-b', 'cli-other']) {
        await awsJson('sqs', 'create-queue', '--queue-name', name);
      }
      const listed = await awsJson<{ QueueUrls: string[] }>('sqs', 'list-queues', '--queue-name-prefix', 'cli-list-');
      expect([...listed.QueueUrls].sort()).toEqual([queueUrlOf('cli-list-a'), queueUrlOf('cli-list-b')]);
    });

    it('send-message with string, number and binary attributes round-trips them with correct MD5s', async () => {
      const { QueueUrl } = await awsJson<{ QueueUrl: string }>('sqs', 'create-queue', '--queue-name', 'cli-attrs');
      const binary = Buffer.from([0, 1, 2, 0xfe, 0xff]);
      const sent = await awsJson<{ MessageId: string; MD5OfMessageBody: string; MD5OfMessageAttributes: string }>(
        'sqs',
        'send-message',
        '--queue-url',
        QueueUrl,
        '--message-body',
        'hello query',
        '--message-attributes',
        JSON.stringify({
          color: { DataType: 'String', StringValue: 'blue' },
          count: { DataType: 'Number', StringValue: '42' },
          blob: { DataType: 'Binary', BinaryValue: binary.toString('base64') },
        }),
      );
      const expectedMd5 = md5OfAttributes({
        color: { DataType: 'String', StringValue: 'blue' },
        count: { DataType: 'Number', StringValue: '42' },
        blob: { DataType: 'Binary', BinaryValue: binary },
      });
      expect(sent.MD5OfMessageBody).toBe(md5('hello query'));
      expect(sent.MD5OfMessageAttributes).toBe(expectedMd5);

      const got = await awsJson<{ Messages: CliMessage[] }>(
        'sqs',
        'receive-message',
        '--queue-url',
        QueueUrl,
        '--attribute-names',
        'All',
        '--message-attribute-names',
        'All',
      );
      expect(got.Messages).toHaveLength(1);
      const m = got.Messages[0] as CliMessage;
      expect(m.MessageId).toBe(sent.MessageId);
      expect(m.Body).toBe('hello query');
      expect(m.MD5OfBody).toBe(md5('hello query'));
      expect(m.MD5OfMessageAttributes).toBe(expectedMd5);
      expect(m.MessageAttributes).toEqual({
        color: { DataType: 'String', StringValue: 'blue' },
        count: { DataType: 'Number', StringValue: '42' },
        blob: { DataType: 'Binary', BinaryValue: binary.toString('base64') },
      });
      expect(m.Attributes?.ApproximateReceiveCount).toBe('1');
      expect(m.Attributes?.SenderId).toBe('AKIDQUERYCLI');
      expect(m.Attributes?.SentTimestamp).toMatch(/^\d{13}$/);
      expect(m.Attributes?.ApproximateFirstReceiveTimestamp).toMatch(/^\d{13}$/);
    });

    it('receive-message returns only the message attributes named', async () => {
      const { QueueUrl } = await awsJson<{ QueueUrl: string }>('sqs', 'create-queue', '--queue-name', 'cli-attr-names');
      await awsJson(
        'sqs',
        'send-message',
        '--queue-url',
        QueueUrl,
        '--message-body',
        'x',
        '--message-attributes',
        JSON.stringify({
          keep: { DataType: 'String', StringValue: 'yes' },
          drop: { DataType: 'String', StringValue: 'no' },
        }),
      );
      const got = await awsJson<{ Messages: CliMessage[] }>(
        'sqs',
        'receive-message',
        '--queue-url',
        QueueUrl,
        '--message-attribute-names',
        'keep',
        '--attribute-names',
        'ApproximateReceiveCount',
      );
      const m = got.Messages[0] as CliMessage;
      expect(m.MessageAttributes).toEqual({ keep: { DataType: 'String', StringValue: 'yes' } });
      expect(m.MD5OfMessageAttributes).toBe(md5OfAttributes({ keep: { DataType: 'String', StringValue: 'yes' } }));
      expect(m.Attributes).toEqual({ ApproximateReceiveCount: '1' });
    });

    it('send-message-batch, change-message-visibility, delete-message and delete-message-batch', async () => {
      const { QueueUrl } = await awsJson<{ QueueUrl: string }>('sqs', 'create-queue', '--queue-name', 'cli-batch');
      const batch = await awsJson<{ Successful: Array<{ Id: string; MessageId: string; MD5OfMessageBody: string }> }>(
        'sqs',
        'send-message-batch',
        '--queue-url',
        QueueUrl,
        '--entries',
        JSON.stringify([
          { Id: 'a', MessageBody: 'body-a' },
          {
            Id: 'b',
            MessageBody: 'body-b',
            MessageAttributes: { n: { DataType: 'Number', StringValue: '7' } },
          },
          { Id: 'c', MessageBody: 'body-c' },
        ]),
      );
      expect(batch.Successful.map((e) => e.Id).sort()).toEqual(['a', 'b', 'c']);
      for (const e of batch.Successful) expect(e.MD5OfMessageBody).toBe(md5(`body-${e.Id}`));
      expect(batch).not.toHaveProperty('Failed');

      const first = await awsJson<{ Messages: CliMessage[] }>(
        'sqs',
        'receive-message',
        '--queue-url',
        QueueUrl,
        '--max-number-of-messages',
        '10',
        '--visibility-timeout',
        '300',
        '--attribute-names',
        'All',
      );
      expect(first.Messages.map((m) => m.Body).sort()).toEqual(['body-a', 'body-b', 'body-c']);
      const byBody = new Map(first.Messages.map((m) => [m.Body, m]));

      // All three are in flight; make one visible again.
      const attrs = await awsJson<{ Attributes: Record<string, string> }>(
        'sqs',
        'get-queue-attributes',
        '--queue-url',
        QueueUrl,
        '--attribute-names',
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
      );
      expect(attrs.Attributes).toEqual({
        ApproximateNumberOfMessages: '0',
        ApproximateNumberOfMessagesNotVisible: '3',
      });
      await awsJson(
        'sqs',
        'change-message-visibility',
        '--queue-url',
        QueueUrl,
        '--receipt-handle',
        byBody.get('body-a')?.ReceiptHandle ?? '',
        '--visibility-timeout',
        '0',
      );
      const again = await awsJson<{ Messages: CliMessage[] }>(
        'sqs',
        'receive-message',
        '--queue-url',
        QueueUrl,
        '--max-number-of-messages',
        '10',
        '--attribute-names',
        'ApproximateReceiveCount',
      );
      expect(again.Messages).toHaveLength(1);
      expect(again.Messages[0]?.Body).toBe('body-a');
      expect(again.Messages[0]?.Attributes?.ApproximateReceiveCount).toBe('2');

      await awsJson(
        'sqs',
        'delete-message',
        '--queue-url',
        QueueUrl,
        '--receipt-handle',
        again.Messages[0]?.ReceiptHandle ?? '',
      );
      const deleted = await awsJson<{ Successful: Array<{ Id: string }> }>(
        'sqs',
        'delete-message-batch',
        '--queue-url',
        QueueUrl,
        '--entries',
        JSON.stringify([
          { Id: 'b', ReceiptHandle: byBody.get('body-b')?.ReceiptHandle },
          { Id: 'c', ReceiptHandle: byBody.get('body-c')?.ReceiptHandle },
        ]),
      );
      expect(deleted.Successful.map((e) => e.Id).sort()).toEqual(['b', 'c']);
      expect(deleted).not.toHaveProperty('Failed');
      const after = await awsJson<{ Attributes: Record<string, string> }>(
        'sqs',
        'get-queue-attributes',
        '--queue-url',
        QueueUrl,
        '--attribute-names',
        'ApproximateNumberOfMessages',
        'ApproximateNumberOfMessagesNotVisible',
      );
      expect(after.Attributes).toEqual({
        ApproximateNumberOfMessages: '0',
        ApproximateNumberOfMessagesNotVisible: '0',
      });
    });

    it('delete-message-batch reports a malformed receipt handle as a failed entry', async () => {
      const { QueueUrl } = await awsJson<{ QueueUrl: string }>('sqs', 'create-queue', '--queue-name', 'cli-batch-bad');
      const r = await awsJson<{
        Successful?: unknown[];
        Failed: Array<{ Id: string; Code: string; SenderFault: boolean }>;
      }>(
        'sqs',
        'delete-message-batch',
        '--queue-url',
        QueueUrl,
        '--entries',
        JSON.stringify([{ Id: 'x', ReceiptHandle: 'not-a-handle' }]),
      );
      expect(r.Failed).toEqual([
        expect.objectContaining({ Id: 'x', Code: 'ReceiptHandleIsInvalid', SenderFault: true }),
      ]);
    });

    it('set-queue-attributes changes what get-queue-attributes reports', async () => {
      const { QueueUrl } = await awsJson<{ QueueUrl: string }>('sqs', 'create-queue', '--queue-name', 'cli-set-attrs');
      await awsJson(
        'sqs',
        'set-queue-attributes',
        '--queue-url',
        QueueUrl,
        '--attributes',
        'VisibilityTimeout=60,DelaySeconds=5',
      );
      const r = await awsJson<{ Attributes: Record<string, string> }>(
        'sqs',
        'get-queue-attributes',
        '--queue-url',
        QueueUrl,
        '--attribute-names',
        'VisibilityTimeout',
        'DelaySeconds',
      );
      expect(r.Attributes).toEqual({ VisibilityTimeout: '60', DelaySeconds: '5' });
    });

    it('tag-queue adds tags, untag-queue removes them, list-queue-tags shows the result', async () => {
      const { QueueUrl } = await awsJson<{ QueueUrl: string }>(
        'sqs',
        'create-queue',
        '--queue-name',
        'cli-tags',
        '--tags',
        'env=test',
      );
      await awsJson('sqs', 'tag-queue', '--queue-url', QueueUrl, '--tags', 'team=core,cost=42');
      await awsJson('sqs', 'untag-queue', '--queue-url', QueueUrl, '--tag-keys', 'env', 'cost');
      const tags = await awsJson<{ Tags: Record<string, string> }>('sqs', 'list-queue-tags', '--queue-url', QueueUrl);
      expect(tags.Tags).toEqual({ team: 'core' });
    });

    it('purge-queue removes every message', async () => {
      const { QueueUrl } = await awsJson<{ QueueUrl: string }>('sqs', 'create-queue', '--queue-name', 'cli-purge');
      await awsJson(
        'sqs',
        'send-message-batch',
        '--queue-url',
        QueueUrl,
        '--entries',
        JSON.stringify([
          { Id: '1', MessageBody: 'one' },
          { Id: '2', MessageBody: 'two' },
        ]),
      );
      await awsJson('sqs', 'purge-queue', '--queue-url', QueueUrl);
      const r = await awsJson<{ Attributes: Record<string, string> }>(
        'sqs',
        'get-queue-attributes',
        '--queue-url',
        QueueUrl,
        '--attribute-names',
        'ApproximateNumberOfMessages',
      );
      expect(r.Attributes.ApproximateNumberOfMessages).toBe('0');
      const got = await awsJson('sqs', 'receive-message', '--queue-url', QueueUrl);
      expect(got).not.toHaveProperty('Messages');
    });

    it('delete-queue makes the queue unknown to get-queue-url', async () => {
      const { QueueUrl } = await awsJson<{ QueueUrl: string }>('sqs', 'create-queue', '--queue-name', 'cli-delete');
      await awsJson('sqs', 'delete-queue', '--queue-url', QueueUrl);
      const r = await aws('sqs', 'get-queue-url', '--queue-name', 'cli-delete');
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('AWS.SimpleQueueService.NonExistentQueue');
    });

    it('a non-existent queue is reported as AWS.SimpleQueueService.NonExistentQueue with the wsdl wording', async () => {
      const r = await aws('sqs', 'get-queue-url', '--queue-name', 'cli-never-created');
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('AWS.SimpleQueueService.NonExistentQueue');
      expect(r.stderr).toContain('The specified queue does not exist for this wsdl version.');
      const send = await aws(
        'sqs',
        'send-message',
        '--queue-url',
        queueUrlOf('cli-never-created'),
        '--message-body',
        'x',
      );
      expect(send.code).not.toBe(0);
      expect(send.stderr).toContain('AWS.SimpleQueueService.NonExistentQueue');
    });

    it('receive-message with MaxNumberOfMessages 11 fails with InvalidParameterValue', async () => {
      const { QueueUrl } = await awsJson<{ QueueUrl: string }>('sqs', 'create-queue', '--queue-name', 'cli-max11');
      const r = await aws('sqs', 'receive-message', '--queue-url', QueueUrl, '--max-number-of-messages', '11');
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain('(InvalidParameterValue)');
      expect(r.stderr).toContain(
        'Value 11 for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.',
      );
    });

    it('a body with a carriage return survives the XML round trip to the CLI', async () => {
      const { QueueUrl } = await awsJson<{ QueueUrl: string }>('sqs', 'create-queue', '--queue-name', 'cli-cr');
      const body = 'line1\r\nline2\rend';
      await awsJson('sqs', 'send-message', '--queue-url', QueueUrl, '--message-body', body);
      const got = await awsJson<{ Messages: CliMessage[] }>('sqs', 'receive-message', '--queue-url', QueueUrl);
      expect(got.Messages[0]?.Body).toBe(body);
      expect(got.Messages[0]?.MD5OfBody).toBe(md5(body));
    });
  },
);

describe('SQS Query wire format (raw HTTP)', () => {
  async function createQueue(name: string): Promise<string> {
    const r = await postQuery({ Action: 'CreateQueue', Version: '2012-11-05', QueueName: name });
    expect(r.status).toBe(200);
    const url = xmlOne(r.text, 'QueueUrl');
    expect(url).toBe(queueUrlOf(name));
    return url as string;
  }

  it('SendMessage answers with a SendMessageResponse in the 2012-11-05 namespace and a RequestId', async () => {
    const QueueUrl = await createQueue('wire-send');
    const r = await postQuery({ Action: 'SendMessage', Version: '2012-11-05', QueueUrl, MessageBody: 'wire hello' });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/xml/);
    expect(r.text).toMatch(/^<\?xml version="1\.0"( encoding="UTF-8")?\?>/);
    expect(r.text).toContain(`<SendMessageResponse xmlns="${NS}"><SendMessageResult>`);
    expect(xmlOne(r.text, 'MD5OfMessageBody')).toBe(md5('wire hello'));
    expect(xmlOne(r.text, 'MessageId')).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.text).toMatch(
      /<\/SendMessageResult><ResponseMetadata><RequestId>[0-9a-f-]{36}<\/RequestId><\/ResponseMetadata><\/SendMessageResponse>$/,
    );
    expect(r.text).not.toContain('<MD5OfMessageAttributes>');
  });

  it('an operation with no output has no Result element', async () => {
    const QueueUrl = await createQueue('wire-no-output');
    const r = await postQuery({ Action: 'PurgeQueue', Version: '2012-11-05', QueueUrl });
    expect(r.status).toBe(200);
    expect(r.text).toContain(`<PurgeQueueResponse xmlns="${NS}"><ResponseMetadata><RequestId>`);
    expect(r.text).not.toContain('PurgeQueueResult');
  });

  it('a body with a carriage return is sent as a character reference and decodes unchanged', async () => {
    const QueueUrl = await createQueue('wire-cr');
    const body = 'a\rb\r\nc & <d>';
    const sent = await postQuery({ Action: 'SendMessage', Version: '2012-11-05', QueueUrl, MessageBody: body });
    expect(xmlOne(sent.text, 'MD5OfMessageBody')).toBe(md5(body));
    const got = await postQuery({ Action: 'ReceiveMessage', Version: '2012-11-05', QueueUrl });
    expect(got.status).toBe(200);
    // A literal CR in XML text is normalised to LF by parsers, so it must be escaped.
    expect(got.text).not.toContain('\r');
    expect(xmlOne(got.text, 'Body')).toBe(body);
    expect(xmlOne(got.text, 'MD5OfBody')).toBe(md5(body));
  });

  it('ReceiveMessage repeats <Message>, <Attribute> and <MessageAttribute> elements flattened', async () => {
    const QueueUrl = await createQueue('wire-receive');
    await postQuery({
      Action: 'SendMessage',
      Version: '2012-11-05',
      QueueUrl,
      MessageBody: 'm',
      'MessageAttribute.1.Name': 'bin',
      'MessageAttribute.1.Value.DataType': 'Binary',
      'MessageAttribute.1.Value.BinaryValue': Buffer.from('hi').toString('base64'),
    });
    const got = await postQuery({
      Action: 'ReceiveMessage',
      Version: '2012-11-05',
      QueueUrl,
      'AttributeName.1': 'ApproximateReceiveCount',
      'MessageAttributeName.1': 'All',
    });
    expect(got.text).toContain('<ReceiveMessageResult><Message><MessageId>');
    expect(got.text).toContain('<Attribute><Name>ApproximateReceiveCount</Name><Value>1</Value></Attribute>');
    expect(got.text).toContain(
      `<MessageAttribute><Name>bin</Name><Value><BinaryValue>${Buffer.from('hi').toString('base64')}</BinaryValue><DataType>Binary</DataType></Value></MessageAttribute>`,
    );
    const empty = await postQuery({ Action: 'ReceiveMessage', Version: '2012-11-05', QueueUrl });
    expect(empty.status).toBe(200);
    expect(empty.text).toMatch(/<ReceiveMessageResult\/>|<ReceiveMessageResult><\/ReceiveMessageResult>/);
  });

  it('an unknown Action fails with 400 InvalidAction', async () => {
    const r = await postQuery({ Action: 'FooBar', Version: '2012-11-05' });
    expect(r.status).toBe(400);
    expect(r.text).toContain('<ErrorResponse');
    expect(r.text).toContain('<Type>Sender</Type>');
    expect(xmlOne(r.text, 'Code')).toBe('InvalidAction');
    expect(xmlOne(r.text, 'Message')).toBe('The action FooBar is not valid for this endpoint.');
    expect(r.text).toMatch(/<\/Error><RequestId>[^<]+<\/RequestId><\/ErrorResponse>$/);
  });

  it('a Query error for a missing queue uses the ErrorResponse envelope with Detail and a sibling RequestId', async () => {
    const r = await postQuery({
      Action: 'SendMessage',
      Version: '2012-11-05',
      QueueUrl: queueUrlOf('wire-missing'),
      MessageBody: 'x',
    });
    expect(r.status).toBe(400);
    expect(r.text).toMatch(
      new RegExp(
        `<ErrorResponse xmlns="${NS.replace(/[./]/g, '\\$&')}"><Error><Type>Sender</Type><Code>AWS\\.SimpleQueueService\\.NonExistentQueue</Code><Message>The specified queue does not exist for this wsdl version\\.</Message><Detail/></Error><RequestId>[0-9a-f-]{36}</RequestId></ErrorResponse>$`,
      ),
    );
  });

  it('a Query request POSTed to the queue URL path needs no QueueUrl parameter', async () => {
    const QueueUrl = await createQueue('wire-path');
    const path = `/${ACCOUNT}/wire-path`;
    const sent = await postQuery({ Action: 'SendMessage', Version: '2012-11-05', MessageBody: 'by path' }, path);
    expect(sent.status).toBe(200);
    expect(xmlOne(sent.text, 'MD5OfMessageBody')).toBe(md5('by path'));
    const got = await postQuery({ Action: 'ReceiveMessage', Version: '2012-11-05' }, path);
    expect(xmlOne(got.text, 'Body')).toBe('by path');
    // The message really landed in that queue.
    const attrs = await postQuery({
      Action: 'GetQueueAttributes',
      Version: '2012-11-05',
      QueueUrl,
      'AttributeName.1': 'ApproximateNumberOfMessagesNotVisible',
    });
    expect(attrs.text).toContain('<Attribute><Name>ApproximateNumberOfMessagesNotVisible</Name><Value>1</Value>');
  });

  it('CreateQueue sent to a queue URL path is an InvalidAction', async () => {
    await createQueue('wire-path-create');
    const r = await postQuery(
      { Action: 'CreateQueue', Version: '2012-11-05', QueueName: 'other' },
      `/${ACCOUNT}/wire-path-create`,
    );
    expect(r.status).toBe(400);
    expect(xmlOne(r.text, 'Code')).toBe('InvalidAction');
    expect(xmlOne(r.text, 'Message')).toBe('The action CreateQueue is not valid for this endpoint.');
  });

  it('a JSON request for an unknown operation fails with UnknownOperationException', async () => {
    const r = await postJson('AmazonSQS.FooBar', '{}');
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toMatch(/^application\/x-amz-json-1\.0/);
    expect(JSON.parse(r.text).__type).toMatch(/#UnknownOperationException$/);
  });

  it('a malformed JSON body fails with 400 SerializationException', async () => {
    const r = await postJson('AmazonSQS.ListQueues', '{"QueueNamePrefix": ');
    expect(r.status).toBe(400);
    expect(JSON.parse(r.text).__type).toMatch(/#SerializationException$/);
  });

  it('a JSON error names its legacy Query code in the x-amzn-query-error header', async () => {
    const missing = await postJson('AmazonSQS.GetQueueUrl', JSON.stringify({ QueueName: 'json-never-created' }));
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.text)).toEqual({
      __type: 'com.amazonaws.sqs#QueueDoesNotExist',
      message: 'The specified queue does not exist.',
    });
    expect(missing.headers.get('x-amzn-query-error')).toBe('AWS.SimpleQueueService.NonExistentQueue;Sender');

    const QueueUrl = await createQueue('json-max11');
    const tooMany = await postJson('AmazonSQS.ReceiveMessage', JSON.stringify({ QueueUrl, MaxNumberOfMessages: 11 }));
    expect(tooMany.status).toBe(400);
    expect(JSON.parse(tooMany.text).__type).toBe('com.amazon.coral.service#InvalidParameterValueException');
    expect(tooMany.headers.get('x-amzn-query-error')).toBe('InvalidParameterValue;Sender');
  });
});
