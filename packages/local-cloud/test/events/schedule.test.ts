import { describe, expect, it } from 'vitest';
import { nextFiring, parseSchedule } from '../../src/services/events/index.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** The next n firings after `from`. */
function firings(expr: string, from: string, n: number, anchor = from): Array<string | undefined> {
  const s = parseSchedule(expr);
  if (!s) throw new Error(`invalid: ${expr}`);
  const out: Array<string | undefined> = [];
  let t = at(from);
  for (let i = 0; i < n; i++) {
    const next = nextFiring(s, t, at(anchor));
    out.push(iso(next));
    if (next === undefined) break;
    t = next;
  }
  return out;
}

describe('schedule expressions', () => {
  it('accepts rate expressions with a singular unit only for 1', () => {
    for (const ok of [
      'rate(1 minute)',
      'rate(5 minutes)',
      'rate(1 hour)',
      'rate(12 hours)',
      'rate(1 day)',
      'rate(7 days)',
    ]) {
      expect(parseSchedule(ok), ok).toBeDefined();
    }
    for (const bad of [
      'rate(1 minutes)',
      'rate(5 minute)',
      'rate(0 minutes)',
      'rate(5 seconds)',
      'rate(-1 minutes)',
      'rate(5  minutes)',
      'every 5 minutes',
    ]) {
      expect(parseSchedule(bad), bad).toBeUndefined();
    }
  });

  it('fires a rate schedule every period counted from its start', () => {
    expect(firings('rate(5 minutes)', '2026-01-01T00:00:00Z', 3)).toEqual([
      '2026-01-01T00:05:00.000Z',
      '2026-01-01T00:10:00.000Z',
      '2026-01-01T00:15:00.000Z',
    ]);
    expect(firings('rate(1 hour)', '2026-01-01T00:30:00Z', 1, '2026-01-01T00:10:00Z')).toEqual([
      '2026-01-01T01:10:00.000Z',
    ]);
  });

  it('rejects cron expressions without exactly one ? day field, or with the wrong field count', () => {
    for (const bad of [
      'cron(0 12 * * * *)',
      'cron(0 12 ? * ? *)',
      'cron(0 12 * *)',
      'cron(60 12 * * ? *)',
      'cron(0 24 * * ? *)',
      'cron(0 12 32 * ? *)',
      'cron(0 12 ? * 8 *)',
      'cron(0 12 ? XYZ MON *)',
    ]) {
      expect(parseSchedule(bad), bad).toBeUndefined();
    }
  });

  it('fires cron at the selected minutes, in UTC', () => {
    expect(firings('cron(0 10 * * ? *)', '2026-01-01T10:00:00Z', 2)).toEqual([
      '2026-01-02T10:00:00.000Z',
      '2026-01-03T10:00:00.000Z',
    ]);
    expect(firings('cron(0/15 * * * ? *)', '2026-01-01T00:07:00Z', 3)).toEqual([
      '2026-01-01T00:15:00.000Z',
      '2026-01-01T00:30:00.000Z',
      '2026-01-01T00:45:00.000Z',
    ]);
    // 2026-01-01 is a Thursday: the next weekday mornings are Fri, Mon.
    expect(firings('cron(15 8 ? * MON-FRI *)', '2026-01-01T09:00:00Z', 2)).toEqual([
      '2026-01-02T08:15:00.000Z',
      '2026-01-05T08:15:00.000Z',
    ]);
  });

  it('supports L, W and # in the day fields', () => {
    expect(firings('cron(0 0 L * ? *)', '2026-01-15T00:00:00Z', 2)).toEqual([
      '2026-01-31T00:00:00.000Z',
      '2026-02-28T00:00:00.000Z',
    ]);
    // Last Friday (6L) of January 2026 is the 30th; the second Monday (2#2) of February is the 9th.
    expect(firings('cron(0 0 ? * 6L *)', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-01-30T00:00:00.000Z']);
    expect(firings('cron(0 0 ? * MON#2 *)', '2026-02-01T00:00:00Z', 1)).toEqual(['2026-02-09T00:00:00.000Z']);
    // 2026-02-01 is a Sunday: the nearest weekday to the 1st is Monday the 2nd; 2026-05-31 (Sun) → Fri 29th.
    expect(firings('cron(0 0 1W * ? *)', '2026-01-31T00:00:00Z', 1)).toEqual(['2026-02-02T00:00:00.000Z']);
    expect(firings('cron(0 0 LW * ? *)', '2026-05-01T00:00:00Z', 1)).toEqual(['2026-05-29T00:00:00.000Z']);
  });

  it('honours months, years and stops when no year is left', () => {
    expect(firings('cron(0 0 1 JAN,JUL ? 2026-2027)', '2026-01-01T00:00:00Z', 4)).toEqual([
      '2026-07-01T00:00:00.000Z',
      '2027-01-01T00:00:00.000Z',
      '2027-07-01T00:00:00.000Z',
      undefined,
    ]);
  });
});
