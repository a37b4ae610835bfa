import { validation } from '../errors.js';

/**
 * DynamoDB numbers as exact decimals: value = coef × 10^exp, coef carries the sign.
 * No floating point anywhere, so `0.1 + 0.2` is exactly `0.3` as on AWS.
 */
export interface Decimal {
  coef: bigint;
  exp: number;
}

const NUMBER_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const MAX_DIGITS = 38;
/** Largest adjusted exponent (9.99…E+125) and smallest (1E-130). */
const MAX_EXP = 125;
const MIN_EXP = -130;

/** Parses a wire number without range checks; undefined when it is not a number. */
export function parseDecimal(text: string): Decimal | undefined {
  const m = NUMBER_RE.exec(text);
  if (!m) return undefined;
  const [, sign = '', int = '', frac = '', e = '0'] = m;
  if (int === '' && frac === '') return undefined;
  const digits = (int + frac).replace(/^0+/, '') || '0';
  let coef = BigInt(digits);
  if (sign === '-') coef = -coef;
  return strip({ coef, exp: Number(e) - frac.length });
}

/** Removes trailing zeros of the coefficient (zero becomes 0×10^0). */
function strip(d: Decimal): Decimal {
  if (d.coef === 0n) return { coef: 0n, exp: 0 };
  let { coef, exp } = d;
  while (coef % 10n === 0n) {
    coef /= 10n;
    exp += 1;
  }
  return { coef, exp };
}

const digitCount = (coef: bigint) => (coef < 0n ? -coef : coef).toString().length;

/** Number of significant digits (trailing and leading zeros trimmed). */
export function significantDigits(d: Decimal): number {
  return d.coef === 0n ? 0 : digitCount(d.coef);
}

/** Throws AWS's range and precision errors for a parsed number. */
export function checkRange(d: Decimal): void {
  if (d.coef === 0n) return;
  if (significantDigits(d) > MAX_DIGITS) {
    throw validation('Attempting to store more than 38 significant digits in a Number');
  }
  const adjusted = digitCount(d.coef) - 1 + d.exp;
  if (adjusted > MAX_EXP) {
    throw validation('Number overflow. Attempting to store a number with magnitude larger than supported range');
  }
  if (adjusted < MIN_EXP) {
    throw validation('Number underflow. Attempting to store a number with magnitude smaller than supported range');
  }
}

/** Parses and range-checks a wire number, with AWS's messages. */
export function toDecimal(text: string): Decimal {
  const d = parseDecimal(text);
  if (!d) {
    throw validation(
      text === ''
        ? 'The parameter cannot be converted to a numeric value'
        : `The parameter cannot be converted to a numeric value: ${text}`,
    );
  }
  checkRange(d);
  return d;
}

/** Canonical text as DynamoDB returns it: plain notation, no trailing zeros, no "-0". */
export function formatDecimal(d: Decimal): string {
  const { coef, exp } = strip(d);
  if (coef === 0n) return '0';
  const neg = coef < 0n;
  const digits = (neg ? -coef : coef).toString();
  let out: string;
  if (exp >= 0) out = digits + '0'.repeat(exp);
  else if (-exp >= digits.length) out = '0.' + '0'.repeat(-exp - digits.length) + digits;
  else out = digits.slice(0, digits.length + exp) + '.' + digits.slice(digits.length + exp);
  return neg ? '-' + out : out;
}

/** Canonical form of a valid wire number ("1.50" → "1.5", "-0" → "0", "1e2" → "100"). */
export function normalizeNumber(text: string): string {
  return formatDecimal(toDecimal(text));
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const exp = Math.min(a.exp, b.exp);
  return [a.coef * 10n ** BigInt(a.exp - exp), b.coef * 10n ** BigInt(b.exp - exp), exp];
}

export function addDecimal(a: Decimal, b: Decimal): Decimal {
  const [x, y, exp] = align(a, b);
  return strip({ coef: x + y, exp });
}

export function subtractDecimal(a: Decimal, b: Decimal): Decimal {
  return addDecimal(a, { coef: -b.coef, exp: b.exp });
}

export function compareDecimal(a: Decimal, b: Decimal): number {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Exact sum of two wire numbers, range-checked like a stored number. */
export function addNumbers(a: string, b: string): string {
  const sum = addDecimal(toDecimal(a), toDecimal(b));
  checkRange(sum);
  return formatDecimal(sum);
}

/** Exact difference of two wire numbers, range-checked like a stored number. */
export function subtractNumbers(a: string, b: string): string {
  const diff = subtractDecimal(toDecimal(a), toDecimal(b));
  checkRange(diff);
  return formatDecimal(diff);
}

/** Numeric comparison of two wire numbers (-1, 0, 1). */
export function compareNumbers(a: string, b: string): number {
  return compareDecimal(toDecimal(a), toDecimal(b));
}
