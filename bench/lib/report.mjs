// Shared report output: per-round means by phase, the metric table and the run's JSON file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { log, meanOf, round } from './stats.mjs';

/** Sets results[name][phase] to the mean over the rounds that have that phase. */
export function meanPhases(results, rounds, phases) {
  for (const name of Object.keys(results)) {
    for (const phase of phases) {
      const got = rounds.map((r) => r[name][phase]).filter(Boolean);
      if (got.length) results[name][phase] = meanOf(got);
    }
  }
}

/** A table of `[label, get]` rows by column; `cell(get, col, label)` formats one cell. */
export function printMetricTable(cols, rows, cell) {
  const w0 = Math.max(...rows.map((r) => r[0].length)) + 2;
  const w = 14;
  const line = (cells) =>
    cells[0].padEnd(w0) +
    cells
      .slice(1)
      .map((c) => String(c).padStart(w))
      .join('');
  log('');
  log(line(['metric', ...cols]));
  log('-'.repeat(w0 + w * cols.length));
  for (const [label, get] of rows) log(line([label, ...cols.map((c) => cell(get, c, label))]));
  log('');
}

/** Writes `{ startedAt, durationS, ...fields }` as JSON to `out` and says so; returns the JSON. */
export function writeRunJson(out, started, fields) {
  const json = {
    startedAt: started.toISOString(),
    durationS: round((Date.now() - started.getTime()) / 1000, 1),
    ...fields,
  };
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(json, null, 2)}\n`);
  log(`\nwrote ${out} (total ${json.durationS}s)`);
  return json;
}
