import { createHash } from 'node:crypto';
import type { AttributeValue, Item, KeySchemaElement } from '../expressions/types.js';

/** Key attribute values (S, N, B only): identity, order and partition tokens. */
export type KeyType = 'S' | 'N' | 'B';

export function keyTypeOf(v: AttributeValue | undefined): KeyType | undefined {
  if (!v || typeof v !== 'object') return undefined;
  if (typeof v.S === 'string') return 'S';
  if (typeof v.N === 'string') return 'N';
  if (typeof v.B === 'string') return 'B';
  return undefined;
}

interface Decimal {
  sign: 1 | -1 | 0;
  digits: string; // no leading or trailing zeros
  exp: number; // value = 0.digits × 10^exp
}

function parseDecimal(s: string): Decimal {
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(s);
  if (!m) return { sign: 0, digits: '', exp: 0 };
  const int = m[2] ?? '';
  const frac = m[3] ?? '';
  let digits = int + frac;
  let exp = int.length + Number(m[4] ?? 0);
  const lead = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(lead).replace(/0+$/, '');
  exp -= lead;
  if (digits === '') return { sign: 0, digits: '', exp: 0 };
  return { sign: m[1] === '-' ? -1 : 1, digits, exp };
}

/** Canonical text of a number (so "1.0", "1" and "1e0" are the same key). */
export function canonicalNumber(s: string): string {
  const d = parseDecimal(s);
  if (d.sign === 0) return '0';
  const sign = d.sign < 0 ? '-' : '';
  if (d.exp <= 0) return `${sign}0.${'0'.repeat(-d.exp)}${d.digits}`;
  if (d.exp >= d.digits.length) return `${sign}${d.digits}${'0'.repeat(d.exp - d.digits.length)}`;
  return `${sign}${d.digits.slice(0, d.exp)}.${d.digits.slice(d.exp)}`;
}

function compareNumbers(a: string, b: string): number {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  if (x.sign !== y.sign) return x.sign < y.sign ? -1 : 1;
  if (x.sign === 0) return 0;
  let c: number;
  if (x.exp !== y.exp) c = x.exp < y.exp ? -1 : 1;
  else c = x.digits < y.digits ? -1 : x.digits > y.digits ? 1 : 0;
  return x.sign * c;
}

/** DynamoDB's key order: strings and binaries by unsigned bytes, numbers by value. */
export function compareKeyValues(a: AttributeValue, b: AttributeValue): number {
  if (a.N !== undefined && b.N !== undefined) return compareNumbers(a.N, b.N);
  if (a.S !== undefined && b.S !== undefined) return compareUtf8(a.S, b.S);
  if (a.B !== undefined && b.B !== undefined) {
    return Buffer.compare(Buffer.from(a.B, 'base64'), Buffer.from(b.B, 'base64'));
  }
  return 0;
}

/**
 * Orders strings as their UTF-8 bytes without encoding them: UTF-16 order differs only where a
 * surrogate (a code point above U+FFFF, which UTF-8 sorts last) meets U+E000..U+FFFF.
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x < y ? -1 : 1;
  }
  return a.length - b.length;
}

export function compareKeyLists(a: AttributeValue[], b: AttributeValue[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = compareKeyValues(a[i] as AttributeValue, b[i] as AttributeValue);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** A string that is equal for equal key values. */
export function keyValueId(v: AttributeValue): string {
  if (v.S !== undefined) return `S${v.S}`;
  if (v.N !== undefined) return `N${canonicalNumber(v.N)}`;
  return `B${Buffer.from(v.B ?? '', 'base64').toString('base64')}`;
}

/** Identity of an item's primary key (hash, then range). */
export function primaryKeyId(item: Item, schema: KeySchemaElement[]): string {
  let id = '';
  for (const k of schema) id += `${keyValueId(item[k.AttributeName] as AttributeValue)}\u0000`;
  return id;
}

/**
 * The hash of a partition key value: partitions are scanned in token order, and parallel-scan
 * segment s of n owns the tokens in [s/n, (s+1)/n) of the 32-bit space.
 */
export function partitionToken(hashId: string): string {
  return createHash('md5').update(hashId).digest('hex').slice(0, 8) + hashId;
}

export function segmentStart(segment: number, total: number): string {
  const start = Math.floor((segment * 0x1_0000_0000) / total);
  return start.toString(16).padStart(8, '0');
}

export function hashSchema(schema: KeySchemaElement[]): string {
  return schema.find((k) => k.KeyType === 'HASH')?.AttributeName ?? '';
}

export function rangeSchema(schema: KeySchemaElement[]): string | undefined {
  return schema.find((k) => k.KeyType === 'RANGE')?.AttributeName;
}
