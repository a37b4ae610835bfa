import { describe, expect, it } from 'vitest';
import { fieldErrors } from '../../src/domain/errors.js';
import { importRowSchema, listQuerySchema, submitSchema, updateSchema } from '../../src/domain/schema.js';

describe('feedback schema', () => {
  it('accepts a minimal feedback and defaults the source to web', () => {
    expect(submitSchema.parse({ rating: 5, message: ' Great ' })).toEqual({
      rating: 5,
      message: 'Great',
      source: 'web',
    });
  });

  it('defaults the source of import rows to import', () => {
    expect(importRowSchema.parse({ rating: 1, message: 'x' }).source).toBe('import');
  });

  it('reports every invalid field under its own name', () => {
    const result = submitSchema.safeParse({
      rating: 6,
      message: '',
      email: 'nope',
      source: 'fax',
      tags: ['a'.repeat(33)],
    });
    expect(result.success).toBe(false);
    const errors = fieldErrors(result.error!);
    expect(Object.keys(errors).sort()).toEqual(['email', 'message', 'rating', 'source', 'tags.0']);
    expect(errors.rating).toEqual(['Rating must be between 1 and 5']);
  });

  it('rejects fractional ratings, long messages and more than ten tags', () => {
    const errors = fieldErrors(
      submitSchema.safeParse({ rating: 2.5, message: 'm'.repeat(2001), tags: Array(11).fill('t') }).error!,
    );
    expect(errors.rating).toEqual(['Rating must be an integer']);
    expect(errors.message).toEqual(['Message must be at most 2000 characters']);
    expect(errors.tags).toEqual(['At most 10 tags']);
  });

  it('puts errors about a non-object body under body', () => {
    expect(Object.keys(fieldErrors(submitSchema.safeParse('text').error!))).toEqual(['body']);
  });
});

describe('update schema', () => {
  it('accepts status and tags only', () => {
    expect(updateSchema.parse({ status: 'resolved', tags: ['x'] })).toEqual({ status: 'resolved', tags: ['x'] });
    const errors = fieldErrors(updateSchema.safeParse({ status: 'resolved', rating: 5 }).error!);
    expect(errors.body?.[0]).toMatch(/rating/);
  });

  it('requires at least one field', () => {
    expect(updateSchema.safeParse({}).success).toBe(false);
  });
});

describe('list query schema', () => {
  it('defaults limit to 20 and coerces query strings', () => {
    expect(listQuerySchema.parse({})).toEqual({ limit: 20 });
    expect(listQuerySchema.parse({ limit: '100', status: 'new', from: '2026-11-01' }).limit).toBe(100);
  });

  it('rejects limits outside 1..100 and malformed dates', () => {
    const errors = fieldErrors(listQuerySchema.safeParse({ limit: '0', from: 'yesterday', status: 'done' }).error!);
    expect(Object.keys(errors).sort()).toEqual(['from', 'limit', 'status']);
  });
});
