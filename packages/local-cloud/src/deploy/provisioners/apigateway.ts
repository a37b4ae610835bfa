import {
  CreateDeploymentCommand,
  CreateResourceCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  DeleteMethodCommand,
  DeleteResourceCommand,
  DeleteRestApiCommand,
  DeleteStageCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';
import type { ProvisionContext, Provisioner } from '../types.js';
import { ignoreMissing } from './util.js';

/** AWS::ApiGateway::RestApi: Ref is the API id; RootResourceId for the `/` resource. */
export const restApi: Provisioner = {
  async create(props, ctx) {
    const out = await ctx.clients.apigateway.send(
      new CreateRestApiCommand({
        name: (props.Name as string | undefined) ?? ctx.logicalId,
        ...(props.Description ? { description: props.Description as string } : {}),
        ...(props.BinaryMediaTypes ? { binaryMediaTypes: props.BinaryMediaTypes as string[] } : {}),
      }),
    );
    const id = out.id as string;
    const resources = await ctx.clients.apigateway.send(new GetResourcesCommand({ restApiId: id }));
    const root = resources.items?.find((r) => r.path === '/')?.id;
    return { physicalId: id, attributes: { RestApiId: id, RootResourceId: root } };
  },
  async delete(old, ctx) {
    await ignoreMissing(() => ctx.clients.apigateway.send(new DeleteRestApiCommand({ restApiId: old.physicalId })));
  },
};

export const resource: Provisioner = {
  async create(props, ctx) {
    const out = await ctx.clients.apigateway.send(
      new CreateResourceCommand({
        restApiId: props.RestApiId as string,
        parentId: props.ParentId as string,
        pathPart: props.PathPart as string,
      }),
    );
    return { physicalId: out.id as string, attributes: { ResourceId: out.id } };
  },
  async delete(old, ctx) {
    await ignoreMissing(() =>
      ctx.clients.apigateway.send(
        new DeleteResourceCommand({ restApiId: old.properties.RestApiId as string, resourceId: old.physicalId }),
      ),
    );
  },
};

async function putMethod(props: Record<string, unknown>, ctx: ProvisionContext) {
  const restApiId = props.RestApiId as string;
  const resourceId = props.ResourceId as string;
  const httpMethod = props.HttpMethod as string;
  await ctx.clients.apigateway.send(
    new PutMethodCommand({
      restApiId,
      resourceId,
      httpMethod,
      authorizationType: (props.AuthorizationType as string | undefined) ?? 'NONE',
    }),
  );
  const integ = props.Integration as { Type?: string; IntegrationHttpMethod?: string; Uri?: string } | undefined;
  if (integ?.Type) {
    await ctx.clients.apigateway.send(
      new PutIntegrationCommand({
        restApiId,
        resourceId,
        httpMethod,
        type: integ.Type as 'AWS_PROXY',
        ...(integ.IntegrationHttpMethod ? { integrationHttpMethod: integ.IntegrationHttpMethod } : {}),
        ...(integ.Uri ? { uri: integ.Uri } : {}),
      }),
    );
  }
  return { physicalId: `${resourceId}-${httpMethod}` };
}

export const method: Provisioner = {
  create: putMethod,
  async delete(old, ctx) {
    await ignoreMissing(() =>
      ctx.clients.apigateway.send(
        new DeleteMethodCommand({
          restApiId: old.properties.RestApiId as string,
          resourceId: old.properties.ResourceId as string,
          httpMethod: old.properties.HttpMethod as string,
        }),
      ),
    );
  },
};

export const deployment: Provisioner = {
  async create(props, ctx) {
    const out = await ctx.clients.apigateway.send(
      new CreateDeploymentCommand({
        restApiId: props.RestApiId as string,
        ...(props.StageName ? { stageName: props.StageName as string } : {}),
        ...(props.Description ? { description: props.Description as string } : {}),
      }),
    );
    return { physicalId: out.id as string, attributes: { DeploymentId: out.id } };
  },
  // A deployment is a snapshot: a changed one is a new deployment.
  async delete() {},
};

export const stage: Provisioner = {
  async create(props, ctx) {
    await ctx.clients.apigateway.send(
      new CreateStageCommand({
        restApiId: props.RestApiId as string,
        stageName: props.StageName as string,
        deploymentId: props.DeploymentId as string,
        ...(props.Variables ? { variables: props.Variables as Record<string, string> } : {}),
      }),
    );
    return { physicalId: props.StageName as string };
  },
  async delete(old, ctx) {
    await ignoreMissing(() =>
      ctx.clients.apigateway.send(
        new DeleteStageCommand({ restApiId: old.properties.RestApiId as string, stageName: old.physicalId }),
      ),
    );
  },
};
