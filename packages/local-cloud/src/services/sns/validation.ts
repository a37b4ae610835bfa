import { InvalidParameterValue, invalid, ValidationError } from './errors.js';
import type { AttributeValue } from './filter-policy.js';

/** Publish-time checks: message, subject, attributes, FIFO ids, MessageStructure. Wording as AWS answers. */
export const MAX_MESSAGE_BYTES = 262_144;

export interface WireAttribute {
  DataType?: string;
  StringValue?: string;
  BinaryValue?: Buffer;
}

const NAME_CHARS = /^[A-Za-z0-9_.-]+$/;
const TYPE = /^(String|Number|Binary)(\..+)?$/;
const FIFO_ID = /^[\x21-\x7e]{1,128}$/;
const E164 = /^\+[1-9]\d{1,14}$/;

export function checkSubject(subject: string | undefined): void {
  if (subject === undefined) return;
  // Fewer than 100 characters, no line breaks or control characters.
  if (subject === '' || subject.length >= 100 || hasControlCharacter(subject)) throw invalid('Subject');
}

function hasControlCharacter(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

export function checkMessage(message: string | undefined): string {
  if (message === undefined || message === '') throw invalid('Empty message');
  return message;
}

/** `position` is the 1-based batch entry, for the ValidationError path. */
export function checkMessageAttributes(
  attrs: Record<string, WireAttribute> | undefined,
  position?: number,
): Record<string, AttributeValue> | undefined {
  if (!attrs || Object.keys(attrs).length === 0) return undefined;
  const out: Record<string, AttributeValue> = {};
  for (const [name, a] of Object.entries(attrs)) {
    checkAttributeName(name);
    const type = a.DataType;
    if (type === undefined || type === '') {
      const at =
        position !== undefined
          ? `publishBatchRequestEntries.${position}.member.messageAttributes.${name}.member.dataType`
          : `messageAttributes.${name}.member.dataType`;
      throw new ValidationError(
        `1 validation error detected: Value null at '${at}' failed to satisfy constraint: Member must not be null`,
      );
    }
    if (!TYPE.test(type)) {
      throw new InvalidParameterValue(
        `The message attribute '${name}' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.`,
      );
    }
    const binary = type.startsWith('Binary');
    const empty = () =>
      new InvalidParameterValue(
        `The message attribute '${name}' must contain non-empty message attribute value for message attribute type '${type}'.`,
      );
    if (a.StringValue === undefined && a.BinaryValue === undefined) throw empty();
    if (binary ? a.BinaryValue === undefined : a.StringValue === undefined) {
      throw new InvalidParameterValue(
        `The message attribute '${name}' with type '${type}' must use field '${binary ? 'Binary' : 'String'}'.`,
      );
    }
    if (binary ? (a.BinaryValue as Buffer).length === 0 : a.StringValue === '') throw empty();
    if (type.startsWith('Number') && !Number.isFinite(Number(a.StringValue))) {
      throw new InvalidParameterValue(`Could not cast message attribute '${name}' value to number.`);
    }
    if (type === 'String.Array' && !isJsonArray(a.StringValue as string)) {
      throw new InvalidParameterValue(
        `The message attribute '${name}' with type 'String.Array' has an invalid value. It must be a JSON array.`,
      );
    }
    out[name] = binary
      ? { DataType: type, BinaryValue: a.BinaryValue }
      : { DataType: type, StringValue: a.StringValue };
  }
  return out;
}

function checkAttributeName(name: string): void {
  if (Buffer.byteLength(name) > 256) {
    throw new InvalidParameterValue('Length of message attribute name must be less than 256 bytes.');
  }
  if (NAME_CHARS.test(name) && !name.startsWith('.') && !name.endsWith('.') && !name.includes('..')) return;
  if (name.startsWith('.')) {
    throw new InvalidParameterValue("Invalid message attribute name starting with character '.' was found.");
  }
  if (name.endsWith('.')) {
    throw new InvalidParameterValue("Invalid message attribute name ending with character '.' was found.");
  }
  for (const ch of name) {
    if (!/[A-Za-z0-9_.-]/.test(ch)) {
      const hex = `#x${(ch.codePointAt(0) as number).toString(16).toUpperCase()}`;
      throw new InvalidParameterValue(
        `Invalid non-alphanumeric character '${hex}' was found in the message attribute name. Can only include alphanumeric characters, hyphens, underscores, or dots.`,
      );
    }
  }
  throw new InvalidParameterValue("Message attribute name can not have successive '.' character.");
}

/** Message plus every attribute's name, type and value. */
export function publishSize(message: string, attrs: Record<string, AttributeValue> | undefined): number {
  let size = Buffer.byteLength(message);
  for (const [name, a] of Object.entries(attrs ?? {})) {
    size += Buffer.byteLength(name) + Buffer.byteLength(a.DataType);
    size += a.BinaryValue ? a.BinaryValue.length : Buffer.byteLength(a.StringValue ?? '');
  }
  return size;
}

/** MessageStructure=json: a JSON object with a string `default`; non-string values are ignored. */
export function parseStructure(structure: string | undefined, message: string): Record<string, string> | undefined {
  if (structure === undefined) return undefined;
  if (structure !== 'json') throw invalid('MessageStructure');
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    throw invalid('Message Structure - JSON message body failed to parse');
  }
  const out: Record<string, string> = {};
  if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
    for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') out[k] = v;
  }
  if (out.default === undefined) throw invalid('Message Structure - No default entry in JSON message body');
  return out;
}

export interface FifoFields {
  MessageGroupId?: string;
  MessageDeduplicationId?: string;
}

/** FIFO topics need a group id and a dedup id (or content-based dedup); standard topics take neither. */
export function checkFifoFields(e: FifoFields, fifo: boolean, contentBasedDedup: boolean): void {
  if (!fifo) {
    if (e.MessageDeduplicationId !== undefined) {
      throw invalid(
        'MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type',
      );
    }
    if (e.MessageGroupId !== undefined) {
      throw invalid(
        'MessageGroupId Reason: The request includes MessageGroupId parameter that is not valid for this topic type',
      );
    }
    return;
  }
  if (!e.MessageGroupId) throw invalid('The MessageGroupId parameter is required for FIFO topics');
  checkFifoId('MessageGroupId', e.MessageGroupId);
  if (e.MessageDeduplicationId !== undefined) checkFifoId('MessageDeduplicationId', e.MessageDeduplicationId);
  else if (!contentBasedDedup) {
    throw invalid(
      'The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
    );
  }
}

function checkFifoId(param: string, value: string): void {
  if (!FIFO_ID.test(value)) {
    throw invalid(
      `${param} Reason: ${param} can only include alphanumeric and punctuation characters. 1 to 128 in length.`,
    );
  }
}

export function isE164(phone: string): boolean {
  return E164.test(phone);
}

function isJsonArray(s: string): boolean {
  try {
    return Array.isArray(JSON.parse(s));
  } catch {
    return false;
  }
}
