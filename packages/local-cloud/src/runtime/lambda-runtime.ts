import { existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Scope } from '../core/arn.js';
import type { Clock } from '../core/clock.js';
import type { IdGenerator } from '../core/ids.js';
import { throttled } from '../services/lambda/errors.js';
import { type FunctionRecord, functionArn } from '../services/lambda/model/function.js';
import { Environment, type Invocation, type RawOutcome } from './environment.js';
import { formatReport } from './report.js';
import { RuntimeApi } from './runtime-api.js';

/**
 * Runs invocations in execution environments: reuses warm ones, starts new ones up to the
 * function's concurrency, reaps idle ones, and writes START/END/REPORT and the function's
 * output to CloudWatch Logs.
 */
export interface LogSink {
  append(scope: Scope, group: string, stream: string, events: Array<{ timestamp: number; message: string }>): void;
}

export interface RuntimeDeps {
  clock: Clock;
  ids: IdGenerator;
  /** AWS_ENDPOINT_URL for functions: the edge's URL. */
  endpoint(): string;
  logs?: LogSink;
  /** Every log line as it is written (the terminal prints them). */
  onLog?(functionName: string, line: string): void;
}

export interface InvokeInput {
  payload: Buffer;
  /** Build the base64 log tail (X-Amz-Log-Type: Tail). */
  tail?: boolean;
  clientContext?: string;
  requestId?: string;
}

export interface InvokeResult {
  requestId: string;
  payload: Buffer;
  functionError?: 'Unhandled';
  /** Base64 of the last 4 KB of this invocation's log (X-Amz-Log-Result). */
  logTail: string;
}

const ACCOUNT_CONCURRENCY = 1000;
/** The node_modules that holds the AWS SDK for functions, if any (Lambda's runtimes ship it). */
export function sdkNodeModules(): string | undefined {
  return SDK_PATHS.find((d) => existsSync(join(d, '@aws-sdk')));
}
const SDK_PATHS = [
  ...new Set([...nodeModulesUp(process.cwd()), ...nodeModulesUp(fileURLToPath(new URL('.', import.meta.url)))]),
];
const IDLE_MS = Number(process.env.LOCAL_CLOUD_LAMBDA_IDLE_MS ?? 300_000);
const NODE_CLIENT = fileURLToPath(new URL('../../runtime/node-client.mjs', import.meta.url));
const PYTHON_CLIENT = fileURLToPath(new URL('../../runtime/python_client.py', import.meta.url));

interface Running {
  fn: FunctionRecord;
  group: string;
  lines: string[];
}

export class LambdaRuntime {
  private readonly api: RuntimeApi;
  private readonly envs = new Map<string, Environment>();
  private readonly byFunction = new Map<string, Set<Environment>>();
  private readonly running = new Map<Environment, Running>();
  /** Who each environment belongs to, for output written outside an invocation (init). */
  private readonly owners = new Map<Environment, Running>();
  private readonly generation = new Map<Environment, string>();
  private readonly reaper: NodeJS.Timeout;

  constructor(private readonly deps: RuntimeDeps) {
    this.api = new RuntimeApi({
      next: (id, signal) => this.env(id)?.next(signal) ?? Promise.resolve({ status: 404, headers: {}, body: '' }),
      response: (id, req, body) => this.env(id)?.response(req, body),
      error: (id, req, body, type) => this.env(id)?.error(req, body, type),
      initError: (id, body, type) => this.env(id)?.initError(body, type),
    });
    this.reaper = setInterval(() => this.reap(), Math.min(IDLE_MS, 30_000));
    this.reaper.unref();
  }

  start(): Promise<void> {
    return this.api.start();
  }

  /** Environments of a function that are running or starting (its current concurrency). */
  concurrency(fn: FunctionRecord): number {
    let n = 0;
    for (const e of this.byFunction.get(key(fn)) ?? []) if (e.state === 'busy' || e.state === 'starting') n++;
    return n;
  }

  async invoke(fn: FunctionRecord, codeDir: string, input: InvokeInput): Promise<InvokeResult> {
    const requestId = input.requestId ?? this.deps.ids.uuid();
    const env = this.acquire(fn, codeDir);
    const group = fn.logGroup ?? `/aws/lambda/${fn.name}`;
    const run: Running = { fn, group, lines: [] };
    this.running.set(env, run);
    this.log(env, `START RequestId: ${requestId} Version: $LATEST`);
    const started = performance.now();
    const inv: Invocation = {
      requestId,
      payload: input.payload,
      invokedArn: functionArn(fn),
      traceId: `Root=1-${Math.floor(this.deps.clock.now() / 1000).toString(16)}-${this.deps.ids.hex(12)};Parent=${this.deps.ids.hex(8)};Sampled=0`,
      timeoutMs: fn.timeout * 1000,
      ...(input.clientContext ? { clientContext: input.clientContext } : {}),
    };
    const outcome = await env.run(inv);
    const durationMs = performance.now() - started;
    const result = this.result(requestId, fn, outcome);
    const closing: string[] = [];
    if (outcome.kind === 'timeout') {
      closing.push(
        `${new Date(this.deps.clock.now()).toISOString()} ${requestId} Task timed out after ${fn.timeout.toFixed(2)} seconds`,
      );
    }
    const init = env.initReported ? undefined : env.initDurationMs;
    env.initReported = true;
    closing.push(
      `END RequestId: ${requestId}`,
      formatReport({
        requestId,
        durationMs,
        memorySize: fn.memorySize,
        maxMemoryMb: env.maxMemoryMb(),
        initDurationMs: init,
      }),
    );
    this.log(env, ...closing);
    this.running.delete(env);
    if (env.state === 'busy') env.state = 'idle';
    if (this.generation.get(env) !== generationOf(fn)) env.kill();
    const logTail = input.tail ? Buffer.from(run.lines.join('\n')).subarray(-4096).toString('base64') : '';
    return { ...result, logTail };
  }

  /** Stops every environment of a function (its code or configuration changed, or it was deleted). */
  retire(fn: FunctionRecord): void {
    for (const e of this.byFunction.get(key(fn)) ?? []) if (e.state !== 'busy') e.kill();
  }

  async close(): Promise<void> {
    clearInterval(this.reaper);
    for (const e of this.envs.values()) e.kill();
    await this.api.close();
  }

  private acquire(fn: FunctionRecord, codeDir: string): Environment {
    const set = this.byFunction.get(key(fn)) ?? new Set<Environment>();
    this.byFunction.set(key(fn), set);
    const gen = generationOf(fn);
    for (const e of set) {
      if (e.state === 'idle' && this.generation.get(e) === gen) {
        e.state = 'busy';
        return e;
      }
    }
    const limit = fn.reservedConcurrency ?? ACCOUNT_CONCURRENCY;
    if (this.concurrency(fn) >= limit) {
      throw fn.reservedConcurrency !== undefined
        ? throttled('ReservedFunctionConcurrentInvocationLimitExceeded')
        : throttled('ConcurrentInvocationLimitExceeded');
    }
    const env = this.spawn(fn, codeDir);
    set.add(env);
    this.generation.set(env, gen);
    return env;
  }

  private spawn(fn: FunctionRecord, codeDir: string): Environment {
    const id = this.deps.ids.hex(16);
    const now = new Date(this.deps.clock.now());
    const day = now.toISOString().slice(0, 10).replace(/-/g, '/');
    const logStream = `${day}/[$LATEST]${id}`;
    const python = fn.runtime.startsWith('python');
    const env = new Environment(
      {
        id,
        command: python ? 'python3' : process.execPath,
        args: python ? ['-u', PYTHON_CLIENT] : [`--max-old-space-size=${fn.memorySize}`, NODE_CLIENT],
        cwd: codeDir,
        logStream,
        env: this.environmentVariables(fn, codeDir, id, logStream),
      },
      this.deps.clock,
      {
        line: (e, line) => this.log(e, line),
        dead: (e) => this.forget(e),
      },
    );
    this.envs.set(id, env);
    this.owners.set(env, { fn, group: fn.logGroup ?? `/aws/lambda/${fn.name}`, lines: [] });
    return env;
  }

  private environmentVariables(fn: FunctionRecord, codeDir: string, id: string, logStream: string) {
    const base: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      LANG: 'en_US.UTF-8',
      TZ: 'UTC',
      ...(process.env.SYSTEMROOT ? { SYSTEMROOT: process.env.SYSTEMROOT } : {}),
    };
    return {
      ...base,
      ...fn.environment,
      _HANDLER: fn.handler,
      AWS_REGION: fn.region,
      AWS_DEFAULT_REGION: fn.region,
      AWS_EXECUTION_ENV: `AWS_Lambda_${fn.runtime}`,
      AWS_LAMBDA_FUNCTION_NAME: fn.name,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySize),
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
      AWS_LAMBDA_LOG_GROUP_NAME: fn.logGroup ?? `/aws/lambda/${fn.name}`,
      AWS_LAMBDA_LOG_STREAM_NAME: logStream,
      AWS_LAMBDA_RUNTIME_API: this.api.endpointFor(id),
      // The function's account as the access key: local-cloud attributes its calls to that account.
      AWS_ACCESS_KEY_ID: fn.accountId,
      AWS_SECRET_ACCESS_KEY: 'local-cloud',
      AWS_SESSION_TOKEN: `local-cloud-${fn.name}`,
      AWS_ENDPOINT_URL: this.deps.endpoint(),
      LAMBDA_TASK_ROOT: codeDir,
      LAMBDA_RUNTIME_DIR: fileURLToPath(new URL('../../runtime', import.meta.url)),
      AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
      PYTHONDONTWRITEBYTECODE: '1',
      PYTHONUNBUFFERED: '1',
      AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
      // Lambda's Node runtimes ship the AWS SDK v3; here it comes from the project's node_modules.
      NODE_PATH: [fn.environment.NODE_PATH, codeDir, ...SDK_PATHS].filter(Boolean).join(delimiter),
    };
  }

  private result(requestId: string, fn: FunctionRecord, o: RawOutcome): Omit<InvokeResult, 'logTail'> {
    switch (o.kind) {
      case 'response':
        return { requestId, payload: o.body.length ? o.body : Buffer.from('null') };
      case 'error':
      case 'init-error':
        return { requestId, payload: o.body, functionError: 'Unhandled' };
      case 'timeout':
        return errorPayload(requestId, 'Sandbox.Timedout', `Task timed out after ${fn.timeout.toFixed(2)} seconds`);
      case 'exit': {
        const how = o.signal ? `signal: ${o.signal === 'SIGKILL' ? 'killed' : o.signal}` : `exit status ${o.code}`;
        return errorPayload(requestId, 'Runtime.ExitError', `Runtime exited with error: ${how}`);
      }
    }
  }

  private log(env: Environment, ...lines: string[]): void {
    const run = this.running.get(env) ?? this.owners.get(env);
    const fn = run?.fn;
    if (!run || !fn) return;
    if (this.running.has(env)) run.lines.push(...lines);
    const timestamp = this.deps.clock.now();
    this.deps.logs?.append(
      { region: fn.region, accountId: fn.accountId },
      run.group,
      env.spec.logStream,
      lines.map((message) => ({ timestamp, message })),
    );
    for (const line of lines) this.deps.onLog?.(fn.name, line);
  }

  private env(id: string): Environment | undefined {
    return this.envs.get(id);
  }

  private forget(env: Environment): void {
    this.envs.delete(env.id);
    this.generation.delete(env);
    this.owners.delete(env);
    for (const set of this.byFunction.values()) set.delete(env);
  }

  private reap(): void {
    const cutoff = Date.now() - IDLE_MS;
    for (const e of this.envs.values()) if (e.state === 'idle' && e.lastUsed < cutoff) e.kill();
  }
}

/** Every node_modules directory from dir up to the root, nearest first. */
function nodeModulesUp(dir: string): string[] {
  const out: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    const nm = join(d, 'node_modules');
    if (existsSync(nm)) out.push(nm);
    if (dirname(d) === d) return out;
  }
}

function key(fn: FunctionRecord): string {
  return `${fn.region}/${fn.accountId}/${fn.name}`;
}

/** Environments started for older code or configuration are not reused. */
function generationOf(fn: FunctionRecord): string {
  return fn.revisionId;
}

function errorPayload(requestId: string, errorType: string, message: string) {
  return {
    requestId,
    payload: Buffer.from(JSON.stringify({ errorType, errorMessage: `RequestId: ${requestId} Error: ${message}` })),
    functionError: 'Unhandled' as const,
  };
}
