import { arn, type Scope } from '../../../core/arn.js';
import type { Clock } from '../../../core/clock.js';
import type { Collection, Store } from '../../../core/storage.js';
import { type AlarmConfig, type Bucket, evaluate, type StateValue } from './evaluate.js';
import { type Datapoint, type MetricId, MetricStore, statistic } from './metrics.js';

/**
 * Every metric alarm of every account and region, its state and history, and the metric datapoints
 * alarms are evaluated over. Pure: no HTTP, no timers (wiring/alarms.ts calls evaluateAll every minute).
 */
export interface AlarmRecord {
  /** `<region>/<account>/<name>` */
  key: string;
  name: string;
  region: string;
  accountId: string;
  arn: string;
  config: AlarmConfig;
  configUpdatedAt: number;
  state: StateValue;
  stateReason: string;
  stateReasonData?: string;
  stateUpdatedAt: number;
  stateTransitionedAt: number;
  tags: Record<string, string>;
}

export interface HistoryRecord {
  key: string;
  alarmKey: string;
  alarmName: string;
  at: number;
  type: 'ConfigurationUpdate' | 'StateUpdate' | 'Action';
  summary: string;
  data: string;
}

export interface Transition {
  alarm: AlarmRecord;
  oldState: StateValue;
  oldReason: string;
  oldReasonData?: string;
  oldUpdatedAt: number;
}

/** Reads a built-in metric's current value (e.g. AWS/SQS from the queues); undefined when it does not exist. */
export type MetricSource = (scope: Scope, id: MetricId) => number | undefined;

const MAX_HISTORY_PER_ALARM = 100;
const HISTORY_RETENTION_MS = 14 * 86_400_000;
const MINUTE = 60_000;

export class CloudWatchModel {
  readonly metrics = new MetricStore();
  private readonly alarms = new Map<string, AlarmRecord>();
  private readonly history = new Map<string, HistoryRecord[]>();
  private readonly sources = new Map<string, MetricSource>();
  private readonly alarmStore: Collection<AlarmRecord>;
  private readonly historyStore: Collection<HistoryRecord>;
  private seq = 0;
  /** Called on every state change (evaluation or SetAlarmState): the wiring runs the actions. */
  onTransition: ((t: Transition) => void) | undefined;
  /** Called when alarms are created or deleted (the wiring evaluates only while some exist). */
  onAlarmsChanged: (() => void) | undefined;

  constructor(
    private readonly clock: Clock,
    store: Store,
  ) {
    const alarms = () => this.alarms.values();
    const history = () => this.history.values();
    this.alarmStore = store.collection<AlarmRecord>('cloudwatch.alarms', function* () {
      for (const a of alarms()) yield [a.key, a];
    });
    this.historyStore = store.collection<HistoryRecord>('cloudwatch.history', function* () {
      for (const list of history()) for (const h of list) yield [h.key, h];
    });
  }

  static key(scope: Scope, name: string): string {
    return `${scope.region}/${scope.accountId}/${name}`;
  }

  load(): void {
    for (const [, rec] of this.alarmStore.load()) this.alarms.set(rec.key, rec);
    const items = this.historyStore.load().map(([, h]) => h);
    items.sort((a, b) => a.at - b.at || (a.key < b.key ? -1 : 1));
    for (const h of items) this.historyOf(h.alarmKey).push(h);
    // Keys end in a sequence number; carry on after the highest so new keys never collide with old ones.
    for (const h of items) this.seq = Math.max(this.seq, Number(h.key.slice(h.key.lastIndexOf('/') + 1)) + 1);
  }

  now(): number {
    return this.clock.now();
  }

  /** Registers the live source of a built-in namespace (AWS/SQS). */
  connectSource(namespace: string, source: MetricSource): void {
    this.sources.set(namespace, source);
  }

  source(namespace: string): MetricSource | undefined {
    return this.sources.get(namespace);
  }

  count(): number {
    return this.alarms.size;
  }

  get(scope: Scope, name: string): AlarmRecord | undefined {
    return this.alarms.get(CloudWatchModel.key(scope, name));
  }

  byArn(alarmArn: string): AlarmRecord | undefined {
    for (const a of this.alarms.values()) if (a.arn === alarmArn) return a;
    return undefined;
  }

  list(scope: Scope): AlarmRecord[] {
    const out = [...this.alarms.values()].filter((a) => a.region === scope.region && a.accountId === scope.accountId);
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Creates the alarm (state INSUFFICIENT_DATA) or replaces its configuration (state kept). */
  put(scope: Scope, name: string, config: AlarmConfig, tags: Record<string, string> | undefined): AlarmRecord {
    const now = this.clock.now();
    const existing = this.get(scope, name);
    if (existing) {
      existing.config = config;
      existing.configUpdatedAt = now;
      if (tags) existing.tags = { ...existing.tags, ...tags };
      this.save(existing);
      this.record(existing, 'ConfigurationUpdate', `Alarm "${name}" updated`, { type: 'Update' });
      return existing;
    }
    const rec: AlarmRecord = {
      key: CloudWatchModel.key(scope, name),
      name,
      region: scope.region,
      accountId: scope.accountId,
      arn: arn('cloudwatch', scope, `alarm:${name}`),
      config,
      configUpdatedAt: now,
      state: 'INSUFFICIENT_DATA',
      stateReason: 'Unchecked: Initial alarm creation',
      stateUpdatedAt: now,
      stateTransitionedAt: now,
      tags: tags ?? {},
    };
    this.alarms.set(rec.key, rec);
    this.save(rec);
    this.record(rec, 'ConfigurationUpdate', `Alarm "${name}" created`, { type: 'Create' });
    this.onAlarmsChanged?.();
    return rec;
  }

  save(rec: AlarmRecord): void {
    this.alarmStore.put(rec.key, rec);
  }

  delete(rec: AlarmRecord): void {
    this.alarms.delete(rec.key);
    this.alarmStore.delete(rec.key);
    this.record(rec, 'ConfigurationUpdate', `Alarm "${rec.name}" deleted`, { type: 'Delete' });
    this.onAlarmsChanged?.();
  }

  /** Moves the alarm to a state; a change is recorded in history and reported to onTransition. */
  setState(rec: AlarmRecord, state: StateValue, reason: string, reasonData?: string): void {
    const now = this.clock.now();
    const t: Transition = {
      alarm: rec,
      oldState: rec.state,
      oldReason: rec.stateReason,
      oldUpdatedAt: rec.stateUpdatedAt,
      ...(rec.stateReasonData !== undefined ? { oldReasonData: rec.stateReasonData } : {}),
    };
    rec.stateReason = reason;
    if (reasonData !== undefined) rec.stateReasonData = reasonData;
    else delete rec.stateReasonData;
    rec.stateUpdatedAt = now;
    if (t.oldState === state) {
      this.save(rec);
      return;
    }
    rec.state = state;
    rec.stateTransitionedAt = now;
    this.save(rec);
    this.record(rec, 'StateUpdate', `Alarm updated from ${t.oldState} to ${state}`, {
      version: '1.0',
      oldState: { stateValue: t.oldState, stateReason: t.oldReason },
      newState: { stateValue: state, stateReason: reason },
    });
    this.onTransition?.(t);
  }

  /** Samples built-in metrics for the minute that just closed, then evaluates every alarm. */
  evaluateAll(): void {
    const now = this.clock.now();
    for (const a of [...this.alarms.values()]) {
      this.sample(a, now);
      const result = evaluate(a.config, this.buckets(a, now), now);
      if (result.state && result.state !== a.state) this.setState(a, result.state, result.reason, result.reasonData);
    }
  }

  /** The alarm's last EvaluationPeriods periods, newest first; the newest holds the moment just before now. */
  buckets(a: AlarmRecord, now: number): Bucket[] {
    const period = a.config.Period * 1000;
    const last = Math.floor((now - 1) / period) * period;
    const stat = a.config.ExtendedStatistic ?? a.config.Statistic ?? 'Average';
    const out: Bucket[] = [];
    for (let k = 0; k < a.config.EvaluationPeriods; k++) {
      const start = last - k * period;
      let points = this.metrics.query(scopeOf(a), metricOf(a), start, start + period);
      if (a.config.Unit) points = points.filter((p) => p.unit === a.config.Unit);
      out.push({ start, value: statistic(points, stat), count: points.reduce((s, p) => s + p.count, 0) });
    }
    return out;
  }

  /** Reads a built-in metric now and stores it as the datapoint of the minute that just closed. */
  private sample(a: AlarmRecord, now: number): void {
    const source = this.sources.get(a.config.Namespace);
    if (!source) return;
    const at = Math.floor((now - 1) / MINUTE) * MINUTE;
    const id = metricOf(a);
    if (this.metrics.has(scopeOf(a), id, at)) return;
    const value = source(scopeOf(a), id);
    if (value !== undefined) this.metrics.put(scopeOf(a), id, single(at, value, 'Count'));
  }

  record(a: AlarmRecord, type: HistoryRecord['type'], summary: string, data: unknown): void {
    const now = this.clock.now();
    const list = this.historyOf(a.key);
    const h: HistoryRecord = {
      key: `${a.key}/${now}/${this.seq++}`,
      alarmKey: a.key,
      alarmName: a.name,
      at: now,
      type,
      summary,
      data: JSON.stringify(data),
    };
    list.push(h);
    this.historyStore.put(h.key, h);
    while (list.length > MAX_HISTORY_PER_ALARM || (list[0] && list[0].at < now - HISTORY_RETENTION_MS)) {
      const old = list.shift() as HistoryRecord;
      this.historyStore.delete(old.key);
    }
  }

  historyFor(scope: Scope, name?: string): HistoryRecord[] {
    const prefix = `${scope.region}/${scope.accountId}/`;
    const out: HistoryRecord[] = [];
    for (const [key, list] of this.history) {
      if (!key.startsWith(prefix) || (name !== undefined && key !== prefix + name)) continue;
      out.push(...list);
    }
    return out.sort((a, b) => b.at - a.at || (a.key < b.key ? 1 : -1));
  }

  reset(): void {
    this.alarms.clear();
    this.history.clear();
    this.metrics.reset();
    this.onAlarmsChanged?.();
  }

  private historyOf(key: string): HistoryRecord[] {
    let list = this.history.get(key);
    if (!list) {
      list = [];
      this.history.set(key, list);
    }
    return list;
  }
}

export function scopeOf(a: AlarmRecord): Scope {
  return { region: a.region, accountId: a.accountId };
}

export function metricOf(a: AlarmRecord): MetricId {
  return { namespace: a.config.Namespace, name: a.config.MetricName, dimensions: a.config.Dimensions };
}

export function single(at: number, value: number, unit?: string): Datapoint {
  return { at, count: 1, sum: value, min: value, max: value, values: [value], ...(unit ? { unit } : {}) };
}
