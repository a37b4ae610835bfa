import type { EdgeReply } from '../../../core/http.js';
import type { RestContext } from '../../../core/service.js';
import { jsonReply } from '../../../protocols/rest-json.js';
import { BadRequestException } from '../errors.js';

/** What each API Gateway operation receives from the router. */
export interface ApiInput {
  params: Record<string, string>;
  query: URLSearchParams;
  json: () => Record<string, unknown>;
}

export type ApiOp = (input: ApiInput, ctx: RestContext) => EdgeReply | Promise<EdgeReply>;

export const reply = (status: number, body: unknown, ctx: RestContext) => jsonReply(status, body, ctx.requestId);

export function str(v: unknown, field: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new BadRequestException(`Invalid value for ${field}`);
  return v;
}

export function need(v: unknown, field: string): string {
  const s = str(v, field);
  if (s === undefined || s === '') throw new BadRequestException(`${field} must not be empty`);
  return s;
}

export function bool(v: unknown, field: string): boolean | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new BadRequestException(`Invalid value for ${field}`);
  return v;
}

export function strMap(v: unknown, field: string): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string')) {
    throw new BadRequestException(`Invalid value for ${field}`);
  }
  return { ...(v as Record<string, string>) };
}

export function strList(v: unknown, field: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw new BadRequestException(`Invalid value for ${field}`);
  return [...v];
}

/** Fields whose value is set: AWS leaves unset members out of its JSON. */
export function defined<T extends Record<string, unknown>>(o: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as Partial<T>;
}

export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * A Lambda function ARN from an integration URI: the ARN itself, or API Gateway's
 * `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<fnArn>/invocations` form.
 */
export function lambdaArnOf(uri: string | undefined): string | undefined {
  if (!uri) return undefined;
  const m = /^arn:aws[\w-]*:apigateway:[^:]+:lambda:path\/[^/]+\/functions\/(.+)\/invocations$/.exec(uri);
  const arn = m ? (m[1] as string) : uri;
  return /^arn:aws[\w-]*:lambda:[^:]+:\d{12}:function:[^:]+(:[^:]+)?$/.test(arn) ? arn : undefined;
}

/** The invoke URL handed out: path-style on whatever host the client used, so it works without DNS. */
export function invokeBase(ctx: RestContext, apiId: string): string {
  return `${ctx.scheme}://${ctx.host}/_aws/execute-api/${apiId}`;
}
