import { AwsError, SerializationException } from '../core/errors.js';
import type { EdgeReply } from '../core/http.js';

/**
 * restJson1: operations are chosen by method and path template, inputs come from the path,
 * the query string, headers and a JSON body; errors carry X-Amzn-ErrorType and a JSON body.
 */
export interface Route {
  method: string;
  op: string;
  pattern: RegExp;
  names: string[];
}

/** `/2015-03-31/functions/{FunctionName}/invocations`; `{Name+}` matches across slashes. */
export function route(method: string, template: string, op: string): Route {
  const names: string[] = [];
  const source = template.replace(/[.*?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)(\+?)\}/g, (_m, name, greedy) => {
    names.push(name);
    return greedy ? '(.+)' : '([^/]+)';
  });
  return { method, op, pattern: new RegExp(`^${source}/?$`), names };
}

export function matchRoute(
  routes: Route[],
  method: string,
  path: string,
): { op: string; params: Record<string, string> } | 'method' | undefined {
  let pathMatched = false;
  for (const r of routes) {
    const m = r.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (r.method !== method) continue;
    const params: Record<string, string> = {};
    r.names.forEach((n, i) => {
      params[n] = decodeURIComponent(m[i + 1] as string);
    });
    return { op: r.op, params };
  }
  return pathMatched ? 'method' : undefined;
}

export function parseJsonBody(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  try {
    const v = JSON.parse(body.toString('utf8'));
    if (v && typeof v === 'object' && !Array.isArray(v)) return v;
  } catch {}
  throw new SerializationException('Could not parse request body into json: Could not parse payload into json');
}

export function jsonReply(
  status: number,
  body: unknown,
  requestId: string,
  headers: Record<string, string> = {},
): EdgeReply {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId, ...headers },
    body: body === undefined ? '' : JSON.stringify(body),
  };
}

export function restError(err: AwsError, requestId: string): EdgeReply {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-amzn-errortype': err.code,
    'x-amzn-requestid': requestId,
    ...err.headers,
  };
  const body = { Type: err.fault === 'Sender' ? 'User' : 'Service', message: err.message, ...err.extra };
  return { status: err.status, headers, body: JSON.stringify(body) };
}

export { AwsError };
