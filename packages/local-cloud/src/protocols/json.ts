import { SerializationException } from '../core/errors.js';
import type { Shape } from './shapes.js';

/**
 * awsJson 1.0/1.1 values ↔ typed values. Blobs travel as base64 strings and become Buffers;
 * numbers and booleans must have the right JSON type, or the request fails with
 * SerializationException as it does on AWS.
 */
export function decodeJsonValue(shape: Shape, value: unknown, path: string): unknown {
  if (value === null || value === undefined) return undefined;
  switch (shape.type) {
    case 'string':
      return expect(typeof value === 'string', value, path, 'string');
    case 'integer':
    case 'long':
      return expect(typeof value === 'number' && Number.isInteger(value), value, path, 'integer');
    case 'boolean':
      return expect(typeof value === 'boolean', value, path, 'boolean');
    case 'timestamp':
      return expect(typeof value === 'number', value, path, 'timestamp');
    case 'blob':
      expect(typeof value === 'string', value, path, 'blob');
      return Buffer.from(value as string, 'base64');
    case 'list':
      expect(Array.isArray(value), value, path, 'list');
      return (value as unknown[]).map((v, i) => decodeJsonValue(shape.member, v, `${path}[${i}]`));
    case 'map': {
      expect(isObject(value), value, path, 'map');
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as object)) {
        out[k] = decodeJsonValue(shape.value, v, `${path}.${k}`);
      }
      return out;
    }
    case 'structure': {
      expect(isObject(value), value, path, 'structure');
      const out: Record<string, unknown> = {};
      const obj = value as Record<string, unknown>;
      for (const [name, member] of Object.entries(shape.members)) {
        if (obj[name] !== undefined) out[name] = decodeJsonValue(member, obj[name], name);
      }
      return out;
    }
  }
}

export function encodeJsonValue(shape: Shape | undefined, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (!shape) return value;
  switch (shape.type) {
    case 'list':
      return (value as unknown[]).map((v) => encodeJsonValue(shape.member, v));
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value as object)) out[k] = encodeJsonValue(shape.value, v);
      return out;
    }
    case 'structure': {
      const out: Record<string, unknown> = {};
      const obj = value as Record<string, unknown>;
      for (const [name, member] of Object.entries(shape.members)) {
        const v = encodeJsonValue(member, obj[name]);
        if (v !== undefined) out[name] = v;
      }
      return out;
    }
    default:
      return value;
  }
}

function isObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function expect(ok: boolean, value: unknown, path: string, type: string): unknown {
  if (!ok) {
    throw new SerializationException(
      `Unable to parse ${path}: expected ${type} but got ${JSON.stringify(value)?.slice(0, 50)}`,
    );
  }
  return value;
}
