import type { Scope } from '../../../core/arn.js';

/**
 * Datapoints sent with PutMetricData (and samples of built-in metrics), kept in memory only and
 * bounded: each metric keeps its newest MAX_POINTS datapoints, at most MAX_METRICS metrics exist,
 * and datapoints older than RETENTION_MS are dropped as new ones arrive.
 */
export interface Dimension {
  Name: string;
  Value: string;
}

export interface MetricId {
  namespace: string;
  name: string;
  dimensions: Dimension[];
}

/** One datapoint: a summary (count, sum, min, max) and, when sent as values, the values themselves. */
export interface Datapoint {
  at: number;
  unit?: string;
  count: number;
  sum: number;
  min: number;
  max: number;
  values?: number[];
}

interface Series {
  scope: Scope;
  id: MetricId;
  points: Datapoint[];
}

export const MAX_POINTS = 20_000;
export const MAX_METRICS = 10_000;
export const RETENTION_MS = 15 * 86_400_000;

export function metricKey(scope: Scope, id: MetricId): string {
  const dims = [...id.dimensions]
    .sort((a, b) => (a.Name < b.Name ? -1 : a.Name > b.Name ? 1 : 0))
    .map((d) => `${d.Name}=${d.Value}`)
    .join(',');
  return `${scope.region}/${scope.accountId}/${id.namespace}/${id.name}/${dims}`;
}

export class MetricStore {
  private readonly series = new Map<string, Series>();

  put(scope: Scope, id: MetricId, point: Datapoint): void {
    const key = metricKey(scope, id);
    let s = this.series.get(key);
    if (!s) {
      if (this.series.size >= MAX_METRICS) this.evictOldest();
      s = { scope, id, points: [] };
      this.series.set(key, s);
    }
    s.points.push(point);
    if (s.points.length > 1 && (s.points[s.points.length - 2] as Datapoint).at > point.at) {
      s.points.sort((a, b) => a.at - b.at);
    }
    const horizon = point.at - RETENTION_MS;
    let drop = 0;
    while (drop < s.points.length && (s.points[drop] as Datapoint).at < horizon) drop++;
    if (s.points.length - drop > MAX_POINTS) drop = s.points.length - MAX_POINTS;
    if (drop > 0) s.points.splice(0, drop);
  }

  /** Datapoints of one metric (exact dimensions) with start <= at < end. */
  query(scope: Scope, id: MetricId, start: number, end: number): Datapoint[] {
    const s = this.series.get(metricKey(scope, id));
    return s ? s.points.filter((p) => p.at >= start && p.at < end) : [];
  }

  has(scope: Scope, id: MetricId, at: number): boolean {
    return this.series.get(metricKey(scope, id))?.points.some((p) => p.at === at) ?? false;
  }

  list(scope: Scope): MetricId[] {
    const out: MetricId[] = [];
    for (const s of this.series.values()) {
      if (s.scope.region === scope.region && s.scope.accountId === scope.accountId) out.push(s.id);
    }
    return out;
  }

  reset(): void {
    this.series.clear();
  }

  private evictOldest(): void {
    let oldest: [string, number] | undefined;
    for (const [k, s] of this.series) {
      const last = s.points[s.points.length - 1]?.at ?? 0;
      if (!oldest || last < oldest[1]) oldest = [k, last];
    }
    if (oldest) this.series.delete(oldest[0]);
  }
}

/** A statistic over datapoints: SampleCount, Average, Sum, Minimum, Maximum or a percentile (p90, p99.9). */
export function statistic(points: Datapoint[], stat: string): number | undefined {
  if (points.length === 0) return undefined;
  let count = 0;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const p of points) {
    count += p.count;
    sum += p.sum;
    min = Math.min(min, p.min);
    max = Math.max(max, p.max);
  }
  switch (stat) {
    case 'SampleCount':
      return count;
    case 'Sum':
      return sum;
    case 'Average':
      return count === 0 ? undefined : sum / count;
    case 'Minimum':
      return min;
    case 'Maximum':
      return max;
  }
  const p = /^p(\d{1,2}(?:\.\d+)?|100)$/.exec(stat);
  return p ? percentile(points, Number(p[1])) : undefined;
}

/** Nearest-rank percentile over the raw values; summaries without values count as their maximum. */
function percentile(points: Datapoint[], pct: number): number | undefined {
  const values: number[] = [];
  for (const p of points) {
    if (p.values) values.push(...p.values);
    else if (p.count === 1) values.push(p.max);
    else return undefined;
  }
  if (values.length === 0) return undefined;
  values.sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((pct / 100) * values.length));
  return values[Math.min(values.length, rank) - 1];
}

export function sameDimensions(a: Dimension[], b: Dimension[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((d) => b.some((e) => e.Name === d.Name && e.Value === d.Value));
}
