import { describe, expect, it } from 'vitest';
import { CsvReader } from '../../src/domain/csv.js';

function readAll(lines: string[]) {
  const reader = new CsvReader();
  const records = lines.map((line, i) => reader.push(line, i + 1)).filter((r) => r !== undefined);
  return { records, end: reader.end() };
}

describe('CsvReader', () => {
  it('splits plain fields, keeping empty ones', () => {
    expect(readAll(['a,b,,d']).records).toEqual([{ line: 1, fields: ['a', 'b', '', 'd'] }]);
  });

  it('reads quoted fields with commas and doubled quotes', () => {
    expect(readAll(['"Hello, world","He said ""hi""",x']).records[0]?.fields).toEqual([
      'Hello, world',
      'He said "hi"',
      'x',
    ]);
  });

  it('joins a quoted field that spans lines and reports the line it starts on', () => {
    const { records } = readAll(['h1,h2', '1,"first', '', 'third"', '2,x']);
    expect(records).toEqual([
      { line: 1, fields: ['h1', 'h2'] },
      { line: 2, fields: ['1', 'first\n\nthird'] },
      { line: 5, fields: ['2', 'x'] },
    ]);
  });

  it('drops a trailing carriage return', () => {
    expect(readAll(['a,b\r']).records[0]?.fields).toEqual(['a', 'b']);
  });

  it('reports an unterminated quote at the end', () => {
    const { records, end } = readAll(['a', '"open']);
    expect(records).toHaveLength(1);
    expect(end).toEqual({ line: 2, error: 'Unterminated quoted field' });
  });
});
