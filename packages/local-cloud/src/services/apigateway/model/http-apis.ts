import type { Scope } from '../../../core/arn.js';
import type { Collection, Store } from '../../../core/storage.js';
import { apiNotFound, NotFoundException } from '../errors.js';

/** HTTP APIs (apigatewayv2): each API is one record holding its routes, integrations, stages and deployments. */
export interface Cors {
  allowOrigins?: string[];
  allowMethods?: string[];
  allowHeaders?: string[];
  exposeHeaders?: string[];
  maxAge?: number;
  allowCredentials?: boolean;
}

export interface RouteRecord {
  routeId: string;
  routeKey: string;
  target?: string;
  authorizationType: string;
  apiKeyRequired: boolean;
  apiGatewayManaged?: boolean;
  operationName?: string;
}

export interface IntegrationRecord {
  integrationId: string;
  integrationType: string;
  integrationUri?: string;
  integrationMethod?: string;
  payloadFormatVersion: string;
  timeoutInMillis: number;
  connectionType: string;
  description?: string;
  apiGatewayManaged?: boolean;
}

export interface StageRecord {
  stageName: string;
  autoDeploy: boolean;
  deploymentId?: string;
  description?: string;
  stageVariables: Record<string, string>;
  createdDate: number;
  lastUpdatedDate: number;
  lastDeploymentStatusMessage?: string;
  tags: Record<string, string>;
  apiGatewayManaged?: boolean;
}

/** What a deployment froze: the routes and integrations in force when it was made. */
export interface Snapshot {
  routes: RouteRecord[];
  integrations: Record<string, IntegrationRecord>;
}

export interface DeploymentRecord {
  deploymentId: string;
  createdDate: number;
  description?: string;
  autoDeployed: boolean;
  snapshot: Snapshot;
}

export interface HttpApi {
  apiId: string;
  region: string;
  accountId: string;
  name: string;
  protocolType: string;
  description?: string;
  version?: string;
  createdDate: number;
  routeSelectionExpression: string;
  apiKeySelectionExpression: string;
  disableExecuteApiEndpoint: boolean;
  corsConfiguration?: Cors;
  tags: Record<string, string>;
  routes: Record<string, RouteRecord>;
  integrations: Record<string, IntegrationRecord>;
  stages: Record<string, StageRecord>;
  deployments: Record<string, DeploymentRecord>;
}

export class HttpApiRegistry {
  private readonly apis = new Map<string, HttpApi>();
  private readonly store: Collection<HttpApi>;

  constructor(
    store: Store,
    private readonly now: () => number,
    private readonly id: (chars: number) => string,
  ) {
    const all = () => this.apis;
    this.store = store.collection<HttpApi>('apigateway.http-apis', function* () {
      yield* all().entries();
    });
  }

  load(): void {
    for (const [k, a] of this.store.load()) this.apis.set(k, a);
  }

  /** Invocation looks APIs up by id alone (ids are unique across accounts). */
  find(apiId: string): HttpApi | undefined {
    return this.apis.get(apiId);
  }

  get(scope: Scope, apiId: string): HttpApi {
    const a = this.apis.get(apiId);
    if (!a || a.region !== scope.region || a.accountId !== scope.accountId) throw apiNotFound(scope.accountId, apiId);
    return a;
  }

  list(scope: Scope): HttpApi[] {
    return [...this.apis.values()].filter((a) => a.region === scope.region && a.accountId === scope.accountId);
  }

  create(scope: Scope, fields: Partial<HttpApi> & { name: string; protocolType: string }): HttpApi {
    const api: HttpApi = {
      apiId: this.id(10),
      region: scope.region,
      accountId: scope.accountId,
      createdDate: this.now(),
      routeSelectionExpression: '$request.method $request.path',
      apiKeySelectionExpression: '$request.header.x-api-key',
      disableExecuteApiEndpoint: false,
      tags: {},
      routes: {},
      integrations: {},
      stages: {},
      deployments: {},
      ...fields,
    };
    this.save(api);
    return api;
  }

  save(api: HttpApi): void {
    this.apis.set(api.apiId, api);
    this.store.put(api.apiId, api);
  }

  delete(api: HttpApi): void {
    this.apis.delete(api.apiId);
    this.store.delete(api.apiId);
  }

  newId(chars: number): string {
    return this.id(chars);
  }

  clockNow(): number {
    return this.now();
  }

  /** Freezes the current routes and integrations; points `stageName` (if any) at the new deployment. */
  deploy(api: HttpApi, opts: { description?: string; stageName?: string; auto?: boolean }): DeploymentRecord {
    const d: DeploymentRecord = {
      deploymentId: this.id(6),
      createdDate: this.now(),
      autoDeployed: opts.auto ?? false,
      snapshot: structuredClone({ routes: Object.values(api.routes), integrations: api.integrations }),
      ...(opts.description !== undefined ? { description: opts.description } : {}),
    };
    api.deployments[d.deploymentId] = d;
    if (opts.stageName !== undefined) {
      const stage = api.stages[opts.stageName];
      if (!stage) throw new NotFoundException(`Invalid stage identifier specified`);
      stage.deploymentId = d.deploymentId;
      stage.lastUpdatedDate = this.now();
      if (opts.auto) {
        stage.lastDeploymentStatusMessage = `Successfully deployed stage with deployment ID '${d.deploymentId}'`;
      }
    }
    return d;
  }

  /** After a change to routes or integrations, every autoDeploy stage gets a fresh deployment. */
  changed(api: HttpApi): void {
    for (const s of Object.values(api.stages))
      if (s.autoDeploy) this.deploy(api, { stageName: s.stageName, auto: true });
    // Automatic deployments no stage points at any more are dropped, so a busy API does not pile them up.
    const used = new Set(Object.values(api.stages).map((s) => s.deploymentId));
    for (const d of Object.values(api.deployments)) {
      if (d.autoDeployed && !used.has(d.deploymentId)) delete api.deployments[d.deploymentId];
    }
    this.save(api);
  }

  reset(): void {
    this.apis.clear();
  }
}
