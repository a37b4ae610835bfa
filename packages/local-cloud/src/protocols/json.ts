import { SerializationException } from '../core/errors.js';
import type { Shape } from './shapes.js';

/**
 * awsJson 1.0/1.1 values ↔ typed values. Blobs travel as base64 strings and become Buffers;
 * numbers and booleans must have the right JSON type, or the request fails with
 * SerializationException as it does on AWS. Each shape is compiled once into a function.
 */
type Codec = (value: unknown, path: string) => unknown;

const decoders = new WeakMap<Shape, Codec>();
const encoders = new WeakMap<Shape, Codec | null>();

export function decodeJsonValue(shape: Shape, value: unknown, path: string): unknown {
  return decoder(shape)(value, path);
}

/** Output → JSON-ready value. Shapes without blobs pass through untouched (JSON.stringify drops undefined). */
export function encodeJsonValue(shape: Shape | undefined, value: unknown): unknown {
  if (!shape) return value;
  const enc = encoder(shape);
  return enc ? enc(value, '') : value;
}

function decoder(shape: Shape): Codec {
  let d = decoders.get(shape);
  if (!d) {
    d = compileDecoder(shape);
    decoders.set(shape, d);
  }
  return d;
}

function compileDecoder(shape: Shape): Codec {
  switch (shape.type) {
    case 'string':
      return scalar('string', (v) => typeof v === 'string');
    case 'integer':
    case 'long':
      return scalar('integer', (v) => typeof v === 'number' && Number.isInteger(v));
    case 'boolean':
      return scalar('boolean', (v) => typeof v === 'boolean');
    case 'timestamp':
      return scalar('timestamp', (v) => typeof v === 'number');
    case 'document':
      return (v) => (v === null ? undefined : v);
    case 'blob':
      return (v, path) => {
        if (v === null || v === undefined) return undefined;
        if (typeof v !== 'string') fail(path, 'blob', v);
        return Buffer.from(v as string, 'base64');
      };
    case 'list': {
      const member = decoder(shape.member);
      return (v, path) => {
        if (v === null || v === undefined) return undefined;
        if (!Array.isArray(v)) fail(path, 'list', v);
        return (v as unknown[]).map((x, i) => member(x, `${path}[${i}]`));
      };
    }
    case 'map': {
      const value = decoder(shape.value);
      return (v, path) => {
        if (v === null || v === undefined) return undefined;
        if (!isObject(v)) fail(path, 'map', v);
        const out: Record<string, unknown> = {};
        for (const k in v as object) out[k] = value((v as Record<string, unknown>)[k], `${path}.${k}`);
        return out;
      };
    }
    case 'structure': {
      const members = new Map(Object.entries(shape.members).map(([k, m]) => [k, decoder(m)]));
      return (v, path) => {
        if (v === null || v === undefined) return undefined;
        if (!isObject(v)) fail(path, 'structure', v);
        const out: Record<string, unknown> = {};
        const obj = v as Record<string, unknown>;
        for (const k in obj) {
          const d = members.get(k);
          if (!d) continue;
          const x = d(obj[k], k);
          if (x !== undefined) out[k] = x;
        }
        return out;
      };
    }
  }
}

function scalar(type: string, ok: (v: unknown) => boolean): Codec {
  return (v, path) => {
    if (v === null || v === undefined) return undefined;
    if (!ok(v)) fail(path, type, v);
    return v;
  };
}

function encoder(shape: Shape): Codec | null {
  let e = encoders.get(shape);
  if (e === undefined) {
    e = hasBlob(shape, new Set()) ? compileEncoder(shape) : null;
    encoders.set(shape, e);
  }
  return e;
}

function compileEncoder(shape: Shape): Codec {
  switch (shape.type) {
    case 'blob':
      return (v) => (Buffer.isBuffer(v) ? v.toString('base64') : v);
    case 'list': {
      const member = encoder(shape.member);
      return (v) => (Array.isArray(v) && member ? v.map((x) => member(x, '')) : v);
    }
    case 'map': {
      const value = encoder(shape.value);
      return (v) => {
        if (!value || !isObject(v)) return v;
        const out: Record<string, unknown> = {};
        for (const k in v as object) out[k] = value((v as Record<string, unknown>)[k], '');
        return out;
      };
    }
    case 'structure': {
      const members = new Map(Object.entries(shape.members).map(([k, m]) => [k, encoder(m)]));
      return (v) => {
        if (!isObject(v)) return v;
        const out: Record<string, unknown> = {};
        const obj = v as Record<string, unknown>;
        for (const k in obj) {
          const x = obj[k];
          if (x === undefined) continue;
          const e = members.get(k);
          out[k] = e ? e(x, '') : x;
        }
        return out;
      };
    }
    default:
      return (v) => v;
  }
}

function hasBlob(shape: Shape, seen: Set<Shape>): boolean {
  if (seen.has(shape)) return false;
  seen.add(shape);
  switch (shape.type) {
    case 'blob':
      return true;
    case 'list':
      return hasBlob(shape.member, seen);
    case 'map':
      return hasBlob(shape.value, seen);
    case 'structure':
      return Object.values(shape.members).some((m) => hasBlob(m, seen));
    default:
      return false;
  }
}

function isObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(path: string, type: string, value: unknown): never {
  throw new SerializationException(
    `Unable to parse ${path}: expected ${type} but got ${JSON.stringify(value)?.slice(0, 50)}`,
  );
}
