import type { RequestContext } from '../../../core/service.js';
import { invalid, LimitExceededException } from '../errors.js';
import { checkPath } from '../input.js';
import type { EventsModel, TargetRecord } from '../model/rules.js';
import { NAME, Violations } from '../validation.js';
import { checkBus, paginate, requireRule } from './common.js';

/** PutTargets, RemoveTargets, ListTargetsByRule, ListRuleNamesByTarget. */
const MAX_TARGETS = 5;

type TargetInput = Partial<TargetRecord> & Record<string, unknown>;

function checkTarget(v: Violations, t: TargetInput): void {
  if (v.required('targets.member.id', t.Id)) {
    v.length('targets.member.id', t.Id, 1, 64);
    v.pattern('targets.member.id', t.Id, NAME);
  }
  if (v.required('targets.member.arn', t.Arn)) v.length('targets.member.arn', t.Arn, 1, 1600);
  v.length('targets.member.input', t.Input, 0, 8192);
  v.length('targets.member.inputPath', t.InputPath, 0, 256);
}

function targetOf(t: TargetInput): TargetRecord {
  const given = [t.Input, t.InputPath, t.InputTransformer].filter((x) => x !== undefined).length;
  if (given > 1) throw invalid('Only one of Input, InputPath, or InputTransformer must be provided.');
  if (t.Input !== undefined) {
    try {
      JSON.parse(t.Input);
    } catch {
      throw invalid(`Parameter Input is not valid for target: ${t.Id}.`);
    }
  }
  checkPath('InputPath', t.InputPath);
  for (const p of Object.values(t.InputTransformer?.InputPathsMap ?? {})) checkPath('InputPathsMap', p);
  if (/^arn:aws[\w-]*:sqs:.*\.fifo$/.test(t.Arn as string) && !t.SqsParameters?.MessageGroupId) {
    throw invalid(`Parameter(s) SqsParameters must be specified for target: ${t.Id}.`);
  }
  const keep = ['Id', 'Arn', 'RoleArn', 'Input', 'InputPath', 'InputTransformer', 'SqsParameters'] as const;
  return Object.fromEntries(keep.filter((k) => t[k] !== undefined).map((k) => [k, t[k]])) as unknown as TargetRecord;
}

export function targetOperations(model: EventsModel) {
  return {
    PutTargets(input: { Rule?: string; EventBusName?: string; Targets?: TargetInput[] }, ctx: RequestContext) {
      const v = new Violations();
      v.name('rule', input.Rule);
      if (v.required('targets', input.Targets)) v.length('targets', input.Targets, 1, 10);
      for (const t of input.Targets ?? []) checkTarget(v, t);
      checkBus(v, ctx, input.EventBusName);
      const rule = requireRule(model, ctx, input.Rule as string);
      const targets = (input.Targets ?? []).map(targetOf);
      const merged = [...rule.targets];
      for (const t of targets) {
        const i = merged.findIndex((x) => x.Id === t.Id);
        if (i >= 0) merged[i] = t;
        else merged.push(t);
      }
      if (merged.length > MAX_TARGETS) {
        throw new LimitExceededException('The requested resource exceeds the maximum number allowed.');
      }
      rule.targets = merged;
      model.save(rule);
      return { FailedEntryCount: 0, FailedEntries: [] };
    },

    RemoveTargets(
      input: { Rule?: string; EventBusName?: string; Ids?: string[]; Force?: boolean },
      ctx: RequestContext,
    ) {
      const v = new Violations();
      v.name('rule', input.Rule);
      if (v.required('ids', input.Ids)) v.length('ids', input.Ids, 1, 100);
      checkBus(v, ctx, input.EventBusName);
      const rule = requireRule(model, ctx, input.Rule as string);
      const ids = new Set(input.Ids);
      rule.targets = rule.targets.filter((t) => !ids.has(t.Id));
      model.save(rule);
      return { FailedEntryCount: 0, FailedEntries: [] };
    },

    ListTargetsByRule(
      input: { Rule?: string; EventBusName?: string; NextToken?: string; Limit?: number },
      ctx: RequestContext,
    ) {
      const v = new Violations();
      v.name('rule', input.Rule);
      v.range('limit', input.Limit, 1, 100);
      checkBus(v, ctx, input.EventBusName);
      const rule = requireRule(model, ctx, input.Rule as string);
      const { page, ...rest } = paginate(rule.targets, input.NextToken, input.Limit);
      return { Targets: page, ...rest };
    },

    ListRuleNamesByTarget(
      input: { TargetArn?: string; EventBusName?: string; NextToken?: string; Limit?: number },
      ctx: RequestContext,
    ) {
      const v = new Violations();
      if (v.required('targetArn', input.TargetArn)) v.length('targetArn', input.TargetArn, 1, 1600);
      v.range('limit', input.Limit, 1, 100);
      checkBus(v, ctx, input.EventBusName);
      const names = model
        .list(ctx.scope)
        .filter((r) => r.targets.some((t) => t.Arn === input.TargetArn))
        .map((r) => r.name);
      const { page, ...rest } = paginate(names, input.NextToken, input.Limit);
      return { RuleNames: page, ...rest };
    },
  };
}
