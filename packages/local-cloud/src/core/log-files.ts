import { closeSync, existsSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The on-disk format of LogStore, as pure functions shared by the store and its compactor.
 *
 * A data directory holds at most one `snapshot-<G>.jsonl` (the state of every segment numbered
 * below G) and journal segments `journal-<N>.jsonl` (N >= G). Each line is `[coll, key, value]`
 * (a put) or `[coll, key]` (a delete). Snapshots are written to a .tmp file and renamed, so a
 * snapshot that exists is complete.
 */
export type State = Map<string, Map<string, unknown>>;

export interface Layout {
  snapshot: number | undefined;
  segments: number[];
}

const SNAPSHOT = /^snapshot-(\d+)\.jsonl$/;
const SEGMENT = /^journal-(\d+)\.jsonl$/;

export const snapshotPath = (dir: string, gen: number) => join(dir, `snapshot-${gen}.jsonl`);
export const segmentPath = (dir: string, n: number) => join(dir, `journal-${n}.jsonl`);

export function readLayout(dir: string): Layout {
  let snapshot: number | undefined;
  const segments: number[] = [];
  for (const name of readdirSync(dir)) {
    const s = SNAPSHOT.exec(name);
    if (s) snapshot = Math.max(snapshot ?? 0, Number(s[1]));
    const j = SEGMENT.exec(name);
    if (j) segments.push(Number(j[1]));
    if (name.endsWith('.tmp')) rmSync(join(dir, name), { force: true });
  }
  return { snapshot, segments: segments.sort((a, b) => a - b) };
}

/** Applies one file's lines to state. A torn last line (a crash mid-write) is reported, not applied. */
export function applyFile(state: State, path: string): { tornAt?: number } {
  if (!existsSync(path)) return {};
  const text = readFileSync(path, 'utf8');
  let start = 0;
  while (start < text.length) {
    const end = text.indexOf('\n', start);
    if (end < 0) return { tornAt: Buffer.byteLength(text.slice(0, start)) };
    const line = text.slice(start, end);
    start = end + 1;
    if (line === '') continue;
    let entry: [string, string, unknown?];
    try {
      entry = JSON.parse(line);
    } catch {
      if (start >= text.length) return { tornAt: Buffer.byteLength(text.slice(0, start - line.length - 1)) };
      throw new Error(`local-cloud: corrupt line in ${path} at byte ${start - line.length - 1}`);
    }
    apply(state, entry);
  }
  return {};
}

export function apply(state: State, entry: [string, string, unknown?]): void {
  const [coll, key] = entry;
  let m = state.get(coll);
  if (entry.length < 3) {
    m?.delete(key);
    return;
  }
  if (!m) {
    m = new Map();
    state.set(coll, m);
  }
  m.set(key, entry[2]);
}

/** Writes the collections as snapshot G (atomically), removes what it supersedes; returns its size. */
export function writeSnapshot(
  dir: string,
  gen: number,
  state: Iterable<[string, Iterable<[string, unknown]>]>,
): number {
  const tmp = `${snapshotPath(dir, gen)}.tmp`;
  const fd = openSync(tmp, 'w');
  let bytes = 0;
  try {
    let buf = '';
    for (const [coll, entries] of state) {
      for (const [key, value] of entries) {
        buf += `${JSON.stringify([coll, key, value])}\n`;
        if (buf.length > 1 << 20) {
          bytes += writeSync(fd, buf);
          buf = '';
        }
      }
    }
    if (buf) bytes += writeSync(fd, buf);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, snapshotPath(dir, gen));
  removeSuperseded(dir, gen);
  return bytes;
}

/** Deletes snapshots older than G and segments below G. */
export function removeSuperseded(dir: string, gen: number): void {
  for (const name of readdirSync(dir)) {
    const s = SNAPSHOT.exec(name);
    const j = SEGMENT.exec(name);
    if ((s && Number(s[1]) < gen) || (j && Number(j[1]) < gen)) rmSync(join(dir, name), { force: true });
  }
}

/** Compaction by replay: snapshot G0 + segments [G0, gen) → snapshot gen. O(history). */
export function compact(dir: string, from: number | undefined, gen: number): number {
  const state: State = new Map();
  if (from !== undefined) applyFile(state, snapshotPath(dir, from));
  for (const n of readLayout(dir).segments) {
    if (n < gen) applyFile(state, segmentPath(dir, n));
  }
  return writeSnapshot(dir, gen, state);
}
