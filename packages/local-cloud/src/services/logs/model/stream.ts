import type { Collection } from '../../../core/storage.js';

/**
 * One log stream: its events in (timestamp, sequence) order, and the chunks that persist them.
 * Each append is written once as one chunk (`logs.chunks`); retention rewrites or deletes the chunks it trims.
 */
export interface StreamRecord {
  /** `<group key>\0<stream name>` */
  key: string;
  group: string;
  name: string;
  createdAt: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
  /** Accepted uploads: the sequence token. */
  uploads: number;
  /** Highest event sequence number handed out in this stream (model-wide counter, restored at load). */
  lastSeq: number;
}

/** [timestamp, ingestionTime, seq, message] */
export type StoredEvent = [number, number, number, string];

export interface ChunkRecord {
  stream: string;
  events: StoredEvent[];
}

export interface LogEvent {
  timestamp: number;
  ingestionTime: number;
  seq: number;
  message: string;
  chunk: string;
}

/** Events sort by timestamp, then by arrival. */
export function before(a: { timestamp: number; seq: number }, ts: number, seq: number): boolean {
  return a.timestamp < ts || (a.timestamp === ts && a.seq < seq);
}

/** 56 digits, as AWS's event ids and tokens: the timestamp then the sequence number. */
export function positionId(ts: number, seq: number): string {
  return String(Math.max(0, ts)).padStart(20, '0') + String(seq).padStart(36, '0');
}

export function parsePosition(id: string): { ts: number; seq: number } | undefined {
  if (!/^\d{56}$/.test(id)) return undefined;
  return { ts: Number(id.slice(0, 20)), seq: Number(id.slice(20)) };
}

export class LogStream {
  readonly events: LogEvent[] = [];
  readonly chunks = new Map<string, ChunkRecord>();

  constructor(
    readonly rec: StreamRecord,
    private readonly store: { streams: Collection<StreamRecord>; chunks: Collection<ChunkRecord> },
  ) {}

  get name(): string {
    return this.rec.name;
  }

  save(): void {
    this.store.streams.put(this.rec.key, this.rec);
  }

  /** Adds events (sorted by timestamp) that already carry sequence numbers; writes them as one chunk. */
  append(events: Array<Omit<LogEvent, 'chunk'>>, now: number): LogEvent[] {
    if (events.length === 0) return [];
    const chunkKey = `${this.rec.key}\u0000${events[0]?.seq}`;
    const added = events.map((e) => ({ ...e, chunk: chunkKey }));
    for (const e of added) this.insert(e);
    const chunk: ChunkRecord = {
      stream: this.rec.key,
      events: added.map((e) => [e.timestamp, e.ingestionTime, e.seq, e.message]),
    };
    this.chunks.set(chunkKey, chunk);
    this.store.chunks.put(chunkKey, chunk);
    const first = added[0] as LogEvent;
    const last = added.at(-1) as LogEvent;
    const r = this.rec;
    if (r.firstEventTimestamp === undefined || first.timestamp < r.firstEventTimestamp) {
      r.firstEventTimestamp = first.timestamp;
    }
    if (r.lastEventTimestamp === undefined || last.timestamp > r.lastEventTimestamp) {
      r.lastEventTimestamp = last.timestamp;
    }
    r.lastIngestionTime = now;
    r.uploads++;
    for (const e of added) if (e.seq > r.lastSeq) r.lastSeq = e.seq;
    this.save();
    return added;
  }

  /** Rebuilds the events from a stored chunk (start-up). */
  restore(key: string, chunk: ChunkRecord): void {
    this.chunks.set(key, chunk);
    for (const [timestamp, ingestionTime, seq, message] of chunk.events) {
      this.insert({ timestamp, ingestionTime, seq, message, chunk: key });
    }
  }

  private insert(e: LogEvent): void {
    const evs = this.events;
    const last = evs.at(-1);
    if (!last || !before(e, last.timestamp, last.seq)) {
      evs.push(e);
      return;
    }
    evs.splice(this.lowerBound(e.timestamp, e.seq), 0, e);
  }

  /** Index of the first event at or after (ts, seq). */
  lowerBound(ts: number, seq: number): number {
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(this.events[mid] as LogEvent, ts, seq)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Drops events older than the cutoff; returns the bytes freed. */
  expire(cutoff: number): number {
    if (this.events.length === 0 || (this.events[0] as LogEvent).timestamp >= cutoff) return 0;
    const n = this.lowerBound(cutoff, 0);
    const gone = this.events.splice(0, n);
    let bytes = 0;
    const touched = new Set<string>();
    for (const e of gone) {
      bytes += Buffer.byteLength(e.message);
      touched.add(e.chunk);
    }
    for (const key of touched) {
      const chunk = this.chunks.get(key);
      if (!chunk) continue;
      chunk.events = chunk.events.filter((e) => e[0] >= cutoff);
      if (chunk.events.length === 0) {
        this.chunks.delete(key);
        this.store.chunks.delete(key);
      } else {
        this.store.chunks.put(key, chunk);
      }
    }
    const first = this.events[0];
    if (first) this.rec.firstEventTimestamp = first.timestamp;
    this.save();
    return bytes;
  }

  storedBytes(): number {
    let n = 0;
    for (const e of this.events) n += Buffer.byteLength(e.message);
    return n;
  }

  /** Forgets the stream's chunks in storage (the stream record is the caller's). */
  drop(): void {
    for (const key of this.chunks.keys()) this.store.chunks.delete(key);
    this.chunks.clear();
    this.events.length = 0;
  }
}
