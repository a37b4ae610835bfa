import type { EdgeReply } from '../core/http.js';

/** What a Lambda proxy response becomes: status, headers (lower-case names), cookies and body. */
export interface Mapped {
  status: number;
  headers: Record<string, string>;
  cookies: string[];
  body: Buffer;
}

/** Headers the transport sets from the reply itself: a function's own values would corrupt the framing. */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'date']);
const TOKEN = /^[!#$%&'*+.^_`|~0-9a-z-]+$/;
const HEADER_VALUE = (v: unknown) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

function parse(payload: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(payload.toString('utf8')) };
  } catch {
    return { ok: false };
  }
}

function validStatus(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 100 && v <= 599;
}

function decodeBody(body: unknown, base64: unknown): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return base64 === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
}

/** Copies single- and multi-value headers in; set-cookie values become cookies (one header each). */
function collectHeaders(single: unknown, multi: unknown, out: Mapped): boolean {
  if (single !== undefined && single !== null) {
    if (typeof single !== 'object' || Array.isArray(single)) return false;
    for (const [k, v] of Object.entries(single)) {
      if (v === null || v === undefined) continue;
      if (!HEADER_VALUE(v)) return false;
      const name = k.toLowerCase();
      if (name === 'set-cookie') out.cookies.push(String(v));
      else out.headers[name] = String(v);
    }
  }
  if (multi !== undefined && multi !== null) {
    if (typeof multi !== 'object' || Array.isArray(multi)) return false;
    for (const [k, vs] of Object.entries(multi)) {
      if (!Array.isArray(vs) || !vs.every(HEADER_VALUE)) return false;
      const name = k.toLowerCase();
      if (name === 'set-cookie') out.cookies.push(...vs.map(String));
      else out.headers[name] = vs.map(String).join(',');
    }
  }
  return true;
}

/**
 * Payload 2.0 responses: JSON without `statusCode` is the body of a 200 application/json reply
 * (a string as is, anything else as JSON); otherwise {statusCode, headers, cookies, body, isBase64Encoded}.
 */
export function mapV2(payload: Buffer): Mapped | undefined {
  const p = parse(payload);
  if (!p.ok) return undefined;
  const v = p.value;
  if (v === null || typeof v !== 'object' || Array.isArray(v) || !('statusCode' in v)) {
    const body = typeof v === 'string' ? Buffer.from(v, 'utf8') : payload;
    return { status: 200, headers: { 'content-type': 'application/json' }, cookies: [], body };
  }
  const r = v as Record<string, unknown>;
  if (!validStatus(r.statusCode)) return undefined;
  const out: Mapped = { status: r.statusCode, headers: {}, cookies: [], body: Buffer.alloc(0) };
  if (!collectHeaders(r.headers, undefined, out)) return undefined;
  if (r.cookies !== undefined && r.cookies !== null) {
    if (!Array.isArray(r.cookies) || !r.cookies.every((c) => typeof c === 'string')) return undefined;
    out.cookies.push(...r.cookies);
  }
  out.body = decodeBody(r.body, r.isBase64Encoded);
  return out;
}

const V1_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded', 'cookies']);

/** Payload 1.0 responses: an object with an integer statusCode, string body and nothing else. */
export function mapV1(payload: Buffer): Mapped | undefined {
  const p = parse(payload);
  if (!p.ok || p.value === null || typeof p.value !== 'object' || Array.isArray(p.value)) return undefined;
  const r = p.value as Record<string, unknown>;
  if (!validStatus(r.statusCode)) return undefined;
  if (Object.keys(r).some((k) => !V1_KEYS.has(k))) return undefined;
  if (r.body !== undefined && r.body !== null && typeof r.body !== 'string') return undefined;
  const out: Mapped = { status: r.statusCode, headers: {}, cookies: [], body: Buffer.alloc(0) };
  if (!collectHeaders(r.headers, r.multiValueHeaders, out)) return undefined;
  out.body = decodeBody(r.body, r.isBase64Encoded);
  return out;
}

/** Each cookie goes out as its own Set-Cookie line (EdgeReply.cookies). */
export function toReply(m: Mapped, extra: Record<string, string>): EdgeReply {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...m.headers, ...extra })) {
    if (TOKEN.test(k) && !FRAMING.has(k)) headers[k] = v.replace(/[\r\n]/g, '');
  }
  const cookies = m.cookies.map((c) => c.replace(/[\r\n]/g, ''));
  return { status: m.status, headers, body: m.body, ...(cookies.length ? { cookies } : {}) };
}

/** An answer API Gateway gives itself: `{"message": ...}` as JSON. */
export function gatewayReply(
  status: number,
  message: string,
  headers: Record<string, string>,
  errorType?: string,
): EdgeReply {
  return {
    status,
    headers: {
      'content-type': 'application/json',
      ...headers,
      ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
    },
    body: JSON.stringify({ message }),
  };
}
