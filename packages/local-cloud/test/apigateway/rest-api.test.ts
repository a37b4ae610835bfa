import {
  type APIGatewayClient,
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  DeleteDeploymentCommand,
  DeleteRestApiCommand,
  GetResourcesCommand,
  GetRestApiCommand,
  GetRestApisCommand,
  GetStageCommand,
  GetStagesCommand,
  GetTagsCommand,
  PutIntegrationCommand,
  PutMethodCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, type ManualClock, startLocalCloud } from '../../src/index.js';
import { awsError } from '../helpers.js';
import { createNodeFunction, lambdaClient } from '../lambda/helpers.js';
import { ECHO, proxyUri, rawRequest, v1Client } from './helpers.js';

let cloud: LocalCloud<ManualClock>;
let apigw: APIGatewayClient;
let lambda: LambdaClient;

beforeAll(async () => {
  cloud = await startLocalCloud({ clock: 'manual', persistence: 'memory' });
  apigw = v1Client(cloud);
  lambda = lambdaClient(cloud);
  await createNodeFunction(lambda, 'echo', ECHO);
});
afterAll(() => cloud.stop());

// biome-ignore lint/suspicious/noExplicitAny: events are read field by field in assertions.
type Json = Record<string, any>;

/** A REST API: /items/{id} (GET) and /{proxy+} (ANY) proxying to `fn`, deployed to `stage`. */
async function restApi(fn: string, stage = 'dev', extra: Json = {}) {
  const api = await apigw.send(new CreateRestApiCommand({ name: 'rest', ...extra }));
  const restApiId = api.id as string;
  const resources = await apigw.send(new GetResourcesCommand({ restApiId }));
  const root = resources.items?.find((r) => r.path === '/')?.id as string;
  const items = await apigw.send(new CreateResourceCommand({ restApiId, parentId: root, pathPart: 'items' }));
  const item = await apigw.send(new CreateResourceCommand({ restApiId, parentId: items.id, pathPart: '{id}' }));
  const proxy = await apigw.send(new CreateResourceCommand({ restApiId, parentId: root, pathPart: '{proxy+}' }));
  for (const [resourceId, httpMethod] of [
    [item.id, 'GET'],
    [proxy.id, 'ANY'],
  ] as const) {
    await apigw.send(new PutMethodCommand({ restApiId, resourceId, httpMethod, authorizationType: 'NONE' }));
    await apigw.send(
      new PutIntegrationCommand({
        restApiId,
        resourceId,
        httpMethod,
        type: 'AWS_PROXY',
        integrationHttpMethod: 'POST',
        uri: proxyUri(fn),
      }),
    );
  }
  const deployment = await apigw.send(
    new CreateDeploymentCommand({ restApiId, stageName: stage, variables: { color: 'blue' } }),
  );
  return { restApiId, root, url: `${cloud.url}/_aws/execute-api/${restApiId}/${stage}`, deployment };
}

describe('REST API control plane', () => {
  it('creates an API with a root resource, builds a resource tree and deploys it to a stage', async () => {
    const { restApiId, deployment } = await restApi('echo');
    expect(deployment.$metadata.httpStatusCode).toBe(201);
    const got = await apigw.send(new GetRestApiCommand({ restApiId }));
    expect(got).toMatchObject({ name: 'rest', apiKeySource: 'HEADER', endpointConfiguration: { types: ['EDGE'] } });
    expect(got.createdDate).toBeInstanceOf(Date);
    const resources = await apigw.send(new GetResourcesCommand({ restApiId }));
    expect(resources.items?.map((r) => r.path).sort()).toEqual(['/', '/items', '/items/{id}', '/{proxy+}']);
    const stage = await apigw.send(new GetStageCommand({ restApiId, stageName: 'dev' }));
    expect(stage).toMatchObject({ stageName: 'dev', deploymentId: deployment.id, variables: { color: 'blue' } });
    await apigw.send(new CreateStageCommand({ restApiId, stageName: 'second', deploymentId: deployment.id }));
    const stages = await apigw.send(new GetStagesCommand({ restApiId }));
    expect(stages.item?.map((s) => s.stageName).sort()).toEqual(['dev', 'second']);
    expect((await apigw.send(new GetRestApisCommand({}))).items?.some((a) => a.id === restApiId)).toBe(true);
  });

  it('moves a stage to another deployment and deletes deployments no stage uses', async () => {
    const { restApiId, deployment } = await restApi('echo', 'moving');
    const next = await apigw.send(new CreateDeploymentCommand({ restApiId, description: 'second' }));
    const busy = await awsError(() =>
      apigw.send(new DeleteDeploymentCommand({ restApiId, deploymentId: deployment.id })),
    );
    expect(busy).toMatchObject({
      name: 'BadRequestException',
      message: 'Active stages pointing to this deployment must be moved or deleted',
    });
    await apigw.send(
      new UpdateStageCommand({
        restApiId,
        stageName: 'moving',
        patchOperations: [
          { op: 'replace', path: '/deploymentId', value: next.id },
          { op: 'replace', path: '/variables/color', value: 'green' },
        ],
      }),
    );
    const stage = await apigw.send(new GetStageCommand({ restApiId, stageName: 'moving' }));
    expect(stage).toMatchObject({ deploymentId: next.id, variables: { color: 'green' } });
    const gone = await apigw.send(new DeleteDeploymentCommand({ restApiId, deploymentId: deployment.id }));
    expect(gone.$metadata.httpStatusCode).toBe(202);
  });

  it('tags REST APIs and stages', async () => {
    const { restApiId } = await restApi('echo', 'tagged');
    const apiArn = `arn:aws:apigateway:us-east-1::/restapis/${restApiId}`;
    await apigw.send(new TagResourceCommand({ resourceArn: apiArn, tags: { a: '1', b: '2' } }));
    await apigw.send(new UntagResourceCommand({ resourceArn: apiArn, tagKeys: ['b'] }));
    expect((await apigw.send(new GetTagsCommand({ resourceArn: apiArn }))).tags).toEqual({ a: '1' });
    const stageArn = `${apiArn}/stages/tagged`;
    await apigw.send(new TagResourceCommand({ resourceArn: stageArn, tags: { s: 'x' } }));
    expect((await apigw.send(new GetStageCommand({ restApiId, stageName: 'tagged' }))).tags).toEqual({ s: 'x' });
  });

  it("answers AWS's errors: unknown API, duplicate path part, deploying an API without methods", async () => {
    const missing = await awsError(() => apigw.send(new GetRestApiCommand({ restApiId: 'nope123456' })));
    expect(missing).toMatchObject({
      name: 'NotFoundException',
      status: 404,
      message: 'Invalid API identifier specified 000000000000:nope123456',
    });
    const api = await apigw.send(new CreateRestApiCommand({ name: 'empty' }));
    const root = (await apigw.send(new GetResourcesCommand({ restApiId: api.id }))).items?.[0]?.id;
    await apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: root, pathPart: 'a' }));
    const dup = await awsError(() =>
      apigw.send(new CreateResourceCommand({ restApiId: api.id, parentId: root, pathPart: 'a' })),
    );
    expect(dup).toMatchObject({
      name: 'ConflictException',
      status: 409,
      message: 'Another resource with the same parent already has this name: a',
    });
    const deploy = await awsError(() => apigw.send(new CreateDeploymentCommand({ restApiId: api.id })));
    expect(deploy).toMatchObject({ name: 'BadRequestException', message: "The REST API doesn't contain any methods" });
    const deleted = await apigw.send(new DeleteRestApiCommand({ restApiId: api.id }));
    expect(deleted.$metadata.httpStatusCode).toBe(202);
  });
});

describe('REST API invocation (payload 1.0)', () => {
  it('sends the 1.0 event with resource, path without stage, multi-value maps and requestContext', async () => {
    const { restApiId, url } = await restApi('echo');
    const res = await fetch(`${url}/items/42?q=1&q=2`, { headers: { 'x-one': 'a', 'user-agent': 'ua/1' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-amzn-requestid')).toBeTruthy();
    const event = (await res.json()) as Json;
    expect(event).not.toHaveProperty('version');
    expect(event).toMatchObject({
      resource: '/items/{id}',
      path: '/items/42',
      httpMethod: 'GET',
      queryStringParameters: { q: '2' },
      multiValueQueryStringParameters: { q: ['1', '2'] },
      pathParameters: { id: '42' },
      stageVariables: { color: 'blue' },
      body: null,
      isBase64Encoded: false,
      requestContext: {
        resourcePath: '/items/{id}',
        httpMethod: 'GET',
        path: '/dev/items/42',
        stage: 'dev',
        apiId: restApiId,
        accountId: '000000000000',
        requestTime: '01/Jan/2026:00:00:00 +0000',
        requestTimeEpoch: cloud.clock.now(),
        identity: { sourceIp: '127.0.0.1', userAgent: 'ua/1', accessKey: null },
      },
    });
    expect(event.requestContext.requestId).toBe(res.headers.get('x-amzn-requestid'));
    expect(event.headers['x-one']).toBe('a');
    expect(event.multiValueHeaders['x-one']).toEqual(['a']);
  });

  it("keeps the client's header casing, the last value of a repeated header and every value in multiValueHeaders", async () => {
    const { url } = await restApi('echo');
    const target = new URL(`${url}/items/42`);
    const res = await rawRequest(Number(target.port), {
      path: target.pathname,
      host: target.host,
      headers: { 'X-Mixed-Case': 'v', 'X-Repeat': ['one', 'two'], 'X-Forwarded-For': '203.0.113.9' },
    });
    const event = JSON.parse(res.body.toString()) as Json;
    expect(event.headers['X-Mixed-Case']).toBe('v');
    expect(event.headers).not.toHaveProperty('x-mixed-case');
    expect(event.headers['X-Repeat']).toBe('two');
    expect(event.multiValueHeaders['X-Repeat']).toEqual(['one', 'two']);
    expect(event.headers['X-Forwarded-For']).toBe('203.0.113.9, 127.0.0.1');
    expect(event.headers['X-Forwarded-Proto']).toBe('http');
    expect(event.headers['X-Amzn-Trace-Id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    // rawRequest sends its Host header as `host`: the name stays as sent.
    expect(event.multiValueHeaders.host).toEqual([target.host]);
  });

  it('routes everything else to {proxy+} with ANY, and leaves empty maps null', async () => {
    const { url } = await restApi('echo');
    const res = await fetch(`${url}/deep/er/path`, { method: 'PUT', body: 'text body' });
    const event = (await res.json()) as Json;
    expect(event).toMatchObject({
      resource: '/{proxy+}',
      path: '/deep/er/path',
      httpMethod: 'PUT',
      pathParameters: { proxy: 'deep/er/path' },
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      body: 'text body',
      isBase64Encoded: false,
    });
  });

  it('base64-encodes bodies whose content type is in binaryMediaTypes', async () => {
    const { url } = await restApi('echo', 'bin', { binaryMediaTypes: ['image/*'] });
    const bytes = Buffer.from([137, 80, 78, 71, 0, 255]);
    const res = await fetch(`${url}/upload`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: bytes });
    const event = (await res.json()) as Json;
    expect(event).toMatchObject({ isBase64Encoded: true, body: bytes.toString('base64') });
  });

  it('answers 403 Missing Authentication Token for unknown stages and paths', async () => {
    const { restApiId } = await restApi('echo');
    for (const path of [`/_aws/execute-api/${restApiId}/nostage/items/1`, `/_aws/execute-api/${restApiId}/dev/items`]) {
      const res = await fetch(`${cloud.url}${path}`);
      expect(res.status).toBe(403);
      expect(res.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
      expect(await res.json()).toEqual({ message: 'Missing Authentication Token' });
    }
  });

  it('gives 502 Internal server error for function errors and malformed proxy responses', async () => {
    await createNodeFunction(
      lambda,
      'bad',
      `export const handler = async (event) => {
        if (event.path === '/throw') throw new Error('boom');
        if (event.path === '/extra') return { statusCode: 200, body: 'x', extra: true };
        return { statusCode: 200, body: { not: 'a string' } };
      };`,
    );
    const { url } = await restApi('bad');
    for (const p of ['/throw', '/extra', '/object']) {
      const res = await fetch(`${url}${p}`);
      expect(res.status).toBe(502);
      expect(await res.json()).toEqual({ message: 'Internal server error' });
    }
  });
});
