import type { Operation, RequestContext } from '../../../core/service.js';
import { ResourceNotFoundException, TableNotFoundException, validation } from '../errors.js';
import type { DynamoModel } from '../model/registry.js';
import type { TableData } from '../model/table-data.js';
import { Constraints, checkTableName } from '../validation.js';
import { controlTable, dataTable, tableKey } from './common.js';

// biome-ignore lint/suspicious/noExplicitAny: inputs are checked field by field against AWS's rules.
type Input = Record<string, any>;

/** Tags, Time to Live, DescribeEndpoints and DescribeLimits. */
export function tableExtraOperations(model: DynamoModel): Record<string, Operation> {
  return {
    TagResource: (input: Input, ctx) => {
      const t = byArn(model, ctx, input.ResourceArn);
      const tags = checkTags(input.Tags);
      for (const tag of tags) {
        const existing = t.def.Tags.find((x) => x.Key === tag.Key);
        if (existing) existing.Value = tag.Value;
        else t.def.Tags.push({ Key: tag.Key, Value: tag.Value });
      }
      if (t.def.Tags.length > 50) throw validation('One or more parameter values were invalid: Too many tags');
      model.saveTable(t);
      return {};
    },
    UntagResource: (input: Input, ctx) => {
      const t = byArn(model, ctx, input.ResourceArn);
      if (!Array.isArray(input.TagKeys)) {
        throw validation(
          "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null",
        );
      }
      const keys = new Set(input.TagKeys as string[]);
      t.def.Tags = t.def.Tags.filter((x) => !keys.has(x.Key));
      model.saveTable(t);
      return {};
    },
    ListTagsOfResource: (input: Input, ctx) => ({ Tags: byArn(model, ctx, input.ResourceArn).def.Tags }),
    UpdateTimeToLive: (input: Input, ctx) => updateTtl(model, input, ctx),
    DescribeTimeToLive: (input: Input, ctx) => {
      const ttl = controlTable(model, ctx, input.TableName).def.ttl;
      return {
        TimeToLiveDescription: ttl?.enabled
          ? { TimeToLiveStatus: 'ENABLED', AttributeName: ttl.AttributeName }
          : { TimeToLiveStatus: 'DISABLED' },
      };
    },
    DescribeContinuousBackups: (input: Input, ctx) => ({
      ContinuousBackupsDescription: backups(backupTable(model, ctx, input), model.clock.now()),
    }),
    UpdateContinuousBackups: (input: Input, ctx) => {
      const spec = input.PointInTimeRecoverySpecification;
      if (typeof spec?.PointInTimeRecoveryEnabled !== 'boolean') {
        throw validation(
          "1 validation error detected: Value null at 'pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled' failed to satisfy constraint: Member must not be null",
        );
      }
      const t = backupTable(model, ctx, input);
      t.def.pitr = {
        enabled: spec.PointInTimeRecoveryEnabled,
        days: spec.RecoveryPeriodInDays ?? 35,
        since: model.clock.now(),
      };
      model.saveTable(t);
      return { ContinuousBackupsDescription: backups(t, model.clock.now()) };
    },
    DescribeEndpoints: (_input: Input, ctx) => ({ Endpoints: [{ Address: ctx.host, CachePeriodInMinutes: 1440 }] }),
    DescribeLimits: () => ({
      AccountMaxReadCapacityUnits: 80000,
      AccountMaxWriteCapacityUnits: 80000,
      TableMaxReadCapacityUnits: 40000,
      TableMaxWriteCapacityUnits: 40000,
    }),
  };
}

function backupTable(model: DynamoModel, ctx: RequestContext, input: Input): TableData {
  const c = new Constraints();
  checkTableName(c, input.TableName);
  c.throwIfAny();
  const t = model.table(tableKey(ctx, input.TableName));
  if (!t) throw new TableNotFoundException(`Table not found: ${input.TableName}`);
  return t;
}

/** Continuous backups are always on (as on AWS); point-in-time recovery is recorded, never restorable. */
function backups(t: TableData, now: number) {
  const p = t.def.pitr;
  return {
    ContinuousBackupsStatus: 'ENABLED',
    PointInTimeRecoveryDescription: p?.enabled
      ? {
          PointInTimeRecoveryStatus: 'ENABLED',
          RecoveryPeriodInDays: p.days,
          EarliestRestorableDateTime: p.since / 1000,
          LatestRestorableDateTime: now / 1000,
        }
      : { PointInTimeRecoveryStatus: 'DISABLED' },
  };
}

function byArn(model: DynamoModel, ctx: RequestContext, resourceArn: unknown): TableData {
  if (typeof resourceArn !== 'string') {
    throw validation(
      "1 validation error detected: Value null at 'resourceArn' failed to satisfy constraint: Member must not be null",
    );
  }
  const m = /^arn:aws[\w-]*:dynamodb:([^:]+):(\d{12}):table\/([^/]+)$/.exec(resourceArn);
  if (!m) throw validation(`Invalid TableArn: Invalid ResourceArn provided as input ${resourceArn}`);
  const t = model.table(`${m[2]}/${m[1]}/${m[3]}`);
  if (!t || m[1] !== ctx.scope.region || m[2] !== ctx.scope.accountId) {
    throw new ResourceNotFoundException(`Requested resource not found: ResourceArn: ${resourceArn} not found`);
  }
  return t;
}

function checkTags(tags: unknown): Array<{ Key: string; Value: string }> {
  const c = new Constraints();
  if (!Array.isArray(tags)) c.add(undefined, 'tags', 'Member must not be null');
  else {
    tags.forEach((t, i) => {
      if (typeof t?.Key !== 'string') c.add(undefined, `tags.${i + 1}.member.key`, 'Member must not be null');
      else if (t.Key.length < 1)
        c.add(t.Key, `tags.${i + 1}.member.key`, 'Member must have length greater than or equal to 1');
      if (typeof t?.Value !== 'string') c.add(undefined, `tags.${i + 1}.member.value`, 'Member must not be null');
    });
  }
  c.throwIfAny();
  return tags as Array<{ Key: string; Value: string }>;
}

function updateTtl(model: DynamoModel, input: Input, ctx: RequestContext) {
  const spec = input.TimeToLiveSpecification;
  const c = new Constraints();
  if (!spec) c.add(undefined, 'timeToLiveSpecification', 'Member must not be null');
  else {
    if (typeof spec.AttributeName !== 'string') {
      c.add(undefined, 'timeToLiveSpecification.attributeName', 'Member must not be null');
    }
    if (typeof spec.Enabled !== 'boolean')
      c.add(undefined, 'timeToLiveSpecification.enabled', 'Member must not be null');
  }
  c.throwIfAny();
  const t = dataTable(model, ctx, input.TableName);
  const current = t.def.ttl;
  if (spec.Enabled && current?.enabled) throw validation('TimeToLive is already enabled');
  if (!spec.Enabled && !current?.enabled) throw validation('TimeToLive is already disabled');
  if (!spec.Enabled && current && current.AttributeName !== spec.AttributeName) {
    throw validation(
      'TimeToLive is active on a different AttributeName: current AttributeName is ' + current.AttributeName,
    );
  }
  t.def.ttl = { AttributeName: spec.AttributeName, enabled: spec.Enabled };
  model.saveTable(t);
  return { TimeToLiveSpecification: { Enabled: spec.Enabled, AttributeName: spec.AttributeName } };
}
