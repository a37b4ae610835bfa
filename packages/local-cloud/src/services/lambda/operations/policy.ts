import type { RestContext } from '../../../core/service.js';
import { jsonReply } from '../../../protocols/rest-json.js';
import { ResourceConflictException, ResourceNotFoundException, validation } from '../errors.js';
import { type FunctionRecord, functionArn, type PolicyStatement } from '../model/function.js';
import type { FunctionRegistry } from '../model/registry.js';
import { type LambdaOp, num, parseFunctionName, type RestInput, str } from './common.js';

/** Resource policy (AddPermission...) and asynchronous invocation configuration. */
function principalOf(p: string): unknown {
  if (p === '*') return '*';
  if (p.endsWith('.amazonaws.com')) return { Service: p };
  if (/^\d{12}$/.test(p)) return { AWS: `arn:aws:iam::${p}:root` };
  return { AWS: p };
}

function policyDocument(f: FunctionRecord) {
  return { Version: '2012-10-17', Id: 'default', Statement: f.policy };
}

function eventConfigOutput(f: FunctionRecord) {
  const c = f.eventInvokeConfig;
  return {
    LastModified: (c?.LastModified ?? 0) / 1000,
    FunctionArn: `${functionArn(f)}:$LATEST`,
    ...(c?.MaximumRetryAttempts !== undefined ? { MaximumRetryAttempts: c.MaximumRetryAttempts } : {}),
    ...(c?.MaximumEventAgeInSeconds !== undefined ? { MaximumEventAgeInSeconds: c.MaximumEventAgeInSeconds } : {}),
    DestinationConfig: {
      OnSuccess: c?.DestinationConfig?.OnSuccess ?? {},
      OnFailure: c?.DestinationConfig?.OnFailure ?? {},
    },
  };
}

export function policyOperations(deps: {
  registry: FunctionRegistry;
  now(): number;
  uuid(): string;
}): Record<string, LambdaOp> {
  const target = (input: RestInput, ctx: RestContext) => {
    const { scope, name } = parseFunctionName(input.params.FunctionName ?? '', ctx);
    return deps.registry.get(scope, name);
  };
  const putConfig = (input: RestInput, ctx: RestContext, merge: boolean) => {
    const f = target(input, ctx);
    const body = input.json();
    const retries = num(body.MaximumRetryAttempts);
    if (retries !== undefined && (retries < 0 || retries > 2)) {
      throw validation('maximumRetryAttempts', retries, 'Member must have value less than or equal to 2');
    }
    const age = num(body.MaximumEventAgeInSeconds);
    if (age !== undefined && (age < 60 || age > 21_600)) {
      throw validation(
        'maximumEventAgeInSeconds',
        age,
        age < 60
          ? 'Member must have value greater than or equal to 60'
          : 'Member must have value less than or equal to 21600',
      );
    }
    const base = merge ? (f.eventInvokeConfig ?? { LastModified: 0 }) : { LastModified: 0 };
    f.eventInvokeConfig = {
      ...base,
      ...(retries !== undefined ? { MaximumRetryAttempts: retries } : {}),
      ...(age !== undefined ? { MaximumEventAgeInSeconds: age } : {}),
      ...(body.DestinationConfig ? { DestinationConfig: body.DestinationConfig as never } : {}),
      LastModified: deps.now(),
    };
    deps.registry.save(f);
    return jsonReply(200, eventConfigOutput(f), ctx.requestId);
  };
  return {
    AddPermission(input, ctx) {
      const f = target(input, ctx);
      const body = input.json();
      const sid = str(body.StatementId);
      if (!sid) throw validation('statementId', undefined, 'Member must not be null');
      if (f.policy.some((s) => s.Sid === sid)) {
        throw new ResourceConflictException(
          `The statement id (${sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
        );
      }
      const condition: Record<string, Record<string, string>> = {};
      if (str(body.SourceArn)) condition.ArnLike = { 'AWS:SourceArn': String(body.SourceArn) };
      if (str(body.SourceAccount)) condition.StringEquals = { 'AWS:SourceAccount': String(body.SourceAccount) };
      const statement: PolicyStatement = {
        Sid: sid,
        Effect: 'Allow',
        Principal: principalOf(String(body.Principal ?? '*')),
        Action: String(body.Action ?? 'lambda:InvokeFunction'),
        Resource: functionArn(f),
        ...(Object.keys(condition).length ? { Condition: condition } : {}),
      };
      f.policy.push(statement);
      deps.registry.save(f);
      return jsonReply(201, { Statement: JSON.stringify(statement) }, ctx.requestId);
    },

    RemovePermission(input, ctx) {
      const f = target(input, ctx);
      const sid = input.params.StatementId ?? '';
      const i = f.policy.findIndex((s) => s.Sid === sid);
      if (i < 0) throw new ResourceNotFoundException(`Statement ${sid} is not found in resource policy.`);
      f.policy.splice(i, 1);
      deps.registry.save(f);
      return jsonReply(204, undefined, ctx.requestId);
    },

    GetPolicy(input, ctx) {
      const f = target(input, ctx);
      if (f.policy.length === 0) throw new ResourceNotFoundException('The resource you requested does not exist.');
      return jsonReply(200, { Policy: JSON.stringify(policyDocument(f)), RevisionId: f.revisionId }, ctx.requestId);
    },

    PutFunctionEventInvokeConfig: (input, ctx) => putConfig(input, ctx, false),
    UpdateFunctionEventInvokeConfig: (input, ctx) => putConfig(input, ctx, true),

    GetFunctionEventInvokeConfig(input, ctx) {
      const f = target(input, ctx);
      if (!f.eventInvokeConfig) {
        throw new ResourceNotFoundException(`The function ${functionArn(f)} doesn't have an EventInvokeConfig`);
      }
      return jsonReply(200, eventConfigOutput(f), ctx.requestId);
    },

    ListFunctionEventInvokeConfigs(input, ctx) {
      const f = target(input, ctx);
      const list = f.eventInvokeConfig ? [eventConfigOutput(f)] : [];
      return jsonReply(200, { FunctionEventInvokeConfigs: list }, ctx.requestId);
    },

    DeleteFunctionEventInvokeConfig(input, ctx) {
      const f = target(input, ctx);
      if (!f.eventInvokeConfig) {
        throw new ResourceNotFoundException(`The function ${functionArn(f)} doesn't have an EventInvokeConfig`);
      }
      delete f.eventInvokeConfig;
      deps.registry.save(f);
      return jsonReply(204, undefined, ctx.requestId);
    },
  };
}
