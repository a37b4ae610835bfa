import type { OperationShape } from '../protocols/shapes.js';
import type { Scope } from './arn.js';
import type { EdgeReply, EdgeRequest } from './http.js';

/** What an operation handler knows about its request, beyond the typed input. */
export interface RequestContext {
  scope: Scope;
  /** The caller's access key id: every request is attributed to a principal. */
  principal: string;
  requestId: string;
  /** Host header and scheme the client used, so URLs we hand out route back to us. */
  host: string;
  scheme: 'http' | 'https';
  /** The request path (Query requests may be sent to a queue URL). */
  path: string;
  protocol: 'json' | 'query';
  /** Aborted when the client goes away (ends long polls early). */
  signal: AbortSignal;
}

// biome-ignore lint/suspicious/noExplicitAny: handlers are typed individually; the registry is heterogenous.
export type Operation = (input: any, ctx: RequestContext) => unknown | Promise<unknown>;

/** A service spoken over awsJson and/or awsQuery (SQS, SNS, DynamoDB...). */
export interface RpcService {
  name: string;
  /** SigV4 signing name: the 4th element of the credential scope. */
  signingName: string;
  /** X-Amz-Target prefix, e.g. AmazonSQS. */
  targetPrefix: string;
  jsonVersion: '1.0' | '1.1';
  xmlNamespace: string;
  /** awsQueryCompatible: JSON errors also carry `x-amzn-query-error: <legacy code>;<fault>`. */
  queryCompatible?: boolean;
  shapes: Record<string, OperationShape>;
  operations: Record<string, Operation>;
  /** True when a Query request sent to this path belongs to the service (SQS queue URLs). */
  ownsPath?(path: string): boolean;
  reset(): void;
  close?(): void;
}

/** A service spoken over restJson1 or restXml (Lambda, S3, API Gateway...): it routes its own paths. */
export interface RestService {
  name: string;
  signingName: string;
  /** Claims unsigned requests by path (e.g. /2015-03-31/functions). */
  ownsPath?(path: string): boolean;
  /** Takes unsigned requests nobody else claims (S3: browsers, presigned URLs, curl). */
  fallback?: boolean;
  /** Reads large bodies from `EdgeRequest.stream` itself instead of having the edge buffer them. */
  streamsBodies?: boolean;
  handle(req: EdgeRequest, ctx: RestContext): Promise<EdgeReply> | EdgeReply;
  reset(): void | Promise<void>;
  close?(): void | Promise<void>;
}

export interface RestContext extends Omit<RequestContext, 'protocol'> {
  query: URLSearchParams;
}

export type Service = RpcService | RestService;

export function isRest(s: Service): s is RestService {
  return 'handle' in s;
}
