import type { RestContext } from '../../../core/service.js';
import { BadRequestException, ConflictException, NotFoundException } from '../errors.js';
import type {
  DeploymentRecord,
  HttpApi,
  HttpApiRegistry,
  IntegrationRecord,
  RouteRecord,
  StageRecord,
} from '../model/http-apis.js';
import { validRouteKey } from '../model/match.js';
import { type ApiInput, type ApiOp, bool, defined, iso, lambdaArnOf, need, reply, str, strMap } from './common.js';

/** apigatewayv2 routes, integrations, stages and deployments. Changes redeploy autoDeploy stages. */
const routeOut = (r: RouteRecord) => ({ ...r });
const integrationOut = (i: IntegrationRecord) => ({ ...i });
const stageOut = (s: StageRecord) =>
  defined({
    ...s,
    createdDate: iso(s.createdDate),
    lastUpdatedDate: iso(s.lastUpdatedDate),
    defaultRouteSettings: { detailedMetricsEnabled: false },
    routeSettings: {},
  });
const deploymentOut = (d: DeploymentRecord) =>
  defined({
    deploymentId: d.deploymentId,
    createdDate: iso(d.createdDate),
    description: d.description,
    autoDeployed: d.autoDeployed,
    deploymentStatus: 'DEPLOYED',
  });

const PAYLOAD_VERSIONS = ['1.0', '2.0'];
const INTEGRATION_TYPES = ['AWS', 'AWS_PROXY', 'HTTP', 'HTTP_PROXY', 'MOCK'];

export function httpPartOperations(apis: HttpApiRegistry): Record<string, ApiOp> {
  const api = (input: ApiInput, ctx: RestContext) => apis.get(ctx.scope, input.params.apiId ?? '');
  const route = (a: HttpApi, id: string) => {
    const r = a.routes[id];
    if (!r) throw new NotFoundException(`Invalid Route identifier specified ${id}`);
    return r;
  };
  const integration = (a: HttpApi, id: string) => {
    const i = a.integrations[id];
    if (!i) throw new NotFoundException(`Invalid Integration identifier specified ${id}`);
    return i;
  };
  const stage = (a: HttpApi, name: string) => {
    const s = a.stages[name];
    if (!s) throw new NotFoundException(`Invalid stage identifier specified ${name}`);
    return s;
  };

  return {
    CreateRoute(input, ctx) {
      const a = api(input, ctx);
      const b = input.json();
      const r: RouteRecord = {
        routeId: apis.newId(7),
        routeKey: routeKeyOf(a, b.routeKey),
        authorizationType: str(b.authorizationType, 'authorizationType') ?? 'NONE',
        apiKeyRequired: bool(b.apiKeyRequired, 'apiKeyRequired') ?? false,
        ...defined({ target: targetOf(a, b.target), operationName: str(b.operationName, 'operationName') }),
      };
      a.routes[r.routeId] = r;
      apis.changed(a);
      return reply(201, routeOut(r), ctx);
    },
    GetRoute: (input, ctx) => reply(200, routeOut(route(api(input, ctx), input.params.routeId ?? '')), ctx),
    GetRoutes: (input, ctx) => reply(200, { items: Object.values(api(input, ctx).routes).map(routeOut) }, ctx),
    UpdateRoute(input, ctx) {
      const a = api(input, ctx);
      const r = route(a, input.params.routeId ?? '');
      const b = input.json();
      if (b.routeKey !== undefined && b.routeKey !== r.routeKey) r.routeKey = routeKeyOf(a, b.routeKey);
      const target = targetOf(a, b.target);
      if (target !== undefined) r.target = target;
      const auth = str(b.authorizationType, 'authorizationType');
      if (auth !== undefined) r.authorizationType = auth;
      apis.changed(a);
      return reply(200, routeOut(r), ctx);
    },
    DeleteRoute(input, ctx) {
      const a = api(input, ctx);
      delete a.routes[route(a, input.params.routeId ?? '').routeId];
      apis.changed(a);
      return reply(204, undefined, ctx);
    },
    CreateIntegration(input, ctx) {
      const a = api(input, ctx);
      const i = integrationOf(apis.newId(7), input.json());
      a.integrations[i.integrationId] = i;
      apis.changed(a);
      return reply(201, integrationOut(i), ctx);
    },
    GetIntegration: (input, ctx) =>
      reply(200, integrationOut(integration(api(input, ctx), input.params.integrationId ?? '')), ctx),
    GetIntegrations: (input, ctx) =>
      reply(200, { items: Object.values(api(input, ctx).integrations).map(integrationOut) }, ctx),
    UpdateIntegration(input, ctx) {
      const a = api(input, ctx);
      const old = integration(a, input.params.integrationId ?? '');
      const i = integrationOf(old.integrationId, { ...old, ...input.json() });
      a.integrations[i.integrationId] = i;
      apis.changed(a);
      return reply(200, integrationOut(i), ctx);
    },
    DeleteIntegration(input, ctx) {
      const a = api(input, ctx);
      const i = integration(a, input.params.integrationId ?? '');
      const user = Object.values(a.routes).find((r) => r.target === `integrations/${i.integrationId}`);
      if (user) {
        throw new ConflictException(
          `Cannot delete integration ${i.integrationId}: it is the target of route ${user.routeId}`,
        );
      }
      delete a.integrations[i.integrationId];
      apis.changed(a);
      return reply(204, undefined, ctx);
    },
    CreateStage(input, ctx) {
      const a = api(input, ctx);
      const b = input.json();
      const name = need(b.stageName, 'stageName');
      if (name !== '$default' && !/^[a-zA-Z0-9_-]{1,128}$/.test(name)) {
        throw new BadRequestException(`Stage name must match [a-zA-Z0-9_-]+ or be $default: ${name}`);
      }
      if (a.stages[name]) throw new ConflictException(`Stage ${name} already exists`);
      const deploymentId = str(b.deploymentId, 'deploymentId');
      if (deploymentId && !a.deployments[deploymentId]) {
        throw new BadRequestException(`Invalid deployment identifier specified ${deploymentId}`);
      }
      const now = apis.clockNow();
      const s: StageRecord = {
        stageName: name,
        autoDeploy: bool(b.autoDeploy, 'autoDeploy') ?? false,
        stageVariables: strMap(b.stageVariables, 'stageVariables') ?? {},
        tags: strMap(b.tags, 'tags') ?? {},
        createdDate: now,
        lastUpdatedDate: now,
        ...defined({ deploymentId, description: str(b.description, 'description') }),
      };
      a.stages[name] = s;
      if (s.autoDeploy) apis.changed(a);
      else apis.save(a);
      return reply(201, stageOut(s), ctx);
    },
    GetStage: (input, ctx) => reply(200, stageOut(stage(api(input, ctx), input.params.stageName ?? '')), ctx),
    GetStages: (input, ctx) => reply(200, { items: Object.values(api(input, ctx).stages).map(stageOut) }, ctx),
    UpdateStage(input, ctx) {
      const a = api(input, ctx);
      const s = stage(a, input.params.stageName ?? '');
      const b = input.json();
      const deploymentId = str(b.deploymentId, 'deploymentId');
      if (deploymentId && !a.deployments[deploymentId]) {
        throw new BadRequestException(`Invalid deployment identifier specified ${deploymentId}`);
      }
      Object.assign(
        s,
        defined({
          autoDeploy: bool(b.autoDeploy, 'autoDeploy'),
          stageVariables: strMap(b.stageVariables, 'stageVariables'),
          description: str(b.description, 'description'),
          deploymentId,
        }),
      );
      s.lastUpdatedDate = apis.clockNow();
      if (s.autoDeploy && b.autoDeploy === true) apis.changed(a);
      else apis.save(a);
      return reply(200, stageOut(s), ctx);
    },
    DeleteStage(input, ctx) {
      const a = api(input, ctx);
      delete a.stages[stage(a, input.params.stageName ?? '').stageName];
      apis.save(a);
      return reply(204, undefined, ctx);
    },
    CreateDeployment(input, ctx) {
      const a = api(input, ctx);
      const b = input.json();
      const stageName = str(b.stageName, 'stageName');
      if (stageName !== undefined) {
        const s = a.stages[stageName];
        if (!s) throw new BadRequestException(`Invalid stage identifier specified ${stageName}`);
        if (s.autoDeploy) {
          throw new BadRequestException(
            `Cannot create a deployment for stage ${stageName} because it has automatic deployments enabled`,
          );
        }
      }
      const description = str(b.description, 'description');
      const d = apis.deploy(a, defined({ stageName, description }));
      apis.save(a);
      return reply(201, deploymentOut(d), ctx);
    },
    GetDeployment(input, ctx) {
      const d = api(input, ctx).deployments[input.params.deploymentId ?? ''];
      if (!d) throw new NotFoundException(`Invalid Deployment identifier specified ${input.params.deploymentId}`);
      return reply(200, deploymentOut(d), ctx);
    },
    DeleteDeployment(input, ctx) {
      const a = api(input, ctx);
      const id = input.params.deploymentId ?? '';
      if (!a.deployments[id]) throw new NotFoundException(`Invalid Deployment identifier specified ${id}`);
      if (Object.values(a.stages).some((s) => s.deploymentId === id)) {
        throw new BadRequestException('Active stages pointing to this deployment must be moved or deleted');
      }
      delete a.deployments[id];
      apis.save(a);
      return reply(204, undefined, ctx);
    },
    GetDeployments: (input, ctx) =>
      reply(200, { items: Object.values(api(input, ctx).deployments).map(deploymentOut) }, ctx),
  };
}

function routeKeyOf(a: HttpApi, v: unknown): string {
  const key = need(v, 'routeKey');
  if (!validRouteKey(key)) throw new BadRequestException(`Invalid route key: ${key}`);
  if (Object.values(a.routes).some((r) => r.routeKey === key)) {
    throw new ConflictException(`Unable to create route ${key}. A route with this key already exists.`);
  }
  return key;
}

function targetOf(a: HttpApi, v: unknown): string | undefined {
  const target = str(v, 'target');
  if (target === undefined) return undefined;
  const m = /^integrations\/(\w+)$/.exec(target);
  if (!m || !a.integrations[m[1] as string]) throw new BadRequestException(`Invalid target: ${target}`);
  return target;
}

function integrationOf(integrationId: string, b: Record<string, unknown>): IntegrationRecord {
  const type = need(b.integrationType, 'integrationType');
  if (!INTEGRATION_TYPES.includes(type)) throw new BadRequestException(`Invalid integration type: ${type}`);
  const uri = str(b.integrationUri, 'integrationUri');
  if (type === 'AWS_PROXY' && !lambdaArnOf(uri)) {
    throw new BadRequestException(`Invalid integration URI specified: ${uri ?? ''}`);
  }
  const version = str(b.payloadFormatVersion, 'payloadFormatVersion') ?? (type === 'AWS_PROXY' ? '2.0' : '1.0');
  if (!PAYLOAD_VERSIONS.includes(version)) {
    throw new BadRequestException(`Invalid payload format version: ${version}. Valid values are 1.0 and 2.0.`);
  }
  const timeout = b.timeoutInMillis ?? 30000;
  if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 50 || timeout > 30000) {
    throw new BadRequestException('Timeout must be between 50 milliseconds and 30 seconds.');
  }
  return {
    integrationId,
    integrationType: type,
    payloadFormatVersion: version,
    timeoutInMillis: timeout,
    connectionType: str(b.connectionType, 'connectionType') ?? 'INTERNET',
    ...defined({
      integrationUri: uri,
      integrationMethod: str(b.integrationMethod, 'integrationMethod') ?? (type === 'AWS_PROXY' ? 'POST' : undefined),
      description: str(b.description, 'description'),
      apiGatewayManaged: b.apiGatewayManaged === true ? true : undefined,
    }),
  };
}
