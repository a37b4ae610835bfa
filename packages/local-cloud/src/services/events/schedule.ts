import { type Cron, nextCron, parseCron } from './cron.js';

/**
 * Schedule expressions: `rate(N unit)` (minute/minutes, hour/hours, day/days; singular only for 1)
 * and `cron(...)`. A rate rule fires every N units counted from the rule's creation (to the minute);
 * a cron rule fires at each minute the expression selects (UTC).
 */
export type Schedule = { kind: 'rate'; ms: number } | { kind: 'cron'; cron: Cron };

const UNITS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export function parseSchedule(expr: string): Schedule | undefined {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expr);
  if (rate) {
    const n = Number(rate[1]);
    const unit = rate[2] as string;
    const singular = !unit.endsWith('s');
    if (n < 1 || singular !== (n === 1)) return undefined;
    return { kind: 'rate', ms: n * (UNITS[singular ? unit : unit.slice(0, -1)] as number) };
  }
  const cron = /^cron\((.*)\)$/.exec(expr);
  if (cron) {
    const parsed = parseCron(cron[1] as string);
    return parsed ? { kind: 'cron', cron: parsed } : undefined;
  }
  return undefined;
}

/** The next firing strictly after `after`; `anchor` is when a rate schedule started. */
export function nextFiring(s: Schedule, after: number, anchor: number): number | undefined {
  if (s.kind === 'cron') return nextCron(s.cron, after);
  const start = Math.floor(anchor / 60_000) * 60_000;
  if (after < start) return start + s.ms;
  return start + (Math.floor((after - start) / s.ms) + 1) * s.ms;
}
