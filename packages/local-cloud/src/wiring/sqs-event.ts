import type { MessageRecord } from '../services/sqs/model/message.js';
import type { Queue, Received } from '../services/sqs/model/queue.js';

/** One SQS record of a Lambda event, shaped byte for byte as AWS sends it (aws-semantics §2). */
export function sqsRecord(r: Received, q: Queue) {
  const rec = r.rec;
  return {
    messageId: rec.id,
    receiptHandle: r.receiptHandle,
    body: rec.body,
    attributes: recordAttributes(rec, q.fifo),
    messageAttributes: messageAttributes(rec),
    md5OfMessageAttributes: rec.md5Attributes ?? null,
    md5OfBody: rec.md5Body,
    eventSource: 'aws:sqs',
    eventSourceARN: q.arn,
    awsRegion: q.rec.region,
  };
}

function recordAttributes(rec: MessageRecord, fifo: boolean): Record<string, string> {
  const out: Record<string, string> = {
    ApproximateReceiveCount: String(rec.receiveCount),
    SentTimestamp: String(rec.sentAt),
  };
  if (fifo) {
    if (rec.sequenceNumber) out.SequenceNumber = rec.sequenceNumber;
    if (rec.groupId !== undefined) out.MessageGroupId = rec.groupId;
  }
  out.SenderId = rec.senderId;
  if (fifo && rec.dedupId) out.MessageDeduplicationId = rec.dedupId;
  if (!fifo && rec.groupId !== undefined) out.MessageGroupId = rec.groupId;
  out.ApproximateFirstReceiveTimestamp = String(rec.firstReceiveAt ?? rec.sentAt);
  const trace = rec.systemAttributes?.AWSTraceHeader?.StringValue;
  if (trace) out.AWSTraceHeader = trace;
  if (rec.deadLetterSourceArn) out.DeadLetterQueueSourceArn = rec.deadLetterSourceArn;
  return out;
}

function messageAttributes(rec: MessageRecord) {
  const out: Record<string, Record<string, unknown>> = {};
  for (const [name, v] of Object.entries(rec.attributes ?? {})) {
    out[name] = {
      ...(v.StringValue !== undefined ? { stringValue: v.StringValue } : {}),
      ...(v.BinaryValue !== undefined ? { binaryValue: v.BinaryValue } : {}),
      stringListValues: [],
      binaryListValues: [],
      dataType: v.DataType,
    };
  }
  return out;
}
