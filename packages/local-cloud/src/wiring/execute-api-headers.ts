import type { Incoming } from './execute-api-events.js';

/**
 * Request headers as API Gateway hands them to the integration. HTTP APIs lower-case names and join
 * repeated headers with commas (both payload versions; 1.0 also lists each value in
 * `multiValueHeaders`). REST APIs keep the client's casing, put the last value of a repeated header in
 * `headers` (as they do for query strings) and every value in `multiValueHeaders`. Both add the
 * X-Forwarded-* and trace headers, in the casing of their own event style.
 */
export interface EventHeaders {
  headers: Record<string, string>;
  multi: Record<string, string[]>;
  /** HTTP API 2.0 only: the Cookie header's cookies (the header itself is left out). */
  cookies: string[];
}

export function headersFor(inc: Incoming, style: 'http' | 'rest'): EventHeaders {
  const multi: Record<string, string[]> = {};
  const cookies: string[] = [];
  const raw = inc.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = style === 'http' ? (raw[i] as string).toLowerCase() : (raw[i] as string);
    const value = raw[i + 1] as string;
    if (name.toLowerCase() === 'cookie') cookies.push(...value.split(/;\s*/).filter((c) => c !== ''));
    const list = multi[name];
    if (list) list.push(value);
    else multi[name] = [value];
  }
  addForwarding(inc, multi, style);
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(multi)) {
    headers[name] = style === 'http' ? values.join(',') : (values.at(-1) as string);
  }
  return { headers, multi, cookies };
}

function addForwarding(inc: Incoming, multi: Record<string, string[]>, style: 'http' | 'rest'): void {
  const named = (lower: string, rest: string) => {
    const existing = Object.keys(multi).find((k) => k.toLowerCase() === lower);
    return existing ?? (style === 'http' ? lower : rest);
  };
  const xff = named('x-forwarded-for', 'X-Forwarded-For');
  const sent = multi[xff];
  multi[xff] = [sent ? `${sent.join(', ')}, ${inc.sourceIp}` : inc.sourceIp];
  const proto = named('x-forwarded-proto', 'X-Forwarded-Proto');
  multi[proto] ??= ['http'];
  const port = named('x-forwarded-port', 'X-Forwarded-Port');
  multi[port] ??= [(/:(\d+)$/.exec(inc.headers.host ?? '') ?? [])[1] ?? '80'];
  multi[named('x-amzn-trace-id', 'X-Amzn-Trace-Id')] = [traceId(inc)];
}

function traceId(inc: Incoming): string {
  return `Root=1-${Math.floor(inc.time / 1000).toString(16)}-${inc.requestId
    .replace(/[^a-f0-9]/g, '')
    .padEnd(24, '0')
    .slice(0, 24)}`;
}

/** The client's address as API Gateway reports it (IPv4-mapped IPv6 addresses unwrapped). */
export function sourceIpOf(remoteAddress: string | undefined): string {
  if (!remoteAddress) return '127.0.0.1';
  return remoteAddress.startsWith('::ffff:') ? remoteAddress.slice(7) : remoteAddress;
}

/** [name, value, ...] from a lower-cased header map, for requests that did not come with raw headers. */
export function rawFromMap(headers: Record<string, string | undefined>): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out.push(k, v);
  return out;
}
