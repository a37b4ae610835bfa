import { arn } from '../../../core/arn.js';
import type { IdGenerator } from '../../../core/ids.js';
import type { Operation, RequestContext } from '../../../core/service.js';
import { ResourceInUseException, ResourceNotFoundException, validation } from '../errors.js';
import type { KeySchemaElement } from '../expressions/types.js';
import type { DynamoModel } from '../model/registry.js';
import type { TableData } from '../model/table-data.js';
import { describeTable, type IndexDef, type TableDef, type Throughput } from '../model/tables.js';
import { Constraints, checkEnum, checkTableName } from '../validation.js';
import { controlTable, sizesOf, tableKey, tableNameOf } from './common.js';
import {
  buildIndex,
  checkAttributeDefinitions,
  checkBilling,
  checkDefinitionsMatch,
  checkIndexInput,
  checkKeyOrder,
  checkKeySchema,
  checkThroughput,
} from './table-input.js';

// biome-ignore lint/suspicious/noExplicitAny: inputs are checked field by field against AWS's rules.
type Input = Record<string, any>;

export function tableOperations(model: DynamoModel, ids: IdGenerator): Record<string, Operation> {
  const describe = (t: TableData, status?: string) => ({ TableDescription: describeTable(t.def, sizesOf(t), status) });
  return {
    CreateTable: (input: Input, ctx) => describe(createTable(model, ids, input, ctx), 'CREATING'),
    DescribeTable: (input: Input, ctx) => {
      const t = controlTable(model, ctx, input.TableName);
      return { Table: describeTable(t.def, sizesOf(t)) };
    },
    UpdateTable: (input: Input, ctx) => describe(updateTable(model, input, ctx), 'UPDATING'),
    DeleteTable: (input: Input, ctx) => {
      const t = controlTable(model, ctx, input.TableName);
      if (t.def.DeletionProtectionEnabled) {
        throw validation(
          'Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.',
        );
      }
      model.deleteTable(t);
      return describe(t, 'DELETING');
    },
    ListTables: (input: Input, ctx) => listTables(model, input, ctx),
  };
}

function createTable(model: DynamoModel, ids: IdGenerator, input: Input, ctx: RequestContext): TableData {
  const c = new Constraints();
  const name = tableNameOf(input.TableName);
  checkTableName(c, name);
  const defs = checkAttributeDefinitions(c, input.AttributeDefinitions);
  const schema = checkKeySchema(c, input.KeySchema, 'keySchema');
  checkEnum(c, input.BillingMode, 'billingMode', ['PROVISIONED', 'PAY_PER_REQUEST']);
  checkThroughput(c, input.ProvisionedThroughput, 'provisionedThroughput');
  const lsis: Input[] = input.LocalSecondaryIndexes ?? [];
  const gsis: Input[] = input.GlobalSecondaryIndexes ?? [];
  lsis.forEach((i, n) => {
    checkIndexInput(c, i, `localSecondaryIndexes.${n + 1}.member`);
  });
  gsis.forEach((i, n) => {
    checkIndexInput(c, i, `globalSecondaryIndexes.${n + 1}.member`);
  });
  c.throwIfAny();
  checkKeyOrder(schema);
  const billing = input.BillingMode ?? 'PROVISIONED';
  checkBilling(billing, input.ProvisionedThroughput);
  const indexes = [
    ...lsis.map((i) => buildIndex(i, false, schema, billing)),
    ...gsis.map((i) => buildIndex(i, true, schema, billing)),
  ];
  checkIndexSet(indexes);
  checkDefinitionsMatch(defs, [schema, ...indexes.map((i) => i.KeySchema)]);
  const key = tableKey(ctx, name as string);
  if (model.table(key)) throw new ResourceInUseException(`Table already exists: ${name}`);
  const now = model.clock.now();
  const def: TableDef = {
    key,
    TableName: name as string,
    TableId: ids.uuid(),
    TableArn: arn('dynamodb', ctx.scope, `table/${name}`),
    created: now,
    AttributeDefinitions: defs.map((d) => ({ AttributeName: d.AttributeName, AttributeType: d.AttributeType })),
    KeySchema: schema.map((k) => ({ AttributeName: k.AttributeName, KeyType: k.KeyType })),
    BillingMode: billing,
    indexes,
    Tags: input.Tags ?? [],
  };
  if (billing === 'PAY_PER_REQUEST') def.payPerRequestSince = now;
  else def.ProvisionedThroughput = throughputOf(input.ProvisionedThroughput);
  applyStream(def, input.StreamSpecification, now);
  if (input.DeletionProtectionEnabled !== undefined) def.DeletionProtectionEnabled = input.DeletionProtectionEnabled;
  if (input.TableClass) def.TableClass = input.TableClass;
  return model.createTable(def);
}

function checkIndexSet(indexes: IndexDef[]): void {
  const names = new Set<string>();
  for (const i of indexes) {
    if (names.has(i.IndexName)) {
      throw validation(`One or more parameter values were invalid: Duplicate index name: ${i.IndexName}`);
    }
    names.add(i.IndexName);
  }
  if (indexes.filter((i) => !i.global).length > 5) {
    throw validation(
      'One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds per-table limit of 5',
    );
  }
  if (indexes.filter((i) => i.global).length > 20) {
    throw validation(
      'One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of 20',
    );
  }
}

function throughputOf(t: Throughput): Throughput {
  return { ReadCapacityUnits: t.ReadCapacityUnits, WriteCapacityUnits: t.WriteCapacityUnits };
}

function applyStream(def: TableDef, spec: Input | undefined, now: number): void {
  if (!spec) return;
  if (spec.StreamEnabled && !spec.StreamViewType) {
    throw validation(
      'One or more parameter values were invalid: StreamViewType is required when StreamEnabled is true',
    );
  }
  if (spec.StreamEnabled) {
    def.StreamSpecification = { StreamEnabled: true, StreamViewType: spec.StreamViewType };
    def.streamLabel = new Date(now).toISOString().replace('Z', '');
  } else {
    delete def.StreamSpecification;
  }
}

function updateTable(model: DynamoModel, input: Input, ctx: RequestContext): TableData {
  const c = new Constraints();
  checkEnum(c, input.BillingMode, 'billingMode', ['PROVISIONED', 'PAY_PER_REQUEST']);
  checkThroughput(c, input.ProvisionedThroughput, 'provisionedThroughput');
  c.throwIfAny();
  const t = controlTable(model, ctx, input.TableName);
  const def = t.def;
  const changes = [
    'ProvisionedThroughput',
    'BillingMode',
    'GlobalSecondaryIndexUpdates',
    'StreamSpecification',
    'SSESpecification',
    'ReplicaUpdates',
    'DeletionProtectionEnabled',
    'TableClass',
    'OnDemandThroughput',
    'WarmThroughput',
  ];
  if (!changes.some((k) => input[k] !== undefined)) {
    throw validation(
      'At least one of ProvisionedThroughput, BillingMode, UpdateStreamEnabled, GlobalSecondaryIndexUpdates or SSESpecification or ReplicaUpdates is required',
    );
  }
  const now = model.clock.now();
  const billing = input.BillingMode ?? def.BillingMode;
  if (input.BillingMode || input.ProvisionedThroughput) {
    checkBilling(
      billing,
      input.ProvisionedThroughput ?? (billing === 'PROVISIONED' ? def.ProvisionedThroughput : undefined),
    );
    if (billing === 'PAY_PER_REQUEST') {
      if (def.BillingMode !== 'PAY_PER_REQUEST') def.payPerRequestSince = now;
      delete def.ProvisionedThroughput;
    } else {
      def.ProvisionedThroughput = throughputOf(input.ProvisionedThroughput ?? def.ProvisionedThroughput);
    }
    def.BillingMode = billing;
  }
  for (const u of (input.GlobalSecondaryIndexUpdates ?? []) as Input[]) applyIndexUpdate(t, u, input, billing);
  if (input.StreamSpecification) applyStream(def, input.StreamSpecification, now);
  if (input.DeletionProtectionEnabled !== undefined) def.DeletionProtectionEnabled = input.DeletionProtectionEnabled;
  if (input.TableClass) def.TableClass = input.TableClass;
  model.saveTable(t);
  return t;
}

function applyIndexUpdate(t: TableData, u: Input, input: Input, billing: string): void {
  const def = t.def;
  const existing = (name: string) => def.indexes.find((i) => i.global && i.IndexName === name);
  if (u.Create) {
    const c = new Constraints();
    checkIndexInput(c, u.Create, 'globalSecondaryIndexUpdates.1.member.create');
    c.throwIfAny();
    if (def.indexes.some((i) => i.IndexName === u.Create.IndexName)) {
      throw validation(
        `One or more parameter values were invalid: Index with name: ${u.Create.IndexName} already exists`,
      );
    }
    const index = buildIndex(u.Create, true, def.KeySchema, billing);
    const merged = [...def.AttributeDefinitions];
    for (const d of input.AttributeDefinitions ?? []) {
      if (!merged.some((m) => m.AttributeName === d.AttributeName)) merged.push(d);
    }
    checkDefinitionsMatch(merged, [def.KeySchema, ...def.indexes.map((i) => i.KeySchema), index.KeySchema]);
    def.AttributeDefinitions = merged;
    def.indexes.push(index);
    t.addIndex(index);
  } else if (u.Delete) {
    const index = existing(u.Delete.IndexName);
    if (!index) {
      throw new ResourceNotFoundException(
        `Requested resource not found: Table: ${def.TableName} Index: ${u.Delete.IndexName} not found`,
      );
    }
    def.indexes = def.indexes.filter((i) => i !== index);
    t.removeIndex(index.IndexName);
    const used = new Set(
      [def.KeySchema, ...def.indexes.map((i) => i.KeySchema)].flat().map((k: KeySchemaElement) => k.AttributeName),
    );
    def.AttributeDefinitions = def.AttributeDefinitions.filter((d) => used.has(d.AttributeName));
  } else if (u.Update) {
    const index = existing(u.Update.IndexName);
    if (!index) {
      throw new ResourceNotFoundException(
        `Requested resource not found: Table: ${def.TableName} Index: ${u.Update.IndexName} not found`,
      );
    }
    if (u.Update.ProvisionedThroughput) index.ProvisionedThroughput = throughputOf(u.Update.ProvisionedThroughput);
  }
}

function listTables(model: DynamoModel, input: Input, ctx: RequestContext) {
  const c = new Constraints();
  const limit = input.Limit ?? 100;
  if (limit < 1) c.add(limit, 'limit', 'Member must have value greater than or equal to 1');
  if (limit > 100) c.add(limit, 'limit', 'Member must have value less than or equal to 100');
  if (input.ExclusiveStartTableName !== undefined)
    checkTableName(c, input.ExclusiveStartTableName, 'exclusiveStartTableName');
  c.throwIfAny();
  const prefix = tableKey(ctx, '');
  const names = [...model.tables.keys()]
    .filter((k) => k.startsWith(prefix))
    .map((k) => k.slice(prefix.length))
    .sort();
  const start = input.ExclusiveStartTableName;
  const after = start === undefined ? names : names.filter((n) => n > start);
  const page = after.slice(0, limit);
  const out: Record<string, unknown> = { TableNames: page };
  if (after.length > limit) out.LastEvaluatedTableName = page[page.length - 1];
  return out;
}
