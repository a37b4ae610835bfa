import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DeleteTableCommand,
  DescribeTableCommand,
  UpdateTableCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import type { ProvisionContext, Provisioner } from '../types.js';
import { changed, ignoreMissing } from './util.js';

type Gsi = NonNullable<CreateTableCommandInput['GlobalSecondaryIndexes']>[number];

function tableInput(name: string, props: Record<string, unknown>): CreateTableCommandInput {
  const p = props as Partial<CreateTableCommandInput> & Record<string, unknown>;
  const input: CreateTableCommandInput = {
    TableName: name,
    KeySchema: p.KeySchema,
    AttributeDefinitions: p.AttributeDefinitions,
    BillingMode: p.BillingMode ?? 'PROVISIONED',
  };
  if (p.ProvisionedThroughput) input.ProvisionedThroughput = p.ProvisionedThroughput;
  if (p.GlobalSecondaryIndexes) input.GlobalSecondaryIndexes = p.GlobalSecondaryIndexes;
  if (p.LocalSecondaryIndexes) input.LocalSecondaryIndexes = p.LocalSecondaryIndexes;
  if (p.StreamSpecification) input.StreamSpecification = { StreamEnabled: true, ...(p.StreamSpecification as object) };
  if (Array.isArray(p.Tags) && p.Tags.length) input.Tags = p.Tags;
  if (p.DeletionProtectionEnabled !== undefined) input.DeletionProtectionEnabled = p.DeletionProtectionEnabled === true;
  return input;
}

async function ttl(name: string, props: Record<string, unknown>, ctx: ProvisionContext): Promise<void> {
  const spec = props.TimeToLiveSpecification as { AttributeName?: string; Enabled?: boolean } | undefined;
  if (!spec?.AttributeName) return;
  await ctx.clients.dynamodb.send(
    new UpdateTimeToLiveCommand({
      TableName: name,
      TimeToLiveSpecification: { AttributeName: spec.AttributeName, Enabled: spec.Enabled === true },
    }),
  );
}

async function attributes(name: string, ctx: ProvisionContext) {
  const t = (await ctx.clients.dynamodb.send(new DescribeTableCommand({ TableName: name }))).Table;
  return { physicalId: name, attributes: { Arn: t?.TableArn, StreamArn: t?.LatestStreamArn } };
}

/** AWS::DynamoDB::Table: Ref is the table name. Items survive updates; key changes replace the table. */
export const table: Provisioner = {
  async create(props, ctx) {
    const name = (props.TableName as string | undefined) ?? ctx.physicalName(255);
    await ctx.clients.dynamodb.send(new CreateTableCommand(tableInput(name, props)));
    await ttl(name, props, ctx);
    return attributes(name, ctx);
  },
  async update(old, props, ctx) {
    const diff = changed(old.properties, props);
    if (diff.has('TableName') || diff.has('KeySchema') || diff.has('LocalSecondaryIndexes')) return 'replace';
    const name = old.physicalId;
    const before = new Map(((old.properties.GlobalSecondaryIndexes as Gsi[]) ?? []).map((g) => [g.IndexName, g]));
    const after = new Map(((props.GlobalSecondaryIndexes as Gsi[]) ?? []).map((g) => [g.IndexName, g]));
    const input = tableInput(name, props);
    for (const [n, g] of before) {
      if (!after.has(n) || JSON.stringify(after.get(n)) !== JSON.stringify(g)) {
        await ctx.clients.dynamodb.send(
          new UpdateTableCommand({ TableName: name, GlobalSecondaryIndexUpdates: [{ Delete: { IndexName: n } }] }),
        );
      }
    }
    for (const [n, g] of after) {
      if (before.has(n) && JSON.stringify(before.get(n)) === JSON.stringify(g)) continue;
      await ctx.clients.dynamodb.send(
        new UpdateTableCommand({
          TableName: name,
          AttributeDefinitions: input.AttributeDefinitions,
          GlobalSecondaryIndexUpdates: [{ Create: g as never }],
        }),
      );
    }
    if (diff.has('BillingMode') || diff.has('ProvisionedThroughput')) {
      await ctx.clients.dynamodb.send(
        new UpdateTableCommand({
          TableName: name,
          BillingMode: input.BillingMode,
          ...(input.ProvisionedThroughput && input.BillingMode === 'PROVISIONED'
            ? { ProvisionedThroughput: input.ProvisionedThroughput }
            : {}),
        }),
      );
    }
    if (diff.has('TimeToLiveSpecification')) await ttl(name, props, ctx);
    return attributes(name, ctx);
  },
  async delete(old, ctx) {
    await ignoreMissing(() => ctx.clients.dynamodb.send(new DeleteTableCommand({ TableName: old.physicalId })));
  },
};
