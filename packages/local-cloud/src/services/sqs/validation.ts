import {
  BatchEntryIdsNotDistinct,
  BatchRequestTooLong,
  EmptyBatchRequest,
  InvalidBatchEntryId,
  InvalidMessageContents,
  InvalidParameterValue,
  invalidValue,
  missing,
  TooManyEntriesInBatchRequest,
} from './errors.js';
import type { Attributes } from './model/message.js';
import { firstInvalidCodePoint, hasInvalidCharacters, messageSize } from './model/message.js';

/** Message-level validation with AWS's codes and wording (aws-semantics §1.4, §1.7). */
export const MAX_BATCH_BYTES = 1_048_576;
const ID_PATTERN = /^[A-Za-z0-9_-]{1,80}$/;
const FIFO_ID = /^[!-~]{1,128}$/;
const ATTR_NAME = /^[A-Za-z0-9_.-]{1,256}$/;

export interface WireAttributeValue {
  DataType?: string;
  StringValue?: string;
  BinaryValue?: Buffer;
  StringListValues?: string[];
  BinaryListValues?: Buffer[];
}

export function checkBody(body: string | undefined): string {
  if (body === undefined || body === '') {
    throw missing('MessageBody');
  }
  const bad = firstInvalidCodePoint(body);
  if (bad !== undefined) {
    throw new InvalidMessageContents(
      `Invalid binary character '#x${bad.toString(16).toUpperCase()}' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF].`,
    );
  }
  return body;
}

/** Validates user message attributes and returns them in model form. */
export function checkMessageAttributes(attrs: Record<string, WireAttributeValue> | undefined): Attributes | undefined {
  if (!attrs) return undefined;
  const names = Object.keys(attrs);
  if (names.length > 10) {
    throw new InvalidParameterValue(`Number of message attributes [${names.length}] exceeds the allowed maximum [10].`);
  }
  const out: Attributes = {};
  for (const name of names) {
    const lower = name.toLowerCase();
    if (
      !ATTR_NAME.test(name) ||
      lower.startsWith('aws.') ||
      lower.startsWith('amazon.') ||
      name.startsWith('.') ||
      name.endsWith('.') ||
      name.includes('..')
    ) {
      throw new InvalidParameterValue(`Message (user) attribute name '${name}' is invalid.`);
    }
    out[name] = checkAttributeValue(name, attrs[name] as WireAttributeValue, 'user');
  }
  return out;
}

export function checkSystemAttributes(attrs: Record<string, WireAttributeValue> | undefined): Attributes | undefined {
  if (!attrs || Object.keys(attrs).length === 0) return undefined;
  const out: Attributes = {};
  for (const [name, v] of Object.entries(attrs)) {
    if (name !== 'AWSTraceHeader') {
      throw new InvalidParameterValue(`Message system attribute name '${name}' is invalid.`);
    }
    const value = checkAttributeValue(name, v, 'system');
    if (value.DataType !== 'String') {
      throw new InvalidParameterValue(`Message system attribute '${name}' must be of type 'String'.`);
    }
    out[name] = value;
  }
  return out;
}

function checkAttributeValue(name: string, v: WireAttributeValue, kind: 'user' | 'system') {
  const type = v.DataType;
  if (!type) {
    throw new InvalidParameterValue(`The message attribute '${name}' must contain non-empty message attribute type.`);
  }
  const base = type.split('.')[0];
  if (base !== 'String' && base !== 'Number' && base !== 'Binary') {
    throw new InvalidParameterValue(
      `The type of message (${kind}) attribute '${name}' is invalid. You must use only the following supported type prefixes: Binary, Number, String.`,
    );
  }
  if (v.StringListValues?.length || v.BinaryListValues?.length) {
    throw new InvalidParameterValue(`Message (${kind}) attribute '${name}': list values are not supported.`);
  }
  if (base === 'Binary') {
    if (!v.BinaryValue || v.BinaryValue.length === 0) {
      throw new InvalidParameterValue(
        `Message (${kind}) attribute '${name}' must contain a non-empty value of type 'Binary'.`,
      );
    }
    return { DataType: type, BinaryValue: v.BinaryValue };
  }
  const s = v.StringValue;
  if (s === undefined || s === '') {
    throw new InvalidParameterValue(
      `Message (${kind}) attribute '${name}' must contain a non-empty value of type '${base}'.`,
    );
  }
  if (hasInvalidCharacters(s)) {
    throw new InvalidParameterValue(`Message (${kind}) attribute '${name}' contains invalid characters.`);
  }
  if (base === 'Number' && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s.trim())) {
    throw new InvalidParameterValue(`Could not cast message attribute '${name}' value to number.`);
  }
  return { DataType: type, StringValue: s };
}

export function checkSize(body: string, attrs: Attributes | undefined, max: number, batch: boolean): void {
  if (messageSize(body, attrs) > max) {
    throw new InvalidParameterValue(
      `One or more parameters ${batch ? 'cannot be validated' : 'are invalid'}. Reason: Message must be shorter than ${max} bytes.`,
    );
  }
}

export function checkFifoId(param: 'MessageGroupId' | 'MessageDeduplicationId', value: string): void {
  if (!FIFO_ID.test(value)) {
    throw invalidValue(
      param,
      value,
      `${param} can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
    );
  }
}

/** Batch envelope rules shared by the three batch operations. */
export function checkBatch<T extends { Id?: string }>(entries: T[] | undefined, entryName: string): T[] {
  if (!entries || entries.length === 0) {
    throw new EmptyBatchRequest(`There should be at least one ${entryName} in the request.`);
  }
  if (entries.length > 10) {
    throw new TooManyEntriesInBatchRequest(
      `Maximum number of entries per request are 10. You have sent ${entries.length}.`,
    );
  }
  const seen = new Set<string>();
  for (const e of entries) {
    if (!e.Id || !ID_PATTERN.test(e.Id)) {
      throw new InvalidBatchEntryId(
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
      );
    }
    if (seen.has(e.Id)) throw new BatchEntryIdsNotDistinct(`Id ${e.Id} repeated.`);
    seen.add(e.Id);
  }
  return entries;
}

export function checkBatchSize(total: number): void {
  if (total > MAX_BATCH_BYTES) {
    throw new BatchRequestTooLong(
      `Batch requests cannot be longer than ${MAX_BATCH_BYTES} bytes. You have sent ${total} bytes.`,
    );
  }
}

export function intInRange(param: string, value: number | undefined, min: number, max: number, reason: string) {
  if (value !== undefined && (value < min || value > max)) throw invalidValue(param, value, reason);
}
