import * as crypto from 'node:crypto';
import { createHash } from 'node:crypto';

/** A message attribute value as SQS carries it (Number values travel in stringValue). */
export interface AttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Buffer;
}
export type Attributes = Record<string, AttributeValue>;

/** What is stored for each message: immutable content plus the delivery state. */
export interface MessageRecord {
  queue: string; // queue key
  id: string;
  body: string;
  attributes?: StoredAttributes;
  systemAttributes?: StoredAttributes;
  md5Body: string;
  md5Attributes?: string;
  md5SystemAttributes?: string;
  senderId: string;
  sentAt: number;
  /** Retention counts from here (reset when a message moves into a FIFO DLQ). */
  enqueuedAt: number;
  visibleAt: number;
  receiveCount: number;
  firstReceiveAt?: number;
  lastReceiveAt?: number;
  /** Nonce of the latest receive; part of the current receipt handle. */
  receipt?: string;
  groupId?: string;
  dedupId?: string;
  sequenceNumber?: string;
  deadLetterSourceArn?: string;
}

/** Binary values are kept as base64 so records serialise as plain JSON. */
export type StoredAttributes = Record<string, { DataType: string; StringValue?: string; BinaryValue?: string }>;

export function storeAttributes(attrs: Attributes | undefined): StoredAttributes | undefined {
  if (!attrs || Object.keys(attrs).length === 0) return undefined;
  const out: StoredAttributes = {};
  for (const [name, v] of Object.entries(attrs)) {
    out[name] = {
      DataType: v.DataType,
      ...(v.StringValue !== undefined ? { StringValue: v.StringValue } : {}),
      ...(v.BinaryValue !== undefined ? { BinaryValue: v.BinaryValue.toString('base64') } : {}),
    };
  }
  return out;
}

export function loadAttributes(stored: StoredAttributes | undefined): Attributes | undefined {
  if (!stored) return undefined;
  const out: Attributes = {};
  for (const [name, v] of Object.entries(stored)) {
    out[name] = {
      DataType: v.DataType,
      ...(v.StringValue !== undefined ? { StringValue: v.StringValue } : {}),
      ...(v.BinaryValue !== undefined ? { BinaryValue: Buffer.from(v.BinaryValue, 'base64') } : {}),
    };
  }
  return out;
}

export function md5Hex(data: string | Buffer): string {
  return oneShotHash ? oneShotHash('md5', data, 'hex') : createHash('md5').update(data).digest('hex');
}

// crypto.hash (Node >= 20.12) skips the Hash object; fall back where it is missing.
const oneShotHash = (crypto as { hash?: (alg: string, data: string | Buffer, enc: 'hex') => string }).hash;

/**
 * MD5OfMessageAttributes: attributes sorted by name; each as length-prefixed name, length-prefixed
 * DataType, a transport byte (1 string/number, 2 binary) and the length-prefixed value.
 */
export function md5OfAttributes(attrs: Attributes | undefined): string | undefined {
  if (!attrs) return undefined;
  const names = Object.keys(attrs).sort();
  if (names.length === 0) return undefined;
  const parts: Buffer[] = [];
  const lenPrefixed = (b: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    parts.push(len, b);
  };
  for (const name of names) {
    const v = attrs[name] as AttributeValue;
    lenPrefixed(Buffer.from(name, 'utf8'));
    lenPrefixed(Buffer.from(v.DataType, 'utf8'));
    if (v.BinaryValue !== undefined) {
      parts.push(Buffer.from([2]));
      lenPrefixed(v.BinaryValue);
    } else {
      parts.push(Buffer.from([1]));
      lenPrefixed(Buffer.from(v.StringValue ?? '', 'utf8'));
    }
  }
  return md5Hex(Buffer.concat(parts));
}

/** Bytes counted toward MaximumMessageSize: the body plus every attribute name, type and value. */
export function messageSize(body: string, attrs: Attributes | undefined): number {
  let size = Buffer.byteLength(body, 'utf8');
  if (attrs) {
    for (const [name, v] of Object.entries(attrs)) {
      size += Buffer.byteLength(name, 'utf8') + Buffer.byteLength(v.DataType, 'utf8');
      if (v.StringValue !== undefined) size += Buffer.byteLength(v.StringValue, 'utf8');
      if (v.BinaryValue !== undefined) size += v.BinaryValue.length;
    }
  }
  return size;
}

/** Allowed: #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF (lone surrogates are not). */
const INVALID_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export function hasInvalidCharacters(s: string): boolean {
  return INVALID_CHARS.test(s);
}

/** The first code point SQS does not allow, if any. */
export function firstInvalidCodePoint(s: string): number | undefined {
  const m = INVALID_CHARS.exec(s);
  return m ? m[0].codePointAt(0) : undefined;
}
