import { itemSize, validatedItem } from './engine.js';
import { validation } from './errors.js';
import type { AttributeValue, Item } from './expressions/types.js';
import { hashSchema, keyTypeOf, rangeSchema } from './model/keys.js';
import type { TableData } from './model/table-data.js';
import type { TableDef } from './model/tables.js';

/** AWS's "N validation error(s) detected: ..." for model constraints (Coral validation). */
export class Constraints {
  private errors: string[] = [];

  add(value: unknown, field: string, constraint: string): void {
    const shown = value === undefined || value === null ? 'null' : `'${render(value)}'`;
    this.errors.push(`Value ${shown} at '${field}' failed to satisfy constraint: ${constraint}`);
  }

  throwIfAny(): void {
    const n = this.errors.length;
    if (n === 0) return;
    throw validation(`${n} validation error${n > 1 ? 's' : ''} detected: ${this.errors.join('; ')}`);
  }
}

function render(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(render).join(', ')}]`;
  if (typeof v === 'object' && v !== null) return JSON.stringify(v);
  return String(v);
}

export function checkTableName(c: Constraints, name: unknown, field = 'tableName'): void {
  if (name === undefined) {
    c.add(undefined, field, 'Member must not be null');
    return;
  }
  const s = String(name);
  if (!/^[a-zA-Z0-9_.-]+$/.test(s)) c.add(s, field, 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+');
  if (s.length < 3) c.add(s, field, 'Member must have length greater than or equal to 3');
  if (s.length > 255) c.add(s, field, 'Member must have length less than or equal to 255');
}

export function checkEnum(c: Constraints, value: unknown, field: string, allowed: string[]): void {
  if (value !== undefined && !allowed.includes(String(value))) {
    c.add(value, field, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }
}

/** The single type letter(s) of an AttributeValue (S, N, SS, M...). */
export function typeOf(v: AttributeValue | undefined): string {
  return v && typeof v === 'object' ? (Object.keys(v)[0] ?? '') : '';
}

function definedType(def: TableDef, name: string): string {
  return def.AttributeDefinitions.find((a) => a.AttributeName === name)?.AttributeType ?? '';
}

const KEY_MISMATCH = 'The provided key element does not match the schema';

/** A Key parameter (GetItem, DeleteItem, UpdateItem, batch and transaction keys). */
export function checkKey(t: TableData, raw: Item | undefined): Item {
  return checkKeySchema(t, validKey(raw));
}

/** A Key's values, validated and normalised (before the table is looked up, as AWS does). */
export function validKey(raw: Item | undefined): Item {
  if (!raw || typeof raw !== 'object') throw validation(KEY_MISMATCH);
  return validatedItem(raw);
}

export function checkKeySchema(t: TableData, key: Item): Item {
  const schema = t.def.KeySchema;
  if (Object.keys(key).length !== schema.length) throw validation(KEY_MISMATCH);
  for (const k of schema) {
    const v = key[k.AttributeName];
    if (typeOf(v) !== definedType(t.def, k.AttributeName)) throw validation(KEY_MISMATCH);
    checkKeyValue(k.AttributeName, v as AttributeValue, k.KeyType === 'HASH');
  }
  return key;
}

function checkKeyValue(name: string, v: AttributeValue, hash: boolean): void {
  if ((v.S ?? v.B) === '') {
    throw validation(
      `One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty ${v.S !== undefined ? 'string' : 'binary'} value. Key: ${name}`,
    );
  }
  const size = v.S !== undefined ? Buffer.byteLength(v.S) : v.B !== undefined ? Buffer.from(v.B, 'base64').length : 0;
  const max = hash ? 2048 : 1024;
  if (size > max) {
    throw validation(
      `One or more parameter values were invalid: Size of ${hash ? 'hashkey' : 'rangekey'} has exceeded the maximum size limit of${max} bytes`,
    );
  }
}

export const MAX_ITEM_BYTES = 400 * 1024;

/** A whole item to be written: values, key attributes, index key types and size. */
export function checkItem(t: TableData, raw: Item | undefined): Item {
  return checkItemSchema(t, validItem(raw));
}

/** An Item's values, validated and normalised (before the table is looked up, as AWS does). */
export function validItem(raw: Item | undefined): Item {
  if (!raw || typeof raw !== 'object') {
    throw validation(
      "1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null",
    );
  }
  return validatedItem(raw);
}

export function checkItemSchema(t: TableData, item: Item): Item {
  for (const k of t.def.KeySchema) {
    const v = item[k.AttributeName];
    if (!v)
      throw validation(`One or more parameter values were invalid: Missing the key ${k.AttributeName} in the item`);
    const want = definedType(t.def, k.AttributeName);
    if (typeOf(v) !== want) {
      throw validation(
        `One or more parameter values were invalid: Type mismatch for key ${k.AttributeName} expected: ${want} actual: ${typeOf(v)}`,
      );
    }
    checkKeyValue(k.AttributeName, v, k.KeyType === 'HASH');
  }
  checkIndexKeys(t, item);
  if (itemSize(item) > MAX_ITEM_BYTES) throw validation('Item size has exceeded the maximum allowed size');
  return item;
}

function checkIndexKeys(t: TableData, item: Item): void {
  for (const index of t.def.indexes) {
    for (const k of index.KeySchema) {
      const v = item[k.AttributeName];
      if (v === undefined) continue;
      const want = definedType(t.def, k.AttributeName);
      if (typeOf(v) !== want) {
        throw validation(
          `One or more parameter values were invalid: Type mismatch for Index Key ${k.AttributeName} Expected: ${want} Actual: ${typeOf(v)} IndexName: ${index.IndexName}`,
        );
      }
      if ((v.S ?? v.B) === '') {
        throw validation(
          `One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty ${v.S !== undefined ? 'string' : 'binary'} value. IndexName: ${index.IndexName}, IndexKey: ${k.AttributeName}`,
        );
      }
    }
  }
}

/** The key attributes of an item (for LastEvaluatedKey, key identity and transactions). */
export function keyOf(t: TableData, item: Item): Item {
  const out: Item = {};
  for (const k of t.def.KeySchema) out[k.AttributeName] = item[k.AttributeName] as AttributeValue;
  return out;
}

export { hashSchema, keyTypeOf, rangeSchema };
