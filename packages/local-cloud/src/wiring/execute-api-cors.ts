import type { EdgeReply } from '../core/http.js';
import type { Cors } from '../services/apigateway/model/http-apis.js';
import type { Incoming } from './execute-api-events.js';

/**
 * HTTP API CORS: with a CorsConfiguration, API Gateway answers preflight OPTIONS requests itself
 * (whatever the routes) and adds the CORS headers to every response for an allowed Origin.
 */
function allowedOrigin(cors: Cors, origin: string | undefined): string | undefined {
  if (!origin) return undefined;
  const origins = cors.allowOrigins ?? [];
  if (origins.includes('*')) return cors.allowCredentials ? origin : '*';
  return origins.some((o) => o.toLowerCase() === origin.toLowerCase()) ? origin : undefined;
}

export function corsHeaders(cors: Cors | undefined, inc: Incoming): Record<string, string> {
  if (!cors) return {};
  const origin = allowedOrigin(cors, inc.headers.origin);
  if (!origin) return {};
  const out: Record<string, string> = { 'access-control-allow-origin': origin };
  if (cors.allowCredentials) out['access-control-allow-credentials'] = 'true';
  if (cors.exposeHeaders?.length) out['access-control-expose-headers'] = cors.exposeHeaders.join(',');
  if (origin !== '*') out.vary = 'Origin';
  return out;
}

export function preflight(cors: Cors, inc: Incoming, base: Record<string, string>): EdgeReply {
  const headers: Record<string, string> = { ...base };
  const origin = allowedOrigin(cors, inc.headers.origin);
  const method = (inc.headers['access-control-request-method'] ?? '').toUpperCase();
  const methods = (cors.allowMethods ?? []).map((m) => m.toUpperCase());
  if (origin && (methods.includes('*') || methods.includes(method))) {
    headers['access-control-allow-origin'] = origin;
    headers['access-control-allow-methods'] = methods.includes('*') ? method : methods.join(',');
    const requested = inc.headers['access-control-request-headers'];
    const allowed = cors.allowHeaders ?? [];
    if (allowed.includes('*') && requested) headers['access-control-allow-headers'] = requested;
    else if (allowed.length) headers['access-control-allow-headers'] = allowed.join(',').toLowerCase();
    if (cors.allowCredentials) headers['access-control-allow-credentials'] = 'true';
    if (cors.exposeHeaders?.length) headers['access-control-expose-headers'] = cors.exposeHeaders.join(',');
    if (cors.maxAge !== undefined && cors.maxAge >= 0) headers['access-control-max-age'] = String(cors.maxAge);
    if (origin !== '*') headers.vary = 'Origin';
  }
  return { status: 204, headers, body: '' };
}
