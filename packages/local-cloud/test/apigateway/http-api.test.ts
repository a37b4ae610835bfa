import {
  type ApiGatewayV2Client,
  CreateApiCommand,
  CreateDeploymentCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteApiCommand,
  DeleteDeploymentCommand,
  DeleteRouteCommand,
  GetApiCommand,
  GetApisCommand,
  GetIntegrationsCommand,
  GetRoutesCommand,
  GetStageCommand,
  GetStagesCommand,
  GetTagsCommand,
  TagResourceCommand,
  UpdateApiCommand,
  UpdateRouteCommand,
} from '@aws-sdk/client-apigatewayv2';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, type ManualClock, startLocalCloud } from '../../src/index.js';
import { awsError } from '../helpers.js';
import { createNodeFunction, lambdaClient } from '../lambda/helpers.js';
import { ECHO, fnArn, proxyUri, rawRequest, v2Client } from './helpers.js';

let cloud: LocalCloud<ManualClock>;
let apigw: ApiGatewayV2Client;
let lambda: LambdaClient;

beforeAll(async () => {
  cloud = await startLocalCloud({ clock: 'manual', persistence: 'memory' });
  apigw = v2Client(cloud);
  lambda = lambdaClient(cloud);
  await createNodeFunction(lambda, 'echo', ECHO);
});
afterAll(() => cloud.stop());

// biome-ignore lint/suspicious/noExplicitAny: events are read field by field in assertions.
type Json = Record<string, any>;

async function quickApi(target = fnArn('echo'), extra: Json = {}) {
  return apigw.send(new CreateApiCommand({ Name: 'quick', ProtocolType: 'HTTP', Target: target, ...extra }));
}

/** An HTTP API with one integration to `fn` and the given routes, on an autoDeploy stage. */
async function apiWithRoutes(fn: string, routeKeys: string[], stage = 'prod', payload = '2.0') {
  const api = await apigw.send(new CreateApiCommand({ Name: 'routed', ProtocolType: 'HTTP' }));
  const integ = await apigw.send(
    new CreateIntegrationCommand({
      ApiId: api.ApiId,
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: proxyUri(fn),
      PayloadFormatVersion: payload,
    }),
  );
  for (const key of routeKeys) {
    await apigw.send(
      new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: key, Target: `integrations/${integ.IntegrationId}` }),
    );
  }
  await apigw.send(
    new CreateStageCommand({ ApiId: api.ApiId, StageName: stage, AutoDeploy: true, StageVariables: { env: stage } }),
  );
  return { apiId: api.ApiId as string, endpoint: api.ApiEndpoint as string, integrationId: integ.IntegrationId };
}

async function echoed(res: Response): Promise<Json> {
  expect(res.status).toBe(200);
  return (await res.json()) as Json;
}

describe('HTTP API control plane', () => {
  it('quick-creates a $default route, integration and auto-deployed $default stage from Target', async () => {
    const api = await quickApi();
    expect(api.$metadata.httpStatusCode).toBe(201);
    expect(api.ApiId).toMatch(/^[a-z0-9]{10}$/);
    expect(api.ApiEndpoint).toBe(`${cloud.url}/_aws/execute-api/${api.ApiId}`);
    const routes = await apigw.send(new GetRoutesCommand({ ApiId: api.ApiId }));
    expect(routes.Items?.map((r) => r.RouteKey)).toEqual(['$default']);
    const integrations = await apigw.send(new GetIntegrationsCommand({ ApiId: api.ApiId }));
    expect(integrations.Items?.[0]).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      TimeoutInMillis: 30000,
      IntegrationUri: fnArn('echo'),
    });
    expect(routes.Items?.[0]?.Target).toBe(`integrations/${integrations.Items?.[0]?.IntegrationId}`);
    const stages = await apigw.send(new GetStagesCommand({ ApiId: api.ApiId }));
    expect(stages.Items?.[0]).toMatchObject({ StageName: '$default', AutoDeploy: true });
    expect(stages.Items?.[0]?.DeploymentId).toBeTruthy();
  });

  it('gets, lists, tags and deletes APIs; missing ones are NotFoundException', async () => {
    const api = await quickApi(fnArn('echo'), { Tags: { team: 'a' } });
    expect((await apigw.send(new GetApiCommand({ ApiId: api.ApiId }))).Name).toBe('quick');
    expect((await apigw.send(new GetApisCommand({}))).Items?.some((a) => a.ApiId === api.ApiId)).toBe(true);
    const arn = `arn:aws:apigateway:us-east-1::/apis/${api.ApiId}`;
    await apigw.send(new TagResourceCommand({ ResourceArn: arn, Tags: { env: 'dev' } }));
    expect((await apigw.send(new GetTagsCommand({ ResourceArn: arn }))).Tags).toEqual({ team: 'a', env: 'dev' });
    const deleted = await apigw.send(new DeleteApiCommand({ ApiId: api.ApiId }));
    expect(deleted.$metadata.httpStatusCode).toBe(204);
    const err = await awsError(() => apigw.send(new GetApiCommand({ ApiId: api.ApiId })));
    expect(err).toMatchObject({
      name: 'NotFoundException',
      status: 404,
      message: `Invalid API identifier specified 000000000000:${api.ApiId}`,
    });
  });

  it('rejects duplicate route keys, bad route keys, bad targets and out-of-range timeouts', async () => {
    const { apiId, integrationId } = await apiWithRoutes('echo', ['GET /a']);
    const dup = await awsError(() =>
      apigw.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /a', Target: `integrations/${integrationId}` })),
    );
    expect(dup).toMatchObject({ name: 'ConflictException', status: 409 });
    const bad = await awsError(() => apigw.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /{a+}/b' })));
    expect(bad).toMatchObject({ name: 'BadRequestException', status: 400 });
    const target = await awsError(() =>
      apigw.send(new CreateRouteCommand({ ApiId: apiId, RouteKey: 'GET /b', Target: 'integrations/nope' })),
    );
    expect(target.name).toBe('BadRequestException');
    const timeout = await awsError(() =>
      apigw.send(
        new CreateIntegrationCommand({
          ApiId: apiId,
          IntegrationType: 'AWS_PROXY',
          IntegrationUri: fnArn('echo'),
          PayloadFormatVersion: '2.0',
          TimeoutInMillis: 30001,
        }),
      ),
    );
    expect(timeout).toMatchObject({ name: 'BadRequestException', status: 400 });
  });
});

describe('HTTP API invocation (payload 2.0)', () => {
  it('builds the 2.0 event: raw path and query, joined query values, cookies, lower-case headers', async () => {
    const api = await quickApi();
    const res = await fetch(`${api.ApiEndpoint}/some/path?a=1&a=2&b=x%20y&c`, {
      headers: { Cookie: 'k1=v1; k2=v2', 'X-Custom': 'Yes', 'User-Agent': 'tester/1.0' },
    });
    expect(res.headers.get('apigw-requestid')).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    const event = await echoed(res);
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: '$default',
      rawPath: '/some/path',
      rawQueryString: 'a=1&a=2&b=x%20y&c',
      cookies: ['k1=v1', 'k2=v2'],
      queryStringParameters: { a: '1,2', b: 'x y', c: '' },
      isBase64Encoded: false,
    });
    expect(event.headers['x-custom']).toBe('Yes');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(event).not.toHaveProperty('body');
    expect(event).not.toHaveProperty('pathParameters');
    expect(event).not.toHaveProperty('stageVariables');
    expect(event.requestContext).toMatchObject({
      accountId: '000000000000',
      apiId: api.ApiId,
      domainName: `${api.ApiId}.execute-api.localhost`,
      domainPrefix: api.ApiId,
      http: { method: 'GET', path: '/some/path', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'tester/1.0' },
      routeKey: '$default',
      stage: '$default',
      time: '01/Jan/2026:00:00:00 +0000',
      timeEpoch: cloud.clock.now(),
    });
    expect(event.requestContext.requestId).toBe(res.headers.get('apigw-requestid'));
  });

  it('lower-cases header names, joins repeated headers with commas and collects cookies from every Cookie header', async () => {
    const api = await quickApi();
    const target = new URL(`${api.ApiEndpoint}/h`);
    const res = await rawRequest(Number(target.port), {
      path: target.pathname,
      host: target.host,
      headers: { 'X-Repeat': ['one', 'two'], Cookie: ['a=1; b=2', 'c=3'], 'X-Mixed-Case': 'v' },
    });
    const event = JSON.parse(res.body.toString());
    expect(event.headers['x-repeat']).toBe('one,two');
    expect(event.headers['x-mixed-case']).toBe('v');
    expect(event.headers).not.toHaveProperty('X-Mixed-Case');
    expect(event.cookies).toEqual(['a=1', 'b=2', 'c=3']);
    expect(event.headers).not.toHaveProperty('cookie');
  });

  it('passes JSON bodies as text and binary bodies base64-encoded, and decodes base64 responses', async () => {
    await createNodeFunction(
      lambda,
      'bytes',
      `export const handler = async (event) => ({
        statusCode: 201,
        headers: { 'content-type': 'application/octet-stream', 'x-b64': String(event.isBase64Encoded) },
        body: event.isBase64Encoded ? event.body : Buffer.from(event.body).toString('base64'),
        isBase64Encoded: true,
      });`,
    );
    const api = await quickApi(fnArn('bytes'));
    const json = await fetch(`${api.ApiEndpoint}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(json.status).toBe(201);
    expect(json.headers.get('x-b64')).toBe('false');
    expect(Buffer.from(await json.arrayBuffer()).toString()).toBe('{"a":1}');
    const bytes = Buffer.from([0, 1, 2, 250, 255]);
    const bin = await fetch(`${api.ApiEndpoint}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    expect(bin.headers.get('x-b64')).toBe('true');
    expect(bin.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await bin.arrayBuffer())).toEqual(bytes);
  });

  it('matches the most specific route: literal, then {var}, then greedy {proxy+}, exact method over ANY', async () => {
    const { endpoint } = await apiWithRoutes('echo', [
      'GET /items/{id}',
      'GET /items/special',
      'ANY /{proxy+}',
      'GET /files/{path+}',
    ]);
    const byId = await echoed(await fetch(`${endpoint}/prod/items/42`));
    expect(byId).toMatchObject({
      routeKey: 'GET /items/{id}',
      rawPath: '/prod/items/42',
      pathParameters: { id: '42' },
      stageVariables: { env: 'prod' },
      requestContext: { stage: 'prod', routeKey: 'GET /items/{id}' },
    });
    expect((await echoed(await fetch(`${endpoint}/prod/items/special`))).routeKey).toBe('GET /items/special');
    const greedy = await echoed(await fetch(`${endpoint}/prod/files/a/b/c.txt`));
    expect(greedy).toMatchObject({ routeKey: 'GET /files/{path+}', pathParameters: { path: 'a/b/c.txt' } });
    const any = await echoed(await fetch(`${endpoint}/prod/items/42`, { method: 'DELETE' }));
    expect(any).toMatchObject({ routeKey: 'ANY /{proxy+}', pathParameters: { proxy: 'items/42' } });
  });

  it('answers 404 {"message":"Not Found"} for unmatched routes, unknown stages and undeployed stages', async () => {
    const { apiId, endpoint } = await apiWithRoutes('echo', ['GET /only']);
    const miss = await fetch(`${endpoint}/prod/other`);
    expect(miss.status).toBe(404);
    expect(await miss.json()).toEqual({ message: 'Not Found' });
    expect(miss.headers.get('apigw-requestid')).toBeTruthy();
    expect((await fetch(`${endpoint}/nostage/only`)).status).toBe(404);
    await apigw.send(new CreateStageCommand({ ApiId: apiId, StageName: 'manual' }));
    expect((await fetch(`${endpoint}/manual/only`)).status).toBe(404);
    await apigw.send(new CreateDeploymentCommand({ ApiId: apiId, StageName: 'manual' }));
    expect((await fetch(`${endpoint}/manual/only`)).status).toBe(200);
    const stage = await apigw.send(new GetStageCommand({ ApiId: apiId, StageName: 'manual' }));
    const active = await awsError(() =>
      apigw.send(new DeleteDeploymentCommand({ ApiId: apiId, DeploymentId: stage.DeploymentId })),
    );
    expect(active).toMatchObject({ name: 'BadRequestException', status: 400 });
  });

  it('redeploys autoDeploy stages when routes change', async () => {
    const { apiId, endpoint } = await apiWithRoutes('echo', ['GET /old']);
    const routes = await apigw.send(new GetRoutesCommand({ ApiId: apiId }));
    const routeId = routes.Items?.[0]?.RouteId;
    await apigw.send(new UpdateRouteCommand({ ApiId: apiId, RouteId: routeId, RouteKey: 'GET /new' }));
    expect((await fetch(`${endpoint}/prod/old`)).status).toBe(404);
    expect((await echoed(await fetch(`${endpoint}/prod/new`))).routeKey).toBe('GET /new');
    await apigw.send(new DeleteRouteCommand({ ApiId: apiId, RouteId: routeId }));
    expect((await fetch(`${endpoint}/prod/new`)).status).toBe(404);
  });

  it('maps 2.0 responses: no statusCode means 200 JSON of the value, strings pass through, cookies split', async () => {
    await createNodeFunction(
      lambda,
      'shapes',
      `export const handler = async (event) => {
        if (event.rawPath === '/object') return { hello: 'world' };
        if (event.rawPath === '/string') return 'plain words';
        return {
          statusCode: 202,
          cookies: ['a=1; Path=/', 'b=2'],
          headers: { 'X-Thing': 7, 'Content-Length': '999', Connection: 'close' },
          body: 'ok',
        };
      };`,
    );
    const api = await quickApi(fnArn('shapes'));
    const obj = await fetch(`${api.ApiEndpoint}/object`);
    expect(obj.status).toBe(200);
    expect(obj.headers.get('content-type')).toBe('application/json');
    expect(await obj.json()).toEqual({ hello: 'world' });
    const str = await fetch(`${api.ApiEndpoint}/string`);
    expect(await str.text()).toBe('plain words');
    const full = await fetch(`${api.ApiEndpoint}/full`);
    expect(full.status).toBe(202);
    expect(full.headers.getSetCookie()).toEqual(['a=1; Path=/', 'b=2']);
    expect(full.headers.get('x-thing')).toBe('7');
    expect(full.headers.get('content-length')).toBe('2');
    expect(await full.text()).toBe('ok');
    expect((await fetch(`${api.ApiEndpoint}/string`)).status).toBe(200); // the connection is still usable
  });

  it('is reachable at <apiId>.execute-api.localhost with the $default stage and no stage segment', async () => {
    const api = await quickApi();
    const res = await rawRequest(cloud.port, {
      path: '/hello?x=1',
      host: `${api.ApiId}.execute-api.localhost:${cloud.port}`,
    });
    expect(res.status).toBe(200);
    const event = JSON.parse(res.body.toString()) as Json;
    expect(event).toMatchObject({ rawPath: '/hello', rawQueryString: 'x=1' });
    expect(event.requestContext.domainName).toBe(`${api.ApiId}.execute-api.localhost`);
    expect(event.headers.host).toBe(`${api.ApiId}.execute-api.localhost:${cloud.port}`);
  });
});

describe('HTTP API default endpoint', () => {
  it('answers 403 Forbidden once disableExecuteApiEndpoint is set', async () => {
    const api = await quickApi();
    expect((await fetch(`${api.ApiEndpoint}/`)).status).toBe(200);
    await apigw.send(new UpdateApiCommand({ ApiId: api.ApiId, DisableExecuteApiEndpoint: true }));
    const res = await fetch(`${api.ApiEndpoint}/`);
    expect(res.status).toBe(403);
    expect(await res.json()).toEqual({ message: 'Forbidden' });
  });
});

describe('HTTP API with payload format 1.0', () => {
  it('sends the 1.0 event and maps statusCode, headers and multiValueHeaders back', async () => {
    await createNodeFunction(
      lambda,
      'v1echo',
      `export const handler = async (event) => ({
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        multiValueHeaders: { 'set-cookie': ['x=1', 'y=2'] },
        body: JSON.stringify(event),
      });`,
    );
    const { endpoint } = await apiWithRoutes('v1echo', ['POST /orders/{id}'], 'v1', '1.0');
    const res = await fetch(`${endpoint}/v1/orders/7?tag=a&tag=b`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hi',
    });
    expect(res.headers.getSetCookie()).toEqual(['x=1', 'y=2']);
    const event = await echoed(res);
    expect(event).toMatchObject({
      version: '1.0',
      resource: '/orders/{id}',
      path: '/v1/orders/7',
      httpMethod: 'POST',
      queryStringParameters: { tag: 'b' },
      multiValueQueryStringParameters: { tag: ['a', 'b'] },
      pathParameters: { id: '7' },
      stageVariables: { env: 'v1' },
      body: 'hi',
      isBase64Encoded: false,
      requestContext: {
        resourcePath: '/orders/{id}',
        httpMethod: 'POST',
        stage: 'v1',
        identity: { sourceIp: '127.0.0.1' },
      },
    });
    expect(event.multiValueHeaders['content-type']).toEqual(['text/plain']);
    const target = new URL(`${endpoint}/v1/orders/8`);
    const repeated = await rawRequest(Number(target.port), {
      method: 'POST',
      path: target.pathname,
      host: target.host,
      headers: { 'X-Repeat': ['one', 'two'] },
    });
    const again = JSON.parse(repeated.body.toString());
    expect(again.headers['x-repeat']).toBe('one,two');
    expect(again.multiValueHeaders['x-repeat']).toEqual(['one', 'two']);
  });
});

describe('HTTP API CORS', () => {
  it('answers preflight itself and adds CORS headers to responses for allowed origins', async () => {
    const api = await quickApi(fnArn('echo'), {
      CorsConfiguration: {
        AllowOrigins: ['https://app.example'],
        AllowMethods: ['GET', 'POST'],
        AllowHeaders: ['content-type', 'x-token'],
        ExposeHeaders: ['x-request'],
        MaxAge: 600,
        AllowCredentials: true,
      },
    });
    const pre = await fetch(`${api.ApiEndpoint}/anything`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'POST' },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(pre.headers.get('access-control-allow-methods')).toBe('GET,POST');
    expect(pre.headers.get('access-control-allow-headers')).toBe('content-type,x-token');
    expect(pre.headers.get('access-control-max-age')).toBe('600');
    expect(pre.headers.get('access-control-allow-credentials')).toBe('true');
    const get = await fetch(`${api.ApiEndpoint}/x`, { headers: { origin: 'https://app.example' } });
    expect(get.status).toBe(200);
    expect(get.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(get.headers.get('access-control-expose-headers')).toBe('x-request');
    const other = await fetch(`${api.ApiEndpoint}/x`, { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
