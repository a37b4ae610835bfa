import {
  closeSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import {
  applyFile,
  compact,
  readLayout,
  removeSuperseded,
  type State,
  segmentPath,
  snapshotPath,
  writeSnapshot,
} from './log-files.js';
import { BufferedStore, DELETE } from './storage.js';

/**
 * Durable storage as an append-only journal plus snapshots (see log-files.ts for the format).
 * A commit is one write() of all its lines: once it returns, the data is in the OS and survives
 * kill -9 of this process (not a power cut; no fsync).
 *
 * The journal is bounded by snapshots taken from the models' live state (each collection's
 * dump), right after a commit, when memory and journal agree. A snapshot costs O(live data) and
 * is taken only after the journal has grown by several times the last snapshot's size, so its
 * cost stays a fraction of the writes it replaces. A drained queue snapshots to almost nothing.
 */
export interface LogStoreOptions {
  /** Start a new segment after this many bytes. */
  segmentBytes?: number;
  /** Snapshot once closed segments hold this many bytes (and 4x the last snapshot). */
  compactBytes?: number;
}

export class LogStore extends BufferedStore {
  readonly durable = true;
  private fd: number;
  private segment: number;
  private segmentBytes = 0;
  private closedBytes = 0;
  private snapshotGen: number | undefined;
  private lastSnapshotBytes = 0;
  private recovered: State | undefined;
  private readonly limits: Required<LogStoreOptions>;

  constructor(
    readonly dir: string,
    options: LogStoreOptions = {},
  ) {
    super();
    this.limits = { segmentBytes: 32 << 20, compactBytes: 64 << 20, ...options };
    mkdirSync(dir, { recursive: true });
    lock(dir);
    const { state, next } = this.recover();
    this.recovered = state;
    this.segment = next;
    this.fd = openSync(segmentPath(dir, this.segment), 'a');
  }

  /** Loads the snapshot and replays the journal; folds them into a fresh snapshot. */
  private recover(): { state: State; next: number } {
    const layout = readLayout(this.dir);
    const state: State = new Map();
    if (layout.snapshot !== undefined) applyFile(state, snapshotPath(this.dir, layout.snapshot));
    const live = layout.segments.filter((n) => layout.snapshot === undefined || n >= layout.snapshot);
    for (const n of live) {
      const { tornAt } = applyFile(state, segmentPath(this.dir, n));
      if (tornAt !== undefined) truncate(segmentPath(this.dir, n), tornAt);
    }
    const next = Math.max(layout.snapshot ?? 1, (live.at(-1) ?? 0) + 1);
    if (live.length > 0) {
      this.lastSnapshotBytes = writeSnapshot(this.dir, next, state);
      this.snapshotGen = next;
    } else {
      this.snapshotGen = layout.snapshot;
      if (layout.snapshot !== undefined) removeSuperseded(this.dir, layout.snapshot);
    }
    return { state, next };
  }

  protected write(pending: Map<string, Map<string, unknown>>): void {
    let buf = '';
    for (const [coll, changes] of pending) {
      const prefix = `[${quote(coll)},`;
      for (const [key, value] of changes) {
        buf += value === DELETE ? `${prefix}${quote(key)}]\n` : `${prefix}${quote(key)},${JSON.stringify(value)}]\n`;
      }
    }
    const bytes = writeSync(this.fd, buf);
    this.segmentBytes += bytes;
    if (this.segmentBytes >= this.limits.segmentBytes) this.rotate();
  }

  protected read(collection: string): Array<[string, unknown]> {
    const m = this.recovered?.get(collection);
    if (!m) return [];
    this.recovered?.delete(collection);
    return [...m];
  }

  private rotate(): void {
    closeSync(this.fd);
    this.closedBytes += this.segmentBytes;
    this.segment++;
    this.segmentBytes = 0;
    this.fd = openSync(segmentPath(this.dir, this.segment), 'a');
    if (this.closedBytes >= Math.max(this.limits.compactBytes, 4 * this.lastSnapshotBytes)) this.snapshot();
  }

  /** Snapshot G = the current segment: everything before it is in the snapshot. */
  private snapshot(): void {
    const gen = this.segment;
    const dumps = [...this.dumps];
    this.lastSnapshotBytes = dumps.every(([, dump]) => dump)
      ? writeSnapshot(
          this.dir,
          gen,
          dumps.map(([coll, dump]) => [coll, (dump as () => Iterable<[string, unknown]>)()]),
        )
      : compact(this.dir, this.snapshotGen, gen); // a collection without a dump: replay the history
    this.snapshotGen = gen;
    this.closedBytes = 0;
  }

  protected clear(): void {
    closeSync(this.fd);
    this.recovered = undefined;
    removeSuperseded(this.dir, Number.MAX_SAFE_INTEGER);
    this.snapshotGen = undefined;
    this.segment = 1;
    this.segmentBytes = 0;
    this.closedBytes = 0;
    this.lastSnapshotBytes = 0;
    this.fd = openSync(segmentPath(this.dir, this.segment), 'a');
  }

  close(): void {
    this.commit();
    closeSync(this.fd);
    rmSync(join(this.dir, 'LOCK'), { force: true });
  }
}

/** JSON string literal; keys are nearly always plain, so skip the escaping scan for those. */
const PLAIN = /^[\w./:@+=,-]*$/;
function quote(s: string): string {
  return PLAIN.test(s) ? `"${s}"` : JSON.stringify(s);
}

function truncate(path: string, at: number): void {
  const fd = openSync(path, 'r+');
  try {
    ftruncateSync(fd, at);
  } finally {
    closeSync(fd);
  }
}

/** One process per data directory; a lock left by a dead process (kill -9) is taken over. */
function lock(dir: string): void {
  const path = join(dir, 'LOCK');
  if (existsSync(path)) {
    const pid = Number(readFileSync(path, 'utf8').trim());
    if (pid && pid !== process.pid && alive(pid)) {
      throw new Error(`The data directory ${dir} is in use by another local-cloud (pid ${pid}).`);
    }
  }
  writeFileSync(path, String(process.pid));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
