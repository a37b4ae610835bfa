import {
  DeleteAlarmsCommand,
  PutMetricAlarmCommand,
  type PutMetricAlarmCommandInput,
} from '@aws-sdk/client-cloudwatch';
import {
  DeleteRuleCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  type Target,
} from '@aws-sdk/client-eventbridge';
import type { ProvisionContext, Provisioner } from '../types.js';
import { changed, ignoreMissing } from './util.js';

async function putAlarm(name: string, props: Record<string, unknown>, ctx: ProvisionContext) {
  const input = { ...props, AlarmName: name } as unknown as PutMetricAlarmCommandInput;
  await ctx.clients.cloudwatch.send(new PutMetricAlarmCommand(input));
  return { physicalId: name, attributes: { Arn: `arn:aws:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:${name}` } };
}

/** AWS::CloudWatch::Alarm (metric alarms): Ref is the alarm name. */
export const alarm: Provisioner = {
  create: (props, ctx) => putAlarm((props.AlarmName as string | undefined) ?? ctx.physicalName(255), props, ctx),
  async update(old, props, ctx) {
    if (changed(old.properties, props).has('AlarmName')) return 'replace';
    return putAlarm(old.physicalId, props, ctx);
  },
  async delete(old, ctx) {
    await ignoreMissing(() => ctx.clients.cloudwatch.send(new DeleteAlarmsCommand({ AlarmNames: [old.physicalId] })));
  },
};

async function putRule(name: string, props: Record<string, unknown>, ctx: ProvisionContext) {
  const out = await ctx.clients.events.send(
    new PutRuleCommand({
      Name: name,
      ...(props.ScheduleExpression ? { ScheduleExpression: props.ScheduleExpression as string } : {}),
      ...(props.EventPattern ? { EventPattern: JSON.stringify(props.EventPattern) } : {}),
      ...(props.Description ? { Description: props.Description as string } : {}),
      State: (props.State as 'ENABLED' | undefined) ?? 'ENABLED',
    }),
  );
  const old = await ctx.clients.events.send(new ListTargetsByRuleCommand({ Rule: name }));
  const ids = (old.Targets ?? []).map((t) => t.Id as string);
  if (ids.length) await ctx.clients.events.send(new RemoveTargetsCommand({ Rule: name, Ids: ids }));
  const targets = (props.Targets as Target[] | undefined) ?? [];
  if (targets.length) await ctx.clients.events.send(new PutTargetsCommand({ Rule: name, Targets: targets }));
  return { physicalId: name, attributes: { Arn: out.RuleArn } };
}

/** AWS::Events::Rule on the default bus: Ref is the rule name. */
export const rule: Provisioner = {
  create: (props, ctx) => putRule((props.Name as string | undefined) ?? ctx.physicalName(64), props, ctx),
  async update(old, props, ctx) {
    if (changed(old.properties, props).has('Name')) return 'replace';
    return putRule(old.physicalId, props, ctx);
  },
  async delete(old, ctx) {
    const targets = ((old.properties.Targets as Target[] | undefined) ?? []).map((t) => t.Id as string);
    if (targets.length) {
      await ignoreMissing(() =>
        ctx.clients.events.send(new RemoveTargetsCommand({ Rule: old.physicalId, Ids: targets })),
      );
    }
    await ignoreMissing(() => ctx.clients.events.send(new DeleteRuleCommand({ Name: old.physicalId })));
  },
};
