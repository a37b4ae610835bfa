import type { Clock } from '../core/clock.js';
import { AwsError } from '../core/errors.js';
import type { EdgeReply, EdgeRequest } from '../core/http.js';
import type { IdGenerator } from '../core/ids.js';
import type { Store } from '../core/storage.js';
import type { ApiGatewayService } from '../services/apigateway/index.js';
import type { HttpApi, Snapshot } from '../services/apigateway/model/http-apis.js';
import { ResourceTree, RouteTable } from '../services/apigateway/model/match.js';
import type { DeploymentV1, RestApi } from '../services/apigateway/model/rest-apis.js';
import { lambdaArnOf } from '../services/apigateway/operations/common.js';
import type { LambdaService } from '../services/lambda/index.js';
import { corsHeaders, preflight } from './execute-api-cors.js';
import { eventV1, eventV2, type Incoming, isBinaryFor, isTextType, type Matched } from './execute-api-events.js';
import { rawFromMap, sourceIpOf } from './execute-api-headers.js';
import { gatewayReply, type Mapped, mapV1, mapV2, toReply } from './execute-api-replies.js';

/**
 * The execute-api endpoint: `/_aws/execute-api/<apiId>/<stage>/<path>` or `Host: <apiId>.execute-api.<...>`
 * (no stage segment for an HTTP API's $default stage). Matches the request to a deployed route or
 * resource, builds the proxy event, invokes the function in process through the Lambda runtime
 * (its concurrency limits and logs apply) and maps the result back to HTTP as API Gateway does.
 */
export interface ExecuteApiDeps {
  clock: Clock;
  ids: IdGenerator;
  store: Store;
  lambda: LambdaService;
  apigw: ApiGatewayService;
}

const PREFIX = '/_aws/execute-api/';
const HOST = /^([a-z0-9]+)\.execute-api\./i;
/** API Gateway's request payload limit, and Lambda's for synchronous events. */
const BODY_LIMIT = 10 * 1024 * 1024;
const EVENT_LIMIT = 6 * 1024 * 1024;

type Outcome = { kind: 'ok'; payload: Buffer } | { kind: 'error' | 'timeout' | 'throttled' | 'missing' | 'too-large' };

interface Target {
  apiId: string;
  path: string;
  domainName: string;
}

export class ExecuteApi {
  private readonly routeTables = new WeakMap<Snapshot, RouteTable>();
  private readonly trees = new WeakMap<DeploymentV1, ResourceTree>();

  constructor(private readonly deps: ExecuteApiDeps) {}

  /** The reply for a request to an API's invoke URL; undefined for every other request. */
  intercept(req: EdgeRequest, path: string): Promise<EdgeReply> | undefined {
    const target = this.target(req, path);
    if (!target) return undefined;
    return this.serve(req, target)
      .catch((err) => {
        console.error('[local-cloud] execute-api request failed:', err);
        return gatewayReply(500, 'Internal Server Error', {});
      })
      .then((reply) => new Promise((resolve) => this.deps.store.afterCommit(() => resolve(reply))));
  }

  private target(req: EdgeRequest, path: string): Target | undefined {
    if (path.startsWith(PREFIX)) {
      const rest = path.slice(PREFIX.length);
      const slash = rest.indexOf('/');
      const apiId = slash < 0 ? rest : rest.slice(0, slash);
      return { apiId, path: slash < 0 ? '/' : rest.slice(slash), domainName: `${apiId}.execute-api.localhost` };
    }
    const host = req.headers.host;
    const m = host ? HOST.exec(host) : null;
    if (!m || !host) return undefined;
    return { apiId: (m[1] as string).toLowerCase(), path, domainName: host.replace(/:\d+$/, '') };
  }

  private async serve(req: EdgeRequest, t: Target): Promise<EdgeReply> {
    const body = await readBody(req);
    const requestId = this.requestId();
    const http = this.deps.apigw.http.find(t.apiId);
    const rest = http ? undefined : this.deps.apigw.rest.find(t.apiId);
    if (body === undefined) {
      const id = http ? 'apigw-requestid' : 'x-amzn-requestid';
      return gatewayReply(413, 'Request Entity Too Large', { [id]: requestId });
    }
    const q = req.url.indexOf('?');
    const inc: Incoming = {
      method: req.method,
      rawPath: t.path,
      routePath: t.path,
      rawQuery: q < 0 ? '' : req.url.slice(q + 1),
      headers: req.headers,
      rawHeaders: req.rawHeaders ?? rawFromMap(req.headers),
      body,
      apiId: t.apiId,
      accountId: '',
      domainName: t.domainName,
      stage: '',
      stageVariables: {},
      sourceIp: sourceIpOf(req.remoteAddress),
      requestId,
      time: this.deps.clock.now(),
    };
    // disableExecuteApiEndpoint: the default endpoint answers 403 Forbidden (only custom domains serve the API).
    if ((http ?? rest)?.disableExecuteApiEndpoint) return gatewayReply(403, 'Forbidden', {});
    if (http) return this.serveHttp(http, inc);
    if (rest) return this.serveRest(rest, inc);
    return gatewayReply(404, 'Not Found', {});
  }

  private async serveHttp(api: HttpApi, inc: Incoming): Promise<EdgeReply> {
    const base = { 'apigw-requestid': inc.requestId };
    const notFound = () => gatewayReply(404, 'Not Found', { ...base, ...corsHeaders(api.corsConfiguration, inc) });
    const first = inc.rawPath.split('/')[1] ?? '';
    const named = first !== '' && first !== '$default' ? api.stages[decodeSafe(first)] : undefined;
    const stage = named ?? api.stages.$default;
    if (!stage) return notFound();
    inc.routePath = named ? inc.rawPath.slice(first.length + 1) || '/' : inc.rawPath;
    inc.stage = stage.stageName;
    inc.stageVariables = stage.stageVariables;
    inc.accountId = api.accountId;
    if (api.corsConfiguration && isPreflight(inc)) return preflight(api.corsConfiguration, inc, base);
    const deployment = stage.deploymentId ? api.deployments[stage.deploymentId] : undefined;
    if (!deployment) return notFound();
    const match = this.routes(deployment.snapshot).match(inc.method, inc.routePath);
    const integrationId = match?.route.target?.replace(/^integrations\//, '');
    if (!match || !integrationId) return notFound();
    const integration = deployment.snapshot.integrations[integrationId];
    const failed = (status: number, message: string) =>
      gatewayReply(status, message, { ...base, ...corsHeaders(api.corsConfiguration, inc) });
    if (integration?.integrationType !== 'AWS_PROXY') return failed(500, 'Internal Server Error');
    const routeKey = match.route.routeKey;
    const m: Matched = {
      routeKey,
      // AWS's 1.0 example for the $default route: resource and resourcePath are the request path.
      resourcePath: routeKey === '$default' ? inc.routePath : routeKey.slice(routeKey.indexOf(' ') + 1),
      resourceId: routeKey,
      params: match.params,
    };
    const v1 = integration.payloadFormatVersion === '1.0';
    const event = v1 ? eventV1(inc, m, 'http', !isTextLike(inc)) : eventV2(inc, m);
    const outcome = await this.invoke(integration.integrationUri, event, integration.timeoutInMillis);
    if (outcome.kind === 'timeout') return failed(503, 'Service Unavailable');
    if (outcome.kind === 'too-large') return failed(413, 'Request Entity Too Large');
    if (outcome.kind !== 'ok') return failed(500, 'Internal Server Error');
    const mapped = v1 ? mapV1(outcome.payload) : mapV2(outcome.payload);
    if (!mapped) return failed(500, 'Internal Server Error');
    if (api.corsConfiguration) stripCors(mapped);
    return toReply(mapped, { ...base, ...corsHeaders(api.corsConfiguration, inc) });
  }

  private async serveRest(api: RestApi, inc: Incoming): Promise<EdgeReply> {
    const base = { 'x-amzn-requestid': inc.requestId, 'x-amz-apigw-id': inc.requestId.slice(0, 16) };
    const forbidden = () =>
      gatewayReply(403, 'Missing Authentication Token', base, 'MissingAuthenticationTokenException');
    const first = inc.rawPath.split('/')[1] ?? '';
    const stage = first ? api.stages[decodeSafe(first)] : undefined;
    const deployment = stage ? api.deployments[stage.deploymentId] : undefined;
    if (!stage || !deployment) return forbidden();
    inc.routePath = inc.rawPath.slice(first.length + 1) || '/';
    inc.stage = stage.stageName;
    inc.stageVariables = stage.variables;
    inc.accountId = api.accountId;
    const match = this.tree(deployment).match(inc.method, inc.routePath);
    if (!match) return forbidden();
    const integration = match.method.methodIntegration;
    const failed = (status: number, message: string, type?: string) => gatewayReply(status, message, base, type);
    if (integration?.type !== 'AWS_PROXY') return failed(500, 'Internal server error');
    const m: Matched = {
      routeKey: `${match.method.httpMethod} ${match.resource.path}`,
      resourcePath: match.resource.path,
      resourceId: match.resource.id,
      params: match.params,
    };
    const binary = inc.body.length > 0 && isBinaryFor(api.binaryMediaTypes, inc.headers['content-type']);
    const event = eventV1(inc, m, 'rest', binary);
    const outcome = await this.invoke(integration.uri, event, integration.timeoutInMillis);
    if (outcome.kind === 'timeout') return failed(504, 'Endpoint request timed out');
    if (outcome.kind === 'too-large') return failed(413, 'Request Entity Too Large');
    if (outcome.kind === 'error') return failed(502, 'Internal server error');
    if (outcome.kind !== 'ok') return failed(500, 'Internal server error');
    const mapped = mapV1(outcome.payload);
    if (!mapped) return failed(502, 'Internal server error');
    return toReply(mapped, base);
  }

  /** One synchronous invocation, abandoned (the function keeps running) after the integration timeout. */
  private invoke(uri: string | undefined, event: Record<string, unknown>, timeoutMs: number): Promise<Outcome> {
    const arn = lambdaArnOf(uri);
    const fn = arn ? this.deps.lambda.functions.byArn(arn) : undefined;
    if (!fn) return Promise.resolve({ kind: 'missing' });
    const payload = Buffer.from(JSON.stringify(event));
    if (payload.length > EVENT_LIMIT) return Promise.resolve({ kind: 'too-large' });
    const { runtime, code } = this.deps.lambda;
    return new Promise<Outcome>((resolve) => {
      const timer = this.deps.clock.setTimer(timeoutMs, () => resolve({ kind: 'timeout' }));
      runtime.invoke(fn, code.dirFor(fn.code), { payload }).then(
        (r) => {
          timer.cancel();
          resolve(r.functionError ? { kind: 'error' } : { kind: 'ok', payload: r.payload });
        },
        (err) => {
          timer.cancel();
          const throttled = err instanceof AwsError && err.code === 'TooManyRequestsException';
          if (!throttled) console.error('[local-cloud] execute-api invoke failed:', err);
          resolve({ kind: throttled ? 'throttled' : 'error' });
        },
      );
    });
  }

  private routes(snapshot: Snapshot): RouteTable {
    let t = this.routeTables.get(snapshot);
    if (!t) {
      t = new RouteTable(snapshot.routes);
      this.routeTables.set(snapshot, t);
    }
    return t;
  }

  private tree(d: DeploymentV1): ResourceTree {
    let t = this.trees.get(d);
    if (!t) {
      t = new ResourceTree(d.resources);
      this.trees.set(d, t);
    }
    return t;
  }

  /** HTTP API request ids look like `JRnS5gPGoAMEV0Q=`: 11 random bytes in base64. */
  private requestId(): string {
    return Buffer.from(this.deps.ids.hex(11), 'hex').toString('base64');
  }
}

function isPreflight(inc: Incoming): boolean {
  return inc.method === 'OPTIONS' && !!inc.headers.origin && !!inc.headers['access-control-request-method'];
}

function isTextLike(inc: Incoming): boolean {
  return inc.body.length === 0 || isTextType(inc.headers['content-type']);
}

/** With a CORS configuration, API Gateway answers CORS itself and drops the integration's CORS headers. */
function stripCors(m: Mapped): void {
  for (const k of Object.keys(m.headers)) if (k.startsWith('access-control-')) delete m.headers[k];
}

function decodeSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The whole body; large or chunked requests arrive as a stream. Undefined past API Gateway's 10 MB. */
async function readBody(req: EdgeRequest): Promise<Buffer | undefined> {
  if (!req.stream || req.body.length) return req.body.length > BODY_LIMIT ? undefined : req.body;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req.stream) {
    size += (chunk as Buffer).length;
    if (size <= BODY_LIMIT) chunks.push(chunk as Buffer);
  }
  return size > BODY_LIMIT ? undefined : Buffer.concat(chunks);
}
