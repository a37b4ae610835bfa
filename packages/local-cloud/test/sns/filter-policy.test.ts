import { describe, expect, it } from 'vitest';
import {
  type AttributeValue,
  matchesAttributes,
  matchesBody,
  type Policy,
  parseFilterPolicy,
} from '../../src/services/sns/filter-policy.js';

const S = (v: string): AttributeValue => ({ DataType: 'String', StringValue: v });
const N = (v: number | string): AttributeValue => ({ DataType: 'Number', StringValue: String(v) });
const A = (v: unknown[]): AttributeValue => ({ DataType: 'String.Array', StringValue: JSON.stringify(v) });
const B = (): AttributeValue => ({ DataType: 'Binary', BinaryValue: Buffer.from('x') });

const attrs = (policy: Policy, a: Record<string, AttributeValue>) => matchesAttributes(policy, a);
const body = (policy: Policy, b: unknown) => matchesBody(policy, typeof b === 'string' ? b : JSON.stringify(b));

describe('MessageAttributes scope', () => {
  it('matches exact strings against String and each String.Array element, ANDs keys and ORs values', () => {
    const p = { sport: ['rugby', 'tennis'], store: ['example_corp'] };
    expect(attrs(p, { sport: S('rugby'), store: S('example_corp') })).toBe(true);
    expect(attrs(p, { sport: A(['golf', 'tennis']), store: S('example_corp') })).toBe(true);
    expect(attrs(p, { sport: S('golf'), store: S('example_corp') })).toBe(false);
    expect(attrs(p, { sport: S('rugby') })).toBe(false);
    // Strings do not match Number attributes, numbers do not match String attributes.
    expect(attrs({ n: ['5'] }, { n: N(5) })).toBe(false);
    expect(attrs({ n: [5] }, { n: S('5') })).toBe(false);
    expect(attrs({ n: [5] }, { n: N('5.000001') })).toBe(true);
  });

  it('supports prefix, suffix, equals-ignore-case and cidr on strings only', () => {
    expect(attrs({ k: [{ prefix: 'bas' }] }, { k: S('baseball') })).toBe(true);
    expect(attrs({ k: [{ prefix: 'bas' }] }, { k: S('rugby') })).toBe(false);
    expect(attrs({ k: [{ suffix: 'ball' }] }, { k: A(['rugby', 'football']) })).toBe(true);
    expect(attrs({ k: [{ 'equals-ignore-case': 'RED' }] }, { k: S('red') })).toBe(true);
    expect(attrs({ ip: [{ cidr: '10.0.0.0/24' }] }, { ip: S('10.0.0.255') })).toBe(true);
    expect(attrs({ ip: [{ cidr: '10.0.0.0/24' }] }, { ip: S('10.0.1.0') })).toBe(false);
    expect(attrs({ ip: [{ cidr: '2001:db8::/32' }] }, { ip: S('2001:db8::1') })).toBe(true);
    expect(attrs({ ip: [{ cidr: '10.0.0.0/8' }] }, { ip: S('not an ip') })).toBe(false);
    expect(attrs({ k: [{ prefix: '' }] }, { k: B() })).toBe(false);
  });

  it('supports numeric ranges and equality on Number attributes', () => {
    const p = { price: [{ numeric: ['>', 0, '<=', 150] }] };
    expect(attrs(p, { price: N(150) })).toBe(true);
    expect(attrs(p, { price: N(0) })).toBe(false);
    expect(attrs(p, { price: S('10') })).toBe(false);
    expect(attrs({ price: [{ numeric: ['=', 301.5] }] }, { price: N('3.015e2') })).toBe(true);
    expect(attrs({ price: [{ numeric: ['<', 0] }] }, { price: N(-1) })).toBe(true);
  });

  it('supports the anything-but forms', () => {
    expect(attrs({ k: [{ 'anything-but': 'rugby' }] }, { k: S('tennis') })).toBe(true);
    expect(attrs({ k: [{ 'anything-but': ['rugby', 'tennis'] }] }, { k: S('rugby') })).toBe(false);
    expect(attrs({ k: [{ 'anything-but': ['rugby', 'tennis'] }] }, { k: A(['rugby', 'golf']) })).toBe(true);
    expect(attrs({ k: [{ 'anything-but': [100, 500] }] }, { k: N(101) })).toBe(true);
    expect(attrs({ k: [{ 'anything-but': [100, 500] }] }, { k: N(100) })).toBe(false);
    expect(attrs({ k: [{ 'anything-but': { prefix: 'order-' } }] }, { k: S('refund-1') })).toBe(true);
    expect(attrs({ k: [{ 'anything-but': { prefix: 'order-' } }] }, { k: S('order-1') })).toBe(false);
    // Every operator but exists needs the key.
    expect(attrs({ k: [{ 'anything-but': 'x' }], o: ['y'] }, { o: S('y') })).toBe(false);
  });

  it('supports exists, which never matches a message without attributes', () => {
    expect(attrs({ store: [{ exists: true }] }, { store: S('x') })).toBe(true);
    expect(attrs({ store: [{ exists: true }] }, { other: S('x') })).toBe(false);
    expect(attrs({ store: [{ exists: false }] }, { other: S('x') })).toBe(true);
    expect(attrs({ store: [{ exists: false }] }, { store: S('x') })).toBe(false);
    expect(matchesAttributes({ store: [{ exists: false }] }, undefined)).toBe(false);
    expect(matchesAttributes({ store: [{ exists: false }] }, {})).toBe(false);
  });

  it('supports $or branches', () => {
    const p = { source: ['aws.cloudwatch'], $or: [{ metricName: ['CPUUtilization'] }, { namespace: ['AWS/EC2'] }] };
    expect(attrs(p, { source: S('aws.cloudwatch'), namespace: S('AWS/EC2') })).toBe(true);
    expect(attrs(p, { source: S('aws.cloudwatch'), metricName: S('CPUUtilization') })).toBe(true);
    expect(attrs(p, { source: S('aws.cloudwatch'), metricName: S('Memory') })).toBe(false);
  });
});

describe('MessageBody scope', () => {
  it('walks nested properties and arrays, and matches JSON types', () => {
    const p = { order: { status: ['paid'], items: { sku: [{ prefix: 'A-' }] } }, vip: [true], note: [null] };
    const msg = { order: { status: 'paid', items: [{ sku: 'B-1' }, { sku: 'A-7' }] }, vip: true, note: null };
    expect(body(p, msg)).toBe(true);
    expect(body(p, { ...msg, vip: false })).toBe(false);
    expect(body({ tags: ['x'] }, { tags: ['w', 'x'] })).toBe(true);
    expect(body({ n: [{ numeric: ['>=', 10] }] }, { n: 10 })).toBe(true);
    expect(body({ n: [{ numeric: ['>=', 10] }] }, { n: '10' })).toBe(false);
    expect(body({ 'a.b': ['c'] }, { a: { b: 'c' } })).toBe(true);
  });

  it('handles exists on nested keys and rejects bodies that are not JSON objects', () => {
    expect(body({ a: { b: [{ exists: false }] } }, { c: 1 })).toBe(true);
    expect(body({ a: { b: [{ exists: true }] } }, { a: { b: 0 } })).toBe(true);
    expect(body({ a: ['x'] }, 'plain text')).toBe(false);
    expect(body({ a: ['x'] }, '["x"]')).toBe(false);
    expect(body({ a: [{ exists: false }] }, {})).toBe(true);
  });
});

describe('validation', () => {
  const err = (policy: unknown, scope: 'MessageAttributes' | 'MessageBody' = 'MessageAttributes') => {
    try {
      parseFilterPolicy(JSON.stringify(policy), scope, 'Invalid parameter: ');
    } catch (e) {
      return (e as Error).message;
    }
    return 'accepted';
  };

  it('accepts every operator and treats {} as no policy', () => {
    expect(
      err({
        a: ['x', 1, true, null],
        b: [{ prefix: 'p' }, { suffix: 's' }, { 'equals-ignore-case': 'E' }],
        c: [{ 'anything-but': ['x', 'y'] }, { 'anything-but': { prefix: 'p' } }, { 'anything-but': 5 }],
        d: [{ numeric: ['>=', 0, '<', 10] }, { exists: false }],
        e: [{ cidr: '10.0.0.0/16' }],
      }),
    ).toBe('accepted');
    expect(parseFilterPolicy('{}', 'MessageAttributes', '')).toBeUndefined();
  });

  it('enforces the 5-key and 150-combination limits and the nesting rules', () => {
    expect(err({ a: ['1'], b: ['1'], c: ['1'], d: ['1'], e: ['1'], f: ['1'] })).toBe(
      'Invalid parameter: FilterPolicy: Filter policy can not have more than 5 keys',
    );
    const many = (n: number) => Array.from({ length: n }, (_, i) => String(i));
    expect(err({ a: many(10), b: many(15) })).toBe('accepted');
    expect(err({ a: many(10), b: many(16) })).toBe('Invalid parameter: FilterPolicy: Filter policy is too complex');
    expect(err({ a: { b: ['c'] } })).toBe(
      'Invalid parameter: Filter policy scope MessageAttributes does not support nested filter policy',
    );
    expect(err({ a: { b: ['c'] } }, 'MessageBody')).toBe('accepted');
    expect(err({ a: [] })).toBe('Invalid parameter: FilterPolicy: Empty arrays are not allowed');
    expect(err({ a: 'x' })).toBe('Invalid parameter: FilterPolicy: "a" must be an object or an array');
  });

  it('rejects malformed operators with AWS wording', () => {
    const cases: Array<[unknown, string]> = [
      [{ prefix: 1 }, 'prefix match pattern must be a string'],
      [{ prefix: 'a', suffix: 'b' }, 'Only one key allowed in match expression'],
      [{ 'anything-but': { suffix: 'x' } }, 'Unsupported anything-but pattern: suffix'],
      [{ exists: 'yes' }, 'exists match pattern must be either true or false.'],
      [{ numeric: [] }, 'Invalid member in numeric match: ]'],
      [{ numeric: ['~', 1] }, 'Unrecognized numeric range operator: ~'],
      [{ numeric: ['=', 'one'] }, 'Value of equals must be numeric'],
      [{ numeric: ['<', 1, '>', 0] }, 'Too many elements in numeric expression'],
      [{ numeric: ['>', 5, '<', 1] }, 'Bottom must be less than top'],
      [{ cidr: '10.0.0.0' }, "Malformed CIDR, one '/' required"],
      [{ cidr: '10.0.0.0/x' }, 'Malformed CIDR, mask bits must be an integer'],
      [{ cidr: '10.0.0.300/8' }, 'Nonstandard IP address: 10.0.0.300'],
      [{ wildcard: '*' }, 'Unrecognized match type wildcard'],
      [['nested'], 'Match value must be String, number, true, false, or null'],
    ];
    for (const [rule, reason] of cases) expect(err({ k: [rule] })).toBe(`Invalid parameter: FilterPolicy: ${reason}`);
  });
});
