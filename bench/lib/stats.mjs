// Shared helpers for the benchmarks: percentiles, rounding, pools and per-round means.

export async function pool(n, worker) {
  await Promise.all(Array.from({ length: n }, (_, i) => worker(i)));
}

/** Calls `fn(i)` for every i < total from `workers` concurrent loops, each taking the next i. */
export async function poolEach(workers, total, fn) {
  let next = 0;
  await pool(workers, async () => {
    for (let i = next++; i < total; i = next++) await fn(i);
  });
}

export function pct(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function latencyStats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / s.length;
  return {
    p50Ms: round(pct(s, 50), 3),
    p90Ms: round(pct(s, 90), 3),
    p99Ms: round(pct(s, 99), 3),
    maxMs: round(s[s.length - 1], 3),
    meanMs: round(mean, 3),
  };
}

export function round(x, d = 0) {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** d;
  return Math.round(x * f) / f;
}

/** Microseconds per unit from a total in ms (undefined stays undefined). */
export const perUnit = (ms, n, d = 1) => (ms === undefined ? undefined : round((ms * 1000) / n, d));

export const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

export function log(s) {
  process.stdout.write(`${s}\n`);
}

/** Field-wise mean of per-round results (numbers only; other fields from the first round). */
export function meanOf(list) {
  const out = { ...list[0] };
  for (const k of Object.keys(out)) {
    if (typeof out[k] === 'number') out[k] = round(list.reduce((t, x) => t + x[k], 0) / list.length, 3);
  }
  out.rounds = list.length;
  return out;
}

/** A non-negative integer from the environment, or the default. */
export function envInt(name, dflt) {
  const v = process.env[name];
  if (v === undefined || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got ${v}`);
  return n;
}
