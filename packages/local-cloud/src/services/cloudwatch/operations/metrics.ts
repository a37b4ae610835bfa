import { parseArn } from '../../../core/arn.js';
import type { RequestContext } from '../../../core/service.js';
import { InvalidParameterCombinationException, invalidValue, missing, ResourceNotFoundException } from '../errors.js';
import { type CloudWatchModel, single } from '../model/alarms.js';
import { type Datapoint, type MetricId, statistic } from '../model/metrics.js';
import { STATISTICS, UNITS, Violations } from '../validation.js';
import { tagsOf } from './alarms.js';
import { decodeToken, dimensionsOf, encodeToken, tagList, toNumber, toTime, wireTime } from './common.js';

/** PutMetricData, GetMetricStatistics, ListMetrics and tags. */
interface MetricDatumInput {
  MetricName?: string;
  Dimensions?: Array<{ Name?: string; Value?: string }>;
  Timestamp?: unknown;
  Value?: unknown;
  StatisticValues?: { SampleCount?: unknown; Sum?: unknown; Minimum?: unknown; Maximum?: unknown };
  Values?: unknown[];
  Counts?: unknown[];
  Unit?: string;
}

const MINUTE = 60_000;
const TWO_WEEKS = 14 * 86_400_000;
const LIST_PAGE = 500;

function datapointOf(d: MetricDatumInput, i: number, now: number): Datapoint {
  const field = `MetricData.member.${i}`;
  const at = toTime(`${field}.Timestamp`, d.Timestamp) ?? now;
  if (at < now - TWO_WEEKS) {
    throw invalidValue(`The parameter ${field}.Timestamp must specify a time no more than two weeks in the past.`);
  }
  if (at > now + 2 * 3_600_000) {
    throw invalidValue(`The parameter ${field}.Timestamp must specify a time no more than two hours in the future.`);
  }
  const unit = d.Unit !== undefined ? { unit: d.Unit } : {};
  const given = [d.Value !== undefined, d.StatisticValues !== undefined, d.Values !== undefined].filter(Boolean).length;
  if (given > 1) {
    throw new InvalidParameterCombinationException(
      `The parameters ${field}.Value, ${field}.StatisticValues and ${field}.Values are mutually exclusive and you have specified more than one.`,
    );
  }
  if (d.StatisticValues) {
    const s = d.StatisticValues;
    const count = toNumber(`${field}.StatisticValues.SampleCount`, s.SampleCount);
    const sum = toNumber(`${field}.StatisticValues.Sum`, s.Sum);
    const min = toNumber(`${field}.StatisticValues.Minimum`, s.Minimum);
    const max = toNumber(`${field}.StatisticValues.Maximum`, s.Maximum);
    if (count === undefined || sum === undefined || min === undefined || max === undefined) {
      throw missing(`${field}.StatisticValues`);
    }
    return { at, count, sum, min, max, ...unit };
  }
  if (d.Values) {
    const values = d.Values.map((x, j) => toNumber(`${field}.Values.member.${j + 1}`, x) as number);
    const counts = d.Counts?.map((x, j) => toNumber(`${field}.Counts.member.${j + 1}`, x) as number);
    if (counts && counts.length !== values.length) {
      throw invalidValue(`The parameters ${field}.Values and ${field}.Counts must be of the same size.`);
    }
    const expanded = values.flatMap((v, j) => Array<number>(Math.max(1, Math.round(counts?.[j] ?? 1))).fill(v));
    if (expanded.length === 0) throw missing(`${field}.Values`);
    const sum = expanded.reduce((a, b) => a + b, 0);
    return {
      at,
      count: expanded.length,
      sum,
      min: Math.min(...expanded),
      max: Math.max(...expanded),
      values: expanded,
      ...unit,
    };
  }
  const value = toNumber(`${field}.Value`, d.Value);
  if (value === undefined) throw missing(`${field}.Value`);
  if (!Number.isFinite(value)) throw invalidValue(`The value ${value} for parameter ${field}.Value is invalid.`);
  return single(at, value, d.Unit);
}

export function metricOperations(model: CloudWatchModel) {
  return {
    PutMetricData(input: { Namespace?: string; MetricData?: MetricDatumInput[] }, ctx: RequestContext) {
      const v = new Violations();
      if (v.required('namespace', input.Namespace)) v.length('namespace', input.Namespace, 1, 255);
      if (v.required('metricData', input.MetricData)) v.length('metricData', input.MetricData, 0, 1000);
      for (const d of input.MetricData ?? []) {
        if (v.required('metricData.member.metricName', d.MetricName)) {
          v.length('metricData.member.metricName', d.MetricName, 1, 255);
        }
        v.length('metricData.member.dimensions', d.Dimensions, 0, 30);
        v.oneOf('metricData.member.unit', d.Unit, UNITS);
      }
      v.check();
      const namespace = input.Namespace as string;
      if (namespace.startsWith('AWS/'))
        throw invalidValue(`The value ${namespace} for parameter Namespace is invalid.`);
      const now = model.now();
      const points = (input.MetricData ?? []).map((d, i) => datapointOf(d, i + 1, now));
      (input.MetricData ?? []).forEach((d, i) => {
        const id = { namespace, name: d.MetricName as string, dimensions: dimensionsOf(d.Dimensions) };
        model.metrics.put(ctx.scope, id, points[i] as Datapoint);
      });
      return {};
    },

    GetMetricStatistics(
      input: {
        Namespace?: string;
        MetricName?: string;
        Dimensions?: Array<{ Name?: string; Value?: string }>;
        StartTime?: unknown;
        EndTime?: unknown;
        Period?: number;
        Statistics?: string[];
        ExtendedStatistics?: string[];
        Unit?: string;
      },
      ctx: RequestContext,
    ) {
      const v = new Violations();
      if (v.required('namespace', input.Namespace)) v.length('namespace', input.Namespace, 1, 255);
      if (v.required('metricName', input.MetricName)) v.length('metricName', input.MetricName, 1, 255);
      v.required('startTime', input.StartTime);
      v.required('endTime', input.EndTime);
      if (v.required('period', input.Period)) v.range('period', input.Period, 1);
      v.length('statistics', input.Statistics, 1, 5);
      for (const s of input.Statistics ?? []) v.oneOf('statistics.member', s, STATISTICS);
      v.length('extendedStatistics', input.ExtendedStatistics, 1, 10);
      v.oneOf('unit', input.Unit, UNITS);
      v.check();
      if (!input.Statistics?.length === !input.ExtendedStatistics?.length) {
        throw new InvalidParameterCombinationException(
          'Must specify either Statistics or ExtendedStatistics, but not both.',
        );
      }
      const start = toTime('StartTime', input.StartTime) as number;
      const end = toTime('EndTime', input.EndTime) as number;
      if (start >= end) throw invalidValue('The parameter StartTime must be less than the parameter EndTime.');
      const id: MetricId = {
        namespace: input.Namespace as string,
        name: input.MetricName as string,
        dimensions: dimensionsOf(input.Dimensions),
      };
      const period = (input.Period as number) * 1000;
      let points = withLiveSample(model, ctx, id, start, end);
      if (input.Unit) points = points.filter((p) => (p.unit ?? 'None') === input.Unit);
      const buckets = new Map<number, Datapoint[]>();
      for (const p of points) {
        const b = start + Math.floor((p.at - start) / period) * period;
        buckets.set(b, [...(buckets.get(b) ?? []), p]);
      }
      const datapoints = [...buckets.entries()]
        .sort((a, b) => a[0] - b[0])
        .map(([at, ps]) => {
          const out: Record<string, unknown> = {
            Timestamp: wireTime(ctx, at),
            Unit: input.Unit ?? ps[0]?.unit ?? 'None',
          };
          for (const s of input.Statistics ?? []) out[s] = statistic(ps, s);
          if (input.ExtendedStatistics?.length) {
            out.ExtendedStatistics = Object.fromEntries(input.ExtendedStatistics.map((s) => [s, statistic(ps, s)]));
          }
          return out;
        });
      return { Label: input.MetricName, Datapoints: datapoints };
    },

    ListMetrics(
      input: {
        Namespace?: string;
        MetricName?: string;
        Dimensions?: Array<{ Name?: string; Value?: string }>;
        NextToken?: string;
      },
      ctx: RequestContext,
    ) {
      const v = new Violations();
      v.length('namespace', input.Namespace, 1, 255);
      v.length('metricName', input.MetricName, 1, 255);
      v.length('dimensions', input.Dimensions, 0, 10);
      v.check();
      const offset = input.NextToken !== undefined ? Number(decodeToken(input.NextToken)) : 0;
      const metrics = model.metrics.list(ctx.scope).filter((m) => {
        if (input.Namespace !== undefined && m.namespace !== input.Namespace) return false;
        if (input.MetricName !== undefined && m.name !== input.MetricName) return false;
        return (input.Dimensions ?? []).every((f) =>
          m.dimensions.some((d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value)),
        );
      });
      const page = metrics.slice(offset, offset + LIST_PAGE);
      return {
        Metrics: page.map((m) => ({ Namespace: m.namespace, MetricName: m.name, Dimensions: m.dimensions })),
        ...(metrics.length > offset + LIST_PAGE ? { NextToken: encodeToken(String(offset + LIST_PAGE)) } : {}),
      };
    },

    TagResource(input: { ResourceARN?: string; Tags?: Array<{ Key?: string; Value?: string }> }, ctx: RequestContext) {
      const v = new Violations();
      v.required('tags', input.Tags);
      const a = alarmByArn(model, ctx, input.ResourceARN, v);
      a.tags = { ...a.tags, ...tagsOf(input.Tags) };
      model.save(a);
      return {};
    },

    UntagResource(input: { ResourceARN?: string; TagKeys?: string[] }, ctx: RequestContext) {
      const v = new Violations();
      v.required('tagKeys', input.TagKeys);
      const a = alarmByArn(model, ctx, input.ResourceARN, v);
      for (const k of input.TagKeys ?? []) delete a.tags[k];
      model.save(a);
      return {};
    },

    ListTagsForResource(input: { ResourceARN?: string }, ctx: RequestContext) {
      return { Tags: tagList(alarmByArn(model, ctx, input.ResourceARN, new Violations()).tags) };
    },
  };
}

function alarmByArn(model: CloudWatchModel, ctx: RequestContext, resourceArn: string | undefined, v: Violations) {
  if (v.required('resourceARN', resourceArn)) v.length('resourceARN', resourceArn, 1, 1024);
  v.check();
  const parsed = parseArn(resourceArn as string);
  if (parsed?.service !== 'cloudwatch') throw invalidValue(`Invalid arn syntax: ${resourceArn}`);
  const a = model.byArn(resourceArn as string);
  if (!a || a.accountId !== ctx.scope.accountId) {
    const err = new ResourceNotFoundException(`${resourceArn} not found`);
    err.extra.ResourceType = 'alarm';
    throw err;
  }
  return a;
}

/** Stored datapoints, plus the built-in metric's current value for this minute (AWS/SQS). */
function withLiveSample(model: CloudWatchModel, ctx: RequestContext, id: MetricId, start: number, end: number) {
  const points = model.metrics.query(ctx.scope, id, start, end);
  const source = model.source(id.namespace);
  const now = model.now();
  const minute = Math.floor(now / MINUTE) * MINUTE;
  if (!source || minute < start || minute >= end || points.some((p) => p.at === minute)) return points;
  const value = source(ctx.scope, id);
  return value === undefined ? points : [...points, single(minute, value, 'Count')];
}
