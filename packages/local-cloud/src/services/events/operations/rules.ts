import type { RequestContext } from '../../../core/service.js';
import { badSchedule, invalid, ResourceNotFoundException, ruleNotFound } from '../errors.js';
import { parsePattern } from '../input.js';
import { DEFAULT_BUS, type EventsModel, type RuleRecord } from '../model/rules.js';
import { parseSchedule } from '../schedule.js';
import { Violations } from '../validation.js';
import { busArn, checkBus, paginate, requireRule } from './common.js';

/** PutRule, DescribeRule, ListRules, DeleteRule, EnableRule, DisableRule, tags and the default event bus. */
const STATES = ['DISABLED', 'ENABLED', 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS'] as const;
type Tag = { Key?: string; Value?: string };

function describe(r: RuleRecord) {
  return {
    Name: r.name,
    Arn: r.arn,
    EventPattern: r.eventPattern,
    ScheduleExpression: r.scheduleExpression,
    State: r.state,
    Description: r.description,
    RoleArn: r.roleArn,
    EventBusName: r.bus,
  };
}

function tagsOf(v: Violations, tags: Tag[] | undefined): Record<string, string> | undefined {
  if (!tags) return undefined;
  v.length('tags', tags, 0, 50);
  for (const t of tags) {
    if (v.required('tags.member.key', t.Key)) v.length('tags.member.key', t.Key, 1, 128);
    if (v.required('tags.member.value', t.Value)) v.length('tags.member.value', t.Value, 0, 256);
  }
  return Object.fromEntries(tags.map((t) => [t.Key as string, t.Value as string]));
}

function ruleByArn(model: EventsModel, ctx: RequestContext, resourceArn: string | undefined, v: Violations) {
  if (v.required('resourceARN', resourceArn)) v.length('resourceARN', resourceArn, 1, 1600);
  v.check();
  const rule = model.byArn(resourceArn as string);
  if (rule && rule.accountId === ctx.scope.accountId) return rule;
  const name = (resourceArn as string).split('/').pop() as string;
  if ((resourceArn as string).includes(':rule/')) throw ruleNotFound(name);
  throw new ResourceNotFoundException(`Resource ${resourceArn} does not exist.`);
}

export function ruleOperations(model: EventsModel) {
  const toggle = (input: { Name?: string; EventBusName?: string }, ctx: RequestContext, on: boolean) => {
    const v = new Violations();
    v.name('name', input.Name);
    checkBus(v, ctx, input.EventBusName);
    const rule = requireRule(model, ctx, input.Name as string);
    rule.state = on ? 'ENABLED' : 'DISABLED';
    model.save(rule);
    return {};
  };

  return {
    PutRule(
      input: {
        Name?: string;
        EventBusName?: string;
        ScheduleExpression?: string;
        EventPattern?: string;
        State?: string;
        Description?: string;
        RoleArn?: string;
        Tags?: Tag[];
      },
      ctx: RequestContext,
    ) {
      const v = new Violations();
      v.name('name', input.Name);
      v.length('scheduleExpression', input.ScheduleExpression, 0, 256);
      v.length('eventPattern', input.EventPattern, 0, 4096);
      v.oneOf('state', input.State, STATES);
      v.length('description', input.Description, 0, 512);
      v.length('roleArn', input.RoleArn, 1, 1600);
      const tags = tagsOf(v, input.Tags);
      checkBus(v, ctx, input.EventBusName);
      if (input.ScheduleExpression === undefined && input.EventPattern === undefined) {
        throw invalid('Parameter(s) EventPattern or ScheduleExpression must be specified.');
      }
      if (input.ScheduleExpression !== undefined && !parseSchedule(input.ScheduleExpression)) throw badSchedule();
      if (input.EventPattern !== undefined) parsePattern(input.EventPattern);
      const rule = model.put(
        ctx.scope,
        input.Name as string,
        {
          ...(input.ScheduleExpression !== undefined ? { scheduleExpression: input.ScheduleExpression } : {}),
          ...(input.EventPattern !== undefined ? { eventPattern: input.EventPattern } : {}),
          ...(input.State !== undefined ? { state: input.State as RuleRecord['state'] } : {}),
          ...(input.Description !== undefined ? { description: input.Description } : {}),
          ...(input.RoleArn !== undefined ? { roleArn: input.RoleArn } : {}),
        },
        tags,
      );
      return { RuleArn: rule.arn };
    },

    DescribeRule(input: { Name?: string; EventBusName?: string }, ctx: RequestContext) {
      const v = new Violations();
      v.name('name', input.Name);
      checkBus(v, ctx, input.EventBusName);
      const rule = requireRule(model, ctx, input.Name as string);
      return { ...describe(rule), CreatedBy: rule.accountId };
    },

    ListRules(
      input: { NamePrefix?: string; EventBusName?: string; NextToken?: string; Limit?: number },
      ctx: RequestContext,
    ) {
      const v = new Violations();
      v.name('namePrefix', input.NamePrefix, false);
      v.range('limit', input.Limit, 1, 100);
      checkBus(v, ctx, input.EventBusName);
      const rules = model.list(ctx.scope).filter((r) => !input.NamePrefix || r.name.startsWith(input.NamePrefix));
      const { page, ...rest } = paginate(rules, input.NextToken, input.Limit);
      return { Rules: page.map(describe), ...rest };
    },

    DeleteRule(input: { Name?: string; EventBusName?: string; Force?: boolean }, ctx: RequestContext) {
      const v = new Violations();
      v.name('name', input.Name);
      checkBus(v, ctx, input.EventBusName);
      const rule = model.get(ctx.scope, input.Name as string);
      if (!rule) return {};
      if (rule.targets.length > 0) throw invalid("Rule can't be deleted since it has targets.");
      model.delete(rule);
      return {};
    },

    EnableRule: (input: { Name?: string; EventBusName?: string }, ctx: RequestContext) => toggle(input, ctx, true),
    DisableRule: (input: { Name?: string; EventBusName?: string }, ctx: RequestContext) => toggle(input, ctx, false),

    TagResource(input: { ResourceARN?: string; Tags?: Tag[] }, ctx: RequestContext) {
      const v = new Violations();
      v.required('tags', input.Tags);
      const tags = tagsOf(v, input.Tags) ?? {};
      const rule = ruleByArn(model, ctx, input.ResourceARN, v);
      rule.tags = { ...rule.tags, ...tags };
      model.save(rule);
      return {};
    },

    UntagResource(input: { ResourceARN?: string; TagKeys?: string[] }, ctx: RequestContext) {
      const v = new Violations();
      v.required('tagKeys', input.TagKeys);
      const rule = ruleByArn(model, ctx, input.ResourceARN, v);
      for (const k of input.TagKeys ?? []) delete rule.tags[k];
      model.save(rule);
      return {};
    },

    ListTagsForResource(input: { ResourceARN?: string }, ctx: RequestContext) {
      const rule = ruleByArn(model, ctx, input.ResourceARN, new Violations());
      return { Tags: Object.entries(rule.tags).map(([Key, Value]) => ({ Key, Value })) };
    },

    DescribeEventBus(input: { Name?: string }, ctx: RequestContext) {
      checkBus(new Violations(), ctx, input.Name);
      return { Name: DEFAULT_BUS, Arn: busArn(ctx.scope) };
    },

    ListEventBuses(input: { NamePrefix?: string }, ctx: RequestContext) {
      const show = !input.NamePrefix || DEFAULT_BUS.startsWith(input.NamePrefix);
      return { EventBuses: show ? [{ Name: DEFAULT_BUS, Arn: busArn(ctx.scope) }] : [] };
    },
  };
}
