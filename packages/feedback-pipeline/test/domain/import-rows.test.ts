import { describe, expect, it } from 'vitest';
import { formatFromKey, ImportRowParser, importRowId, type RowResult } from '../../src/domain/import-rows.js';
import { queuedFeedbackSchema } from '../../src/domain/schema.js';

function parse(format: 'csv' | 'jsonl', text: string): RowResult[] {
  const parser = new ImportRowParser(format);
  const rows = text.split('\n').map((line, i) => parser.push(line, i + 1));
  return [...rows, parser.end()].filter((r) => r !== undefined);
}

describe('formatFromKey', () => {
  it('picks the format from the extension', () => {
    expect(formatFromKey('a/b.CSV')).toBe('csv');
    expect(formatFromKey('x.jsonl')).toBe('jsonl');
    expect(formatFromKey('x.ndjson')).toBe('jsonl');
    expect(formatFromKey('x.txt')).toBeUndefined();
  });
});

describe('ImportRowParser (CSV)', () => {
  it('maps columns by header, converts ratings and ;-separated tags, defaults source to import', () => {
    const rows = parse('csv', '\uFEFFRating,Message,Email,Tags\n4,"Nice, fast",a@b.co,ux; speed\n');
    expect(rows).toEqual([
      {
        line: 2,
        ok: true,
        value: { rating: 4, message: 'Nice, fast', email: 'a@b.co', tags: ['ux', 'speed'], source: 'import' },
      },
    ]);
  });

  it('reports bad rows with their line numbers and field errors', () => {
    const rows = parse('csv', 'rating,message\n9,ok\nfive,\n3,fine\n1,two,extra');
    expect(rows.map((r) => [r.line, r.ok])).toEqual([
      [2, false],
      [3, false],
      [4, true],
      [5, false],
    ]);
    expect(rows[0]).toMatchObject({ errors: { rating: ['Rating must be between 1 and 5'] } });
    expect(rows[1]).toMatchObject({
      errors: { rating: ['Rating must be a number'], message: ['Message is required'] },
    });
    expect(rows[3]).toMatchObject({ errors: { row: ['Expected 2 fields, got 3'] } });
  });

  it('skips blank lines between records but keeps them inside quoted fields', () => {
    const rows = parse('csv', 'rating,message\n\n5,"a\n\nb"\n');
    expect(rows).toEqual([{ line: 3, ok: true, value: { rating: 5, message: 'a\n\nb', source: 'import' } }]);
  });
});

describe('ImportRowParser (JSON Lines)', () => {
  it('validates each line and reports malformed JSON', () => {
    const rows = parse('jsonl', '{"rating":5,"message":"ok","source":"web"}\n\nnot json\n[1]\n{"rating":0}');
    expect(rows.map((r) => r.line)).toEqual([1, 3, 4, 5]);
    expect(rows[0]).toEqual({ line: 1, ok: true, value: { rating: 5, message: 'ok', source: 'web' } });
    expect(rows[1]).toMatchObject({ ok: false, errors: { row: ['Invalid JSON'] } });
    expect(rows[2]).toMatchObject({ ok: false, errors: { row: ['Expected a JSON object'] } });
    expect(rows[3]).toMatchObject({ ok: false, errors: { rating: expect.any(Array), message: expect.any(Array) } });
  });
});

describe('importRowId', () => {
  it('is a valid UUID, stable for the same upload and line, different otherwise', () => {
    const id = importRowId('b', 'k.csv', 'etag', 2);
    expect(queuedFeedbackSchema.shape.id.safeParse(id).success).toBe(true);
    expect(importRowId('b', 'k.csv', 'etag', 2)).toBe(id);
    expect(importRowId('b', 'k.csv', 'etag', 3)).not.toBe(id);
    expect(importRowId('b', 'k.csv', 'etag2', 2)).not.toBe(id);
  });
});
