import { arn, parseArn, type Scope } from '../../../core/arn.js';
import type { Clock } from '../../../core/clock.js';
import type { Collection, Store } from '../../../core/storage.js';
import { type ChunkRecord, type LogEvent, LogStream, positionId, type StreamRecord } from './stream.js';

/**
 * Every log group of every account and region, their streams and events. Pure: no HTTP, time from
 * the Clock. Retention is applied lazily, whenever a group is read or written (`expire`).
 */
export interface GroupRecord {
  /** `<region>/<account>/<name>` */
  key: string;
  name: string;
  region: string;
  accountId: string;
  createdAt: number;
  retentionInDays?: number;
  kmsKeyId?: string;
  logGroupClass: string;
  tags: Record<string, string>;
}

export class LogGroup {
  readonly streams = new Map<string, LogStream>();
  /** Bytes of the messages it holds, kept up to date on append and expiry. */
  storedBytes = 0;

  constructor(readonly rec: GroupRecord) {}

  get name(): string {
    return this.rec.name;
  }

  get scope(): Scope {
    return { region: this.rec.region, accountId: this.rec.accountId };
  }

  /** `arn:aws:logs:<region>:<account>:log-group:<name>` (DescribeLogGroups adds `:*` for `arn`). */
  get arn(): string {
    return arn('logs', this.scope, `log-group:${this.rec.name}`);
  }

  streamArn(stream: LogStream): string {
    return `${this.arn}:log-stream:${stream.name}`;
  }
}

/** An event as the API shows it. */
export interface OutputEvent {
  timestamp: number;
  message: string;
  ingestionTime: number;
  eventId: string;
}

export interface AppendedEvents {
  scope: Scope;
  logGroupName: string;
  logStreamName: string;
  events: OutputEvent[];
}

export type EventsListener = (batch: AppendedEvents) => void;

export const DAY_MS = 86_400_000;

export function outputEvent(e: LogEvent): OutputEvent {
  return {
    timestamp: e.timestamp,
    message: e.message,
    ingestionTime: e.ingestionTime,
    eventId: positionId(e.timestamp, e.seq),
  };
}

export class LogsModel {
  private readonly groups = new Map<string, LogGroup>();
  private readonly listeners = new Set<EventsListener>();
  private seq = 0;
  private readonly groupStore: Collection<GroupRecord>;
  private readonly store: { streams: Collection<StreamRecord>; chunks: Collection<ChunkRecord> };

  constructor(
    private readonly clock: Clock,
    store: Store,
  ) {
    const groups = () => this.groups.values();
    this.groupStore = store.collection<GroupRecord>('logs.groups', function* () {
      for (const g of groups()) yield [g.rec.key, g.rec];
    });
    this.store = {
      streams: store.collection<StreamRecord>('logs.streams', function* () {
        for (const g of groups()) for (const s of g.streams.values()) yield [s.rec.key, s.rec];
      }),
      chunks: store.collection<ChunkRecord>('logs.chunks', function* () {
        for (const g of groups()) for (const s of g.streams.values()) yield* s.chunks;
      }),
    };
  }

  static key(scope: Scope, name: string): string {
    return `${scope.region}/${scope.accountId}/${name}`;
  }

  /** Rebuilds every group, stream and event from storage. */
  load(): void {
    for (const [, rec] of this.groupStore.load()) this.groups.set(rec.key, new LogGroup(rec));
    const streams = new Map<string, LogStream>();
    for (const [, rec] of this.store.streams.load()) {
      const g = this.groups.get(rec.group);
      if (!g) continue;
      const s = new LogStream(rec, this.store);
      g.streams.set(rec.name, s);
      streams.set(rec.key, s);
      this.seq = Math.max(this.seq, rec.lastSeq);
    }
    for (const [key, chunk] of this.store.chunks.load()) streams.get(chunk.stream)?.restore(key, chunk);
    for (const g of this.groups.values()) {
      for (const s of g.streams.values()) g.storedBytes += s.storedBytes();
    }
  }

  now(): number {
    return this.clock.now();
  }

  getGroup(scope: Scope, name: string): LogGroup | undefined {
    return this.groups.get(LogsModel.key(scope, name));
  }

  /** A log group by name (in the caller's account and region) or by ARN (with or without `:*`). */
  findGroup(scope: Scope, identifier: string): LogGroup | undefined {
    if (!identifier.startsWith('arn:')) return this.getGroup(scope, identifier);
    const parsed = parseArn(identifier);
    if (parsed?.service !== 'logs' || !parsed.resource.startsWith('log-group:')) return undefined;
    const name = parsed.resource.slice('log-group:'.length).replace(/:\*$/, '');
    return this.getGroup({ region: parsed.region, accountId: parsed.accountId }, name);
  }

  createGroup(
    scope: Scope,
    name: string,
    opts: { tags?: Record<string, string>; kmsKeyId?: string; logGroupClass?: string } = {},
  ): LogGroup {
    const rec: GroupRecord = {
      key: LogsModel.key(scope, name),
      name,
      region: scope.region,
      accountId: scope.accountId,
      createdAt: this.clock.now(),
      logGroupClass: opts.logGroupClass ?? 'STANDARD',
      tags: { ...opts.tags },
    };
    if (opts.kmsKeyId) rec.kmsKeyId = opts.kmsKeyId;
    const g = new LogGroup(rec);
    this.groups.set(rec.key, g);
    this.saveGroup(g);
    return g;
  }

  saveGroup(g: LogGroup): void {
    this.groupStore.put(g.rec.key, g.rec);
  }

  deleteGroup(g: LogGroup): void {
    for (const s of g.streams.values()) this.dropStream(s);
    g.streams.clear();
    this.groups.delete(g.rec.key);
    this.groupStore.delete(g.rec.key);
  }

  /** The account's groups in the region, sorted by name. */
  listGroups(scope: Scope, prefix?: string): LogGroup[] {
    const out: LogGroup[] = [];
    for (const g of this.groups.values()) {
      if (g.rec.region !== scope.region || g.rec.accountId !== scope.accountId) continue;
      if (prefix && !g.name.startsWith(prefix)) continue;
      out.push(g);
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  createStream(g: LogGroup, name: string): LogStream {
    const s = new LogStream(
      { key: `${g.rec.key}\u0000${name}`, group: g.rec.key, name, createdAt: this.clock.now(), uploads: 0, lastSeq: 0 },
      this.store,
    );
    g.streams.set(name, s);
    s.save();
    return s;
  }

  deleteStream(g: LogGroup, s: LogStream): void {
    g.storedBytes -= s.storedBytes();
    g.streams.delete(s.name);
    this.dropStream(s);
  }

  private dropStream(s: LogStream): void {
    s.drop();
    this.store.streams.delete(s.rec.key);
  }

  setRetention(g: LogGroup, days: number | undefined): void {
    if (days === undefined) delete g.rec.retentionInDays;
    else g.rec.retentionInDays = days;
    this.saveGroup(g);
    this.expire(g);
  }

  /** Deletes the events the group's retention has expired. */
  expire(g: LogGroup): void {
    const days = g.rec.retentionInDays;
    if (days === undefined) return;
    const cutoff = this.clock.now() - days * DAY_MS;
    for (const s of g.streams.values()) g.storedBytes -= s.expire(cutoff);
  }

  /** Stores events (already validated, sorted by timestamp) and tells the listeners. */
  appendTo(g: LogGroup, s: LogStream, events: ReadonlyArray<{ timestamp: number; message: string }>): LogEvent[] {
    this.expire(g);
    const now = this.clock.now();
    const added = s.append(
      events.map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: now, seq: ++this.seq })),
      now,
    );
    for (const e of added) g.storedBytes += Buffer.byteLength(e.message);
    if (added.length > 0 && this.listeners.size > 0) {
      const batch: AppendedEvents = {
        scope: g.scope,
        logGroupName: g.name,
        logStreamName: s.name,
        events: added.map(outputEvent),
      };
      for (const l of [...this.listeners]) {
        try {
          l(batch);
        } catch (err) {
          console.error('[local-cloud] logs listener failed:', err);
        }
      }
    }
    return added;
  }

  // ---- in-process API (Lambda, the CLI) ------------------------------------------------------

  /** The log group, created if missing. */
  ensureGroup(scope: Scope, name: string): LogGroup {
    return this.getGroup(scope, name) ?? this.createGroup(scope, name);
  }

  /** The log stream, created (with its group) if missing. */
  ensureStream(scope: Scope, group: string, stream: string): LogStream {
    const g = this.ensureGroup(scope, group);
    return g.streams.get(stream) ?? this.createStream(g, stream);
  }

  /**
   * Appends events to a stream, creating the group and stream if needed. Events are sorted by timestamp;
   * unlike PutLogEvents nothing is rejected (retention still applies). Returns the stored events.
   */
  append(
    scope: Scope,
    group: string,
    stream: string,
    events: ReadonlyArray<{ timestamp: number; message: string }>,
  ): OutputEvent[] {
    const s = this.ensureStream(scope, group, stream);
    const g = this.getGroup(scope, group) as LogGroup;
    const sorted = [...events].sort((a, b) => a.timestamp - b.timestamp);
    return this.appendTo(g, s, sorted).map(outputEvent);
  }

  /** Calls the listener with every batch of new events (API or in-process); returns the unsubscribe. */
  onEvents(listener: EventsListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Forgets everything (POST /_local-cloud/reset). Listeners stay subscribed. */
  reset(): void {
    this.groups.clear();
    this.seq = 0;
  }
}
