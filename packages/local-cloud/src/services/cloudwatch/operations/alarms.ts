import type { RequestContext } from '../../../core/service.js';
import {
  InvalidFormatFault,
  InvalidParameterCombinationException,
  invalidValue,
  missing,
  ResourceNotFound,
} from '../errors.js';
import type { AlarmRecord, CloudWatchModel } from '../model/alarms.js';
import type { AlarmConfig, StateValue } from '../model/evaluate.js';
import { sameDimensions } from '../model/metrics.js';
import { COMPARISON_OPERATORS, STATE_VALUES, STATISTICS, UNITS, Violations } from '../validation.js';
import { decodeToken, describeAlarm, dimensionsOf, encodeToken, toNumber, toTime, wireTime } from './common.js';

/** PutMetricAlarm, DescribeAlarms(ForMetric), DeleteAlarms, SetAlarmState, alarm actions and history. */
interface PutMetricAlarmInput {
  AlarmName?: string;
  AlarmDescription?: string;
  ActionsEnabled?: boolean;
  OKActions?: string[];
  AlarmActions?: string[];
  InsufficientDataActions?: string[];
  MetricName?: string;
  Namespace?: string;
  Statistic?: string;
  ExtendedStatistic?: string;
  Dimensions?: Array<{ Name?: string; Value?: string }>;
  Period?: number;
  Unit?: string;
  EvaluationPeriods?: number;
  DatapointsToAlarm?: number;
  Threshold?: unknown;
  ComparisonOperator?: string;
  TreatMissingData?: string;
  EvaluateLowSampleCountPercentile?: string;
  Metrics?: unknown[];
  Tags?: Array<{ Key?: string; Value?: string }>;
  ThresholdMetricId?: string;
}

const TREAT_MISSING = ['breaching', 'notBreaching', 'ignore', 'missing'];
const EXTENDED = /^p(\d{1,2}(\.\d{0,2})?|100)$/;
const PAGE = 100;

function checkShape(input: PutMetricAlarmInput): void {
  const v = new Violations();
  if (v.required('alarmName', input.AlarmName)) v.length('alarmName', input.AlarmName, 1, 255);
  if (v.required('evaluationPeriods', input.EvaluationPeriods))
    v.range('evaluationPeriods', input.EvaluationPeriods, 1);
  if (v.required('comparisonOperator', input.ComparisonOperator)) {
    v.oneOf('comparisonOperator', input.ComparisonOperator, COMPARISON_OPERATORS);
  }
  v.length('alarmDescription', input.AlarmDescription, 0, 1024);
  v.length('metricName', input.MetricName, 1, 255);
  v.length('namespace', input.Namespace, 1, 255);
  v.oneOf('statistic', input.Statistic, STATISTICS);
  v.range('period', input.Period, 1);
  v.oneOf('unit', input.Unit, UNITS);
  v.range('datapointsToAlarm', input.DatapointsToAlarm, 1);
  v.length('dimensions', input.Dimensions, 0, 30);
  v.length('treatMissingData', input.TreatMissingData, 1, 255);
  for (const f of ['OKActions', 'AlarmActions', 'InsufficientDataActions'] as const) {
    v.length(f.charAt(0).toLowerCase() + f.slice(1), input[f], 0, 5);
  }
  v.check();
}

function configOf(input: PutMetricAlarmInput): AlarmConfig {
  checkShape(input);
  if (input.Metrics?.length || input.ThresholdMetricId) {
    throw invalidValue('Metric math and anomaly detection alarms (Metrics) are not supported by local-cloud.');
  }
  if (!COMPARISON_OPERATORS.slice(0, 4).includes(input.ComparisonOperator as string)) {
    throw invalidValue(`Comparison operator ${input.ComparisonOperator} is only valid for anomaly detection alarms.`);
  }
  if (input.MetricName === undefined) throw missing('MetricName');
  if (input.Namespace === undefined) throw missing('Namespace');
  if (input.Period === undefined) throw missing('Period');
  if ((input.Statistic === undefined) === (input.ExtendedStatistic === undefined)) {
    throw new InvalidParameterCombinationException(
      'Exactly one element of the Statistic and ExtendedStatistic parameters must be specified.',
    );
  }
  if (input.ExtendedStatistic !== undefined && !EXTENDED.test(input.ExtendedStatistic)) {
    throw invalidValue(`The value ${input.ExtendedStatistic} for parameter ExtendedStatistic is not supported.`);
  }
  const threshold = toNumber('Threshold', input.Threshold);
  if (threshold === undefined) throw missing('Threshold');
  if (![10, 20, 30].includes(input.Period) && input.Period % 60 !== 0) {
    throw invalidValue('The parameter Period must be 10, 20, 30, or a multiple of 60.');
  }
  const evaluationPeriods = input.EvaluationPeriods as number;
  if (input.DatapointsToAlarm !== undefined && input.DatapointsToAlarm > evaluationPeriods) {
    throw invalidValue('DatapointsToAlarm must be less than or equal to EvaluationPeriods.');
  }
  if (input.TreatMissingData !== undefined && !TREAT_MISSING.includes(input.TreatMissingData)) {
    throw invalidValue(`The value ${input.TreatMissingData} for parameter TreatMissingData is not supported.`);
  }
  const actions = [...(input.OKActions ?? []), ...(input.AlarmActions ?? []), ...(input.InsufficientDataActions ?? [])];
  for (const a of actions) if (!/^arn:[^:]+:[^:]+:/.test(a)) throw invalidValue(`Invalid arn syntax: ${a}`);
  return {
    Namespace: input.Namespace,
    MetricName: input.MetricName,
    Dimensions: dimensionsOf(input.Dimensions),
    ...(input.Statistic !== undefined ? { Statistic: input.Statistic } : {}),
    ...(input.ExtendedStatistic !== undefined ? { ExtendedStatistic: input.ExtendedStatistic } : {}),
    Period: input.Period,
    EvaluationPeriods: evaluationPeriods,
    ...(input.DatapointsToAlarm !== undefined ? { DatapointsToAlarm: input.DatapointsToAlarm } : {}),
    Threshold: threshold,
    ComparisonOperator: input.ComparisonOperator as string,
    ...(input.TreatMissingData !== undefined ? { TreatMissingData: input.TreatMissingData } : {}),
    ...(input.EvaluateLowSampleCountPercentile !== undefined
      ? { EvaluateLowSampleCountPercentile: input.EvaluateLowSampleCountPercentile }
      : {}),
    ...(input.Unit !== undefined ? { Unit: input.Unit } : {}),
    ...(input.AlarmDescription !== undefined ? { AlarmDescription: input.AlarmDescription } : {}),
    ActionsEnabled: input.ActionsEnabled ?? true,
    AlarmActions: input.AlarmActions ?? [],
    OKActions: input.OKActions ?? [],
    InsufficientDataActions: input.InsufficientDataActions ?? [],
  };
}

export function tagsOf(tags: Array<{ Key?: string; Value?: string }> | undefined): Record<string, string> | undefined {
  if (!tags) return undefined;
  const v = new Violations();
  v.length('tags', tags, 0, 50);
  for (const t of tags) {
    if (v.required('tags.member.key', t.Key)) v.length('tags.member.key', t.Key, 1, 128);
    if (v.required('tags.member.value', t.Value)) v.length('tags.member.value', t.Value, 0, 256);
  }
  v.check();
  return Object.fromEntries(tags.map((t) => [t.Key as string, t.Value as string]));
}

export function alarmOperations(model: CloudWatchModel) {
  return {
    PutMetricAlarm(input: PutMetricAlarmInput, ctx: RequestContext) {
      const config = configOf(input);
      model.put(ctx.scope, input.AlarmName as string, config, tagsOf(input.Tags));
      return {};
    },

    DescribeAlarms(
      input: {
        AlarmNames?: string[];
        AlarmNamePrefix?: string;
        AlarmTypes?: string[];
        StateValue?: string;
        ActionPrefix?: string;
        MaxRecords?: number;
        NextToken?: string;
      },
      ctx: RequestContext,
    ) {
      const v = new Violations();
      v.length('alarmNames', input.AlarmNames, 0, 100);
      v.length('alarmNamePrefix', input.AlarmNamePrefix, 1, 255);
      v.oneOf('stateValue', input.StateValue, STATE_VALUES);
      v.range('maxRecords', input.MaxRecords, 1, 100);
      v.length('actionPrefix', input.ActionPrefix, 1, 1024);
      v.check();
      if (input.AlarmNames?.length && input.AlarmNamePrefix !== undefined) {
        throw new InvalidParameterCombinationException('AlarmNames and AlarmNamePrefix are mutually exclusive.');
      }
      const after = input.NextToken !== undefined ? decodeToken(input.NextToken) : undefined;
      const wantMetric = !input.AlarmTypes?.length || input.AlarmTypes.includes('MetricAlarm');
      const names = input.AlarmNames?.length ? new Set(input.AlarmNames) : undefined;
      const matching = model.list(ctx.scope).filter((a) => {
        if (!wantMetric || (names && !names.has(a.name))) return false;
        if (input.AlarmNamePrefix !== undefined && !a.name.startsWith(input.AlarmNamePrefix)) return false;
        if (input.StateValue !== undefined && a.state !== input.StateValue) return false;
        const actions = [...a.config.AlarmActions, ...a.config.OKActions, ...a.config.InsufficientDataActions];
        if (input.ActionPrefix !== undefined && !actions.some((x) => x.startsWith(input.ActionPrefix as string))) {
          return false;
        }
        return after === undefined || a.name > after;
      });
      const max = input.MaxRecords ?? PAGE;
      const page = matching.slice(0, max);
      return {
        MetricAlarms: page.map((a) => describeAlarm(a, ctx)),
        CompositeAlarms: [],
        ...(matching.length > max ? { NextToken: encodeToken((page[page.length - 1] as { name: string }).name) } : {}),
      };
    },

    DescribeAlarmsForMetric(
      input: {
        MetricName?: string;
        Namespace?: string;
        Statistic?: string;
        ExtendedStatistic?: string;
        Dimensions?: Array<{ Name?: string; Value?: string }>;
        Period?: number;
        Unit?: string;
      },
      ctx: RequestContext,
    ) {
      const v = new Violations();
      if (v.required('metricName', input.MetricName)) v.length('metricName', input.MetricName, 1, 255);
      if (v.required('namespace', input.Namespace)) v.length('namespace', input.Namespace, 1, 255);
      v.oneOf('statistic', input.Statistic, STATISTICS);
      v.oneOf('unit', input.Unit, UNITS);
      v.check();
      const dims = input.Dimensions ? dimensionsOf(input.Dimensions) : undefined;
      const alarms = model.list(ctx.scope).filter((a) => {
        const c = a.config;
        if (c.MetricName !== input.MetricName || c.Namespace !== input.Namespace) return false;
        if (input.Statistic !== undefined && c.Statistic !== input.Statistic) return false;
        if (input.ExtendedStatistic !== undefined && c.ExtendedStatistic !== input.ExtendedStatistic) return false;
        if (input.Period !== undefined && c.Period !== input.Period) return false;
        if (input.Unit !== undefined && c.Unit !== input.Unit) return false;
        return !dims || sameDimensions(dims, c.Dimensions);
      });
      return { MetricAlarms: alarms.map((a) => describeAlarm(a, ctx)) };
    },

    DeleteAlarms(input: { AlarmNames?: string[] }, ctx: RequestContext) {
      const v = new Violations();
      if (v.required('alarmNames', input.AlarmNames)) v.length('alarmNames', input.AlarmNames, 0, 100);
      v.check();
      // One unknown name fails the whole call and nothing is deleted.
      const names = [...new Set(input.AlarmNames)];
      const missing = names.filter((n) => !model.get(ctx.scope, n));
      if (missing.length > 0) {
        throw new ResourceNotFound(`${missing.length}/${names.length} alarms not found: [${missing.join(', ')}]`);
      }
      for (const name of names) model.delete(model.get(ctx.scope, name) as AlarmRecord);
      return {};
    },

    SetAlarmState(
      input: { AlarmName?: string; StateValue?: string; StateReason?: string; StateReasonData?: string },
      ctx: RequestContext,
    ) {
      const v = new Violations();
      if (v.required('alarmName', input.AlarmName)) v.length('alarmName', input.AlarmName, 1, 255);
      if (v.required('stateValue', input.StateValue)) v.oneOf('stateValue', input.StateValue, STATE_VALUES);
      if (v.required('stateReason', input.StateReason)) v.length('stateReason', input.StateReason, 0, 1023);
      v.length('stateReasonData', input.StateReasonData, 0, 4000);
      v.check();
      if (input.StateReasonData !== undefined) {
        try {
          JSON.parse(input.StateReasonData);
        } catch {
          throw new InvalidFormatFault('Invalid JSON in StateReasonData.');
        }
      }
      const a = model.get(ctx.scope, input.AlarmName as string);
      if (!a) throw new ResourceNotFound(`Alarm ${input.AlarmName} not found`);
      model.setState(a, input.StateValue as StateValue, input.StateReason as string, input.StateReasonData);
      return {};
    },

    EnableAlarmActions: (input: { AlarmNames?: string[] }, ctx: RequestContext) => setActions(input, ctx, true),
    DisableAlarmActions: (input: { AlarmNames?: string[] }, ctx: RequestContext) => setActions(input, ctx, false),

    DescribeAlarmHistory(
      input: {
        AlarmName?: string;
        HistoryItemType?: string;
        StartDate?: unknown;
        EndDate?: unknown;
        MaxRecords?: number;
        NextToken?: string;
        ScanBy?: string;
        AlarmTypes?: string[];
      },
      ctx: RequestContext,
    ) {
      const v = new Violations();
      v.length('alarmName', input.AlarmName, 1, 255);
      v.oneOf('historyItemType', input.HistoryItemType, [
        'ConfigurationUpdate',
        'StateUpdate',
        'Action',
        'AlarmContributorStateUpdate',
        'AlarmContributorAction',
      ]);
      v.range('maxRecords', input.MaxRecords, 1, 100);
      v.oneOf('scanBy', input.ScanBy, ['TimestampDescending', 'TimestampAscending']);
      v.check();
      const start = toTime('StartDate', input.StartDate) ?? Number.NEGATIVE_INFINITY;
      const end = toTime('EndDate', input.EndDate) ?? Number.POSITIVE_INFINITY;
      const offset = input.NextToken !== undefined ? Number(decodeToken(input.NextToken)) : 0;
      const wantMetric = !input.AlarmTypes?.length || input.AlarmTypes.includes('MetricAlarm');
      let items = model
        .historyFor(ctx.scope, input.AlarmName)
        .filter((h) => wantMetric && (!input.HistoryItemType || h.type === input.HistoryItemType))
        .filter((h) => h.at >= start && h.at <= end);
      if (input.ScanBy === 'TimestampAscending') items = items.reverse();
      const max = input.MaxRecords ?? PAGE;
      const page = items.slice(offset, offset + max);
      return {
        AlarmHistoryItems: page.map((h) => ({
          AlarmName: h.alarmName,
          AlarmType: 'MetricAlarm',
          Timestamp: wireTime(ctx, h.at),
          HistoryItemType: h.type,
          HistorySummary: h.summary,
          HistoryData: h.data,
        })),
        ...(items.length > offset + max ? { NextToken: encodeToken(String(offset + max)) } : {}),
      };
    },
  };

  function setActions(input: { AlarmNames?: string[] }, ctx: RequestContext, enabled: boolean) {
    const v = new Violations();
    if (v.required('alarmNames', input.AlarmNames)) v.length('alarmNames', input.AlarmNames, 0, 100);
    v.check();
    for (const name of input.AlarmNames ?? []) {
      const a = model.get(ctx.scope, name);
      if (!a) continue;
      a.config.ActionsEnabled = enabled;
      model.save(a);
    }
    return {};
  }
}
