/**
 * AWS cron expressions: `cron(Minutes Hours Day-of-month Month Day-of-week Year)`, in UTC.
 * Supports `*`, `,`, `-`, `/`, `?` (exactly one of the day fields), `L` (last day of the month; in
 * day-of-week, `nL` is the last weekday n of the month), `W` (`nW`: the weekday nearest day n; `LW`)
 * and `#` (`n#k`: the k-th weekday n of the month). Day-of-week counts 1-7 from Sunday.
 */
export interface Cron {
  minutes: Set<number>;
  hours: Set<number>;
  months: Set<number>;
  years: Set<number>;
  /** Does the day (UTC date parts; month 1-12) match the day-of-month or day-of-week field? */
  day(year: number, month: number, dom: number): boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
const MAX_YEAR = 2199;

/** Parses the inside of `cron(...)`; undefined when it is not a valid AWS cron expression. */
export function parseCron(text: string): Cron | undefined {
  const f = text.trim().split(/\s+/);
  if (f.length !== 6) return undefined;
  const [min, hour, dom, month, dow, year] = f as [string, string, string, string, string, string];
  if ((dom === '?') === (dow === '?')) return undefined;
  const minutes = numbers(min, 0, 59);
  const hours = numbers(hour, 0, 23);
  const months = numbers(month, 1, 12, MONTHS);
  const years = numbers(year, 1970, MAX_YEAR);
  const day = dom === '?' ? weekdayMatcher(dow) : monthDayMatcher(dom);
  if (!minutes || !hours || !months || !years || !day) return undefined;
  return { minutes, hours, months, years, day };
}

/** The first minute strictly after `after` that the expression selects, or undefined if none is left. */
export function nextCron(cron: Cron, after: number): number | undefined {
  const d = new Date(Math.floor(after / 60_000) * 60_000 + 60_000);
  for (let i = 0; i < 2_000_000; i++) {
    const y = d.getUTCFullYear();
    if (y > MAX_YEAR) return undefined;
    if (!cron.years.has(y)) {
      d.setUTCFullYear(y + 1, 0, 1);
      d.setUTCHours(0, 0, 0, 0);
    } else if (!cron.months.has(d.getUTCMonth() + 1)) {
      d.setUTCMonth(d.getUTCMonth() + 1, 1);
      d.setUTCHours(0, 0, 0, 0);
    } else if (!cron.day(y, d.getUTCMonth() + 1, d.getUTCDate())) {
      d.setUTCDate(d.getUTCDate() + 1);
      d.setUTCHours(0, 0, 0, 0);
    } else if (!cron.hours.has(d.getUTCHours())) {
      d.setUTCHours(d.getUTCHours() + 1, 0, 0, 0);
    } else if (!cron.minutes.has(d.getUTCMinutes())) {
      d.setUTCMinutes(d.getUTCMinutes() + 1, 0, 0);
    } else return d.getTime();
  }
  return undefined;
}

/** `*`, `a`, `a-b`, `*\/s`, `a/s`, `a-b/s`, comma-separated; names allowed where given. */
function numbers(field: string, lo: number, hi: number, names: string[] = []): Set<number> | undefined {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const m = /^(\*|[A-Za-z0-9]+)(?:-([A-Za-z0-9]+))?(?:\/(\d+))?$/.exec(part);
    if (!m) return undefined;
    const from = m[1] === '*' ? lo : value(m[1] as string, lo, names);
    const to = m[2] !== undefined ? value(m[2], lo, names) : m[1] === '*' || m[3] ? hi : from;
    const step = m[3] !== undefined ? Number(m[3]) : 1;
    if (from === undefined || to === undefined || from < lo || to > hi || step < 1) return undefined;
    if (m[1] === '*' && m[2] !== undefined) return undefined;
    // A range that wraps (FRI-MON, 22-2) runs to the end and starts again from the beginning.
    if (from <= to) for (let n = from; n <= to; n += step) out.add(n);
    else for (let n = from; n <= to + (hi - lo + 1); n += step) out.add(n > hi ? n - (hi - lo + 1) : n);
  }
  return out;
}

function value(token: string, lo: number, names: string[]): number | undefined {
  const i = names.indexOf(token.toUpperCase());
  if (i >= 0) return i + lo;
  return /^\d+$/.test(token) ? Number(token) : undefined;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function weekday(year: number, month: number, dom: number): number {
  return new Date(Date.UTC(year, month - 1, dom)).getUTCDay() + 1;
}

/** The weekday (Mon-Fri) nearest to day n, staying inside the month. */
function nearestWeekday(year: number, month: number, n: number): number {
  const last = daysIn(year, month);
  const day = Math.min(n, last);
  const wd = weekday(year, month, day);
  if (wd === 7) return day === 1 ? 3 : day - 1;
  if (wd === 1) return day === last ? day - 2 : day + 1;
  return day;
}

type DayTest = (year: number, month: number, dom: number) => boolean;

function monthDayMatcher(field: string): DayTest | undefined {
  if (field === 'L') return (y, m, d) => d === daysIn(y, m);
  if (field === 'LW') return (y, m, d) => d === nearestWeekday(y, m, daysIn(y, m));
  const w = /^(\d{1,2})W$/.exec(field);
  if (w) {
    const n = Number(w[1]);
    if (n < 1 || n > 31) return undefined;
    return (y, m, d) => d === nearestWeekday(y, m, n);
  }
  const set = numbers(field, 1, 31);
  return set ? (_y, _m, d) => set.has(d) : undefined;
}

function weekdayMatcher(field: string): DayTest | undefined {
  const nth = /^([A-Za-z]{3}|[1-7])#([1-5])$/.exec(field);
  if (nth) {
    const wd = value(nth[1] as string, 1, DAYS);
    const k = Number(nth[2]);
    if (wd === undefined || wd > 7) return undefined;
    return (y, m, d) => weekday(y, m, d) === wd && Math.ceil(d / 7) === k;
  }
  const last = /^([A-Za-z]{3}|[1-7])?L$/.exec(field);
  if (last) {
    const wd = last[1] === undefined ? 7 : value(last[1], 1, DAYS);
    if (wd === undefined || wd > 7) return undefined;
    return (y, m, d) => weekday(y, m, d) === wd && d + 7 > daysIn(y, m);
  }
  const set = numbers(field, 1, 7, DAYS);
  return set ? (y, m, d) => set.has(weekday(y, m, d)) : undefined;
}
