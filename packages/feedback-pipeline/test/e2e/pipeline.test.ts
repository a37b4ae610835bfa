import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetQueueAttributesCommand, ListQueuesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type LocalCloud, type ManualClock, startLocalCloud } from 'local-cloud';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASSEMBLY, synth } from '../../scripts/local.mjs';

/**
 * The real cloud assembly (cdk synth of infra/app.ts) deployed into an in-process local-cloud with a
 * manual clock: every flow of the system, through its public interfaces (HTTP, S3, SQS, the outbox).
 */
const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };
let cloud: LocalCloud<ManualClock>;
let out: Record<string, string>;
let api: string;

const client = <T>(C: new (c: object) => T) =>
  new C({ endpoint: cloud.url, region: 'us-east-1', credentials, maxAttempts: 1 });

async function eventually<T>(check: () => Promise<T | undefined | false>, ms = 20_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const post = (body: unknown) =>
  fetch(`${api}/feedback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

async function outbox(endpoint: string): Promise<Array<{ subject?: string; body: string; type: string }>> {
  const res = await fetch(`${cloud.url}/_local-cloud/outbox?endpoint=${encodeURIComponent(endpoint)}`);
  return ((await res.json()) as { messages: Array<{ subject?: string; body: string; type: string }> }).messages;
}

/** Visible messages, or with `inFlight` also those received and not yet deleted. */
async function depth(url: string, inFlight = false): Promise<number> {
  const names = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] as const;
  const { Attributes = {} } = await client(SQSClient).send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: [...names] }),
  );
  return Number(Attributes[names[0]]) + (inFlight ? Number(Attributes[names[1]]) : 0);
}

beforeAll(async () => {
  await synth();
  cloud = await startLocalCloud({ clock: 'manual', persistence: 'memory' });
  const { stacks } = await cloud.deploy(ASSEMBLY, {
    parameters: { OpsEmail: 'ops@example.com', SupportEmail: 'support@example.com' },
  });
  out = stacks.at(-1)?.outputs ?? {};
  api = (out.ApiUrl as string).replace(/\/$/, '');
}, 300_000);
afterAll(() => cloud?.stop());

describe('the feedback pipeline on local-cloud', () => {
  it('deploys every resource of the stack, none skipped', () => {
    expect(out.ApiUrl).toMatch(/\/_aws\/execute-api\//);
    expect(cloud.stacks()[0]?.resources).toBeDefined();
    const skipped = Object.entries(cloud.stacks()[0]?.resources ?? {}).filter(([, r]) => r.skipped);
    expect(skipped).toEqual([]);
  });

  it('accepts feedback with 202, stores it once, and emails support about a low rating', async () => {
    const res = await post({
      rating: 1,
      message: 'Checkout keeps failing',
      email: 'ann@example.com',
      tags: ['checkout'],
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };
    const item = await eventually(async () => {
      const r = await fetch(`${api}/feedback/${id}`);
      return r.status === 200 ? ((await r.json()) as { status: string; rating: number }) : undefined;
    });
    expect(item).toMatchObject({ id, rating: 1, status: 'new', message: 'Checkout keeps failing' });
    const mails = await eventually(async () => {
      const m = (await outbox('support@example.com')).filter((e) => e.type === 'Notification');
      return m.length ? m : undefined;
    });
    expect(mails.some((m) => m.body.includes('Checkout keeps failing'))).toBe(true);
  });

  it('answers 400 with the errors per field, and 413 for an oversized body', async () => {
    const bad = await post({ rating: 7, message: '', email: 'not-an-email' });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { errors: Record<string, string[]> };
    expect(Object.keys(body.errors).sort()).toEqual(['email', 'message', 'rating']);
    const big = await post({ rating: 3, message: 'x'.repeat(200_000) });
    expect(big.status).toBe(413);
  });

  it('lists, updates and deletes feedback through the CRUD API with REST errors', async () => {
    const { id } = (await (await post({ rating: 4, message: 'Nice new search' })).json()) as { id: string };
    await eventually(async () => (await fetch(`${api}/feedback/${id}`)).status === 200);
    const list = (await (await fetch(`${api}/feedback?status=new&limit=50`)).json()) as {
      items: Array<{ id: string }>;
    };
    expect(list.items.map((i) => i.id)).toContain(id);
    const put = await fetch(`${api}/feedback/${id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'in-progress', tags: ['search'] }),
    });
    expect(put.status).toBe(200);
    expect(((await put.json()) as { status: string }).status).toBe('in-progress');
    const invalid = await fetch(`${api}/feedback/${id}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"status":"archived"}',
    });
    expect(invalid.status).toBe(400);
    expect((await fetch(`${api}/feedback/${id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await fetch(`${api}/feedback/${id}`)).status).toBe(404);
    expect((await fetch(`${api}/feedback/${id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('imports a CSV upload through S3 → SNS → two queues: rows stored, upload audited', async () => {
    const csv = 'rating,message,source\n5,"Love the, new UI",import\n2,Too slow,import\n9,bad row,import\n';
    await client(S3Client).send(
      new PutObjectCommand({
        Bucket: out.ImportsBucketName,
        Key: 'uploads/week 47.csv',
        Body: csv,
        ContentType: 'text/csv',
      }),
    );
    const ddb = client(DynamoDBClient);
    await eventually(async () => {
      const items = (await ddb.send(new ScanCommand({ TableName: out.FeedbackTableName }))).Items ?? [];
      const messages = items.map((i) => i.message?.S);
      return messages.includes('Love the, new UI') && messages.includes('Too slow');
    });
    const audit = await eventually(async () => {
      const items = (await ddb.send(new ScanCommand({ TableName: out.UploadsTableName }))).Items ?? [];
      return items.length ? items : undefined;
    });
    expect(JSON.stringify(audit)).toContain('week 47.csv');
  });

  it('moves a poison message to the DLQ after 3 receives, fires the alarm and emails ops', async () => {
    // Moving the clock 91 s times out any invocation still running (the functions' timeouts are on the
    // clock too), so let the earlier tests' work finish first or its messages would be retried as well.
    const sqs = client(SQSClient);
    const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({}));
    for (const url of QueueUrls.filter((u) => !/Dlq|Canary/.test(u))) {
      await eventually(async () => (await depth(url, true)) === 0);
    }
    await sqs.send(new SendMessageCommand({ QueueUrl: out.FeedbackQueueUrl, MessageBody: '{not json' }));
    const started = Date.now();
    for (let receive = 1; receive <= 3 && (await depth(out.FeedbackDlqUrl as string)) === 0; receive++) {
      // Each failed receive hides the message for the queue's visibility timeout; move past it.
      await eventually(async () => (await depth(out.FeedbackQueueUrl as string)) === 0);
      await cloud.clock.advance('91s');
    }
    await eventually(async () => (await depth(out.FeedbackDlqUrl as string)) === 1);
    await cloud.clock.advance('2m');
    const alarm = await eventually(async () => {
      const m = (await outbox('ops@example.com')).filter((e) => e.subject?.startsWith('ALARM'));
      return m.length ? m[0] : undefined;
    });
    expect(alarm?.subject).toContain('in US East (N. Virginia)');
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('runs the queue canary by hand, even overlapping another run: each deletes its own probe', async () => {
    // Two runs at once, as when the five-minute schedule fires while someone runs it by hand. Had a
    // run's receive hidden the other's probe, that run would long-poll until the manual clock moved.
    const invoke = async () => {
      const res = await client(LambdaClient).send(
        new InvokeCommand({ FunctionName: out.QueueCanaryFunctionName, Payload: Buffer.from('{}') }),
      );
      return JSON.parse(Buffer.from(res.Payload ?? []).toString()) as { ok: boolean; messageId: string };
    };
    const results = await Promise.all([invoke(), invoke()]);
    for (const result of results) {
      expect(result.ok).toBe(true);
      expect(result.messageId).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(results[0]?.messageId).not.toBe(results[1]?.messageId);
    // A scheduled run the earlier clock moves started may still be finishing.
    await eventually(async () => (await depth(out.CanaryQueueUrl as string, true)) === 0);
  }, 30_000);
});
