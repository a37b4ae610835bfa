import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** packages/local-cloud/runtime */
export const RUNTIME_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../runtime');

export interface QueuedEvent {
  requestId: string;
  payload: string;
  deadlineMs: number;
  headers: Record<string, string>;
}

export interface Posted {
  requestId: string;
  body: string;
  headers: IncomingMessage['headers'];
  trailers: Record<string, string | undefined>;
  at: number;
}

export interface Outcome {
  kind: 'response' | 'error';
  requestId: string;
  body: string;
  json: unknown;
  headers: IncomingMessage['headers'];
  trailers: Record<string, string | undefined>;
  at: number;
}

export interface InitError {
  body: string;
  json: unknown;
  headers: IncomingMessage['headers'];
}

/**
 * A stand-in for local-cloud's Runtime API: serves queued events to GET /next (long poll) and
 * records what the runtime posts. Every route lives under a path prefix, as local-cloud's does.
 */
export class FakeRuntimeApi {
  readonly prefix = `/env-${randomUUID().slice(0, 8)}`;
  readonly requests: { method: string; url: string }[] = [];
  readonly unrouted: string[] = [];
  readonly sockets = new Set<Socket>();
  nextCalls = 0;
  private readonly server: Server;
  private readonly queue: QueuedEvent[] = [];
  private parked: ServerResponse[] = [];
  private readonly outcomes = new Map<string, Outcome>();
  private readonly outcomeWaiters = new Map<string, (o: Outcome) => void>();
  private initError: InitError | undefined;
  private initWaiter: ((e: InitError) => void) | undefined;
  private nextWaiters: (() => void)[] = [];
  private port = 0;

  constructor() {
    this.server = createServer((req, res) => this.route(req, res));
    this.server.on('connection', (s) => this.sockets.add(s));
  }

  async start(): Promise<this> {
    await new Promise<void>((ok) => this.server.listen(0, '127.0.0.1', ok));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** The AWS_LAMBDA_RUNTIME_API value: host:port followed by the prefix. */
  get endpoint(): string {
    return `127.0.0.1:${this.port}${this.prefix}`;
  }

  /** Queues one event; resolves with its outcome once the runtime posts a response or an error. */
  invoke(
    payload: unknown,
    opts: { timeoutMs?: number; headers?: Record<string, string>; raw?: string } = {},
  ): Promise<Outcome> {
    const requestId = randomUUID();
    const done = new Promise<Outcome>((ok) => this.outcomeWaiters.set(requestId, ok));
    this.queue.push({
      requestId,
      payload: opts.raw ?? JSON.stringify(payload),
      deadlineMs: Date.now() + (opts.timeoutMs ?? 3000),
      headers: opts.headers ?? {},
    });
    this.pump();
    return done;
  }

  /** Resolves when the runtime posts to /runtime/init/error. */
  waitInitError(): Promise<InitError> {
    if (this.initError) return Promise.resolve(this.initError);
    return new Promise((ok) => {
      this.initWaiter = ok;
    });
  }

  /** Resolves once the runtime has asked for an event at least `n` times in total. */
  waitNextCalls(n: number): Promise<void> {
    if (this.nextCalls >= n) return Promise.resolve();
    return new Promise((ok) => {
      const check = () => {
        if (this.nextCalls >= n) ok();
        else this.nextWaiters.push(check);
      };
      this.nextWaiters.push(check);
    });
  }

  async close(): Promise<void> {
    for (const res of this.parked) res.destroy();
    this.parked = [];
    this.server.closeAllConnections();
    await new Promise<void>((ok) => this.server.close(() => ok()));
  }

  private pump(): void {
    while (this.queue.length > 0 && this.parked.length > 0) {
      const res = this.parked.shift() as ServerResponse;
      const ev = this.queue.shift() as QueuedEvent;
      res.writeHead(200, {
        'content-type': 'application/json',
        'lambda-runtime-aws-request-id': ev.requestId,
        'lambda-runtime-deadline-ms': String(ev.deadlineMs),
        'lambda-runtime-invoked-function-arn': 'arn:aws:lambda:us-east-1:000000000000:function:fixture',
        'lambda-runtime-trace-id': `Root=1-00000000-${ev.requestId.replaceAll('-', '').slice(0, 24)};Sampled=0`,
        ...ev.headers,
      });
      res.end(ev.payload);
    }
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url ?? '';
    this.requests.push({ method: req.method ?? '', url });
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (!url.startsWith(`${this.prefix}/2018-06-01/runtime/`)) {
        this.unrouted.push(url);
        res.writeHead(404).end('{"errorMessage":"not found"}');
        return;
      }
      const route = url.slice(`${this.prefix}/2018-06-01/runtime`.length);
      if (req.method === 'GET' && route === '/invocation/next') {
        this.nextCalls++;
        const waiters = this.nextWaiters;
        this.nextWaiters = [];
        for (const w of waiters) w();
        this.parked.push(res);
        res.on('close', () => {
          this.parked = this.parked.filter((r) => r !== res);
        });
        this.pump();
        return;
      }
      const m = /^\/invocation\/([^/]+)\/(response|error)$/.exec(route);
      if (req.method === 'POST' && m) {
        const requestId = decodeURIComponent(m[1] as string);
        const outcome: Outcome = {
          kind: m[2] as 'response' | 'error',
          requestId,
          body,
          json: parse(body),
          headers: req.headers,
          trailers: req.trailers,
          at: performance.now(),
        };
        this.outcomes.set(requestId, outcome);
        this.outcomeWaiters.get(requestId)?.(outcome);
        res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"OK"}');
        return;
      }
      if (req.method === 'POST' && route === '/init/error') {
        this.initError = { body, json: parse(body), headers: req.headers };
        this.initWaiter?.(this.initError);
        res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"OK"}');
        return;
      }
      this.unrouted.push(url);
      res.writeHead(404).end('{"errorMessage":"not found"}');
    });
  }
}

function parse(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/** A runtime-client process with its stdout/stderr split into lines. */
export class RuntimeProcess {
  readonly stdout: string[] = [];
  readonly stderr: string[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly spawnedAt = performance.now();
  private readonly child: ChildProcess;
  private partial = { out: '', err: '' };

  constructor(command: string, args: string[], env: Record<string, string>, cwd: string) {
    this.child = spawn(command, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.setEncoding('utf8').on('data', (d: string) => this.take('out', d));
    this.child.stderr?.setEncoding('utf8').on('data', (d: string) => this.take('err', d));
    this.exited = new Promise((ok) => this.child.on('exit', (code, signal) => ok({ code, signal })));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  /** Waits (briefly) for a stdout line matching `pattern`. */
  async line(pattern: RegExp, timeoutMs = 5000): Promise<string> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const found = this.stdout.find((l) => pattern.test(l));
      if (found !== undefined) return found;
      if (Date.now() > end) {
        throw new Error(
          `no stdout line matched ${pattern}; stdout:\n${this.stdout.join('\n')}\nstderr:\n${this.stderr.join('\n')}`,
        );
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  private take(which: 'out' | 'err', chunk: string): void {
    const lines = (this.partial[which] + chunk).split('\n');
    this.partial[which] = lines.pop() ?? '';
    (which === 'out' ? this.stdout : this.stderr).push(...lines);
  }
}

/** A temp directory of fixture files; `files` maps relative paths to contents. */
export function taskDir(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'lc-runtime-'));
  for (const [rel, text] of Object.entries(files)) {
    const file = join(root, rel);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
  return root;
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** The environment local-cloud gives a function's process. */
export function lambdaEnv(api: FakeRuntimeApi, root: string, handler: string, extra: Record<string, string> = {}) {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    LANG: 'C.UTF-8',
    TZ: ':UTC',
    AWS_LAMBDA_RUNTIME_API: api.endpoint,
    _HANDLER: handler,
    LAMBDA_TASK_ROOT: root,
    AWS_LAMBDA_FUNCTION_NAME: 'fixture',
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
    AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/fixture',
    AWS_LAMBDA_LOG_STREAM_NAME: '2024/01/01/[$LATEST]0123456789abcdef',
    AWS_REGION: 'us-east-1',
    ...extra,
  };
  return env;
}
