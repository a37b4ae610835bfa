import { parseArn } from '../../core/arn.js';
import { InvalidAttributeName, InvalidAttributeValue, invalidValue } from './errors.js';

/**
 * Queue attribute rules (names, ranges, FIFO-only attributes) with AWS's messages.
 * Values are kept as the strings AWS returns them.
 */
export type QueueAttributes = Record<string, string>;

const RANGES: Record<string, [number, number]> = {
  DelaySeconds: [0, 900],
  MaximumMessageSize: [1024, 1_048_576],
  MessageRetentionPeriod: [60, 1_209_600],
  ReceiveMessageWaitTimeSeconds: [0, 20],
  VisibilityTimeout: [0, 43_200],
  KmsDataKeyReusePeriodSeconds: [60, 86_400],
};

export const DEFAULTS: QueueAttributes = {
  DelaySeconds: '0',
  MaximumMessageSize: '1048576',
  MessageRetentionPeriod: '345600',
  ReceiveMessageWaitTimeSeconds: '0',
  VisibilityTimeout: '30',
  SqsManagedSseEnabled: 'true',
};

export const FIFO_DEFAULTS: QueueAttributes = {
  FifoQueue: 'true',
  ContentBasedDeduplication: 'false',
  DeduplicationScope: 'queue',
  FifoThroughputLimit: 'perQueue',
};

const SETTABLE = new Set([
  ...Object.keys(RANGES),
  'Policy',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'KmsMasterKeyId',
  'SqsManagedSseEnabled',
]);
const FIFO_ONLY = new Set(['FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit']);
export const READ_ONLY = [
  'QueueArn',
  'ApproximateNumberOfMessages',
  'ApproximateNumberOfMessagesNotVisible',
  'ApproximateNumberOfMessagesDelayed',
  'CreatedTimestamp',
  'LastModifiedTimestamp',
];
const READABLE = new Set([...SETTABLE, ...FIFO_ONLY, ...READ_ONLY, 'All']);

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

export interface RedriveAllowPolicy {
  redrivePermission: 'allowAll' | 'denyAll' | 'byQueue';
  sourceQueueArns?: string[];
}

/** Checks attribute names requested by GetQueueAttributes / ReceiveMessage. */
export function checkReadableNames(names: string[]): void {
  for (const n of names) if (!READABLE.has(n)) throw new InvalidAttributeName(`Unknown Attribute ${n}.`);
}

/**
 * Validates attributes given to CreateQueue (creating=true) or SetQueueAttributes and
 * returns them normalised. Cross-queue checks (DLQ existence) are done by the caller.
 */
export function validateAttributes(input: QueueAttributes, fifo: boolean, creating: boolean): QueueAttributes {
  const out: QueueAttributes = {};
  for (const [name, raw] of Object.entries(input)) {
    const value = String(raw);
    if (name === 'FifoQueue') {
      if (!fifo) throw new InvalidAttributeName('Unknown Attribute FifoQueue.');
      if (value !== 'true') {
        throw new InvalidAttributeValue(
          creating
            ? 'Invalid value for the parameter FifoQueue.'
            : 'Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.',
        );
      }
      continue;
    }
    if ((name === 'DeduplicationScope' || name === 'FifoThroughputLimit') && !fifo) {
      throw new InvalidAttributeName(`You can specify the ${name} only when FifoQueue is set to true.`);
    }
    if (FIFO_ONLY.has(name) && !fifo) throw new InvalidAttributeName(`Unknown Attribute ${name}.`);
    if (!SETTABLE.has(name) && !FIFO_ONLY.has(name)) throw new InvalidAttributeName(`Unknown Attribute ${name}.`);
    out[name] = normalise(name, value);
  }
  if (out.KmsMasterKeyId && out.SqsManagedSseEnabled === 'true') {
    throw new InvalidAttributeName(
      'You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.',
    );
  }
  if (out.FifoThroughputLimit === 'perMessageGroupId' && out.DeduplicationScope === 'queue') {
    throw new InvalidAttributeValue(
      'Invalid value for the parameter FifoThroughputLimit. Reason: The perMessageGroupId value is allowed only when the value for DeduplicationScope is messageGroup.',
    );
  }
  return out;
}

function normalise(name: string, value: string): string {
  const range = RANGES[name];
  if (range) {
    const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
    if (!(n >= range[0] && n <= range[1])) {
      throw new InvalidAttributeValue(`Invalid value for the parameter ${name}.`);
    }
    return String(n);
  }
  switch (name) {
    case 'ContentBasedDeduplication':
    case 'SqsManagedSseEnabled':
      return bool(name, value);
    case 'DeduplicationScope':
      return oneOf(name, value, ['queue', 'messageGroup']);
    case 'FifoThroughputLimit':
      return oneOf(name, value, ['perQueue', 'perMessageGroupId']);
    case 'RedrivePolicy':
      if (value !== '') parseRedrivePolicy(value);
      return value;
    case 'RedriveAllowPolicy':
      if (value !== '') parseRedriveAllowPolicy(value);
      return value;
    case 'Policy':
      if (value !== '') jsonObject(name, value);
      return value;
    default:
      return value;
  }
}

function bool(name: string, value: string): string {
  const v = value.toLowerCase();
  if (v !== 'true' && v !== 'false') throw new InvalidAttributeValue(`Invalid value for the parameter ${name}.`);
  return v;
}

function oneOf(name: string, value: string, allowed: string[]): string {
  if (!allowed.includes(value)) throw new InvalidAttributeValue(`Invalid value for the parameter ${name}.`);
  return value;
}

function jsonObject(name: string, value: string): Record<string, unknown> {
  try {
    const v = JSON.parse(value);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v;
  } catch {}
  throw new InvalidAttributeValue(`Invalid value for the parameter ${name}.`);
}

export function parseRedrivePolicy(value: string): RedrivePolicy {
  const bad = (reason: string) => invalidValue('RedrivePolicy', value, reason);
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(value);
  } catch {
    throw bad('Redrive policy is not a valid JSON map.');
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw bad('Redrive policy is not a valid JSON map.');
  for (const key of ['deadLetterTargetArn', 'maxReceiveCount']) {
    if (v[key] === undefined) throw bad(`Redrive policy does not contain mandatory attribute: ${key}.`);
  }
  const count = Number(v.maxReceiveCount);
  if (!Number.isInteger(count) || count < 1 || count > 1000) {
    throw bad(
      `Invalid value for maxReceiveCount: ${v.maxReceiveCount}, valid values are from 1 to 1000 both inclusive.`,
    );
  }
  const target = String(v.deadLetterTargetArn);
  const arn = parseArn(target);
  if (arn?.service !== 'sqs') throw bad('Invalid value for deadLetterTargetArn.');
  return { deadLetterTargetArn: target, maxReceiveCount: count };
}

export function parseRedriveAllowPolicy(value: string): RedriveAllowPolicy {
  const bad = (reason: string) => invalidValue('RedriveAllowPolicy', value, reason);
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(value);
  } catch {
    throw bad('Redrive allow policy is not a valid JSON map.');
  }
  const permission = v?.redrivePermission;
  if (permission !== 'allowAll' && permission !== 'denyAll' && permission !== 'byQueue') {
    throw bad('Invalid value for redrivePermission.');
  }
  const arns = v.sourceQueueArns;
  if (permission === 'byQueue') {
    if (!Array.isArray(arns) || arns.length === 0) {
      throw bad('Redrive allow policy must contain sourceQueueArns when redrivePermission is byQueue.');
    }
    if (arns.length > 10) throw bad('Redrive allow policy can contain at most 10 source queue ARNs.');
  } else if (arns !== undefined) {
    throw bad(`sourceQueueArns can only be specified when redrivePermission is byQueue.`);
  }
  return { redrivePermission: permission, ...(Array.isArray(arns) ? { sourceQueueArns: arns.map(String) } : {}) };
}
