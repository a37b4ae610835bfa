import type { RequestContext } from '../../../core/service.js';
import { invalidToken, invalidValue } from '../errors.js';
import type { AlarmRecord } from '../model/alarms.js';
import type { Dimension } from '../model/metrics.js';

/** Helpers shared by the operations: the protocol-dependent forms of numbers and times, page tokens, views. */

/** A double: a JSON number, or Query text. */
export function toNumber(field: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN;
  if (Number.isNaN(n)) throw invalidValue(`The parameter ${field} must be a number.`);
  return n;
}

/** A timestamp: epoch seconds (JSON) or ISO 8601 / epoch text (Query), as epoch milliseconds. */
export function toTime(field: string, v: unknown): number | undefined {
  if (v === undefined) return undefined;
  let ms = Number.NaN;
  if (typeof v === 'number') ms = v * 1000;
  else if (typeof v === 'string') ms = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) * 1000 : Date.parse(v);
  if (Number.isNaN(ms)) throw invalidValue(`The parameter ${field} must be a valid timestamp.`);
  return Math.round(ms);
}

/** A timestamp as the protocol writes it: epoch seconds in JSON, ISO 8601 in Query XML. */
export function wireTime(ctx: RequestContext, ms: number): number | string {
  return ctx.protocol === 'json' ? ms / 1000 : new Date(ms).toISOString();
}

export function encodeToken(cursor: string): string {
  return Buffer.from(JSON.stringify({ c: cursor })).toString('base64url');
}

export function decodeToken(token: string): string {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof v?.c === 'string') return v.c;
  } catch {
    // fall through
  }
  throw invalidToken();
}

export function tagList(tags: Record<string, string>): Array<{ Key: string; Value: string }> {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

export function describeAlarm(a: AlarmRecord, ctx: RequestContext): Record<string, unknown> {
  const c = a.config;
  return {
    AlarmName: a.name,
    AlarmArn: a.arn,
    AlarmDescription: c.AlarmDescription,
    AlarmConfigurationUpdatedTimestamp: wireTime(ctx, a.configUpdatedAt),
    ActionsEnabled: c.ActionsEnabled,
    OKActions: c.OKActions,
    AlarmActions: c.AlarmActions,
    InsufficientDataActions: c.InsufficientDataActions,
    StateValue: a.state,
    StateReason: a.stateReason,
    StateReasonData: a.stateReasonData,
    StateUpdatedTimestamp: wireTime(ctx, a.stateUpdatedAt),
    MetricName: c.MetricName,
    Namespace: c.Namespace,
    Statistic: c.Statistic,
    ExtendedStatistic: c.ExtendedStatistic,
    Dimensions: c.Dimensions,
    Period: c.Period,
    Unit: c.Unit,
    EvaluationPeriods: c.EvaluationPeriods,
    DatapointsToAlarm: c.DatapointsToAlarm,
    Threshold: c.Threshold,
    ComparisonOperator: c.ComparisonOperator,
    TreatMissingData: c.TreatMissingData,
    EvaluateLowSampleCountPercentile: c.EvaluateLowSampleCountPercentile,
    StateTransitionedTimestamp: wireTime(ctx, a.stateTransitionedAt),
  };
}

export function dimensionsOf(input: Array<Partial<Dimension>> | undefined): Dimension[] {
  return (input ?? []).map((d) => ({ Name: d.Name ?? '', Value: d.Value ?? '' }));
}
