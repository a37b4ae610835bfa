import { loadAttributes, type MessageRecord, md5OfAttributes } from '../model/message.js';
import type { Queue, Received } from '../model/queue.js';

/** Shapes a received message: only the system and user attributes the caller asked for. */
const SYSTEM_NAMES = [
  'SenderId',
  'SentTimestamp',
  'ApproximateReceiveCount',
  'ApproximateFirstReceiveTimestamp',
  'SequenceNumber',
  'MessageDeduplicationId',
  'MessageGroupId',
  'AWSTraceHeader',
  'DeadLetterQueueSourceArn',
] as const;

export function systemAttributes(rec: MessageRecord, names: string[]): Record<string, string> | undefined {
  if (names.length === 0) return undefined;
  const all = names.includes('All');
  const want = (n: string) => all || names.includes(n);
  const out: Record<string, string> = {};
  for (const n of SYSTEM_NAMES) {
    if (!want(n)) continue;
    const v = systemValue(rec, n);
    if (v !== undefined) out[n] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

function systemValue(rec: MessageRecord, name: (typeof SYSTEM_NAMES)[number]): string | undefined {
  switch (name) {
    case 'SenderId':
      return rec.senderId;
    case 'SentTimestamp':
      return String(rec.sentAt);
    case 'ApproximateReceiveCount':
      return String(rec.receiveCount);
    case 'ApproximateFirstReceiveTimestamp':
      return rec.firstReceiveAt !== undefined ? String(rec.firstReceiveAt) : undefined;
    case 'SequenceNumber':
      return rec.sequenceNumber;
    case 'MessageDeduplicationId':
      return rec.dedupId;
    case 'MessageGroupId':
      return rec.groupId;
    case 'AWSTraceHeader':
      return rec.systemAttributes?.AWSTraceHeader?.StringValue;
    case 'DeadLetterQueueSourceArn':
      return rec.deadLetterSourceArn;
  }
}

/** `All`, `.*`, exact names, and prefixes written `prefix.*`. */
export function selectUserAttributes(rec: MessageRecord, names: string[]) {
  const attrs = loadAttributes(rec.attributes);
  if (!attrs || names.length === 0) return undefined;
  if (names.includes('All') || names.includes('.*')) return attrs;
  const out: typeof attrs = {};
  for (const [name, v] of Object.entries(attrs)) {
    const match = names.some((p) => (p.endsWith('.*') ? name.startsWith(p.slice(0, -1)) : p === name));
    if (match) out[name] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

export function shapeMessage(r: Received, _q: Queue, systemNames: string[], userNames: string[]) {
  const rec = r.rec;
  const attrs = selectUserAttributes(rec, userNames);
  return {
    MessageId: rec.id,
    ReceiptHandle: r.receiptHandle,
    MD5OfBody: rec.md5Body,
    Body: rec.body,
    Attributes: systemAttributes(rec, systemNames),
    // AWS sends the MD5 of the attributes it returns.
    MD5OfMessageAttributes: attrs ? md5OfAttributes(attrs) : undefined,
    MessageAttributes: attrs,
  };
}
