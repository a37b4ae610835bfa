import {
  CreateDeploymentCommand,
  CreateRestApiCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import {
  CreateApiCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import { FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { type LambdaClient, PutFunctionConcurrencyCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, type ManualClock, startLocalCloud } from '../../src/index.js';
import { logsClient } from '../helpers.js';
import { createNodeFunction, lambdaClient } from '../lambda/helpers.js';
import { ECHO, fnArn, proxyUri, settleWithClock, v1Client, v2Client } from './helpers.js';

let cloud: LocalCloud<ManualClock>;
let lambda: LambdaClient;

const HANG = `export const handler = async (event) => {
  const hang = (event.rawPath ?? event.path).endsWith('/hang') || event.queryStringParameters?.mode === 'hang';
  if (hang) await new Promise((r) => setTimeout(r, 600_000)); // the clock, not this timer, ends it
  return { statusCode: 200, body: 'done' };
};`;

beforeAll(async () => {
  cloud = await startLocalCloud({ clock: 'manual', persistence: 'memory' });
  lambda = lambdaClient(cloud);
  await createNodeFunction(lambda, 'echo', ECHO);
  await createNodeFunction(lambda, 'hang', HANG, { Timeout: 120 });
  await createNodeFunction(lambda, 'throws', 'export const handler = async () => { throw new Error("nope"); };');
  await createNodeFunction(lambda, 'garbled', 'export const handler = async () => ({ statusCode: "abc" });');
});
afterAll(() => cloud.stop());

async function quick(fn: string): Promise<string> {
  const api = await v2Client(cloud).send(new CreateApiCommand({ Name: fn, ProtocolType: 'HTTP', Target: fnArn(fn) }));
  return api.ApiEndpoint as string;
}

async function expectGateway(res: Response, status: number, message: string) {
  expect(res.status).toBe(status);
  expect(await res.json()).toEqual({ message });
}

describe('HTTP API errors', () => {
  it('answers 500 Internal Server Error when the function fails or returns a malformed response', async () => {
    await expectGateway(await fetch(`${await quick('throws')}/`), 500, 'Internal Server Error');
    await expectGateway(await fetch(`${await quick('garbled')}/`), 500, 'Internal Server Error');
  });

  it('answers 500 when the integration points at a function that does not exist', async () => {
    await expectGateway(await fetch(`${await quick('never-created')}/`), 500, 'Internal Server Error');
  });

  it('answers 503 Service Unavailable once timeoutInMillis passes on the clock', async () => {
    const v2 = v2Client(cloud);
    const api = await v2.send(new CreateApiCommand({ Name: 'slow', ProtocolType: 'HTTP' }));
    const integ = await v2.send(
      new CreateIntegrationCommand({
        ApiId: api.ApiId,
        IntegrationType: 'AWS_PROXY',
        IntegrationUri: fnArn('hang'),
        PayloadFormatVersion: '2.0',
        TimeoutInMillis: 2000,
      }),
    );
    await v2.send(
      new CreateRouteCommand({ ApiId: api.ApiId, RouteKey: '$default', Target: `integrations/${integ.IntegrationId}` }),
    );
    await v2.send(new CreateStageCommand({ ApiId: api.ApiId, StageName: '$default', AutoDeploy: true }));
    const start = cloud.clock.now();
    const res = await settleWithClock(cloud.clock, fetch(`${api.ApiEndpoint}/hang`), 500);
    await expectGateway(res, 503, 'Service Unavailable');
    expect(cloud.clock.now() - start).toBeGreaterThanOrEqual(2000);
  });

  it('answers 500 when Lambda throttles the invocation (reserved concurrency used up)', async () => {
    await createNodeFunction(lambda, 'single', HANG, { Timeout: 120 });
    await lambda.send(new PutFunctionConcurrencyCommand({ FunctionName: 'single', ReservedConcurrentExecutions: 1 }));
    const endpoint = await quick('single');
    const hanging = fetch(`${endpoint}/hang`);
    let res: Response | undefined;
    for (let i = 0; i < 100; i++) {
      res = await fetch(`${endpoint}/fast`);
      if (res.status !== 200) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await expectGateway(res as Response, 500, 'Internal Server Error');
    await settleWithClock(cloud.clock, hanging, 10_000);
  });

  it('answers 413 Request Entity Too Large for bodies over 10 MB', async () => {
    const endpoint = await quick('echo');
    const body = Buffer.alloc(10 * 1024 * 1024 + 1, 97);
    const res = await fetch(`${endpoint}/`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body });
    await expectGateway(res, 413, 'Request Entity Too Large');
  });

  it("writes each request's invocation to the function's CloudWatch log group", async () => {
    const endpoint = await quick('echo');
    const res = await fetch(`${endpoint}/logged`);
    expect(res.status).toBe(200);
    const logs = logsClient(cloud);
    let messages: string[] = [];
    for (let i = 0; i < 100 && !messages.some((m) => m.startsWith('REPORT')); i++) {
      const out = await logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/echo' }));
      messages = (out.events ?? []).map((e) => e.message ?? '');
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(messages.some((m) => m.startsWith('START RequestId:'))).toBe(true);
    expect(messages.some((m) => m.startsWith('REPORT RequestId:'))).toBe(true);
  });
});

describe('REST API errors', () => {
  async function restTo(fn: string, timeoutInMillis?: number): Promise<string> {
    const v1 = v1Client(cloud);
    const api = await v1.send(new CreateRestApiCommand({ name: fn }));
    const root = (await v1.send(new GetResourcesCommand({ restApiId: api.id }))).items?.[0]?.id;
    const common = { restApiId: api.id, resourceId: root, httpMethod: 'ANY' };
    await v1.send(new PutMethodCommand({ ...common, authorizationType: 'NONE' }));
    await v1.send(
      new PutIntegrationCommand({
        ...common,
        type: 'AWS_PROXY',
        integrationHttpMethod: 'POST',
        uri: proxyUri(fn),
        ...(timeoutInMillis ? { timeoutInMillis } : {}),
      }),
    );
    await v1.send(new CreateDeploymentCommand({ restApiId: api.id, stageName: 'prod' }));
    return `${cloud.url}/_aws/execute-api/${api.id}/prod`;
  }

  it('answers 504 Endpoint request timed out once the integration timeout passes', async () => {
    const url = await restTo('hang', 1000);
    const res = await settleWithClock(cloud.clock, fetch(`${url}/?mode=hang`), 250);
    await expectGateway(res, 504, 'Endpoint request timed out');
  });

  it('answers 500 Internal server error when the function does not exist', async () => {
    await expectGateway(await fetch(`${await restTo('missing-fn')}/`), 500, 'Internal server error');
  });
});
