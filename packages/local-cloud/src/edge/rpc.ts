import {
  AwsError,
  InternalFailure,
  InvalidAction,
  SerializationException,
  UnknownOperationException,
} from '../core/errors.js';
import type { RequestContext, RpcService } from '../core/service.js';
import { decodeJsonValue, encodeJsonValue } from '../protocols/json.js';
import { decodeQuery } from '../protocols/query.js';
import { queryError, queryResponse } from '../protocols/xml.js';
import type { EdgeReply } from './http1.js';

/** Decodes an awsJson or awsQuery request for a service, runs the operation, encodes the reply. */

export interface RpcRequest {
  protocol: 'json' | 'query';
  /** JSON: the operation from X-Amz-Target; Query: the Action parameter. */
  operation: string | undefined;
  body: string;
  params?: Map<string, string>;
}

export async function dispatchRpc(svc: RpcService, req: RpcRequest, ctx: RequestContext): Promise<EdgeReply> {
  try {
    const op = req.operation;
    const handler = op !== undefined && Object.hasOwn(svc.operations, op) ? svc.operations[op] : undefined;
    const shape = op !== undefined ? svc.shapes[op] : undefined;
    if (!handler || !shape || !op) throw unknownOperation(req);
    const input =
      req.protocol === 'json'
        ? (decodeJsonValue(shape.input, parseJson(req.body), '') ?? {})
        : decodeQuery(shape.input, req.params ?? new Map());
    const output = ((await handler(input, ctx)) ?? {}) as Record<string, unknown>;
    if (req.protocol === 'json') {
      return {
        status: 200,
        headers: jsonHeaders(svc, ctx),
        body: JSON.stringify(encodeJsonValue(shape.output, output)),
      };
    }
    return {
      status: 200,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': ctx.requestId },
      body: queryResponse(op, svc.xmlNamespace, shape.output, output, ctx.requestId),
    };
  } catch (err) {
    return errorReply(svc, req.protocol, toAwsError(err), ctx);
  }
}

function unknownOperation(req: RpcRequest): AwsError {
  if (req.protocol === 'query') {
    return new InvalidAction(`The action ${req.operation ?? ''} is not valid for this endpoint.`);
  }
  return new UnknownOperationException(`Unknown operation ${req.operation ?? ''}`.trim());
}

function parseJson(body: string): unknown {
  if (body.length === 0) return {};
  try {
    return JSON.parse(body);
  } catch {
    if (body.trim() === '') return {};
    throw new SerializationException('Start of structure or map found where not expected.');
  }
}

function jsonHeaders(svc: RpcService, ctx: RequestContext): Record<string, string> {
  return { 'content-type': `application/x-amz-json-${svc.jsonVersion}`, 'x-amzn-requestid': ctx.requestId };
}

export function toAwsError(err: unknown): AwsError {
  if (err instanceof AwsError) return err;
  console.error('[local-cloud] internal error:', err);
  return new InternalFailure('We encountered an internal error. Please try again.');
}

export function errorReply(
  svc: RpcService | undefined,
  protocol: 'json' | 'query',
  err: AwsError,
  ctx: Pick<RequestContext, 'requestId'>,
): EdgeReply {
  if (protocol === 'query') {
    return {
      status: err.status,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': ctx.requestId },
      body: queryError(err, svc?.xmlNamespace ?? 'http://webservices.amazon.com/AWSFault/2005-15-09', ctx.requestId),
    };
  }
  const ns = err.namespace ?? 'com.amazon.coral.service';
  const headers: Record<string, string> = {
    'content-type': `application/x-amz-json-${svc?.jsonVersion ?? '1.0'}`,
    'x-amzn-requestid': ctx.requestId,
  };
  // Query-compatible services (SQS) also name the legacy error code; SDKs read it from here.
  if (svc?.queryCompatible) headers['x-amzn-query-error'] = `${err.queryCode};${err.fault}`;
  return {
    status: err.status,
    headers,
    body: JSON.stringify({ __type: ns ? `${ns}#${err.code}` : err.code, message: err.message, ...err.extra }),
  };
}
