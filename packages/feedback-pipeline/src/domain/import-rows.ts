import { createHash } from 'node:crypto';
import { CsvReader } from './csv.js';
import { type FieldErrors, fieldErrors } from './errors.js';
import { type FeedbackInput, importRowSchema } from './schema.js';

export type ImportFormat = 'csv' | 'jsonl';

export type RowResult =
  | { line: number; ok: true; value: FeedbackInput }
  | { line: number; ok: false; errors: FieldErrors };

export function formatFromKey(key: string): ImportFormat | undefined {
  const lower = key.toLowerCase();
  if (lower.endsWith('.csv')) return 'csv';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson') || lower.endsWith('.json')) return 'jsonl';
  return undefined;
}

/** Turns physical lines of an import file into validated rows; blank lines are skipped. */
export class ImportRowParser {
  readonly #format: ImportFormat;
  readonly #csv = new CsvReader();
  #header: string[] | undefined;

  constructor(format: ImportFormat) {
    this.#format = format;
  }

  push(rawLine: string, lineNo: number): RowResult | undefined {
    const line = lineNo === 1 ? rawLine.replace(/^\uFEFF/, '') : rawLine;
    if (this.#format === 'jsonl') return line.trim() === '' ? undefined : parseJsonLine(line, lineNo);
    // A blank line inside a quoted field is part of the field, so only skip it between records.
    if (line.trim() === '' && !this.#csv.pending) return undefined;
    const record = this.#csv.push(line, lineNo);
    if (!record) return undefined;
    if (!this.#header) {
      this.#header = record.fields.map((name) => name.trim().toLowerCase());
      return undefined;
    }
    if (record.fields.length !== this.#header.length) {
      return bad(record.line, `Expected ${this.#header.length} fields, got ${record.fields.length}`);
    }
    return validate(record.line, csvCandidate(this.#header, record.fields));
  }

  end(): RowResult | undefined {
    const unterminated = this.#csv.end();
    return unterminated ? bad(unterminated.line, unterminated.error) : undefined;
  }
}

function parseJsonLine(line: string, lineNo: number): RowResult {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return bad(lineNo, 'Invalid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad(lineNo, 'Expected a JSON object');
  return validate(lineNo, value);
}

/** CSV cells are strings: make numbers of ratings, lists of `;`-separated tags, and drop empty cells. */
function csvCandidate(header: string[], fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  header.forEach((name, i) => {
    const cell = (fields[i] ?? '').trim();
    if (cell === '' || name === '') return;
    if (name === 'rating') out.rating = /^-?\d+(\.\d+)?$/.test(cell) ? Number(cell) : cell;
    else if (name === 'tags')
      out.tags = cell
        .split(';')
        .map((t) => t.trim())
        .filter((t) => t !== '');
    else out[name] = cell;
  });
  return out;
}

function validate(line: number, candidate: unknown): RowResult {
  const parsed = importRowSchema.safeParse(candidate);
  return parsed.success
    ? { line, ok: true, value: parsed.data }
    : { line, ok: false, errors: fieldErrors(parsed.error, 'row') };
}

function bad(line: number, message: string): RowResult {
  return { line, ok: false, errors: { row: [message] } };
}

/**
 * A deterministic feedback id for a row: reprocessing the same upload (a redelivered import message)
 * produces the same ids, so store-feedback's conditional put keeps the import idempotent.
 */
export function importRowId(bucket: string, key: string, etag: string, line: number): string {
  const hex = createHash('sha256').update(`${bucket}\n${key}\n${etag}\n${line}`).digest('hex');
  // RFC 9562 UUIDv8: version nibble 8, variant bits 10.
  const variant = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
