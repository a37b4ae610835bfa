import { MalformedQueryString } from '../core/errors.js';
import type { Shape, StructureShape } from './shapes.js';

/**
 * awsQuery form parameters → typed input, following the shape's Query names:
 * flattened lists are `Name.N`, others `Name.member.N`; flattened maps `Name.N.Key/Value`,
 * others `Name.entry.N.key/value`.
 */
export function decodeQuery(shape: StructureShape, params: Map<string, string>): Record<string, unknown> {
  return decodeStructure(shape, params, '');
}

function decodeStructure(shape: StructureShape, params: Map<string, string>, prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, member] of Object.entries(shape.members)) {
    const v = decodeMember(member, params, prefix + (member.q ?? name));
    if (v !== undefined) out[name] = v;
  }
  return out;
}

function decodeMember(shape: Shape, params: Map<string, string>, key: string): unknown {
  switch (shape.type) {
    case 'structure':
      return hasPrefix(params, `${key}.`) ? decodeStructure(shape, params, `${key}.`) : undefined;
    case 'list': {
      const base = shape.flattened ? key : `${key}.${shape.memberName ?? 'member'}`;
      const indexes = indexesUnder(params, base);
      if (indexes.length === 0) return params.has(key) && params.get(key) === '' ? [] : undefined;
      return indexes.map((i) => decodeMember(shape.member, params, `${base}.${i}`));
    }
    case 'map': {
      const base = shape.flattened ? key : `${key}.entry`;
      const keyName = shape.keyName ?? (shape.flattened ? 'Name' : 'key');
      const valueName = shape.valueName ?? (shape.flattened ? 'Value' : 'value');
      const indexes = indexesUnder(params, base);
      if (indexes.length === 0) return undefined;
      const out: Record<string, unknown> = {};
      for (const i of indexes) {
        const k = params.get(`${base}.${i}.${keyName}`);
        if (k === undefined) continue;
        out[k] = decodeMember(shape.value, params, `${base}.${i}.${valueName}`);
      }
      return out;
    }
    default:
      return decodeScalar(shape.type, params.get(key), key);
  }
}

function decodeScalar(type: string, raw: string | undefined, key: string): unknown {
  if (raw === undefined) return undefined;
  switch (type) {
    case 'integer':
    case 'long':
    case 'timestamp': {
      if (!/^-?\d+$/.test(raw)) {
        throw new MalformedQueryString(`Value ${raw} for parameter ${key} is invalid. Reason: not a number.`);
      }
      return Number(raw);
    }
    case 'boolean':
      return raw.toLowerCase() === 'true';
    case 'blob':
      return Buffer.from(raw, 'base64');
    default:
      return raw;
  }
}

function hasPrefix(params: Map<string, string>, prefix: string): boolean {
  for (const k of params.keys()) if (k.startsWith(prefix)) return true;
  return false;
}

/** The distinct N in `${base}.N...`, sorted. */
function indexesUnder(params: Map<string, string>, base: string): number[] {
  const seen = new Set<number>();
  const prefix = `${base}.`;
  for (const k of params.keys()) {
    if (!k.startsWith(prefix)) continue;
    const rest = k.slice(prefix.length);
    const dot = rest.indexOf('.');
    const n = Number(dot < 0 ? rest : rest.slice(0, dot));
    if (Number.isInteger(n) && n > 0) seen.add(n);
  }
  return [...seen].sort((a, b) => a - b);
}

export function parseForm(body: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const [k, v] of new URLSearchParams(body)) params.set(k, v);
  return params;
}
