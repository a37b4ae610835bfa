import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  ListQueueTagsCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageCommand,
  SetQueueAttributesCommand,
  type SQSClient,
  TagQueueCommand,
} from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqsClient } from './helpers.js';

/**
 * Crash safety of the real CLI: everything acknowledged before `kill -9` is there after a restart
 * on the same --data-dir, including delivery state (in-flight, receive counts, visibility deadlines).
 *
 * One scenario: beforeAll builds state, SIGKILLs the server right after the last acknowledged
 * response, and restarts it. The tests then check the restarted server, in order (later tests
 * receive and delete, so earlier ones see the state exactly as it was at the crash).
 */
const PKG = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(PKG, 'bin', 'local-cloud.js');
const ENTRY = join(PKG, 'dist', 'cli', 'main.js');

interface Server {
  proc: ChildProcess;
  url: string;
  exited: Promise<void>;
  output: () => string;
}

const running = new Set<Server>();

/** Spawns `local-cloud start --port 0 --data-dir dir` and waits for its ready line. */
async function startServer(dataDir: string): Promise<Server> {
  const proc = spawn(process.execPath, [BIN, 'start', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir], {
    cwd: PKG,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  proc.stderr?.on('data', (c: Buffer) => {
    out += c.toString();
  });
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const server: Server = { proc, url: '', exited, output: () => out };
  running.add(server);
  void exited.then(() => running.delete(server));
  server.url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`local-cloud did not become ready:\n${out}`)), 20_000);
    const check = () => {
      const m = /local-cloud ready at (http:\/\/127\.0\.0\.1:(\d+))/.exec(out);
      if (m && m[2] !== '0') {
        clearTimeout(timer);
        proc.stdout?.off('data', check);
        resolve(m[1] as string);
      }
    };
    proc.stdout?.on('data', check);
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`local-cloud exited (${code ?? signal}) before it was ready:\n${out}`));
    });
    check();
  });
  return server;
}

async function killHard(server: Server): Promise<void> {
  if (server.proc.exitCode === null && server.proc.signalCode === null) server.proc.kill('SIGKILL');
  await server.exited;
}

// ---- the scenario ------------------------------------------------------------------------------

const STD = 'durable-standard';
const FIFO = 'durable-ordered.fifo';
const SHORT = 'durable-short-visibility';
const SHORT_VT_S = 8;

function attributesFor(i: number): Record<string, MessageAttributeValue> {
  return {
    label: { DataType: 'String', StringValue: `label-${i} ✓` },
    count: { DataType: 'Number', StringValue: String(i * 10) },
    raw: { DataType: 'Binary', BinaryValue: new Uint8Array([i, 0, 255, 128]) },
  };
}

interface Sent {
  id: string;
  body: string;
  md5Attributes: string | undefined;
  sequenceNumber?: string | undefined;
}

const tmpDirs: string[] = [];
let dataDir: string;
let sqs: SQSClient;
let before: {
  stdSent: Sent[];
  stdInflight: Message[];
  stdDeleted: string;
  stdReceivedOnce: Message[];
  stdUntouched: string;
  stdAttributes: Record<string, string>;
  fifoSent: Sent[];
  fifoDeleted: string;
  fifoInflight: string;
  fifoReleased: string;
  fifoAttributes: Record<string, string>;
  shortId: string;
  shortDeadline: number;
};

async function urlOf(name: string): Promise<string> {
  const r = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
  return r.QueueUrl as string;
}

async function attributesOf(name: string, names: string[] = ['All']): Promise<Record<string, string>> {
  const r = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: await urlOf(name), AttributeNames: names as never }),
  );
  return r.Attributes ?? {};
}

/** Receives until n messages arrived (short polls may return fewer), or fails. */
async function receiveN(queueUrl: string, n: number, visibilityTimeout: number): Promise<Message[]> {
  const out: Message[] = [];
  for (let attempt = 0; attempt < 20 && out.length < n; attempt++) {
    const r = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: Math.min(10, n - out.length),
        VisibilityTimeout: visibilityTimeout,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    out.push(...(r.Messages ?? []));
  }
  if (out.length !== n) throw new Error(`expected ${n} messages, received ${out.length}`);
  return out;
}

/** Receives everything currently visible (several short polls), holding it for `vt` seconds. */
async function receiveAll(queueUrl: string, vt: number): Promise<Message[]> {
  const out: Message[] = [];
  for (let emptyPolls = 0; emptyPolls < 3; ) {
    const r = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: vt,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (r.Messages?.length) out.push(...r.Messages);
    else emptyPolls++;
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  if (!existsSync(ENTRY)) {
    await promisify(execFile)('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: PKG, timeout: 180_000 });
  }
  dataDir = await mkdtemp(join(tmpdir(), 'local-cloud-durability-'));
  tmpDirs.push(dataDir);

  // ---- before the crash ----
  const first = await startServer(dataDir);
  sqs = sqsClient(first);

  const std = await sqs.send(
    new CreateQueueCommand({
      QueueName: STD,
      Attributes: { VisibilityTimeout: '120', MessageRetentionPeriod: '86400' },
      tags: { env: 'durability', owner: 'tests' },
    }),
  );
  const stdUrl = std.QueueUrl as string;
  await sqs.send(new SetQueueAttributesCommand({ QueueUrl: stdUrl, Attributes: { MaximumMessageSize: '4096' } }));
  await sqs.send(new TagQueueCommand({ QueueUrl: stdUrl, Tags: { added: 'later' } }));

  const fifo = await sqs.send(
    new CreateQueueCommand({
      QueueName: FIFO,
      Attributes: { FifoQueue: 'true', ContentBasedDeduplication: 'true', VisibilityTimeout: '90' },
      tags: { kind: 'fifo' },
    }),
  );
  const fifoUrl = fifo.QueueUrl as string;
  const short = await sqs.send(new CreateQueueCommand({ QueueName: SHORT }));
  const shortUrl = short.QueueUrl as string;

  const stdSent: Sent[] = [];
  for (let i = 0; i < 6; i++) {
    const body = `standard message ${i}`;
    const r = await sqs.send(
      new SendMessageCommand({ QueueUrl: stdUrl, MessageBody: body, MessageAttributes: attributesFor(i) }),
    );
    stdSent.push({ id: r.MessageId as string, body, md5Attributes: r.MD5OfMessageAttributes });
  }
  // Group A: a1..a5; group B: b1..b3. Sent interleaved so restoring must keep per-group order.
  const fifoSent: Sent[] = [];
  const fifoBodies = ['a1', 'b1', 'a2', 'a3', 'b2', 'a4', 'b3', 'a5'];
  for (const [i, body] of fifoBodies.entries()) {
    const r = await sqs.send(
      new SendMessageCommand({
        QueueUrl: fifoUrl,
        MessageBody: body,
        MessageGroupId: body.startsWith('a') ? 'group-a' : 'group-b',
        MessageAttributes: attributesFor(i),
      }),
    );
    fifoSent.push({
      id: r.MessageId as string,
      body,
      md5Attributes: r.MD5OfMessageAttributes,
      sequenceNumber: r.SequenceNumber,
    });
  }
  await sqs.send(new SendMessageCommand({ QueueUrl: shortUrl, MessageBody: 'short' }));

  // Standard: 3 in flight for 600 s, one of them deleted; 2 received and released (count 1); 1 untouched.
  const inflight = await receiveN(stdUrl, 3, 600);
  const [toDelete, ...stdInflight] = inflight as [Message, ...Message[]];
  const stdReceivedOnce = await receiveN(stdUrl, 2, 0);
  const seen = new Set([...inflight, ...stdReceivedOnce].map((m) => m.MessageId));
  const stdUntouched = stdSent.find((s) => !seen.has(s.id))?.id as string;
  expect(stdUntouched).toBeDefined();
  const stdAttributes = await attributesOf(STD);

  // FIFO: whichever group is served first (X) has its head held in flight for 600 s, which blocks
  // X. The other group (Y) is then served: its head is deleted, and its next message is received
  // once and released (receive count 1). Y's remaining messages must come back in send order.
  const [heldFifo] = await receiveN(fifoUrl, 1, 600);
  const heldGroup = heldFifo?.Attributes?.MessageGroupId;
  const [fifoDeletedMsg] = await receiveN(fifoUrl, 1, 600);
  expect(fifoDeletedMsg?.Attributes?.MessageGroupId).not.toBe(heldGroup);
  await sqs.send(new DeleteMessageCommand({ QueueUrl: fifoUrl, ReceiptHandle: fifoDeletedMsg?.ReceiptHandle }));
  const [fifoReleased] = await receiveN(fifoUrl, 1, 0);
  expect(fifoReleased?.Attributes?.MessageGroupId).toBe(fifoDeletedMsg?.Attributes?.MessageGroupId);
  const fifoAttributes = await attributesOf(FIFO);

  // A message in flight for only a few seconds: its deadline must survive, not reset.
  const shortReceivedAt = Date.now();
  const [shortMsg] = await receiveN(shortUrl, 1, SHORT_VT_S);

  // The last acknowledged response: deleting one standard message. Then kill -9 at once.
  await sqs.send(new DeleteMessageCommand({ QueueUrl: stdUrl, ReceiptHandle: toDelete.ReceiptHandle }));
  first.proc.kill('SIGKILL');
  await first.exited;
  sqs.destroy();

  before = {
    stdSent,
    stdInflight,
    stdDeleted: toDelete.MessageId as string,
    stdReceivedOnce,
    stdUntouched,
    stdAttributes,
    fifoSent,
    fifoDeleted: fifoDeletedMsg?.MessageId as string,
    fifoInflight: heldFifo?.MessageId as string,
    fifoReleased: fifoReleased?.MessageId as string,
    fifoAttributes,
    shortId: shortMsg?.MessageId as string,
    shortDeadline: shortReceivedAt + SHORT_VT_S * 1000,
  };

  // ---- after the crash ----
  const second = await startServer(dataDir);
  sqs = sqsClient(second);
}, 240_000);

afterAll(async () => {
  sqs?.destroy();
  await Promise.all([...running].map(killHard));
  for (const d of tmpDirs) await rm(d, { recursive: true, force: true });
});

describe('durability across kill -9 (real CLI, --data-dir)', () => {
  it('keeps a short visibility deadline: the message reappears when it was due, not earlier', async () => {
    const url = await urlOf(SHORT);
    let firstSeenAt: number | undefined;
    let msg: Message | undefined;
    while (Date.now() < before.shortDeadline + 5_000) {
      const polledAt = Date.now();
      const r = await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MessageSystemAttributeNames: ['All'] }));
      if (r.Messages?.length) {
        firstSeenAt = polledAt;
        msg = r.Messages[0];
        break;
      }
      await sleep(100);
    }
    expect(msg?.MessageId).toBe(before.shortId);
    expect(msg?.Attributes?.ApproximateReceiveCount).toBe('2');
    // Not visible before its deadline (a little slack for clock granularity).
    expect(firstSeenAt).toBeGreaterThanOrEqual(before.shortDeadline - 250);
  });

  it('keeps queues with their attributes and tags', async () => {
    const listed = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: 'durable-' }));
    expect(listed.QueueUrls?.map((u) => u.split('/').pop()).sort()).toEqual([FIFO, SHORT, STD].sort());

    const std = await attributesOf(STD);
    expect(std.VisibilityTimeout).toBe('120');
    expect(std.MessageRetentionPeriod).toBe('86400');
    expect(std.MaximumMessageSize).toBe('4096');
    for (const k of ['QueueArn', 'CreatedTimestamp', 'LastModifiedTimestamp', 'DelaySeconds']) {
      expect(std[k], k).toBe(before.stdAttributes[k]);
    }
    const fifo = await attributesOf(FIFO);
    for (const k of ['FifoQueue', 'ContentBasedDeduplication', 'VisibilityTimeout', 'QueueArn', 'CreatedTimestamp']) {
      expect(fifo[k], k).toBe(before.fifoAttributes[k]);
    }
    expect(fifo.FifoQueue).toBe('true');
    expect(fifo.VisibilityTimeout).toBe('90');

    const stdTags = await sqs.send(new ListQueueTagsCommand({ QueueUrl: await urlOf(STD) }));
    expect(stdTags.Tags).toEqual({ env: 'durability', owner: 'tests', added: 'later' });
    const fifoTags = await sqs.send(new ListQueueTagsCommand({ QueueUrl: await urlOf(FIFO) }));
    expect(fifoTags.Tags).toEqual({ kind: 'fifo' });
  });

  it('keeps in-flight messages in flight: the message counts are those at the crash', async () => {
    const std = await attributesOf(STD, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible']);
    expect(std).toEqual({ ApproximateNumberOfMessages: '3', ApproximateNumberOfMessagesNotVisible: '2' });
    expect(before.stdAttributes.ApproximateNumberOfMessages).toBe('3');
    expect(before.stdAttributes.ApproximateNumberOfMessagesNotVisible).toBe('3'); // before the last delete
    const fifo = await attributesOf(FIFO, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible']);
    expect(fifo).toEqual({ ApproximateNumberOfMessages: '6', ApproximateNumberOfMessagesNotVisible: '1' });
  });

  it('delivers every acknowledged, undeleted visible message with its body, attributes and receive count', async () => {
    const got = await receiveAll(await urlOf(STD), 600);
    const ids = got.map((m) => m.MessageId);
    const expectedIds = [...before.stdReceivedOnce.map((m) => m.MessageId), before.stdUntouched];
    expect([...ids].sort()).toEqual([...expectedIds].sort());
    // The deleted message is gone and the in-flight ones stay invisible.
    expect(ids).not.toContain(before.stdDeleted);
    for (const m of before.stdInflight) expect(ids).not.toContain(m.MessageId);

    for (const m of got) {
      const i = before.stdSent.findIndex((s) => s.id === m.MessageId);
      const sent = before.stdSent[i] as Sent;
      expect(m.Body).toBe(sent.body);
      expect(m.MD5OfMessageAttributes).toBe(sent.md5Attributes);
      const attrs = attributesFor(i);
      expect(m.MessageAttributes?.label).toEqual(attrs.label);
      expect(m.MessageAttributes?.count).toEqual(attrs.count);
      expect(m.MessageAttributes?.raw?.DataType).toBe('Binary');
      expect(Buffer.from(m.MessageAttributes?.raw?.BinaryValue ?? [])).toEqual(
        Buffer.from(attrs.raw?.BinaryValue as Uint8Array),
      );
      const earlier = before.stdReceivedOnce.find((r) => r.MessageId === m.MessageId);
      if (earlier) {
        expect(m.Attributes?.ApproximateReceiveCount).toBe('2');
        expect(m.Attributes?.SentTimestamp).toBe(earlier.Attributes?.SentTimestamp);
        expect(m.Attributes?.ApproximateFirstReceiveTimestamp).toBe(
          earlier.Attributes?.ApproximateFirstReceiveTimestamp,
        );
      } else {
        expect(m.Attributes?.ApproximateReceiveCount).toBe('1');
      }
    }
    const after = await attributesOf(STD, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible']);
    expect(after).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '5' });
  });

  it('keeps FIFO order, the blocked group, deduplication and increasing sequence numbers', async () => {
    const fifoUrl = await urlOf(FIFO);
    const counts = await attributesOf(FIFO, ['ApproximateNumberOfMessagesNotVisible']);
    expect(counts.ApproximateNumberOfMessagesNotVisible).toBe('1');
    const held = before.fifoSent.find((s) => s.id === before.fifoInflight) as Sent;
    const deleted = before.fifoSent.find((s) => s.id === before.fifoDeleted) as Sent;
    const groupOf = (s: Sent) => (s.body.startsWith('a') ? 'group-a' : 'group-b');
    // A duplicate of the deleted message within the 5-minute window: accepted, not delivered again.
    const dup = await sqs.send(
      new SendMessageCommand({ QueueUrl: fifoUrl, MessageBody: deleted.body, MessageGroupId: groupOf(deleted) }),
    );
    expect(dup.MessageId).toBeDefined();

    const got = await receiveAll(fifoUrl, 600);
    // Every remaining message of the free group, in send order; nothing of the blocked group.
    const expected = before.fifoSent.filter((s) => groupOf(s) !== groupOf(held) && s.id !== deleted.id);
    expect(got.map((m) => m.Body)).toEqual(expected.map((s) => s.body));
    expect(got.map((m) => m.MessageId)).toEqual(expected.map((s) => s.id));
    for (const m of got) {
      const sent = before.fifoSent.find((s) => s.id === m.MessageId) as Sent;
      expect(m.Attributes?.SequenceNumber).toBe(sent.sequenceNumber);
      expect(m.Attributes?.MessageGroupId).toBe(groupOf(sent));
      expect(m.MD5OfMessageAttributes).toBe(sent.md5Attributes);
      expect(m.Attributes?.ApproximateReceiveCount).toBe(m.MessageId === before.fifoReleased ? '2' : '1');
    }

    const fresh = await sqs.send(
      new SendMessageCommand({ QueueUrl: fifoUrl, MessageBody: 'after restart', MessageGroupId: 'group-c' }),
    );
    const maxBefore = before.fifoSent.reduce((m, s) => {
      const n = BigInt(s.sequenceNumber ?? '0');
      return n > m ? n : m;
    }, 0n);
    expect(BigInt(fresh.SequenceNumber ?? '0') > maxBefore).toBe(true);
  });

  it('accepts a receipt handle issued before the crash', async () => {
    const url = await urlOf(STD);
    const m = before.stdInflight[0] as Message;
    await sqs.send(new DeleteMessageCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle }));
    const after = await attributesOf(STD, ['ApproximateNumberOfMessagesNotVisible']);
    expect(after.ApproximateNumberOfMessagesNotVisible).toBe('4');
  });
});
