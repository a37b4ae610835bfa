import { Violations as CoreViolations } from '../../core/violations.js';
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

export class Violations extends CoreViolations {
  constructor() {
    super((m) => new InvalidParameterException(m));
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
