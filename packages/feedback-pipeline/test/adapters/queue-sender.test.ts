import type { SQSClient } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { QueueSender } from '../../src/adapters/queue-sender.js';

interface Entry {
  Id: string;
  MessageBody: string;
}

/** An SQS client whose SendMessageBatch fails the listed entry ids on successive calls. */
function fakeSqs(failures: { id: string; senderFault?: boolean }[][]) {
  const calls: Entry[][] = [];
  const client = {
    send: async (command: { input: { Entries: Entry[] } }) => {
      calls.push(command.input.Entries);
      const failing = failures.shift() ?? [];
      const ids = new Set(failing.map((f) => f.id));
      return {
        Successful: command.input.Entries.filter((e) => !ids.has(e.Id)).map((e) => ({ Id: e.Id })),
        Failed: failing
          .filter((f) => command.input.Entries.some((e) => e.Id === f.id))
          .map((f) => ({ Id: f.id, Code: 'InternalError', Message: 'x', SenderFault: f.senderFault ?? false })),
      };
    },
  };
  return { calls, client: client as unknown as SQSClient };
}

const messages = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `m${i}`, body: `b${i}` }));

describe('QueueSender.sendBatch', () => {
  it('sends at most ten entries per call', async () => {
    const { calls, client } = fakeSqs([]);
    const sender = new QueueSender(client, 'url', { sleep: async () => undefined });
    expect(await sender.sendBatch(messages(23))).toEqual({ failed: [] });
    expect(calls.map((c) => c.length)).toEqual([10, 10, 3]);
  });

  it('retries only the entries that failed, with backoff', async () => {
    const { calls, client } = fakeSqs([[{ id: 'm1' }, { id: 'm2' }], [{ id: 'm2' }]]);
    const delays: number[] = [];
    const sender = new QueueSender(client, 'url', { baseDelayMs: 10, sleep: async (ms) => void delays.push(ms) });
    expect(await sender.sendBatch(messages(3))).toEqual({ failed: [] });
    expect(calls.map((c) => c.map((e) => e.Id))).toEqual([['m0', 'm1', 'm2'], ['m1', 'm2'], ['m2']]);
    expect(delays).toEqual([10, 20]);
  });

  it('gives up after maxAttempts and returns what still failed', async () => {
    const always = Array.from({ length: 5 }, () => [{ id: 'm0' }]);
    const { calls, client } = fakeSqs(always);
    const sender = new QueueSender(client, 'url', { maxAttempts: 3, sleep: async () => undefined });
    expect(await sender.sendBatch(messages(1))).toEqual({
      failed: [{ id: 'm0', code: 'InternalError', message: 'x' }],
    });
    expect(calls).toHaveLength(3);
  });

  it('does not retry entries rejected as the sender’s fault', async () => {
    const { calls, client } = fakeSqs([[{ id: 'm0', senderFault: true }]]);
    const sender = new QueueSender(client, 'url', { sleep: async () => undefined });
    expect((await sender.sendBatch(messages(2))).failed.map((f) => f.id)).toEqual(['m0']);
    expect(calls).toHaveLength(1);
  });
});
