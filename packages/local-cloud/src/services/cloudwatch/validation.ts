import type { AwsError } from '../../core/errors.js';
import { Violations as CoreViolations } from '../../core/violations.js';
import { ValidationError } from './errors.js';

/**
 * Constraint checks in the service framework's words: every broken constraint is collected and
 * reported at once, as `N validation error(s) detected: Value 'x' at 'field' failed to satisfy constraint: ...`.
 */
export const COMPARISON_OPERATORS = [
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
  'LessThanLowerOrGreaterThanUpperThreshold',
  'LessThanLowerThreshold',
  'GreaterThanUpperThreshold',
];
export const STATISTICS = ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum'];
export const STATE_VALUES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];
export const UNITS = [
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
];

/** CloudWatch's checks report ValidationError unless an operation says otherwise (e.g. InvalidParameterValue). */
export class Violations extends CoreViolations {
  constructor(make: (message: string) => AwsError = (m) => new ValidationError(m)) {
    super(make);
  }
}
