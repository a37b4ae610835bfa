import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
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
 * kill -9 of this process (not a power cut; no fsync). Closed segments are folded into a new
 * snapshot by a worker thread, so the journal never grows without bound.
 */
export interface LogStoreOptions {
  /** Start a new segment after this many bytes. */
  segmentBytes?: number;
  /** Compact once closed segments hold this many bytes. */
  compactBytes?: number;
}

export class LogStore extends BufferedStore {
  readonly durable = true;
  private fd: number;
  private segment: number;
  private segmentBytes = 0;
  private closedBytes = 0;
  private snapshotGen: number | undefined;
  private compacting = false;
  private generation = 0;
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
      writeSnapshot(this.dir, next, state);
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
      const prefix = `[${JSON.stringify(coll)},`;
      for (const [key, value] of changes) {
        buf +=
          value === DELETE
            ? `${prefix}${JSON.stringify(key)}]\n`
            : `${prefix}${JSON.stringify(key)},${JSON.stringify(value)}]\n`;
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
    if (this.closedBytes >= this.limits.compactBytes) this.compactInBackground();
  }

  private compactInBackground(): void {
    if (this.compacting) return;
    this.compacting = true;
    const gen = this.segment;
    const from = this.snapshotGen;
    const generation = this.generation;
    const done = (ok: boolean) => {
      this.compacting = false;
      if (generation !== this.generation) {
        rmSync(snapshotPath(this.dir, gen), { force: true });
        return;
      }
      if (ok) {
        this.snapshotGen = gen;
        this.closedBytes = 0;
      }
    };
    const workerFile = fileURLToPath(new URL('./log-compactor.js', import.meta.url));
    if (!existsSync(workerFile)) {
      // Running from TypeScript sources (tests): compact inline.
      compact(this.dir, from, gen);
      done(true);
      return;
    }
    const worker = new Worker(workerFile, { workerData: { dir: this.dir, from, gen } });
    worker.unref();
    worker.once('message', (m: { ok: boolean; error?: string }) => {
      if (!m.ok) console.error(`[local-cloud] compaction failed: ${m.error}`);
      done(m.ok);
    });
    worker.once('error', (err) => {
      console.error('[local-cloud] compaction failed:', err);
      done(false);
    });
  }

  protected clear(): void {
    this.generation++;
    closeSync(this.fd);
    this.recovered = undefined;
    removeSuperseded(this.dir, Number.MAX_SAFE_INTEGER);
    this.snapshotGen = undefined;
    this.segment = 1;
    this.segmentBytes = 0;
    this.closedBytes = 0;
    this.fd = openSync(segmentPath(this.dir, this.segment), 'a');
  }

  close(): void {
    this.commit();
    closeSync(this.fd);
    rmSync(join(this.dir, 'LOCK'), { force: true });
  }
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
