import type { RestContext } from '../../../core/service.js';
import { jsonReply } from '../../../protocols/rest-json.js';
import type { LambdaRuntime } from '../../../runtime/lambda-runtime.js';
import type { AsyncInvoker } from '../async.js';
import {
  functionNotFound,
  InvalidParameterValueException,
  InvalidRequestContentException,
  RequestTooLargeException,
} from '../errors.js';
import type { CodeStore } from '../model/code.js';
import { functionArn } from '../model/function.js';
import type { FunctionRegistry } from '../model/registry.js';
import { type LambdaOp, parseFunctionName } from './common.js';

/** Invoke: RequestResponse (200), Event (202, queued), DryRun (204). */
const SYNC_LIMIT = 6_291_456;
const ASYNC_LIMIT = 1_048_576;

export function invokeOperations(deps: {
  registry: FunctionRegistry;
  code: CodeStore;
  runtime: LambdaRuntime;
  async: AsyncInvoker;
  uuid(): string;
}): Record<string, LambdaOp> {
  return {
    async Invoke(input, ctx: RestContext) {
      const { scope, name, qualifier: inName } = parseFunctionName(input.params.FunctionName ?? '', ctx);
      const qualifier = input.query.get('Qualifier') ?? inName;
      const fn = deps.registry.get(scope, name);
      if (qualifier && qualifier !== '$LATEST') throw functionNotFound(`${functionArn(fn)}:${qualifier}`);
      const type = input.headers['x-amz-invocation-type'] ?? 'RequestResponse';
      if (type !== 'RequestResponse' && type !== 'Event' && type !== 'DryRun') {
        throw new InvalidParameterValueException(
          `1 validation error detected: Value '${type}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`,
        );
      }
      const payload = input.body.length ? input.body : Buffer.from('{}');
      const limit = type === 'Event' ? ASYNC_LIMIT : SYNC_LIMIT;
      if (payload.length > limit) {
        throw new RequestTooLargeException(
          `Request must be smaller than ${limit} bytes for the InvokeFunction operation`,
        );
      }
      checkJson(payload);
      if (type === 'DryRun') return jsonReply(204, undefined, ctx.requestId);
      if (type === 'Event') {
        deps.async.enqueue(fn, payload, ctx.requestId);
        return jsonReply(202, undefined, ctx.requestId);
      }
      const clientContext = input.headers['x-amz-client-context'];
      const result = await deps.runtime.invoke(fn, deps.code.dirFor(fn.code), {
        payload,
        requestId: ctx.requestId,
        tail: input.headers['x-amz-log-type'] === 'Tail',
        ...(clientContext ? { clientContext: Buffer.from(clientContext, 'base64').toString('utf8') } : {}),
      });
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        'x-amzn-requestid': ctx.requestId,
        'x-amz-executed-version': '$LATEST',
      };
      if (result.functionError) headers['x-amz-function-error'] = result.functionError;
      if (input.headers['x-amz-log-type'] === 'Tail') headers['x-amz-log-result'] = result.logTail;
      return { status: 200, headers, body: result.payload };
    },
  };
}

function checkJson(payload: Buffer): void {
  try {
    JSON.parse(payload.toString('utf8'));
  } catch (err) {
    throw new InvalidRequestContentException(
      `Could not parse request body into json: Could not parse payload into json: ${(err as Error).message}`,
    );
  }
}
