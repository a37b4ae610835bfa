import { headersFor } from './execute-api-headers.js';

/**
 * The Lambda events API Gateway builds: payload 2.0 (HTTP APIs) and 1.0 (REST APIs, and HTTP APIs
 * configured for it). Field by field as AWS documents them; empty optional fields are left out (2.0)
 * or null (1.0).
 */
export interface Incoming {
  method: string;
  /** The path as the client sent it (with the stage segment, without the /_aws/execute-api/<id> prefix). */
  rawPath: string;
  /** The path below the stage: what routes and resources match. */
  routePath: string;
  rawQuery: string;
  headers: Record<string, string | undefined>;
  /** The headers as sent: [name, value, ...] in the client's case. */
  rawHeaders: string[];
  body: Buffer;
  apiId: string;
  accountId: string;
  domainName: string;
  stage: string;
  stageVariables: Record<string, string>;
  sourceIp: string;
  requestId: string;
  time: number;
}

export interface Matched {
  routeKey: string;
  /** `/items/{id}` for a route or resource (1.0 `resource`); the request path for the $default route. */
  resourcePath: string;
  resourceId: string;
  params: Record<string, string>;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number) => String(n).padStart(2, '0');

/** `12/Mar/2020:19:03:58 +0000` */
export function requestTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}

/** Query pairs in order, decoded as a browser form would be (`+` is a space). */
export function queryPairs(raw: string): Array<[string, string]> {
  if (!raw) return [];
  return [...new URLSearchParams(raw)];
}

/** HTTP APIs send text types as text and base64-encode everything else (forms included). */
export function isTextType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const t = (contentType.split(';')[0] as string).trim().toLowerCase();
  return (
    t.startsWith('text/') ||
    t === 'application/json' ||
    t.endsWith('+json') ||
    t === 'application/xml' ||
    t.endsWith('+xml') ||
    t === 'application/javascript' ||
    t === 'application/ecmascript' ||
    t === 'application/x-javascript' ||
    t === 'application/yaml' ||
    t === 'application/graphql'
  );
}

/** REST APIs base64-encode only content types listed in the API's binaryMediaTypes (`image/*`, `*\/*`). */
export function isBinaryFor(binaryMediaTypes: string[], contentType: string | undefined): boolean {
  if (!contentType || binaryMediaTypes.length === 0) return false;
  const t = (contentType.split(';')[0] as string).trim().toLowerCase();
  const [type] = t.split('/');
  return binaryMediaTypes.some((b) => {
    const m = b.toLowerCase();
    return m === t || m === '*/*' || (m.endsWith('/*') && m.slice(0, -2) === type);
  });
}

function bodyOf(inc: Incoming, binary: boolean): string {
  return binary ? inc.body.toString('base64') : inc.body.toString('utf8');
}

/** Payload 2.0: headers joined by commas, cookies taken out, query values joined by commas. */
export function eventV2(inc: Incoming, m: Matched): Record<string, unknown> {
  const { headers, cookies } = headersFor(inc, 'http');
  delete headers.cookie;
  const query: Record<string, string> = {};
  for (const [k, v] of queryPairs(inc.rawQuery)) query[k] = k in query ? `${query[k]},${v}` : v;
  const binary = inc.body.length > 0 && !isTextType(inc.headers['content-type']);
  const event: Record<string, unknown> = {
    version: '2.0',
    routeKey: m.routeKey,
    rawPath: inc.rawPath,
    rawQueryString: inc.rawQuery,
  };
  if (cookies.length) event.cookies = cookies;
  event.headers = headers;
  if (Object.keys(query).length) event.queryStringParameters = query;
  event.requestContext = {
    accountId: inc.accountId,
    apiId: inc.apiId,
    domainName: inc.domainName,
    domainPrefix: inc.domainName.split('.')[0],
    http: {
      method: inc.method,
      path: inc.rawPath,
      protocol: 'HTTP/1.1',
      sourceIp: inc.sourceIp,
      userAgent: inc.headers['user-agent'] ?? '',
    },
    requestId: inc.requestId,
    routeKey: m.routeKey,
    stage: inc.stage,
    time: requestTime(inc.time),
    timeEpoch: inc.time,
  };
  if (Object.keys(m.params).length) event.pathParameters = m.params;
  if (Object.keys(inc.stageVariables).length) event.stageVariables = inc.stageVariables;
  if (inc.body.length) event.body = bodyOf(inc, binary);
  event.isBase64Encoded = binary;
  return event;
}

const IDENTITY_NULLS = [
  'accessKey',
  'accountId',
  'caller',
  'cognitoAuthenticationProvider',
  'cognitoAuthenticationType',
  'cognitoIdentityId',
  'cognitoIdentityPoolId',
  'principalOrgId',
  'user',
  'userArn',
];

/**
 * Payload 1.0. `kind: 'rest'` is a REST API (no version field, `path` without the stage);
 * `kind: 'http'` is an HTTP API route using 1.0 (version "1.0", path as sent).
 */
export function eventV1(inc: Incoming, m: Matched, kind: 'rest' | 'http', binary: boolean): Record<string, unknown> {
  const { headers, multi: multiHeaders } = headersFor(inc, kind);
  const query: Record<string, string> = {};
  const multiQuery: Record<string, string[]> = {};
  for (const [k, v] of queryPairs(inc.rawQuery)) {
    query[k] = v;
    const list = multiQuery[k];
    if (list) list.push(v);
    else multiQuery[k] = [v];
  }
  const identity: Record<string, unknown> = Object.fromEntries(IDENTITY_NULLS.map((k) => [k, null]));
  identity.sourceIp = inc.sourceIp;
  identity.userAgent = inc.headers['user-agent'] ?? null;
  const stagePath = inc.rawPath;
  const nonEmpty = <T>(o: Record<string, T>) => (Object.keys(o).length ? o : null);
  return {
    ...(kind === 'http' ? { version: '1.0' } : {}),
    resource: m.resourcePath,
    path: kind === 'rest' ? inc.routePath || '/' : inc.rawPath,
    httpMethod: inc.method,
    headers: nonEmpty(headers),
    multiValueHeaders: nonEmpty(multiHeaders),
    queryStringParameters: nonEmpty(query),
    multiValueQueryStringParameters: nonEmpty(multiQuery),
    requestContext: {
      accountId: inc.accountId,
      apiId: inc.apiId,
      domainName: inc.domainName,
      domainPrefix: inc.domainName.split('.')[0],
      extendedRequestId: inc.requestId,
      httpMethod: inc.method,
      identity,
      path: stagePath,
      protocol: 'HTTP/1.1',
      requestId: inc.requestId,
      requestTime: requestTime(inc.time),
      requestTimeEpoch: inc.time,
      resourceId: m.resourceId,
      resourcePath: m.resourcePath,
      stage: inc.stage,
    },
    pathParameters: nonEmpty(m.params),
    stageVariables: nonEmpty(inc.stageVariables),
    body: inc.body.length ? bodyOf(inc, binary) : null,
    isBase64Encoded: binary,
  };
}
