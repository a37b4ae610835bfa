import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_ACCOUNT, DEFAULT_REGION } from './core/arn.js';
import { type Clock, ManualClock, SystemClock } from './core/clock.js';
import { cryptoIds, type IdGenerator } from './core/ids.js';
import { LogStore } from './core/log-store.js';
import type { Service } from './core/service.js';
import { MemoryStore, type Store } from './core/storage.js';
import { createDeployer, type DeployOptions, type DeployResult, type StackState } from './deploy/index.js';
import { adminHandler } from './edge/admin.js';
import { Edge } from './edge/server.js';
import { createApiGatewayService } from './services/apigateway/index.js';
import { createCloudWatchService } from './services/cloudwatch/index.js';
import { createDynamoDbService } from './services/dynamodb/index.js';
import { createEventsService } from './services/events/index.js';
import { createLambdaService } from './services/lambda/index.js';
import { createLogsService } from './services/logs/index.js';
import { createS3Service } from './services/s3/index.js';
import { createSnsService, signingCertificate } from './services/sns/index.js';
import { createSqsService } from './services/sqs/index.js';
import { wireAlarms } from './wiring/alarms.js';
import { ExecuteApi } from './wiring/execute-api.js';
import { wireS3Notifications } from './wiring/s3-notifications.js';
import { wireEvents } from './wiring/schedules.js';
import { relayEmail } from './wiring/smtp-relay.js';
import { wireSnsDeliveries } from './wiring/sns-delivery.js';
import { wireSqsLambda } from './wiring/sqs-lambda.js';

/** Options for startLocalCloud(). */
export interface LocalCloudOptions {
  /** 0 picks a free port. Default 0 for the library (the CLI uses 4566). */
  port?: number;
  host?: string;
  /** 'system' (default), 'manual' (time moves only with clock.advance), or your own Clock. */
  clock?: 'system' | 'manual' | Clock;
  /** 'disk' (default) keeps state in dataDir; 'memory' keeps nothing. */
  persistence?: 'disk' | 'memory';
  /** Where state lives with persistence 'disk'. Default `.local-cloud` in the working directory. */
  dataDir?: string;
  region?: string;
  accountId?: string;
  ids?: IdGenerator;
  /** `smtp://host:port`: email deliveries are also relayed to this SMTP server. */
  smtp?: string;
  /** Every line a Lambda function logs (START/END/REPORT included), as it is written. */
  onFunctionLog?: (functionName: string, line: string) => void;
}

export interface LocalCloud<C extends Clock = Clock> {
  /** e.g. http://127.0.0.1:4566 */
  readonly url: string;
  readonly port: number;
  readonly region: string;
  readonly accountId: string;
  /** A ManualClock when started with clock: 'manual'. */
  readonly clock: C;
  /** Wipes every service's state (as POST /_local-cloud/reset). */
  reset(): Promise<void>;
  /** Deploys a CDK cloud assembly (the cdk.out directory) into this cloud. */
  deploy(assemblyDir: string, opts?: DeployOptions): Promise<DeployResult>;
  /** What has been deployed: each stack's resources and outputs. */
  stacks(): StackState[];
  stop(): Promise<void>;
}

export const VERSION = '0.1.0';

export function startLocalCloud(options: LocalCloudOptions & { clock: 'manual' }): Promise<LocalCloud<ManualClock>>;
export function startLocalCloud(options?: LocalCloudOptions): Promise<LocalCloud>;
export async function startLocalCloud(options: LocalCloudOptions = {}): Promise<LocalCloud> {
  const clock = makeClock(options.clock);
  const ids = options.ids ?? cryptoIds;
  const persistence = options.persistence ?? 'disk';
  const dataDir = resolve(options.dataDir ?? '.local-cloud');
  const store: Store = persistence === 'disk' ? new LogStore(dataDir) : new MemoryStore();
  const sqs = createSqsService({ clock, ids, store });
  const logs = createLogsService({ clock, ids, store });
  // Deployment packages live beside the data; in memory mode, in a temp dir removed on stop.
  const codeDir = persistence === 'disk' ? join(dataDir, 'lambda') : mkdtempSync(join(tmpdir(), 'local-cloud-'));
  let url = '';
  const lambda = createLambdaService({
    clock,
    ids,
    store,
    codeDir,
    endpoint: () => url,
    logs: { append: (scope, group, stream, events) => void logs.model.append(scope, group, stream, events) },
    ...(options.onFunctionLog ? { onLog: options.onFunctionLog } : {}),
  });
  const sns = createSnsService({ clock, ids, store });
  const s3 = createS3Service({ clock, ids, store, ...(persistence === 'disk' ? { dir: join(dataDir, 's3') } : {}) });
  const apigw = createApiGatewayService({ clock, ids, store });
  const dynamodb = createDynamoDbService({ clock, ids, store });
  const cloudwatch = createCloudWatchService({ clock, ids, store });
  const events = createEventsService({ clock, ids, store });
  const services: Service[] = [sqs, sns, logs, lambda, s3, apigw, dynamodb, cloudwatch, events];
  const executeApi = new ExecuteApi({ clock, ids, store, lambda, apigw });
  const unwire = wireSqsLambda({ clock, ids, sqs: sqs.model, lambda, store });
  const unrelay = options.smtp ? relayEmail(sns.model.outbox, options.smtp) : () => undefined;
  const unwireSns = wireSnsDeliveries({ clock, ids, store, sns: sns.model, sqs: sqs.model, lambda });
  wireS3Notifications({ ids, s3, sqs: sqs.model, sns: sns.model, lambda });
  const unwireAlarms = wireAlarms({
    clock,
    ids,
    cloudwatch: cloudwatch.model,
    sqs: sqs.model,
    sns: sns.model,
    lambda,
    endpoint: () => url,
  });
  const unwireEvents = wireEvents({
    clock,
    ids,
    events: events.model,
    sqs: sqs.model,
    sns: sns.model,
    lambda,
    endpoint: () => url,
  });
  await lambda.start();
  const region = options.region ?? DEFAULT_REGION;
  const accountId = options.accountId ?? DEFAULT_ACCOUNT;
  const started = clock.now();

  const reset = async () => {
    for (const s of services) await s.reset();
    deployer.reset();
    store.wipe();
  };
  const edge = new Edge({
    services,
    ids,
    store,
    defaults: { region, accountId },
    intercept: (req, path) => executeApi.intercept(req, path),
    admin: adminHandler({
      clock,
      reset,
      outbox: (filter) => sns.model.outbox.list(filter),
      snsCertificate: signingCertificate,
      deploy: (assembly, parameters) => deployer.deploy(assembly, { parameters }),
      stacks: () =>
        deployer
          .stacks()
          .map((s) => ({ name: s.name, outputs: s.outputs, updated: new Date(s.updated).toISOString() })),
      health: () => ({
        status: 'running',
        version: VERSION,
        services: Object.fromEntries(services.map((s) => [s.name, 'running'])),
        clock: { mode: clock.mode, now: new Date(clock.now()).toISOString() },
        persistence: persistence === 'disk' ? { mode: 'disk', dataDir } : { mode: 'memory' },
        uptimeMs: clock.now() - started,
      }),
    }),
  });
  const deployer = createDeployer({
    store,
    clock,
    ids,
    region,
    accountId,
    url: () => url,
    dispatch: (r) => edge.dispatch(r),
  });
  const host = options.host ?? '127.0.0.1';
  const address = await edge.listen(options.port ?? 0, host);
  const urlHost = host.includes(':') ? `[${host}]` : host;
  url = `http://${urlHost}:${address.port}`;
  return {
    url,
    port: address.port,
    region,
    accountId,
    clock,
    reset,
    deploy: (dir, opts) => deployer.deploy(dir, opts),
    stacks: () => deployer.stacks(),
    async stop() {
      unwire();
      unwireSns();
      unwireAlarms();
      unwireEvents();
      unrelay();
      await edge.close();
      for (const s of services) await s.close?.();
      store.close();
      if (persistence === 'memory') rmSync(codeDir, { recursive: true, force: true });
    },
  };
}

function makeClock(c: LocalCloudOptions['clock']): Clock {
  if (c === undefined || c === 'system') return new SystemClock();
  if (c === 'manual') return new ManualClock();
  return c;
}
