import type { RestContext } from '../../../core/service.js';
import { BadRequestException, NotFoundException } from '../errors.js';
import type { Cors, HttpApi, HttpApiRegistry } from '../model/http-apis.js';
import { validRouteKey } from '../model/match.js';
import {
  type ApiOp,
  bool,
  defined,
  invokeBase,
  iso,
  lambdaArnOf,
  need,
  reply,
  str,
  strList,
  strMap,
} from './common.js';

/** apigatewayv2 APIs and tags. Quick create (Target) adds the $default route, its integration and stage. */
export function apiOut(api: HttpApi, ctx: RestContext) {
  return defined({
    apiId: api.apiId,
    name: api.name,
    protocolType: api.protocolType,
    apiEndpoint: invokeBase(ctx, api.apiId),
    createdDate: iso(api.createdDate),
    description: api.description,
    version: api.version,
    routeSelectionExpression: api.routeSelectionExpression,
    apiKeySelectionExpression: api.apiKeySelectionExpression,
    disableExecuteApiEndpoint: api.disableExecuteApiEndpoint,
    corsConfiguration: api.corsConfiguration,
    tags: api.tags,
  });
}

export function corsOf(v: unknown): Cors | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw new BadRequestException('Invalid value for corsConfiguration');
  const c = v as Record<string, unknown>;
  const maxAge = c.maxAge;
  if (maxAge !== undefined && (typeof maxAge !== 'number' || maxAge < -1 || maxAge > 86400)) {
    throw new BadRequestException('Invalid value for maxAge: must be between -1 and 86400');
  }
  const cors = defined({
    allowOrigins: strList(c.allowOrigins, 'allowOrigins'),
    allowMethods: strList(c.allowMethods, 'allowMethods'),
    allowHeaders: strList(c.allowHeaders, 'allowHeaders'),
    exposeHeaders: strList(c.exposeHeaders, 'exposeHeaders'),
    maxAge: maxAge as number | undefined,
    allowCredentials: bool(c.allowCredentials, 'allowCredentials'),
  });
  if (cors.allowCredentials && cors.allowOrigins?.includes('*')) {
    throw new BadRequestException(
      'allow-credentials is not supported when allow-origins contains a wildcard (*) value.',
    );
  }
  return cors;
}

export function httpApiOperations(apis: HttpApiRegistry): Record<string, ApiOp> {
  return {
    CreateApi(input, ctx) {
      const b = input.json();
      const name = need(b.name, 'name');
      const protocolType = need(b.protocolType, 'protocolType');
      if (protocolType !== 'HTTP') {
        throw new BadRequestException(
          protocolType === 'WEBSOCKET'
            ? 'WEBSOCKET APIs are not supported by local-cloud'
            : `Invalid protocolType: ${protocolType}. Valid values are HTTP and WEBSOCKET.`,
        );
      }
      const target = str(b.target, 'target');
      const routeKey = str(b.routeKey, 'routeKey');
      if ((routeKey !== undefined || target !== undefined) && !target) {
        throw new BadRequestException('RouteKey can only be specified when Target is also specified.');
      }
      if (target && !lambdaArnOf(target)) throw new BadRequestException(`Invalid target: ${target}`);
      if (routeKey && !validRouteKey(routeKey)) throw new BadRequestException(`Invalid route key: ${routeKey}`);
      const api = apis.create(ctx.scope, {
        name,
        protocolType,
        ...defined({
          description: str(b.description, 'description'),
          version: str(b.version, 'version'),
          corsConfiguration: corsOf(b.corsConfiguration),
          disableExecuteApiEndpoint: bool(b.disableExecuteApiEndpoint, 'disableExecuteApiEndpoint'),
        }),
        tags: strMap(b.tags, 'tags') ?? {},
      });
      if (target) quickCreate(apis, api, target, routeKey ?? '$default');
      return reply(201, apiOut(api, ctx), ctx);
    },
    GetApi: (input, ctx) => reply(200, apiOut(apis.get(ctx.scope, input.params.apiId ?? ''), ctx), ctx),
    GetApis(_input, ctx) {
      return reply(200, { items: apis.list(ctx.scope).map((a) => apiOut(a, ctx)) }, ctx);
    },
    UpdateApi(input, ctx) {
      const api = apis.get(ctx.scope, input.params.apiId ?? '');
      const b = input.json();
      Object.assign(
        api,
        defined({
          name: str(b.name, 'name'),
          description: str(b.description, 'description'),
          version: str(b.version, 'version'),
          disableExecuteApiEndpoint: bool(b.disableExecuteApiEndpoint, 'disableExecuteApiEndpoint'),
          corsConfiguration: corsOf(b.corsConfiguration),
        }),
      );
      apis.save(api);
      return reply(200, apiOut(api, ctx), ctx);
    },
    DeleteApi(input, ctx) {
      apis.delete(apis.get(ctx.scope, input.params.apiId ?? ''));
      return reply(204, undefined, ctx);
    },
    DeleteCorsConfiguration(input, ctx) {
      const api = apis.get(ctx.scope, input.params.apiId ?? '');
      delete api.corsConfiguration;
      apis.save(api);
      return reply(204, undefined, ctx);
    },
    TagResource(input, ctx) {
      const target = taggable(apis, ctx, input.params.resourceArn ?? '');
      Object.assign(target.tags, strMap(input.json().tags, 'tags') ?? {});
      apis.save(target.api);
      return reply(201, {}, ctx);
    },
    UntagResource(input, ctx) {
      const target = taggable(apis, ctx, input.params.resourceArn ?? '');
      for (const k of input.query.getAll('tagKeys')) delete target.tags[k];
      apis.save(target.api);
      return reply(204, undefined, ctx);
    },
    GetTags(input, ctx) {
      return reply(200, { tags: taggable(apis, ctx, input.params.resourceArn ?? '').tags }, ctx);
    },
  };
}

/** `arn:aws:apigateway:<region>::/apis/<id>` or `.../apis/<id>/stages/<name>`. */
function taggable(apis: HttpApiRegistry, ctx: RestContext, arn: string) {
  const m = /^arn:aws[\w-]*:apigateway:[^:]*::\/apis\/([^/]+)(?:\/stages\/([^/]+))?$/.exec(arn);
  if (!m) throw new NotFoundException(`Invalid resource ARN specified ${arn}`);
  const api = apis.get(ctx.scope, m[1] as string);
  if (!m[2]) return { api, tags: api.tags };
  const stage = api.stages[m[2]];
  if (!stage) throw new NotFoundException('Invalid stage identifier specified');
  return { api, tags: stage.tags };
}

function quickCreate(apis: HttpApiRegistry, api: HttpApi, target: string, routeKey: string): void {
  const integrationId = apis.newId(7);
  api.integrations[integrationId] = {
    integrationId,
    integrationType: 'AWS_PROXY',
    integrationUri: target,
    integrationMethod: 'POST',
    payloadFormatVersion: '2.0',
    timeoutInMillis: 30000,
    connectionType: 'INTERNET',
    apiGatewayManaged: true,
  };
  const routeId = apis.newId(7);
  api.routes[routeId] = {
    routeId,
    routeKey,
    target: `integrations/${integrationId}`,
    authorizationType: 'NONE',
    apiKeyRequired: false,
    apiGatewayManaged: true,
  };
  api.stages.$default = {
    stageName: '$default',
    autoDeploy: true,
    stageVariables: {},
    createdDate: api.createdDate,
    lastUpdatedDate: api.createdDate,
    tags: {},
    apiGatewayManaged: true,
  };
  apis.changed(api);
}
