import {
  CreateApiCommand,
  CreateDeploymentCommand,
  CreateIntegrationCommand,
  CreateRouteCommand,
  CreateStageCommand,
  DeleteApiCommand,
  DeleteDeploymentCommand,
  DeleteIntegrationCommand,
  DeleteRouteCommand,
  DeleteStageCommand,
  UpdateApiCommand,
  UpdateIntegrationCommand,
  UpdateRouteCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-apigatewayv2';
import type { Provisioner } from '../types.js';
import { changed, defined, ignoreMissing } from './util.js';

/** CloudFormation's ApiGatewayV2 properties are the SDK's input members (PascalCase), minus a few. */
function pick(props: Record<string, unknown>, skip: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) if (!skip.includes(k)) out[k] = v;
  return out;
}

/** AWS::ApiGatewayV2::Api (HTTP APIs): Ref is the API id. */
export const api: Provisioner = {
  async create(props, ctx) {
    const input = pick(props, ['Tags', 'Body', 'BodyS3Location', 'BasePath', 'FailOnWarnings']);
    const out = await ctx.clients.apigatewayv2.send(
      new CreateApiCommand({
        ...(input as object as { Name: string; ProtocolType: 'HTTP' }),
        ...(props.Tags ? { Tags: props.Tags as Record<string, string> } : {}),
      }),
    );
    return { physicalId: out.ApiId as string, attributes: { ApiId: out.ApiId, ApiEndpoint: out.ApiEndpoint } };
  },
  async update(old, props, ctx) {
    if (changed(old.properties, props).has('ProtocolType')) return 'replace';
    const input = pick(props, ['Tags', 'Body', 'BodyS3Location', 'BasePath', 'FailOnWarnings', 'ProtocolType']);
    await ctx.clients.apigatewayv2.send(new UpdateApiCommand({ ...input, ApiId: old.physicalId }));
    return { physicalId: old.physicalId, attributes: old.attributes };
  },
  async delete(old, ctx) {
    await ignoreMissing(() => ctx.clients.apigatewayv2.send(new DeleteApiCommand({ ApiId: old.physicalId })));
  },
};

function child<I extends { ApiId: string }>(
  create: (input: I) => unknown,
  update: (input: I & Record<string, string>) => unknown,
  remove: (apiId: string, id: string) => unknown,
  idOf: (out: Record<string, unknown>) => string,
  idKey: string,
  replaceOn: string[],
): Provisioner {
  return {
    async create(props, ctx) {
      const out = (await ctx.clients.apigatewayv2.send(
        create(pick(props) as unknown as I) as never,
      )) as unknown as Record<string, unknown>;
      return { physicalId: idOf(out) };
    },
    async update(old, props, ctx) {
      const diff = changed(old.properties, props);
      if (replaceOn.some((k) => diff.has(k))) return 'replace';
      const input = {
        ...pick(
          props,
          replaceOn.filter((k) => k !== 'ApiId'),
        ),
        [idKey]: old.physicalId,
      } as unknown as I & Record<string, string>;
      await ctx.clients.apigatewayv2.send(update(input) as never);
      return { physicalId: old.physicalId };
    },
    async delete(old, ctx) {
      await ignoreMissing(() =>
        ctx.clients.apigatewayv2.send(remove(old.properties.ApiId as string, old.physicalId) as never),
      );
    },
  };
}

export const integration = child(
  (i) => new CreateIntegrationCommand(i as never),
  (i) => new UpdateIntegrationCommand(i as never),
  (ApiId, IntegrationId) => new DeleteIntegrationCommand({ ApiId, IntegrationId }),
  (o) => o.IntegrationId as string,
  'IntegrationId',
  ['ApiId'],
);

export const route = child(
  (i) => new CreateRouteCommand(i as never),
  (i) => new UpdateRouteCommand(i as never),
  (ApiId, RouteId) => new DeleteRouteCommand({ ApiId, RouteId }),
  (o) => o.RouteId as string,
  'RouteId',
  ['ApiId'],
);

export const stage = child(
  (i) => new CreateStageCommand(defined(i as never)),
  (i) => new UpdateStageCommand(i as never),
  (ApiId, StageName) => new DeleteStageCommand({ ApiId, StageName }),
  (o) => o.StageName as string,
  'StageName',
  ['ApiId', 'StageName'],
);

export const deployment = child(
  (i) => new CreateDeploymentCommand(i as never),
  (i) => new CreateDeploymentCommand({ ApiId: i.ApiId, ...(i.StageName ? { StageName: i.StageName } : {}) } as never),
  (ApiId, DeploymentId) => new DeleteDeploymentCommand({ ApiId, DeploymentId }),
  (o) => o.DeploymentId as string,
  'DeploymentId',
  ['ApiId'],
);
