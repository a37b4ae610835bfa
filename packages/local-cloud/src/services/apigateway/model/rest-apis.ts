import type { Scope } from '../../../core/arn.js';
import type { Collection, Store } from '../../../core/storage.js';
import { apiNotFound, BadRequestException, ConflictException, NotFoundException } from '../errors.js';

/** REST APIs (apigateway v1): one record per API with its resource tree, deployments and stages. */
export interface IntegrationV1 {
  type: string;
  httpMethod?: string;
  uri?: string;
  timeoutInMillis: number;
  passthroughBehavior: string;
  cacheNamespace: string;
  cacheKeyParameters: string[];
  contentHandling?: string;
}

export interface MethodRecord {
  httpMethod: string;
  authorizationType: string;
  apiKeyRequired: boolean;
  operationName?: string;
  requestParameters?: Record<string, boolean>;
  methodIntegration?: IntegrationV1;
}

export interface ResourceRecord {
  id: string;
  parentId?: string;
  pathPart?: string;
  path: string;
  methods: Record<string, MethodRecord>;
}

export interface DeploymentV1 {
  id: string;
  description?: string;
  createdDate: number;
  resources: ResourceRecord[];
}

export interface StageV1 {
  stageName: string;
  deploymentId: string;
  description?: string;
  variables: Record<string, string>;
  createdDate: number;
  lastUpdatedDate: number;
  tags: Record<string, string>;
}

export interface RestApi {
  id: string;
  region: string;
  accountId: string;
  name: string;
  description?: string;
  version?: string;
  createdDate: number;
  binaryMediaTypes: string[];
  apiKeySource: string;
  endpointConfiguration: { types: string[] };
  disableExecuteApiEndpoint: boolean;
  tags: Record<string, string>;
  rootResourceId: string;
  resources: Record<string, ResourceRecord>;
  deployments: Record<string, DeploymentV1>;
  stages: Record<string, StageV1>;
}

export class RestApiRegistry {
  private readonly apis = new Map<string, RestApi>();
  private readonly store: Collection<RestApi>;

  constructor(
    store: Store,
    private readonly now: () => number,
    private readonly id: (chars: number) => string,
  ) {
    const all = () => this.apis;
    this.store = store.collection<RestApi>('apigateway.rest-apis', function* () {
      yield* all().entries();
    });
  }

  load(): void {
    for (const [k, a] of this.store.load()) this.apis.set(k, a);
  }

  find(id: string): RestApi | undefined {
    return this.apis.get(id);
  }

  get(scope: Scope, id: string): RestApi {
    const a = this.apis.get(id);
    if (!a || a.region !== scope.region || a.accountId !== scope.accountId) throw apiNotFound(scope.accountId, id);
    return a;
  }

  list(scope: Scope): RestApi[] {
    return [...this.apis.values()].filter((a) => a.region === scope.region && a.accountId === scope.accountId);
  }

  create(scope: Scope, fields: Partial<RestApi> & { name: string }): RestApi {
    const root: ResourceRecord = { id: this.id(10), path: '/', methods: {} };
    const api: RestApi = {
      id: this.id(10),
      region: scope.region,
      accountId: scope.accountId,
      createdDate: this.now(),
      binaryMediaTypes: [],
      apiKeySource: 'HEADER',
      endpointConfiguration: { types: ['EDGE'] },
      disableExecuteApiEndpoint: false,
      tags: {},
      rootResourceId: root.id,
      resources: { [root.id]: root },
      deployments: {},
      stages: {},
      ...fields,
    };
    this.save(api);
    return api;
  }

  save(api: RestApi): void {
    this.apis.set(api.id, api);
    this.store.put(api.id, api);
  }

  delete(api: RestApi): void {
    this.apis.delete(api.id);
    this.store.delete(api.id);
  }

  resource(api: RestApi, id: string): ResourceRecord {
    const r = api.resources[id];
    if (!r) throw new NotFoundException('Invalid Resource identifier specified');
    return r;
  }

  addResource(api: RestApi, parentId: string, pathPart: string): ResourceRecord {
    const parent = this.resource(api, parentId);
    if (!/^(\{[a-zA-Z0-9._-]+\+?\}|[a-zA-Z0-9._:@~-]+)$/.test(pathPart)) {
      throw new BadRequestException(
        "Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace.",
      );
    }
    const siblings = Object.values(api.resources).filter((r) => r.parentId === parentId);
    if (siblings.some((r) => r.pathPart === pathPart)) {
      throw new ConflictException(`Another resource with the same parent already has this name: ${pathPart}`);
    }
    if (pathPart.startsWith('{') && siblings.some((r) => r.pathPart?.startsWith('{'))) {
      throw new BadRequestException(
        `A sibling (${siblings.find((r) => r.pathPart?.startsWith('{'))?.pathPart}) of this resource already has a variable path part -- only one is allowed`,
      );
    }
    const r: ResourceRecord = {
      id: this.id(6),
      parentId,
      pathPart,
      path: parent.path === '/' ? `/${pathPart}` : `${parent.path}/${pathPart}`,
      methods: {},
    };
    api.resources[r.id] = r;
    this.save(api);
    return r;
  }

  deleteResource(api: RestApi, id: string): void {
    this.resource(api, id);
    if (id === api.rootResourceId) throw new BadRequestException('Cannot delete root resource');
    const doomed = new Set([id]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const r of Object.values(api.resources)) {
        if (r.parentId && doomed.has(r.parentId) && !doomed.has(r.id)) {
          doomed.add(r.id);
          grew = true;
        }
      }
    }
    for (const d of doomed) delete api.resources[d];
    this.save(api);
  }

  method(api: RestApi, resourceId: string, httpMethod: string): MethodRecord {
    const m = this.resource(api, resourceId).methods[httpMethod];
    if (!m) throw new NotFoundException('Invalid Method identifier specified');
    return m;
  }

  /** CreateDeployment: every method needs an integration, and there must be at least one. */
  deploy(api: RestApi, description?: string): DeploymentV1 {
    const methods = Object.values(api.resources).flatMap((r) => Object.values(r.methods));
    if (methods.length === 0) throw new BadRequestException("The REST API doesn't contain any methods");
    if (methods.some((m) => !m.methodIntegration)) throw new BadRequestException('No integration defined for method');
    const d: DeploymentV1 = {
      id: this.id(6),
      createdDate: this.now(),
      resources: structuredClone(Object.values(api.resources)),
      ...(description !== undefined ? { description } : {}),
    };
    api.deployments[d.id] = d;
    this.save(api);
    return d;
  }

  newId(chars: number): string {
    return this.id(chars);
  }

  reset(): void {
    this.apis.clear();
  }
}
