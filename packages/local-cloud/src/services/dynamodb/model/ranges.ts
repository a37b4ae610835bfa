import type { AttributeValue, RangeCondition } from '../expressions/types.js';
import { compareKeyValues } from './keys.js';
import type { Entry } from './keyspace.js';

/** The slice [lo, hi) of a partition's entries whose first sort value satisfies a range condition. */
export function rangeSlice(entries: Entry[], range: RangeCondition | undefined): [number, number] {
  const n = entries.length;
  if (!range) return [0, n];
  switch (range.op) {
    case '=':
      return [bound(entries, range.value, false), bound(entries, range.value, true)];
    case '<':
      return [0, bound(entries, range.value, false)];
    case '<=':
      return [0, bound(entries, range.value, true)];
    case '>':
      return [bound(entries, range.value, true), n];
    case '>=':
      return [bound(entries, range.value, false), n];
    case 'BETWEEN':
      return [bound(entries, range.low, false), bound(entries, range.high, true)];
    case 'begins_with': {
      const lo = bound(entries, range.prefix, false);
      let hi = lo;
      while (hi < n && startsWith((entries[hi] as Entry).sort[0] as AttributeValue, range.prefix)) hi++;
      return [lo, hi];
    }
  }
}

/** First index whose first sort value is >= v (or > v when after). */
function bound(entries: Entry[], v: AttributeValue, after: boolean): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const c = compareKeyValues((entries[mid] as Entry).sort[0] as AttributeValue, v);
    if (c < 0 || (after && c === 0)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function startsWith(v: AttributeValue, prefix: AttributeValue): boolean {
  if (v.S !== undefined && prefix.S !== undefined) return v.S.startsWith(prefix.S);
  if (v.B !== undefined && prefix.B !== undefined) {
    const a = Buffer.from(v.B, 'base64');
    const p = Buffer.from(prefix.B, 'base64');
    return a.length >= p.length && a.subarray(0, p.length).equals(p);
  }
  return false;
}
