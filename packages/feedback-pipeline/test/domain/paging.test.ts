import { describe, expect, it } from 'vitest';
import { decodeToken, encodeToken, timeRange } from '../../src/domain/paging.js';

describe('paging tokens', () => {
  it('round-trips a LastEvaluatedKey as base64url', () => {
    const key = { pk: 'a', createdAt: '2026-11-23T08:00:00.000Z', status: 'new' };
    const token = encodeToken(key)!;
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeToken(token)).toEqual(key);
  });

  it('encodes no key as no token', () => {
    expect(encodeToken(undefined)).toBeUndefined();
  });

  it('rejects tokens that are not a key of this table', () => {
    expect(decodeToken('!!!')).toBeUndefined();
    expect(decodeToken(Buffer.from('[1]').toString('base64url'))).toBeUndefined();
    expect(decodeToken(Buffer.from('{}').toString('base64url'))).toBeUndefined();
    expect(decodeToken(encodeToken({ other: 'x' })!)).toBeUndefined();
    expect(decodeToken(Buffer.from('{"pk":{"S":"x"}}').toString('base64url'))).toBeUndefined();
  });
});

describe('timeRange', () => {
  it('turns dates into whole UTC days', () => {
    expect(timeRange('2026-11-01', '2026-11-02')).toEqual({
      from: '2026-11-01T00:00:00.000Z',
      to: '2026-11-02T23:59:59.999Z',
    });
  });

  it('normalises date-times with offsets to UTC ISO strings', () => {
    expect(timeRange('2026-11-01T10:00:00+02:00', undefined)).toEqual({ from: '2026-11-01T08:00:00.000Z' });
  });

  it('rejects a range that ends before it starts', () => {
    expect(timeRange('2026-11-03', '2026-11-02')).toEqual({ error: '`from` must not be after `to`' });
  });
});
