import type { AwsError } from './errors.js';

/**
 * Request validation in AWS's own words (the Coral validator's): every broken constraint of a request
 * is collected and reported at once, as
 * `N validation error(s) detected: Value 'x' at 'field' failed to satisfy constraint: ...`.
 * Services subclass it with their error type and their own named checks.
 */
export class Violations {
  private readonly list: string[] = [];

  constructor(private readonly make: (message: string) => AwsError) {}

  protected add(field: string, value: unknown, constraint: string): void {
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

  /** Throws the service's validation error listing every violation, if there is any. */
  check(): void {
    const n = this.list.length;
    if (n === 0) return;
    throw this.make(`${n} validation error${n === 1 ? '' : 's'} detected: ${this.list.join('; ')}`);
  }
}

function show(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return value.length === 0 ? "'[]'" : "'[...]'";
  return `'${String(value)}'`;
}
