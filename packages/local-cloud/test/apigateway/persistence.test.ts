import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateDeploymentCommand,
  CreateRestApiCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import { CreateApiCommand, GetApisCommand } from '@aws-sdk/client-apigatewayv2';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalCloud } from '../../src/index.js';
import { createNodeFunction, lambdaClient } from '../lambda/helpers.js';
import { ECHO, fnArn, proxyUri, v1Client, v2Client } from './helpers.js';

describe('API Gateway on disk', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'apigw-disk-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps HTTP and REST APIs, their routes, resources and deployments across restarts', async () => {
    const first = await startLocalCloud({ clock: 'manual', persistence: 'disk', dataDir });
    await createNodeFunction(lambdaClient(first), 'echo', ECHO);
    const http = await v2Client(first).send(
      new CreateApiCommand({ Name: 'kept', ProtocolType: 'HTTP', Target: fnArn('echo'), RouteKey: 'GET /kept/{id}' }),
    );
    const v1 = v1Client(first);
    const rest = await v1.send(new CreateRestApiCommand({ name: 'kept' }));
    const root = (await v1.send(new GetResourcesCommand({ restApiId: rest.id }))).items?.[0]?.id;
    const m = { restApiId: rest.id, resourceId: root, httpMethod: 'GET' };
    await v1.send(new PutMethodCommand({ ...m, authorizationType: 'NONE' }));
    await v1.send(
      new PutIntegrationCommand({ ...m, type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri: proxyUri('echo') }),
    );
    await v1.send(new CreateDeploymentCommand({ restApiId: rest.id, stageName: 'live' }));
    await first.stop();

    const second = await startLocalCloud({ clock: 'manual', persistence: 'disk', dataDir });
    try {
      const apis = await v2Client(second).send(new GetApisCommand({}));
      expect(apis.Items?.map((a) => a.ApiId)).toEqual([http.ApiId]);
      const viaHttp = await fetch(`${second.url}/_aws/execute-api/${http.ApiId}/kept/9`);
      expect(viaHttp.status).toBe(200);
      expect(((await viaHttp.json()) as { pathParameters: unknown }).pathParameters).toEqual({ id: '9' });
      const viaRest = await fetch(`${second.url}/_aws/execute-api/${rest.id}/live/`);
      expect(viaRest.status).toBe(200);
      expect(((await viaRest.json()) as { resource: string }).resource).toBe('/');
    } finally {
      await second.stop();
    }
  });
});
