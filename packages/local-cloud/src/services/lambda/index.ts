import type { Clock } from '../../core/clock.js';
import { AwsError } from '../../core/errors.js';
import type { EdgeReply, EdgeRequest } from '../../core/http.js';
import type { IdGenerator } from '../../core/ids.js';
import type { RestContext, RestService } from '../../core/service.js';
import type { Store } from '../../core/storage.js';
import { matchRoute, parseJsonBody, restError } from '../../protocols/rest-json.js';
import { LambdaRuntime, type LogSink, sdkNodeModules } from '../../runtime/lambda-runtime.js';
import { AsyncInvoker, type Destinations } from './async.js';
import { ServiceException, UnknownOperation } from './errors.js';
import { CodeStore } from './model/code.js';
import { MappingRegistry } from './model/mappings.js';
import { FunctionRegistry } from './model/registry.js';
import type { LambdaOp } from './operations/common.js';
import { functionOperations } from './operations/functions.js';
import { invokeOperations } from './operations/invoke.js';
import { type EventSources, mappingOperations } from './operations/mappings.js';
import { policyOperations } from './operations/policy.js';
import { LAMBDA_ROUTES } from './routes.js';

export type { Destinations } from './async.js';
export type { EventSources } from './operations/mappings.js';

export interface LambdaEnv {
  clock: Clock;
  ids: IdGenerator;
  store: Store;
  /** Where deployment packages are unpacked. */
  codeDir: string;
  /** The edge URL, for AWS_ENDPOINT_URL in functions. */
  endpoint(): string;
  logs?: LogSink;
  onLog?(functionName: string, line: string): void;
}

export type LambdaService = RestService & {
  functions: FunctionRegistry;
  mappings: MappingRegistry;
  runtime: LambdaRuntime;
  async: AsyncInvoker;
  code: CodeStore;
  /** Wiring fills these in: where destinations go, and what event sources exist. */
  connect(links: { destinations?: Destinations; sources?: EventSources }): void;
  start(): Promise<void>;
};

/** AWS Lambda over restJson1, with functions run in local processes. */
export function createLambdaService(env: LambdaEnv): LambdaService {
  const functions = new FunctionRegistry(env.store);
  const mappings = new MappingRegistry(env.store);
  functions.load();
  mappings.load();
  const code = new CodeStore(env.codeDir);
  code.linkSdk(sdkNodeModules());
  const runtime = new LambdaRuntime({
    clock: env.clock,
    ids: env.ids,
    endpoint: env.endpoint,
    ...(env.logs ? { logs: env.logs } : {}),
    ...(env.onLog ? { onLog: env.onLog } : {}),
  });
  const links: { destinations?: Destinations; sources?: EventSources } = {};
  const destinations: Destinations = { deliver: (arn, body, attrs) => links.destinations?.deliver(arn, body, attrs) };
  const async = new AsyncInvoker({ clock: env.clock, runtime, registry: functions, code, destinations });
  const now = () => env.clock.now();
  const uuid = () => env.ids.uuid();
  const ops: Record<string, LambdaOp> = {
    ...functionOperations({ registry: functions, code, now, uuid, retire: (f) => runtime.retire(f) }),
    ...invokeOperations({ registry: functions, code, runtime, async, uuid }),
    ...policyOperations({ registry: functions, now, uuid }),
    ...mappingOperations({ functions, mappings, sources: () => links.sources, now, uuid }),
  };

  return {
    name: 'lambda',
    signingName: 'lambda',
    ownsPath: (path) => /^\/20\d\d-\d\d-\d\d\/(functions|event-source-mappings|tags)\b/.test(path),
    functions,
    mappings,
    runtime,
    async,
    code,
    connect(l) {
      Object.assign(links, l);
    },
    start: () => runtime.start(),
    async handle(req: EdgeRequest, ctx: RestContext): Promise<EdgeReply> {
      try {
        const m = matchRoute(LAMBDA_ROUTES, req.method, ctx.path);
        if (!m || m === 'method') throw new UnknownOperation(`Unknown operation ${req.method} ${ctx.path}`);
        const op = ops[m.op];
        if (!op) throw new UnknownOperation(`Operation ${m.op} is not supported`);
        let json: Record<string, unknown> | undefined;
        const input = {
          params: m.params,
          query: ctx.query,
          headers: req.headers,
          body: req.body,
          json: () => {
            json ??= parseJsonBody(req.body);
            return json;
          },
        };
        return (await op(input, ctx)) as EdgeReply;
      } catch (err) {
        if (err instanceof AwsError) return restError(err, ctx.requestId);
        console.error('[local-cloud] lambda error:', err);
        return restError(new ServiceException('An internal error occurred.'), ctx.requestId);
      }
    },
    reset() {
      for (const f of functions.all()) runtime.retire(f);
      mappings.reset();
      functions.reset();
    },
    close: () => runtime.close(),
  };
}
