import {
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
  DeleteRetentionPolicyCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import type { ProvisionContext, Provisioner } from '../types.js';
import { changed, ignoreMissing, num } from './util.js';

async function retention(name: string, props: Record<string, unknown>, ctx: ProvisionContext, had: boolean) {
  const days = num(props.RetentionInDays);
  if (days !== undefined)
    await ctx.clients.logs.send(new PutRetentionPolicyCommand({ logGroupName: name, retentionInDays: days }));
  else if (had) await ctx.clients.logs.send(new DeleteRetentionPolicyCommand({ logGroupName: name }));
}

const groupArn = (ctx: ProvisionContext, name: string) =>
  `arn:aws:logs:${ctx.region}:${ctx.accountId}:log-group:${name}:*`;

/** AWS::Logs::LogGroup: Ref is the group name. A group Lambda already created is adopted. */
export const logGroup: Provisioner = {
  async create(props, ctx) {
    const name = (props.LogGroupName as string | undefined) ?? ctx.physicalName(512);
    try {
      await ctx.clients.logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    } catch (err) {
      if ((err as { name?: string }).name !== 'ResourceAlreadyExistsException') throw err;
    }
    await retention(name, props, ctx, false);
    return { physicalId: name, attributes: { Arn: groupArn(ctx, name) } };
  },
  async update(old, props, ctx) {
    if (changed(old.properties, props).has('LogGroupName')) return 'replace';
    await retention(old.physicalId, props, ctx, old.properties.RetentionInDays !== undefined);
    return { physicalId: old.physicalId, attributes: old.attributes };
  },
  async delete(old, ctx) {
    await ignoreMissing(() => ctx.clients.logs.send(new DeleteLogGroupCommand({ logGroupName: old.physicalId })));
  },
};

/**
 * IAM has no local service yet: roles and policies are kept in the stack's state (their documents
 * are stored for enforcement later) and get the ARNs AWS would give them.
 */
export const role: Provisioner = {
  async create(props, ctx) {
    const name = (props.RoleName as string | undefined) ?? ctx.physicalName(64);
    const path = (props.Path as string | undefined) ?? '/';
    return {
      physicalId: name,
      attributes: {
        Arn: `arn:aws:iam::${ctx.accountId}:role${path}${name}`,
        RoleId: `AROA${name.slice(-16).toUpperCase()}`,
      },
    };
  },
  async update(old, props) {
    return changed(old.properties, props).has('RoleName')
      ? 'replace'
      : { physicalId: old.physicalId, attributes: old.attributes };
  },
  async delete() {},
};

export const policy: Provisioner = {
  async create(props, ctx) {
    const name = (props.PolicyName as string | undefined) ?? ctx.physicalName(128);
    return { physicalId: name, attributes: { Id: name } };
  },
  async update(old) {
    return { physicalId: old.physicalId, attributes: old.attributes };
  },
  async delete() {},
};

export const managedPolicy: Provisioner = {
  async create(props, ctx) {
    const name = (props.ManagedPolicyName as string | undefined) ?? ctx.physicalName(128);
    const arn = `arn:aws:iam::${ctx.accountId}:policy${(props.Path as string | undefined) ?? '/'}${name}`;
    return { physicalId: arn, attributes: { PolicyArn: arn } };
  },
  async update(old) {
    return { physicalId: old.physicalId, attributes: old.attributes };
  },
  async delete() {},
};
