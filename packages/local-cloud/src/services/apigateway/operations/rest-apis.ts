import type { RestContext } from '../../../core/service.js';
import { BadRequestException, ConflictException, NotFoundException } from '../errors.js';
import type {
  IntegrationV1,
  MethodRecord,
  ResourceRecord,
  RestApi,
  RestApiRegistry,
  StageV1,
} from '../model/rest-apis.js';
import { type ApiInput, type ApiOp, bool, defined, lambdaArnOf, need, reply, str, strList, strMap } from './common.js';

/** apigateway (v1) REST APIs: resources, methods, Lambda proxy integrations, deployments and stages. */
const secs = (ms: number) => Math.floor(ms / 1000);
const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD', 'ANY'];
const TYPES = ['HTTP', 'AWS', 'MOCK', 'HTTP_PROXY', 'AWS_PROXY'];

const restApiOut = (a: RestApi) =>
  defined({
    id: a.id,
    name: a.name,
    description: a.description,
    version: a.version,
    createdDate: secs(a.createdDate),
    binaryMediaTypes: a.binaryMediaTypes.length ? a.binaryMediaTypes : undefined,
    apiKeySource: a.apiKeySource,
    endpointConfiguration: a.endpointConfiguration,
    disableExecuteApiEndpoint: a.disableExecuteApiEndpoint,
    rootResourceId: a.rootResourceId,
    tags: a.tags,
  });

const methodOut = (m: MethodRecord) => ({ ...m });

const resourceOut = (r: ResourceRecord, embed = false) =>
  defined({
    id: r.id,
    parentId: r.parentId,
    pathPart: r.pathPart,
    path: r.path,
    resourceMethods: Object.keys(r.methods).length
      ? Object.fromEntries(Object.entries(r.methods).map(([k, m]) => [k, embed ? methodOut(m) : {}]))
      : undefined,
  });

const stageOut = (s: StageV1) =>
  defined({
    deploymentId: s.deploymentId,
    stageName: s.stageName,
    description: s.description,
    cacheClusterEnabled: false,
    cacheClusterStatus: 'NOT_AVAILABLE',
    methodSettings: {},
    variables: Object.keys(s.variables).length ? s.variables : undefined,
    tracingEnabled: false,
    tags: s.tags,
    createdDate: secs(s.createdDate),
    lastUpdatedDate: secs(s.lastUpdatedDate),
  });

export function restApiOperations(apis: RestApiRegistry, now: () => number): Record<string, ApiOp> {
  const api = (input: ApiInput, ctx: RestContext) => apis.get(ctx.scope, input.params.restApiId ?? '');
  const method = (input: ApiInput, ctx: RestContext) => {
    const a = api(input, ctx);
    return { a, m: apis.method(a, input.params.resourceId ?? '', input.params.httpMethod ?? '') };
  };
  const stage = (a: RestApi, name: string) => {
    const s = a.stages[name];
    if (!s) throw new NotFoundException('Invalid Stage identifier specified');
    return s;
  };

  return {
    CreateRestApi(input, ctx) {
      const b = input.json();
      const a = apis.create(ctx.scope, {
        name: need(b.name, 'name'),
        tags: strMap(b.tags, 'tags') ?? {},
        binaryMediaTypes: strList(b.binaryMediaTypes, 'binaryMediaTypes') ?? [],
        ...defined({
          description: str(b.description, 'description'),
          version: str(b.version, 'version'),
          disableExecuteApiEndpoint: bool(b.disableExecuteApiEndpoint, 'disableExecuteApiEndpoint'),
          endpointConfiguration: endpointOf(b.endpointConfiguration),
        }),
      });
      return reply(201, restApiOut(a), ctx);
    },
    GetRestApi: (input, ctx) => reply(200, restApiOut(api(input, ctx)), ctx),
    GetRestApis: (_input, ctx) => reply(200, { item: apis.list(ctx.scope).map(restApiOut) }, ctx),
    DeleteRestApi(input, ctx) {
      apis.delete(api(input, ctx));
      return reply(202, undefined, ctx);
    },
    GetResources(input, ctx) {
      const embed = input.query.getAll('embed').includes('methods');
      const items = Object.values(api(input, ctx).resources).map((r) => resourceOut(r, embed));
      return reply(200, { item: items }, ctx);
    },
    GetResource(input, ctx) {
      const a = api(input, ctx);
      return reply(200, resourceOut(apis.resource(a, input.params.resourceId ?? ''), true), ctx);
    },
    CreateResource(input, ctx) {
      const a = api(input, ctx);
      const r = apis.addResource(a, input.params.parentId ?? '', need(input.json().pathPart, 'pathPart'));
      return reply(201, resourceOut(r), ctx);
    },
    DeleteResource(input, ctx) {
      apis.deleteResource(api(input, ctx), input.params.resourceId ?? '');
      return reply(202, undefined, ctx);
    },
    PutMethod(input, ctx) {
      const a = api(input, ctx);
      const r = apis.resource(a, input.params.resourceId ?? '');
      const httpMethod = input.params.httpMethod ?? '';
      if (!METHODS.includes(httpMethod)) {
        throw new BadRequestException(
          'Invalid HttpMethod specified. Valid options are GET,PUT,POST,DELETE,PATCH,OPTIONS,HEAD,ANY',
        );
      }
      if (r.methods[httpMethod]) throw new ConflictException('Method already exists for this resource');
      const b = input.json();
      const m: MethodRecord = {
        httpMethod,
        authorizationType: need(b.authorizationType, 'authorizationType'),
        apiKeyRequired: bool(b.apiKeyRequired, 'apiKeyRequired') ?? false,
        ...defined({ operationName: str(b.operationName, 'operationName') }),
      };
      r.methods[httpMethod] = m;
      apis.save(a);
      return reply(201, methodOut(m), ctx);
    },
    GetMethod: (input, ctx) => reply(200, methodOut(method(input, ctx).m), ctx),
    DeleteMethod(input, ctx) {
      const { a } = method(input, ctx);
      delete apis.resource(a, input.params.resourceId ?? '').methods[input.params.httpMethod ?? ''];
      apis.save(a);
      return reply(204, undefined, ctx);
    },
    PutIntegration(input, ctx) {
      const { a, m } = method(input, ctx);
      m.methodIntegration = integrationOf(input.json(), input.params.resourceId ?? '');
      apis.save(a);
      return reply(201, m.methodIntegration, ctx);
    },
    GetIntegration(input, ctx) {
      const i = method(input, ctx).m.methodIntegration;
      if (!i) throw new NotFoundException('No integration defined for method');
      return reply(200, i, ctx);
    },
    DeleteIntegration(input, ctx) {
      const { a, m } = method(input, ctx);
      if (!m.methodIntegration) throw new NotFoundException('No integration defined for method');
      delete m.methodIntegration;
      apis.save(a);
      return reply(204, undefined, ctx);
    },
    CreateDeployment(input, ctx) {
      const a = api(input, ctx);
      const b = input.json();
      const stageName = str(b.stageName, 'stageName');
      const d = apis.deploy(a, str(b.description, 'description'));
      if (stageName !== undefined) {
        if (!/^[a-zA-Z0-9_-]+$/.test(stageName)) {
          throw new BadRequestException('Stage name only allows a-zA-Z0-9_');
        }
        const variables = strMap(b.variables, 'variables');
        const s = a.stages[stageName];
        if (s) {
          s.deploymentId = d.id;
          s.lastUpdatedDate = now();
          if (variables) s.variables = variables;
        } else {
          a.stages[stageName] = newStage(
            stageName,
            d.id,
            now(),
            variables,
            str(b.stageDescription, 'stageDescription'),
          );
        }
        apis.save(a);
      }
      return reply(201, defined({ id: d.id, description: d.description, createdDate: secs(d.createdDate) }), ctx);
    },
    GetDeployments(input, ctx) {
      const items = Object.values(api(input, ctx).deployments).map((d) =>
        defined({ id: d.id, description: d.description, createdDate: secs(d.createdDate) }),
      );
      return reply(200, { item: items }, ctx);
    },
    GetDeployment(input, ctx) {
      const d = api(input, ctx).deployments[input.params.deploymentId ?? ''];
      if (!d) throw new NotFoundException('Invalid Deployment identifier specified');
      return reply(200, defined({ id: d.id, description: d.description, createdDate: secs(d.createdDate) }), ctx);
    },
    DeleteDeployment(input, ctx) {
      const a = api(input, ctx);
      const id = input.params.deploymentId ?? '';
      if (!a.deployments[id]) throw new NotFoundException('Invalid Deployment identifier specified');
      if (Object.values(a.stages).some((s) => s.deploymentId === id)) {
        throw new BadRequestException('Active stages pointing to this deployment must be moved or deleted');
      }
      delete a.deployments[id];
      apis.save(a);
      return reply(202, undefined, ctx);
    },
    CreateStage(input, ctx) {
      const a = api(input, ctx);
      const b = input.json();
      const name = need(b.stageName, 'stageName');
      const deploymentId = need(b.deploymentId, 'deploymentId');
      if (!a.deployments[deploymentId]) throw new NotFoundException('Invalid Deployment identifier specified');
      if (a.stages[name]) throw new ConflictException('Stage already exists');
      const s = newStage(
        name,
        deploymentId,
        now(),
        strMap(b.variables, 'variables'),
        str(b.description, 'description'),
      );
      s.tags = strMap(b.tags, 'tags') ?? {};
      a.stages[name] = s;
      apis.save(a);
      return reply(201, stageOut(s), ctx);
    },
    GetStage: (input, ctx) => reply(200, stageOut(stage(api(input, ctx), input.params.stageName ?? '')), ctx),
    GetStages: (input, ctx) => reply(200, { item: Object.values(api(input, ctx).stages).map(stageOut) }, ctx),
    UpdateStage(input, ctx) {
      const a = api(input, ctx);
      const s = stage(a, input.params.stageName ?? '');
      for (const p of patchOperations(input.json().patchOperations)) {
        if (p.path === '/deploymentId' && p.op === 'replace') {
          if (!p.value || !a.deployments[p.value]) throw new BadRequestException('Deployment id does not exist');
          s.deploymentId = p.value;
        } else if (p.path === '/description' && p.op === 'replace') {
          s.description = p.value ?? '';
        } else if (p.path.startsWith('/variables/')) {
          const name = p.path.slice('/variables/'.length);
          if (p.op === 'remove') delete s.variables[name];
          else s.variables[name] = p.value ?? '';
        } else {
          throw new BadRequestException(`Invalid patch path '${p.path}' specified for op '${p.op}'.`);
        }
      }
      s.lastUpdatedDate = now();
      apis.save(a);
      return reply(200, stageOut(s), ctx);
    },
    DeleteStage(input, ctx) {
      const a = api(input, ctx);
      delete a.stages[stage(a, input.params.stageName ?? '').stageName];
      apis.save(a);
      return reply(202, undefined, ctx);
    },
    TagResource(input, ctx) {
      const t = taggable(input.params.resourceArn ?? '', ctx);
      Object.assign(t.tags, strMap(input.json().tags, 'tags') ?? {});
      apis.save(t.api);
      return reply(204, undefined, ctx);
    },
    UntagResource(input, ctx) {
      const t = taggable(input.params.resourceArn ?? '', ctx);
      for (const k of input.query.getAll('tagKeys')) delete t.tags[k];
      apis.save(t.api);
      return reply(204, undefined, ctx);
    },
    GetTags: (input, ctx) => reply(200, { tags: taggable(input.params.resourceArn ?? '', ctx).tags }, ctx),
  };

  /** `arn:aws:apigateway:<region>::/restapis/<id>` or `.../restapis/<id>/stages/<name>`. */
  function taggable(arn: string, ctx: RestContext) {
    const m = /^arn:aws[\w-]*:apigateway:[^:]*::\/restapis\/([^/]+)(?:\/stages\/([^/]+))?$/.exec(arn);
    if (!m) throw new BadRequestException(`Invalid resource ARN specified ${arn}`);
    const a = apis.get(ctx.scope, m[1] as string);
    return { api: a, tags: m[2] ? stage(a, m[2]).tags : a.tags };
  }
}

function patchOperations(v: unknown): Array<{ op: string; path: string; value?: string }> {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new BadRequestException('Invalid patch operations specified');
  return v.map((p) => {
    const op = p as { op?: unknown; path?: unknown; value?: unknown };
    if (typeof op.op !== 'string' || typeof op.path !== 'string') {
      throw new BadRequestException('Invalid patch operations specified');
    }
    return { op: op.op, path: op.path, ...(typeof op.value === 'string' ? { value: op.value } : {}) };
  });
}

function newStage(
  stageName: string,
  deploymentId: string,
  at: number,
  variables: Record<string, string> | undefined,
  description: string | undefined,
): StageV1 {
  return {
    stageName,
    deploymentId,
    variables: variables ?? {},
    createdDate: at,
    lastUpdatedDate: at,
    tags: {},
    ...defined({ description }),
  };
}

function endpointOf(v: unknown): { types: string[] } | undefined {
  if (v === undefined || v === null) return undefined;
  const types = strList((v as { types?: unknown }).types, 'endpointConfiguration.types') ?? ['EDGE'];
  return { types };
}

function integrationOf(b: Record<string, unknown>, resourceId: string): IntegrationV1 {
  const type = need(b.type, 'type');
  if (!TYPES.includes(type)) {
    throw new BadRequestException(`Invalid integration type specified. Valid values are ${TYPES.join(', ')}`);
  }
  const httpMethod = str(b.httpMethod, 'httpMethod');
  const uri = str(b.uri, 'uri');
  if (type !== 'MOCK' && !httpMethod)
    throw new BadRequestException('Enumeration value for HttpMethod must be non-empty');
  if (type === 'AWS_PROXY' && !lambdaArnOf(uri)) throw new BadRequestException('Invalid ARN specified in the request');
  const timeout = b.timeoutInMillis ?? 29000;
  if (typeof timeout !== 'number' || !Number.isInteger(timeout) || timeout < 50 || timeout > 29000) {
    throw new BadRequestException('Timeout should be between 50 ms and 29000 ms');
  }
  return {
    type,
    timeoutInMillis: timeout,
    passthroughBehavior: str(b.passthroughBehavior, 'passthroughBehavior') ?? 'WHEN_NO_MATCH',
    cacheNamespace: str(b.cacheNamespace, 'cacheNamespace') ?? resourceId,
    cacheKeyParameters: strList(b.cacheKeyParameters, 'cacheKeyParameters') ?? [],
    ...defined({ httpMethod, uri, contentHandling: str(b.contentHandling, 'contentHandling') }),
  };
}
