import { isoOffset, JavaDouble, javaDouble, javaJson, reasonDate } from './format.js';
import type { Dimension } from './metrics.js';

/**
 * One evaluation of a metric alarm over its most recent periods: how many are breaching, what
 * missing data counts as (TreatMissingData), and the state, reason and reason data that result.
 */
export type StateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface AlarmConfig {
  Namespace: string;
  MetricName: string;
  Dimensions: Dimension[];
  Statistic?: string;
  ExtendedStatistic?: string;
  Period: number;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  Threshold: number;
  ComparisonOperator: string;
  TreatMissingData?: string;
  EvaluateLowSampleCountPercentile?: string;
  Unit?: string;
  ActionsEnabled: boolean;
  AlarmActions: string[];
  OKActions: string[];
  InsufficientDataActions: string[];
  AlarmDescription?: string;
}

/** One period, newest first: its start and the statistic's value (undefined when no data arrived). */
export interface Bucket {
  start: number;
  value: number | undefined;
  count: number;
}

export interface Evaluation {
  /** undefined: keep the current state (TreatMissingData ignore with no data). */
  state: StateValue | undefined;
  reason: string;
  reasonData: string;
}

const OP_TEXT: Record<string, string> = {
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  GreaterThanThreshold: 'greater than',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

export function breaches(op: string, value: number, threshold: number): boolean {
  switch (op) {
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
    default:
      return false;
  }
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function evaluate(cfg: AlarmConfig, buckets: Bucket[], now: number): Evaluation {
  const n = cfg.EvaluationPeriods;
  const m = cfg.DatapointsToAlarm ?? n;
  const treat = cfg.TreatMissingData ?? 'missing';
  const present = buckets.filter((b) => b.value !== undefined);
  const reasonData = reasonDataOf(cfg, buckets, now);
  if (present.length === 0) {
    if (treat === 'ignore') return { state: undefined, reason: '', reasonData };
    if (treat === 'breaching' || treat === 'notBreaching') {
      const alarm = treat === 'breaching' && m <= n;
      const as = treat === 'breaching' ? 'Breaching' : 'NonBreaching';
      const reason = `Threshold Crossed: no datapoints were received for ${plural(n, 'period', 'periods')} and ${plural(n, 'missing datapoint was', 'missing datapoints were')} treated as [${as}].`;
      return { state: alarm ? 'ALARM' : 'OK', reason, reasonData };
    }
    return {
      state: 'INSUFFICIENT_DATA',
      reason: `Insufficient Data: ${plural(n, 'datapoint was', 'datapoints were')} unknown.`,
      reasonData,
    };
  }
  const breaching = present.filter((b) => breaches(cfg.ComparisonOperator, b.value as number, cfg.Threshold));
  const missingBreaching = treat === 'breaching' ? buckets.length - present.length : 0;
  const alarm = breaching.length + missingBreaching >= m;
  const shown = alarm ? breaching : present.filter((b) => !breaching.includes(b));
  const points = shown.map((b) => `${javaDouble(b.value as number)} (${reasonDate(b.start)})`).join(', ');
  const op = OP_TEXT[cfg.ComparisonOperator] ?? cfg.ComparisonOperator;
  const verb = shown.length === 1 ? 'was' : 'were';
  const minimum = `minimum ${plural(m, 'datapoint', 'datapoints')} for ${alarm ? 'OK -> ALARM' : 'ALARM -> OK'} transition`;
  const reason = `Threshold Crossed: ${shown.length} out of the last ${n} datapoints [${points}] ${verb} ${alarm ? '' : 'not '}${op} the threshold (${javaDouble(cfg.Threshold)}) (${minimum}).`;
  return { state: alarm ? 'ALARM' : 'OK', reason, reasonData };
}

function reasonDataOf(cfg: AlarmConfig, buckets: Bucket[], now: number): string {
  const oldest = buckets[buckets.length - 1];
  const present = buckets.filter((b) => b.value !== undefined);
  return javaJson({
    version: '1.0',
    queryDate: isoOffset(now),
    ...(oldest ? { startDate: isoOffset(oldest.start) } : {}),
    ...(cfg.ExtendedStatistic ? { extendedStatistic: cfg.ExtendedStatistic } : { statistic: cfg.Statistic }),
    ...(cfg.Unit ? { unit: cfg.Unit } : {}),
    period: cfg.Period,
    recentDatapoints: present.map((b) => new JavaDouble(b.value as number)),
    threshold: new JavaDouble(cfg.Threshold),
    evaluatedDatapoints: buckets.map((b) =>
      b.value === undefined
        ? { timestamp: isoOffset(b.start) }
        : { timestamp: isoOffset(b.start), sampleCount: new JavaDouble(b.count), value: new JavaDouble(b.value) },
    ),
  });
}
