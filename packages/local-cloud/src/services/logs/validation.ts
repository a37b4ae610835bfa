import { InvalidParameterException } from './errors.js';

/**
 * Request validation in AWS's own words: every broken constraint of the request is collected and
 * reported at once, as `N validation error(s) detected: Value 'x' at 'field' failed to satisfy constraint: ...`.
 */
export const GROUP_NAME = { re: /^[.\-_/#A-Za-z0-9]+$/, source: '[\\.\\-_/#A-Za-z0-9]+' };
export const STREAM_NAME = { re: /^[^:*]*$/, source: '[^:*]*' };
export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

export class Violations {
  private readonly list: string[] = [];

  private add(field: string, value: unknown, constraint: string): void {
    this.list.push(`Value ${show(value)} at '${field}' failed to satisfy constraint: ${constraint}`);
  }

  /** Fails when the value is missing; returns whether it is present. */
  required(field: string, value: unknown): boolean {
    if (value !== undefined) return true;
    this.add(field, null, 'Member must not be null');
    return false;
  }

  length(field: string, value: string | unknown[] | undefined, min: number, max?: number): void {
    if (value === undefined) return;
    if (value.length < min) this.add(field, value, `Member must have length greater than or equal to ${min}`);
    if (max !== undefined && value.length > max) {
      this.add(field, value, `Member must have length less than or equal to ${max}`);
    }
  }

  pattern(field: string, value: string | undefined, p: { re: RegExp; source: string }): void {
    if (value === undefined || p.re.test(value)) return;
    this.add(field, value, `Member must satisfy regular expression pattern: ${p.source}`);
  }

  range(field: string, value: number | undefined, min: number, max?: number): void {
    if (value === undefined) return;
    if (value < min) this.add(field, value, `Member must have value greater than or equal to ${min}`);
    if (max !== undefined && value > max) this.add(field, value, `Member must have value less than or equal to ${max}`);
  }

  oneOf(field: string, value: string | number | undefined, values: ReadonlyArray<string | number>): void {
    if (value === undefined || values.includes(value)) return;
    this.add(field, value, `Member must satisfy enum value set: [${values.join(', ')}]`);
  }

  /** Throws InvalidParameterException listing every violation, if there is any. */
  check(): void {
    const n = this.list.length;
    if (n === 0) return;
    throw new InvalidParameterException(`${n} validation error${n === 1 ? '' : 's'} detected: ${this.list.join('; ')}`);
  }

  groupName(field: string, value: string | undefined, required = true): void {
    if (required && !this.required(field, value)) return;
    this.length(field, value, 1, 512);
    if (value) this.pattern(field, value, GROUP_NAME);
  }

  streamName(field: string, value: string | undefined, required = true): void {
    if (required && !this.required(field, value)) return;
    this.length(field, value, 1, 512);
    this.pattern(field, value, STREAM_NAME);
  }
}

function show(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? "'[]'" : "'[...]'";
  return `'${String(value)}'`;
}
