import { SerializationException } from '../../core/errors.js';
import { validation } from './errors.js';
import { compareDecimal, formatDecimal, parseDecimal, significantDigits, toDecimal } from './expressions/numbers.js';
import type { AttributeValue, Item, KeySchemaElement } from './expressions/types.js';

export {
  addNumbers,
  compareNumbers,
  normalizeNumber,
  subtractNumbers,
} from './expressions/numbers.js';

export type AttributeType = 'S' | 'N' | 'B' | 'SS' | 'NS' | 'BS' | 'M' | 'L' | 'NULL' | 'BOOL';

const TYPES: readonly AttributeType[] = ['S', 'N', 'B', 'SS', 'NS', 'BS', 'M', 'L', 'NULL', 'BOOL'];
const INVALID = 'One or more parameter values were invalid: ';
/** 400 KB, counted in units of 1024 bytes. */
export const MAX_ITEM_SIZE = 400 * 1024;
const MAX_LEVELS = 32;

/** The single type key set on a value (assumes a validated value). */
export function typeOf(value: AttributeValue): AttributeType {
  for (const t of TYPES) if (value[t] !== undefined && value[t] !== null) return t;
  throw validation('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
}

/**
 * Validates one AttributeValue recursively with AWS's messages: exactly one type, NULL true,
 * non-empty sets without duplicates, numbers within DynamoDB's precision and range.
 */
export function validateValue(value: AttributeValue, level = 1): void {
  // Real DynamoDB: an attribute is level 1 and a value may sit at most at level 32.
  if (level > MAX_LEVELS) {
    throw validation(
      'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit',
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw validation('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  }
  const set = TYPES.filter((t) => value[t] !== undefined && value[t] !== null);
  if (set.length === 0) {
    throw validation('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  }
  if (set.length > 1) {
    throw validation(
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    );
  }
  checkShape(set[0]!, value[set[0]!]);
  switch (set[0]) {
    case 'N':
      toDecimal(String(value.N));
      return;
    case 'NULL':
      if (value.NULL !== true) throw validation(INVALID + 'Null attribute value types must have the value of true');
      return;
    case 'SS':
    case 'NS':
    case 'BS':
      checkSet(value[set[0]] ?? [], set[0]);
      return;
    case 'M':
      for (const v of Object.values(value.M ?? {})) validateValue(v, level + 1);
      return;
    case 'L':
      for (const v of value.L ?? []) validateValue(v, level + 1);
      return;
    default:
      return;
  }
}

const isStringArray = (v: unknown) => Array.isArray(v) && v.every((m) => typeof m === 'string');

/** The JSON type each member must have; AttributeValues reach us as untyped documents. */
function checkShape(type: AttributeType, v: unknown): void {
  const [ok, expected] =
    type === 'S' || type === 'N' || type === 'B'
      ? [typeof v === 'string', 'string']
      : type === 'BOOL' || type === 'NULL'
        ? [typeof v === 'boolean', 'boolean']
        : type === 'L'
          ? [Array.isArray(v) && v.every((e) => typeof e === 'object' && e !== null), 'list']
          : type === 'M'
            ? [typeof v === 'object' && v !== null && !Array.isArray(v), 'map']
            : [isStringArray(v), 'list of strings'];
  if (!ok) {
    throw new SerializationException(
      `Unable to parse AttributeValue.${type}: expected ${expected} but got ${JSON.stringify(v)?.slice(0, 50)}`,
    );
  }
}

function checkSet(members: string[], type: 'SS' | 'NS' | 'BS'): void {
  if (members.length === 0) {
    // AWS's wording, double space included.
    const msg =
      type === 'SS'
        ? 'An string set  may not be empty'
        : type === 'NS'
          ? 'An number set  may not be empty'
          : 'Binary sets should not be empty';
    throw validation(INVALID + msg);
  }
  if (type === 'NS') {
    const seen = new Set(members.map((m) => formatDecimal(toDecimal(m))));
    // AWS words the number-set case without the prefix or the members.
    if (seen.size !== members.length) throw validation('Input collection contains duplicates');
    return;
  }
  if (new Set(members).size !== members.length) {
    const listed = `Input collection [${members.join(', ')}]`;
    throw validation(
      INVALID + (type === 'SS' ? `${listed} contains duplicates.` : `${listed}of type BS contains duplicates.`),
    );
  }
}

/** Validates every attribute of an item (values only; key rules are in validateKey). */
export function validateItem(item: Item): void {
  for (const value of Object.values(item)) validateValue(value);
}

/** Key attributes may not hold an empty string or binary value. */
export function validateKeyValues(item: Item, keySchema: readonly KeySchemaElement[]): void {
  for (const { AttributeName: name } of keySchema) {
    const v = item[name];
    if (!v) continue;
    if (v.S === '') {
      throw validation(
        `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: ${name}`,
      );
    }
    if (v.B === '') {
      throw validation(
        `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: ${name}`,
      );
    }
  }
}

/** A copy with every number in DynamoDB's canonical form (assumes a validated value). */
export function normalizeValue(value: AttributeValue): AttributeValue {
  const t = typeOf(value);
  switch (t) {
    case 'N':
      return { N: formatDecimal(toDecimal(value.N!)) };
    case 'NS':
      return { NS: value.NS!.map((n) => formatDecimal(toDecimal(n))) };
    case 'SS':
      return { SS: [...value.SS!] };
    case 'BS':
      return { BS: [...value.BS!] };
    case 'M':
      return { M: normalizeItem(value.M!) };
    case 'L':
      return { L: value.L!.map(normalizeValue) };
    default:
      return { [t]: value[t] } as AttributeValue;
  }
}

export function normalizeItem(item: Item): Item {
  const out: Item = {};
  for (const [k, v] of Object.entries(item)) out[k] = normalizeValue(v);
  return out;
}

/** Validates and returns the normalised copy. */
export function validatedItem(item: Item): Item {
  validateItem(item);
  return normalizeItem(item);
}

const bytes = (b64: string) => Buffer.from(b64, 'base64');

/** Byte-wise unsigned comparison (how DynamoDB orders B). */
function compareBytes(a: Buffer, b: Buffer): number {
  const c = Buffer.compare(a, b);
  return c < 0 ? -1 : c > 0 ? 1 : 0;
}

/** A UTF-16 code unit mapped so that unit order equals UTF-8 byte order (surrogates sort last). */
const utf8Rank = (u: number) => (u >= 0xd800 && u <= 0xdfff ? u + 0x2000 : u >= 0xe000 ? u - 0x800 : u);

/**
 * Orders strings by their UTF-8 bytes, as DynamoDB does, without encoding them: UTF-8 byte order is
 * code point order, which differs from JavaScript's UTF-16 order only for surrogate pairs.
 */
export function compareStrings(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return utf8Rank(x) < utf8Rank(y) ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/**
 * Orders two scalars of the same type (S by UTF-8 bytes, N numerically, B by unsigned bytes).
 * Undefined when the types differ or are not ordered (sets, documents, BOOL, NULL).
 */
export function compareValues(a: AttributeValue, b: AttributeValue): number | undefined {
  const t = typeOf(a);
  if (t !== typeOf(b)) return undefined;
  if (t === 'S') return compareStrings(a.S!, b.S!);
  if (t === 'N') return compareDecimal(decimal(a.N!), decimal(b.N!));
  if (t === 'B') return compareBytes(bytes(a.B!), bytes(b.B!));
  return undefined;
}

function decimal(text: string) {
  return parseDecimal(text) ?? { coef: 0n, exp: 0 };
}

/** Set members compared by value: numbers numerically, binary by bytes. */
function memberKey(type: 'SS' | 'NS' | 'BS', m: string): string {
  if (type === 'NS') return formatDecimal(decimal(m));
  if (type === 'BS') return bytes(m).toString('base64');
  return m;
}

/** Deep equality; sets compare without regard to order. */
export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  const t = typeOf(a);
  if (t !== typeOf(b)) return false;
  switch (t) {
    case 'S':
      return a.S === b.S;
    case 'N':
    case 'B':
      return compareValues(a, b) === 0;
    case 'BOOL':
      return a.BOOL === b.BOOL;
    case 'NULL':
      return true;
    case 'SS':
    case 'NS':
    case 'BS': {
      const x = new Set(a[t]!.map((m) => memberKey(t, m)));
      const y = new Set(b[t]!.map((m) => memberKey(t, m)));
      return x.size === y.size && [...x].every((m) => y.has(m));
    }
    case 'L':
      return a.L!.length === b.L!.length && a.L!.every((v, i) => valuesEqual(v, b.L![i]!));
    case 'M': {
      const ka = Object.keys(a.M!);
      if (ka.length !== Object.keys(b.M!).length) return false;
      return ka.every((k) => b.M![k] !== undefined && valuesEqual(a.M![k]!, b.M![k]!));
    }
  }
}

/** Canonical key of a set member (for union/difference in ADD and DELETE). */
export function setMemberKey(type: 'SS' | 'NS' | 'BS', member: string): string {
  return memberKey(type, member);
}

/** 1 byte per 2 significant digits + 1, and one more for a negative number (AWS: 27 → 2, -27 → 3). */
function numberSize(text: string): number {
  const fast = PLAIN_NUMBER.exec(text);
  if (fast) {
    // Sizing runs for every item written: count digits in the text instead of building a BigInt.
    const digits = `${fast[2]}${fast[3] ?? ''}`.replace(/^0+/, '').replace(/0+$/, '').length;
    return digits === 0 ? 1 : Math.ceil(digits / 2) + 1 + (fast[1] === '-' ? 1 : 0);
  }
  const d = decimal(text);
  return Math.ceil(significantDigits(d) / 2) + 1 + (d.coef < 0n ? 1 : 0);
}

/** A number without an exponent: sign, integer digits, optional fraction. */
const PLAIN_NUMBER = /^([+-]?)(\d+)(?:\.(\d*))?$/;

/**
 * Stored size of a value per AWS's rules (CapacityUnitCalculations): strings as UTF-8 bytes,
 * binary as raw bytes, numbers ≈ 1 byte per 2 significant digits + 1, BOOL/NULL 1 byte,
 * List/Map 3 bytes + 1 per element plus their contents.
 */
export function valueSize(value: AttributeValue): number {
  const t = typeOf(value);
  switch (t) {
    case 'S':
      return Buffer.byteLength(value.S!, 'utf8');
    case 'N':
      return numberSize(value.N!);
    case 'B':
      return Buffer.byteLength(value.B!, 'base64');
    case 'SS':
      return value.SS!.reduce((n, s) => n + Buffer.byteLength(s, 'utf8'), 0);
    case 'NS':
      return value.NS!.reduce((n, s) => n + numberSize(s), 0);
    case 'BS':
      return value.BS!.reduce((n, s) => n + bytes(s).length, 0);
    case 'L':
      return value.L!.reduce((n, v) => n + 1 + valueSize(v), 3);
    case 'M':
      return Object.entries(value.M!).reduce((n, [k, v]) => n + 1 + Buffer.byteLength(k, 'utf8') + valueSize(v), 3);
    default:
      return 1;
  }
}

/** Item size in bytes: attribute names' UTF-8 length plus value sizes. */
export function itemSize(item: Item): number {
  let total = 0;
  for (const name in item) total += Buffer.byteLength(name, 'utf8') + valueSize(item[name] as AttributeValue);
  return total;
}

/** Throws AWS's ValidationException when an item is over 400 KB. */
export function checkItemSize(item: Item): void {
  if (itemSize(item) > MAX_ITEM_SIZE) throw validation('Item size has exceeded the maximum allowed size');
}

/**
 * A stable string for an item's primary key (hash then range, numbers canonical), usable as a
 * storage key: equal keys give equal strings whatever the input spelling ("1.0" vs "1").
 */
export function keyString(item: Item, keySchema: readonly KeySchemaElement[]): string {
  const ordered = [...keySchema].sort((a, b) => (a.KeyType === b.KeyType ? 0 : a.KeyType === 'HASH' ? -1 : 1));
  const parts = ordered.map(({ AttributeName: name }) => {
    const v = item[name];
    if (!v) return [name, null];
    const t = typeOf(v);
    const text = t === 'N' ? formatDecimal(decimal(v.N!)) : t === 'B' ? bytes(v.B!).toString('base64') : v[t];
    return [name, t, text];
  });
  return JSON.stringify(parts);
}
