// Paths and the environment settings the side-by-side benchmarks share.
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { envInt } from './stats.mjs';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const TMP = join(ROOT, 'bench/.tmp');

/** A comma-separated list from the environment, or the default list. */
export function envList(name, dflt) {
  return (process.env[name] ?? dflt).split(',').filter(Boolean);
}

/**
 * BENCH_SERVERS, BENCH_PHASES (when `phases` is given), BENCH_CPU_PROF (servers to profile),
 * BENCH_LC_PERSISTENCE, BENCH_ROUNDS (at least 1) and BENCH_OUT (default bench/<bench>/last-run.json).
 */
export function sharedConfig(bench, { servers, phases, rounds = 3 }) {
  return {
    servers: envList('BENCH_SERVERS', servers),
    ...(phases === undefined ? {} : { phases: envList('BENCH_PHASES', phases) }),
    cpuProf: envList('BENCH_CPU_PROF', ''),
    lcPersistence: process.env.BENCH_LC_PERSISTENCE ?? 'disk',
    rounds: Math.max(1, envInt('BENCH_ROUNDS', rounds)),
    out: resolve(ROOT, process.env.BENCH_OUT ?? `bench/${bench}/last-run.json`),
  };
}
