// SQS client steps shared by the benchmarks. `sqs` is the @aws-sdk/client-sqs module; `client`
// anything with the SQSClient's `send(command, options)`.
import { performance } from 'node:perf_hooks';
import { poolEach } from './stats.mjs';

/** Sends messages 0..total-1 (`body(i)`) in batches of 10 from `concurrency` callers; returns the count. */
export async function sendMessageBatches(sqs, client, queueUrl, { total, concurrency, body }) {
  let sent = 0;
  await poolEach(concurrency, Math.ceil(total / 10), async (b) => {
    const entries = [];
    for (let i = b * 10; i < Math.min(total, b * 10 + 10); i++) {
      entries.push({ Id: `m${i - b * 10}`, MessageBody: body(i) });
    }
    const r = await client.send(new sqs.SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
    if (r.Failed?.length) throw new Error(`SendMessageBatch failed entries: ${JSON.stringify(r.Failed[0])}`);
    sent += r.Successful?.length ?? 0;
  });
  if (sent !== total) throw new Error(`sent ${sent} of ${total}`);
  return sent;
}

/** ReceiveMessage of up to 10, hidden for 600 s, waiting up to `wait` s. */
export function receiveBatch(sqs, client, queueUrl, wait, signal) {
  return client.send(
    new sqs.ReceiveMessageCommand({
      QueueUrl: queueUrl,
      MaxNumberOfMessages: 10,
      WaitTimeSeconds: wait,
      VisibilityTimeout: 600,
    }),
    signal ? { abortSignal: signal } : undefined,
  );
}

/** DeleteMessageBatch of received messages; returns how many were deleted. */
export async function deleteBatch(sqs, client, queueUrl, msgs) {
  const d = await client.send(
    new sqs.DeleteMessageBatchCommand({
      QueueUrl: queueUrl,
      Entries: msgs.map((msg, i) => ({ Id: `d${i}`, ReceiptHandle: msg.ReceiptHandle })),
    }),
  );
  if (d.Failed?.length) throw new Error(`DeleteMessageBatch failed: ${JSON.stringify(d.Failed[0])}`);
  return d.Successful?.length ?? 0;
}

/**
 * A consumer long-polling one message at a time (WaitTimeSeconds 20) and deleting each. `polling`
 * resolves once its next poll is issued; `expect(body, i)` resolves with the performance.now() at
 * which a message with `bodyOf(msg) === body` arrived (25 s timeout); `error` is set if it failed.
 */
export function longPollConsumer(sqs, client, queueUrl, bodyOf = (msg) => msg.Body) {
  const abort = new AbortController();
  let stopping = false;
  let waiting; // { body, resolve, reject }
  let markPolling;
  const st = {};
  const nextPoll = () => {
    st.polling = new Promise((ok) => {
      markPolling = ok;
    });
  };
  nextPoll();
  st.loop = (async () => {
    while (!stopping) {
      const req = client.send(
        new sqs.ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 1, WaitTimeSeconds: 20 }),
        { abortSignal: abort.signal },
      );
      markPolling();
      let r;
      try {
        r = await req;
      } catch (err) {
        if (stopping) return;
        throw err;
      }
      const got = performance.now();
      nextPoll();
      for (const msg of r.Messages ?? []) {
        const body = bodyOf(msg);
        if (waiting && body === waiting.body) {
          const w = waiting;
          waiting = undefined;
          w.resolve(got);
        }
        await client.send(new sqs.DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: msg.ReceiptHandle }));
      }
    }
  })();
  st.loop.catch((err) => {
    st.error = err;
    waiting?.reject(err);
  });
  st.expect = (body, i) =>
    new Promise((ok, ko) => {
      const timer = setTimeout(() => ko(new Error(`message ${i} not received within 25s`)), 25_000);
      waiting = {
        body,
        resolve: (t) => {
          clearTimeout(timer);
          ok(t);
        },
        reject: (e) => {
          clearTimeout(timer);
          ko(e);
        },
      };
    });
  st.stop = () => {
    stopping = true;
    abort.abort();
    return st.loop.catch(() => {});
  };
  return st;
}
