import { BlockList, isIP } from 'node:net';
import { InvalidParameter } from './errors.js';

/**
 * Subscription filter policies (aws-semantics §4.4). Validation follows the checks and wording AWS
 * answers with; matching differs from EventBridge's (core/event-pattern.ts) in typing: in the
 * MessageAttributes scope strings match String and String.Array attributes only, numbers match Number
 * attributes only, and Binary attributes match nothing but `exists`.
 */
export type FilterScope = 'MessageAttributes' | 'MessageBody';
export type Policy = Record<string, unknown>;

export interface AttributeValue {
  DataType: string;
  StringValue?: string;
  BinaryValue?: Buffer;
}

type Leaf = string | number | boolean | null;

const NUMERIC_OPS = new Set(['<', '<=', '=', '>', '>=']);

/**
 * Parses and validates a FilterPolicy attribute. `prefix` is `Invalid parameter: Attributes Reason: `
 * on Subscribe and `Invalid parameter: ` on SetSubscriptionAttributes. An empty policy means no filter.
 */
export function parseFilterPolicy(raw: string, scope: FilterScope, prefix: string): Policy | undefined {
  if (raw.trim() === '') return undefined;
  const fail = (reason: string) => new InvalidParameter(`${prefix}FilterPolicy: ${reason}`);
  let policy: unknown;
  try {
    policy = JSON.parse(raw);
  } catch {
    throw fail('failed to parse JSON.');
  }
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) {
    throw fail('Filter policy must be a JSON object');
  }
  const p = policy as Policy;
  if (Object.keys(p).length === 0) return undefined;
  if (Object.keys(p).length > 5) throw fail('Filter policy can not have more than 5 keys');
  const rules: unknown[] = [];
  const combinations = aggregate(p, 1, 1, scope, prefix, rules, fail);
  if (combinations > 150) throw fail('Filter policy is too complex');
  for (const rule of rules) validateRule(rule, fail);
  return p;
}

/** Collects every rule and counts combinations the way AWS documents it: values × nesting depth. */
function aggregate(
  policy: Policy,
  depth: number,
  start: number,
  scope: FilterScope,
  prefix: string,
  rules: unknown[],
  fail: (reason: string) => Error,
): number {
  let combinations = start;
  for (const [key, value] of Object.entries(policy)) {
    if (Array.isArray(value)) {
      if (value.length === 0) throw fail('Empty arrays are not allowed');
      if (key === '$or' && value.every(isObject)) {
        let sum = 0;
        for (const branch of value) sum += aggregate(branch as Policy, depth, combinations, scope, prefix, rules, fail);
        combinations = sum;
      } else {
        rules.push(...value);
        combinations = combinations * value.length * depth;
      }
    } else if (isObject(value)) {
      combinations = aggregate(value as Policy, depth + 1, combinations, scope, prefix, rules, fail);
    } else {
      throw fail(`"${key}" must be an object or an array`);
    }
  }
  if (scope === 'MessageAttributes' && depth > 1) {
    throw new InvalidParameter(`${prefix}Filter policy scope MessageAttributes does not support nested filter policy`);
  }
  return combinations;
}

function validateRule(rule: unknown, fail: (reason: string) => Error): void {
  if (rule === null || typeof rule === 'string' || typeof rule === 'number' || typeof rule === 'boolean') return;
  if (!isObject(rule)) throw fail('Match value must be String, number, true, false, or null');
  const entries = Object.entries(rule as Policy);
  if (entries.length !== 1) throw fail('Only one key allowed in match expression');
  const [op, value] = entries[0] as [string, unknown];
  switch (op) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
      if (typeof value !== 'string') throw fail(`${op} match pattern must be a string`);
      return;
    case 'anything-but':
      if (Array.isArray(value)) {
        for (const v of value) validateRule(v, fail);
      } else if (isObject(value)) {
        for (const inner of Object.keys(value as Policy)) {
          if (inner !== 'prefix') throw fail(`Unsupported anything-but pattern: ${inner}`);
        }
        validateRule(value, fail);
      } else {
        validateRule(value, fail);
      }
      return;
    case 'exists':
      if (typeof value !== 'boolean') throw fail('exists match pattern must be either true or false.');
      return;
    case 'numeric':
      validateNumeric(value, fail);
      return;
    case 'cidr':
      validateCidr(value, fail);
      return;
    default:
      throw fail(`Unrecognized match type ${op}`);
  }
}

function validateNumeric(value: unknown, fail: (reason: string) => Error): void {
  const terms = Array.isArray(value) ? [...value] : [];
  if (terms.length === 0) throw fail('Invalid member in numeric match: ]');
  const op = terms.shift();
  if (typeof op !== 'string') throw fail(`Invalid member in numeric match: ${op}`);
  if (!NUMERIC_OPS.has(op)) throw fail(`Unrecognized numeric range operator: ${op}`);
  const bottom = terms.shift();
  if (typeof bottom !== 'number') throw fail(`Value of ${op === '=' ? 'equals' : op} must be numeric`);
  if (terms.length === 0) return;
  if (op !== '>' && op !== '>=') throw fail('Too many elements in numeric expression');
  const op2 = terms.shift();
  if (typeof op2 !== 'string') throw fail(`Bad value in numeric range: ${op2}`);
  if (op2 !== '<' && op2 !== '<=') throw fail(`Bad numeric range operator: ${op2}`);
  const top = terms.shift();
  if (typeof top !== 'number') throw fail(`Value of ${op2} must be numeric`);
  if (top <= bottom) throw fail('Bottom must be less than top');
  if (terms.length > 0) throw fail('Too many terms in numeric range expression');
}

function validateCidr(value: unknown, fail: (reason: string) => Error): void {
  // AWS reports a non-string cidr with the prefix operator's wording.
  if (typeof value !== 'string') throw fail('prefix match pattern must be a string');
  const parts = value.split('/');
  if (parts.length !== 2) throw fail("Malformed CIDR, one '/' required");
  const [ip, bits] = parts as [string, string];
  if (!/^\d+$/.test(bits)) throw fail('Malformed CIDR, mask bits must be an integer');
  const family = isIP(ip);
  if (family === 0 || Number(bits) > (family === 4 ? 32 : 128)) throw fail(`Nonstandard IP address: ${ip}`);
}

// ---- matching --------------------------------------------------------------------------------

/** MessageAttributes scope: top-level keys only; a message without attributes never matches. */
export function matchesAttributes(policy: Policy, attributes: Record<string, AttributeValue> | undefined): boolean {
  if (!attributes || Object.keys(attributes).length === 0) return false;
  return matchAttributes(policy, attributes);
}

function matchAttributes(policy: Policy, attributes: Record<string, AttributeValue>): boolean {
  for (const [key, rules] of Object.entries(policy)) {
    if (isOr(key, rules)) {
      if (!rules.some((branch) => matchAttributes(branch as Policy, attributes))) return false;
      continue;
    }
    const attr = Object.hasOwn(attributes, key) ? attributes[key] : undefined;
    const values = attr ? attributeLeaves(attr) : [];
    if (!(rules as unknown[]).some((rule) => ruleMatches(rule, attr !== undefined, values))) return false;
  }
  return true;
}

function attributeLeaves(attr: AttributeValue): Leaf[] {
  const type = attr.DataType;
  if (type.startsWith('Binary') || attr.StringValue === undefined) return [];
  if (type.startsWith('String.Array')) {
    try {
      const parsed: unknown = JSON.parse(attr.StringValue);
      return Array.isArray(parsed) ? parsed.filter(isLeaf) : [];
    } catch {
      return [];
    }
  }
  if (type.startsWith('Number')) {
    const n = Number(attr.StringValue);
    return Number.isFinite(n) ? [n] : [];
  }
  return [attr.StringValue];
}

/** MessageBody scope: the body must be a JSON object; nested keys and arrays are walked. */
export function matchesBody(policy: Policy, body: string): boolean {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return false;
  }
  return isObject(parsed) && matchBody(policy, parsed as Record<string, unknown>);
}

function matchBody(policy: Policy, obj: Record<string, unknown>): boolean {
  for (const [key, rule] of Object.entries(policy)) {
    if (isOr(key, rule)) {
      if (!rule.some((branch) => matchBody(branch as Policy, obj))) return false;
      continue;
    }
    const value = lookup(obj, key);
    if (Array.isArray(rule)) {
      const values = bodyLeaves(value);
      if (!rule.some((r) => ruleMatches(r, value !== undefined, values))) return false;
      continue;
    }
    const children = (Array.isArray(value) ? value : [value]).filter(isObject) as Array<Record<string, unknown>>;
    if (children.length === 0) children.push({});
    if (!children.some((child) => matchBody(rule as Policy, child))) return false;
  }
  return true;
}

/** AWS also accepts dotted keys (`"a.b"`) for nested properties. */
function lookup(obj: Record<string, unknown>, key: string): unknown {
  if (Object.hasOwn(obj, key)) return obj[key];
  if (!key.includes('.')) return undefined;
  let cur: unknown = obj;
  for (const part of key.split('.')) {
    if (!isObject(cur) || !Object.hasOwn(cur as object, part)) return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

function bodyLeaves(value: unknown): Leaf[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap(bodyLeaves);
  return isLeaf(value) ? [value] : [];
}

function ruleMatches(rule: unknown, present: boolean, values: Leaf[]): boolean {
  if (!isObject(rule)) return present && values.some((v) => same(rule as Leaf, v));
  const [op, arg] = Object.entries(rule as Policy)[0] as [string, unknown];
  if (op === 'exists') return arg === present;
  if (!present) return false;
  switch (op) {
    case 'prefix':
      return values.some((v) => typeof v === 'string' && v.startsWith(arg as string));
    case 'suffix':
      return values.some((v) => typeof v === 'string' && v.endsWith(arg as string));
    case 'equals-ignore-case':
      return values.some((v) => typeof v === 'string' && v.toLowerCase() === (arg as string).toLowerCase());
    case 'numeric':
      return values.some((v) => typeof v === 'number' && numeric(arg as unknown[], v));
    case 'cidr':
      return values.some((v) => typeof v === 'string' && inCidr(arg as string, v));
    case 'anything-but':
      return anythingBut(arg, values);
    default:
      return false;
  }
}

/** True when some value is outside the excluded set; strings are compared with strings, numbers with numbers. */
function anythingBut(arg: unknown, values: Leaf[]): boolean {
  if (isObject(arg)) {
    const prefix = (arg as { prefix?: string }).prefix ?? '';
    return values.some((v) => typeof v === 'string' && !v.startsWith(prefix));
  }
  const excluded = (Array.isArray(arg) ? arg : [arg]) as Leaf[];
  const strings = excluded.every((x) => typeof x === 'string');
  const numbers = excluded.every((x) => typeof x === 'number');
  return values.some((v) => {
    if (strings && typeof v !== 'string') return false;
    if (numbers && typeof v !== 'number') return false;
    return !excluded.some((x) => same(x, v));
  });
}

/** Numbers compare with five decimal places of precision. */
function same(a: Leaf, b: Leaf): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.round(a * 1e5) === Math.round(b * 1e5);
  return a === b;
}

function numeric(terms: unknown[], v: number): boolean {
  for (let i = 0; i + 1 < terms.length; i += 2) {
    const n = terms[i + 1] as number;
    switch (terms[i]) {
      case '=':
        if (!same(v, n)) return false;
        break;
      case '<':
        if (!(v < n)) return false;
        break;
      case '<=':
        if (!(v <= n)) return false;
        break;
      case '>':
        if (!(v > n)) return false;
        break;
      case '>=':
        if (!(v >= n)) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

const cidrs = new Map<string, BlockList>();

function inCidr(cidr: string, value: string): boolean {
  const family = isIP(value);
  if (family === 0) return false;
  let list = cidrs.get(cidr);
  if (!list) {
    const [net, bits] = cidr.split('/') as [string, string];
    list = new BlockList();
    list.addSubnet(net, Number(bits), isIP(net) === 6 ? 'ipv6' : 'ipv4');
    if (cidrs.size > 1000) cidrs.clear();
    cidrs.set(cidr, list);
  }
  return list.check(value, family === 6 ? 'ipv6' : 'ipv4');
}

function isOr(key: string, value: unknown): value is unknown[] {
  return key === '$or' && Array.isArray(value) && value.every(isObject);
}

function isObject(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isLeaf(v: unknown): v is Leaf {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}
