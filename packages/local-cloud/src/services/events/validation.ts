import { Violations as CoreViolations } from '../../core/violations.js';
import { ValidationException } from './errors.js';

/** Constraint checks reported together, as `N validation error(s) detected: Value 'x' at 'field' failed to ...`. */
export const NAME = { re: /^[.\-_A-Za-z0-9]+$/, source: '[\\.\\-_A-Za-z0-9]+' };
export const BUS_NAME = {
  re: /^(arn:aws[\w-]*:events:[a-z0-9-]+:\d{12}:event-bus\/)?[/.\-_A-Za-z0-9]+$/,
  source: '(arn:aws[\\w-]*:events:[a-z]{2}-[a-z]+-\\d{1}:\\d{12}:event-bus/)?[/\\.\\-_A-Za-z0-9]+',
};

export class Violations extends CoreViolations {
  constructor() {
    super((m) => new ValidationException(m));
  }

  name(field: string, value: string | undefined, required = true): void {
    if (required && !this.required(field, value)) return;
    this.length(field, value, 1, 64);
    this.pattern(field, value, NAME);
  }
}
