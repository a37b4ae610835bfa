import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  AddPermissionCommand,
  CreateEventSourceMappingCommand,
  CreateFunctionCommand,
  DeleteEventSourceMappingCommand,
  DeleteFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  type FunctionCode,
  PutFunctionConcurrencyCommand,
  RemovePermissionCommand,
  UpdateEventSourceMappingCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { writeZip } from '../../core/zip.js';
import type { ProvisionContext, Provisioner } from '../types.js';
import { changed, defined, ignoreMissing, num } from './util.js';

function zipDirectory(dir: string): Buffer {
  const files: Record<string, Buffer> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files[relative(dir, p).split('\\').join('/')] = readFileSync(p);
    }
  };
  walk(dir);
  return writeZip(files);
}

/** Code from the assembly's assets (by S3 key), or inline ZipFile source. */
function code(props: Record<string, unknown>, ctx: ProvisionContext): FunctionCode {
  const c = (props.Code ?? {}) as { S3Bucket?: string; S3Key?: string; ZipFile?: string };
  if (c.ZipFile !== undefined) {
    const python = String(props.Runtime ?? '').startsWith('python');
    return { ZipFile: writeZip({ [python ? 'index.py' : 'index.js']: c.ZipFile }) };
  }
  const asset = c.S3Key ? ctx.assets.get(c.S3Key) : undefined;
  if (asset) {
    const stat = statSync(asset.path);
    return { ZipFile: stat.isDirectory() ? zipDirectory(asset.path) : readFileSync(asset.path) };
  }
  return { S3Bucket: c.S3Bucket, S3Key: c.S3Key };
}

function configuration(props: Record<string, unknown>) {
  const env = props.Environment as { Variables?: Record<string, string> } | undefined;
  return defined({
    Runtime: props.Runtime as never,
    Handler: props.Handler as string | undefined,
    Role: props.Role as string,
    Description: props.Description as string | undefined,
    Timeout: num(props.Timeout),
    MemorySize: num(props.MemorySize),
    Environment: env?.Variables ? { Variables: env.Variables } : undefined,
    TracingConfig: props.TracingConfig as never,
    DeadLetterConfig: props.DeadLetterConfig as never,
    LoggingConfig: props.LoggingConfig as never,
    EphemeralStorage: props.EphemeralStorage as never,
  });
}

async function concurrency(name: string, props: Record<string, unknown>, ctx: ProvisionContext, had: boolean) {
  const reserved = num(props.ReservedConcurrentExecutions);
  if (reserved !== undefined) {
    await ctx.clients.lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: reserved }),
    );
  } else if (had) {
    await ctx.clients.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName: name }));
  }
}

const fnAttributes = (arn: string) => ({ Arn: arn });

/** AWS::Lambda::Function: Ref is the function name; code comes from the assembly's asset directory. */
export const lambdaFunction: Provisioner = {
  async create(props, ctx) {
    const name = (props.FunctionName as string | undefined) ?? ctx.physicalName(64);
    const out = await ctx.clients.lambda.send(
      new CreateFunctionCommand({
        FunctionName: name,
        Code: code(props, ctx),
        ...configuration(props),
        ...(Array.isArray(props.Architectures) ? { Architectures: props.Architectures as never } : {}),
      }),
    );
    await concurrency(name, props, ctx, false);
    return { physicalId: name, attributes: fnAttributes(out.FunctionArn as string) };
  },
  async update(old, props, ctx) {
    const diff = changed(old.properties, props);
    if (diff.has('FunctionName')) return 'replace';
    const name = old.physicalId;
    if (diff.has('Code'))
      await ctx.clients.lambda.send(
        new UpdateFunctionCodeCommand({ FunctionName: name, ...code(props, ctx) } as never),
      );
    const config = configuration(props);
    if (old.properties.Environment && !props.Environment) config.Environment = { Variables: {} };
    await ctx.clients.lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName: name, ...config }));
    if (diff.has('ReservedConcurrentExecutions')) await concurrency(name, props, ctx, true);
    return { physicalId: name, attributes: old.attributes };
  },
  async delete(old, ctx) {
    await ignoreMissing(() => ctx.clients.lambda.send(new DeleteFunctionCommand({ FunctionName: old.physicalId })));
  },
};

function mappingInput(props: Record<string, unknown>) {
  return defined({
    BatchSize: num(props.BatchSize),
    MaximumBatchingWindowInSeconds: num(props.MaximumBatchingWindowInSeconds),
    FunctionResponseTypes: props.FunctionResponseTypes as never,
    Enabled: props.Enabled === undefined ? undefined : props.Enabled === true || props.Enabled === 'true',
    FilterCriteria: props.FilterCriteria as never,
    ScalingConfig: props.ScalingConfig as never,
  });
}

/** AWS::Lambda::EventSourceMapping: Ref is the mapping's UUID. */
export const eventSourceMapping: Provisioner = {
  async create(props, ctx) {
    const out = await ctx.clients.lambda.send(
      new CreateEventSourceMappingCommand({
        EventSourceArn: props.EventSourceArn as string,
        FunctionName: props.FunctionName as string,
        ...mappingInput(props),
      }),
    );
    return {
      physicalId: out.UUID as string,
      attributes: { Id: out.UUID, EventSourceMappingArn: out.EventSourceMappingArn },
    };
  },
  async update(old, props, ctx) {
    if (changed(old.properties, props).has('EventSourceArn')) return 'replace';
    await ctx.clients.lambda.send(
      new UpdateEventSourceMappingCommand({
        UUID: old.physicalId,
        FunctionName: props.FunctionName as string,
        ...mappingInput(props),
      }),
    );
    return { physicalId: old.physicalId, attributes: old.attributes };
  },
  async delete(old, ctx) {
    await ignoreMissing(() => ctx.clients.lambda.send(new DeleteEventSourceMappingCommand({ UUID: old.physicalId })));
  },
};

/** AWS::Lambda::Permission: a statement in the function's resource policy. */
export const permission: Provisioner = {
  async create(props, ctx) {
    const sid = ctx.physicalName(100);
    await ctx.clients.lambda.send(
      new AddPermissionCommand(
        defined({
          FunctionName: props.FunctionName as string,
          StatementId: sid,
          Action: props.Action as string,
          Principal: props.Principal as string,
          SourceArn: props.SourceArn as string | undefined,
          SourceAccount: props.SourceAccount as string | undefined,
          EventSourceToken: props.EventSourceToken as string | undefined,
          FunctionUrlAuthType: props.FunctionUrlAuthType as never,
        }),
      ),
    );
    return { physicalId: sid };
  },
  async delete(old, ctx) {
    await ignoreMissing(() =>
      ctx.clients.lambda.send(
        new RemovePermissionCommand({
          FunctionName: old.properties.FunctionName as string,
          StatementId: old.physicalId,
        }),
      ),
    );
  },
};
