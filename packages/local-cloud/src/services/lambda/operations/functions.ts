import type { RestContext } from '../../../core/service.js';
import { jsonReply } from '../../../protocols/rest-json.js';
import {
  InvalidParameterValueException,
  ResourceConflictException,
  ResourceNotFoundException,
  validation,
} from '../errors.js';
import type { CodeStore } from '../model/code.js';
import { configuration, type FunctionRecord, functionArn, lambdaTime, RUNTIMES } from '../model/function.js';
import type { FunctionRegistry } from '../model/registry.js';
import { type LambdaOp, num, parseFunctionName, type RestInput, str } from './common.js';

/** Function lifecycle: create, read, list, update, delete, concurrency and tags. */
export interface FunctionDeps {
  registry: FunctionRegistry;
  code: CodeStore;
  now(): number;
  uuid(): string;
  /** Stops environments running old code or configuration. */
  retire(fn: FunctionRecord): void;
}

/** Local extension: Code.S3Bucket `hot-reload` (or `__local__`) with S3Key an absolute directory. */
const LOCAL_BUCKETS = new Set(['hot-reload', '__local__']);

function readCode(deps: FunctionDeps, code: Record<string, unknown> | undefined): FunctionRecord['code'] {
  if (!code) throw validation('code', undefined, 'Member must not be null');
  const zip = str(code.ZipFile);
  if (zip !== undefined) return deps.code.saveZip(Buffer.from(zip, 'base64'));
  const bucket = str(code.S3Bucket);
  const key = str(code.S3Key);
  if (bucket && key && LOCAL_BUCKETS.has(bucket)) return deps.code.directory(key);
  if (bucket)
    throw new InvalidParameterValueException(
      'Error occurred while GetObject. S3 Error Code: NoSuchBucket. S3 Error Message: The specified bucket does not exist',
    );
  throw new InvalidParameterValueException('Please provide a source for function code.');
}

function applyConfig(f: FunctionRecord, body: Record<string, unknown>): void {
  if (body.Runtime !== undefined) {
    const runtime = str(body.Runtime);
    if (!runtime || !RUNTIMES.includes(runtime)) {
      throw new InvalidParameterValueException(
        `Value ${String(body.Runtime)} at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: [${RUNTIMES.join(', ')}] or be a valid ARN`,
      );
    }
    f.runtime = runtime;
  }
  if (body.Handler !== undefined) f.handler = String(body.Handler);
  if (body.Role !== undefined) f.role = String(body.Role);
  if (body.Description !== undefined) f.description = String(body.Description);
  const timeout = num(body.Timeout);
  if (timeout !== undefined) {
    if (timeout < 1 || timeout > 900)
      throw validation('timeout', timeout, 'Member must have value less than or equal to 900');
    f.timeout = timeout;
  }
  const memory = num(body.MemorySize);
  if (memory !== undefined) {
    if (memory < 128 || memory > 10_240) {
      throw validation(
        'memorySize',
        memory,
        memory < 128
          ? 'Member must have value greater than or equal to 128'
          : 'Member must have value less than or equal to 10240',
      );
    }
    f.memorySize = memory;
  }
  const env = body.Environment as { Variables?: Record<string, string> } | undefined;
  if (env) f.environment = { ...(env.Variables ?? {}) };
  const dlq = body.DeadLetterConfig as { TargetArn?: string } | undefined;
  if (dlq) {
    if (dlq.TargetArn) f.deadLetterArn = dlq.TargetArn;
    else delete f.deadLetterArn;
  }
  const tracing = (body.TracingConfig as { Mode?: string } | undefined)?.Mode;
  if (tracing === 'Active' || tracing === 'PassThrough') f.tracingMode = tracing;
  const logGroup = (body.LoggingConfig as { LogGroup?: string } | undefined)?.LogGroup;
  if (logGroup) f.logGroup = logGroup;
  const storage = (body.EphemeralStorage as { Size?: number } | undefined)?.Size;
  if (storage !== undefined) f.ephemeralStorage = storage;
}

function getFunctionOutput(f: FunctionRecord, ctx: RestContext) {
  return {
    Configuration: configuration(f),
    Code: {
      RepositoryType: 'S3',
      Location: `http://${ctx.host}/2015-03-31/functions/${f.name}/code`,
    },
    ...(Object.keys(f.tags).length ? { Tags: f.tags } : {}),
    ...(f.reservedConcurrency !== undefined
      ? { Concurrency: { ReservedConcurrentExecutions: f.reservedConcurrency } }
      : {}),
  };
}

export function functionOperations(deps: FunctionDeps): Record<string, LambdaOp> {
  const target = (input: RestInput, ctx: RestContext) => {
    const { scope, name } = parseFunctionName(input.params.FunctionName ?? '', ctx);
    return deps.registry.get(scope, name);
  };
  const touch = (f: FunctionRecord) => {
    f.lastModified = lambdaTime(deps.now());
    f.revisionId = deps.uuid();
    deps.registry.save(f);
    deps.retire(f);
  };
  return {
    CreateFunction(input, ctx) {
      const body = input.json();
      const name = str(body.FunctionName);
      if (!name) throw validation('functionName', undefined, 'Member must not be null');
      const parsed = parseFunctionName(name, ctx);
      if (!body.Role) throw validation('role', undefined, 'Member must not be null');
      if (deps.registry.find(parsed.scope, parsed.name)) {
        throw new ResourceConflictException(`Function already exist: ${parsed.name}`);
      }
      const f: FunctionRecord = {
        name: parsed.name,
        ...parsed.scope,
        runtime: 'nodejs20.x',
        handler: 'index.handler',
        role: String(body.Role),
        description: '',
        timeout: 3,
        memorySize: 128,
        environment: {},
        code: { kind: 'dir', path: '/' },
        lastModified: lambdaTime(deps.now()),
        revisionId: deps.uuid(),
        tags: { ...((body.Tags as Record<string, string>) ?? {}) },
        tracingMode: 'PassThrough',
        architectures: (body.Architectures as string[]) ?? ['x86_64'],
        ephemeralStorage: 512,
        policy: [],
      };
      if (body.Runtime === undefined)
        throw new InvalidParameterValueException('The runtime parameter of  is not supported.');
      applyConfig(f, body);
      f.code = readCode(deps, body.Code as Record<string, unknown> | undefined);
      deps.registry.save(f);
      return jsonReply(201, configuration(f), ctx.requestId);
    },

    GetFunction(input, ctx) {
      return jsonReply(200, getFunctionOutput(target(input, ctx), ctx), ctx.requestId);
    },

    GetFunctionConfiguration(input, ctx) {
      return jsonReply(200, configuration(target(input, ctx)), ctx.requestId);
    },

    ListFunctions(input, ctx) {
      const all = deps.registry.list(ctx.scope);
      const max = Number(input.query.get('MaxItems') ?? 50);
      const start = input.query.get('Marker') ? all.findIndex((f) => f.name > String(input.query.get('Marker'))) : 0;
      const page = all.slice(start < 0 ? all.length : start, (start < 0 ? all.length : start) + max);
      const more = (start < 0 ? all.length : start) + max < all.length;
      return jsonReply(
        200,
        { Functions: page.map(configuration), ...(more ? { NextMarker: page.at(-1)?.name } : {}) },
        ctx.requestId,
      );
    },

    UpdateFunctionCode(input, ctx) {
      const f = target(input, ctx);
      const body = input.json();
      f.code = readCode(deps, body as Record<string, unknown>);
      touch(f);
      return jsonReply(200, configuration(f), ctx.requestId);
    },

    UpdateFunctionConfiguration(input, ctx) {
      const f = target(input, ctx);
      applyConfig(f, input.json());
      touch(f);
      return jsonReply(200, configuration(f), ctx.requestId);
    },

    DeleteFunction(input, ctx) {
      const f = target(input, ctx);
      deps.registry.delete(f);
      deps.retire(f);
      return jsonReply(204, undefined, ctx.requestId);
    },

    PutFunctionConcurrency(input, ctx) {
      const f = target(input, ctx);
      const n = num(input.json().ReservedConcurrentExecutions);
      if (n === undefined || n < 0)
        throw validation('reservedConcurrentExecutions', n, 'Member must have value greater than or equal to 0');
      if (n > 1000) {
        throw new InvalidParameterValueException(
          `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100].`,
        );
      }
      f.reservedConcurrency = n;
      deps.registry.save(f);
      return jsonReply(200, { ReservedConcurrentExecutions: n }, ctx.requestId);
    },

    GetFunctionConcurrency(input, ctx) {
      const f = target(input, ctx);
      return jsonReply(
        200,
        f.reservedConcurrency !== undefined ? { ReservedConcurrentExecutions: f.reservedConcurrency } : {},
        ctx.requestId,
      );
    },

    DeleteFunctionConcurrency(input, ctx) {
      const f = target(input, ctx);
      delete f.reservedConcurrency;
      deps.registry.save(f);
      return jsonReply(204, undefined, ctx.requestId);
    },

    TagResource(input, ctx) {
      const f = taggable(deps, input, ctx);
      Object.assign(f.tags, (input.json().Tags as Record<string, string>) ?? {});
      deps.registry.save(f);
      return jsonReply(204, undefined, ctx.requestId);
    },

    UntagResource(input, ctx) {
      const f = taggable(deps, input, ctx);
      for (const k of input.query.getAll('tagKeys')) delete f.tags[k];
      deps.registry.save(f);
      return jsonReply(204, undefined, ctx.requestId);
    },

    ListTags(input, ctx) {
      return jsonReply(200, { Tags: taggable(deps, input, ctx).tags }, ctx.requestId);
    },

    GetCode(input, ctx) {
      const zip = deps.code.zipFor(target(input, ctx).code);
      if (!zip)
        throw new ResourceNotFoundException('The function code is a local directory; there is no package to download.');
      return { status: 200, headers: { 'content-type': 'application/zip' }, body: zip };
    },
  };
}

function taggable(deps: FunctionDeps, input: RestInput, ctx: RestContext): FunctionRecord {
  const arn = input.params.Resource ?? '';
  const f = deps.registry.byArn(arn);
  if (!f)
    throw new ResourceNotFoundException(
      `Function not found: ${arn.startsWith('arn:') ? arn : functionArn({ ...ctx.scope, name: arn })}`,
    );
  return f;
}
