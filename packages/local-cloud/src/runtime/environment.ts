import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Clock, TimerHandle } from '../core/clock.js';
import type { EdgeReply } from '../core/http.js';

/**
 * One execution environment: an OS process running a runtime client that pulls events from the
 * Runtime API. It handles one invocation at a time; a timeout or a crash ends it.
 */
export interface Invocation {
  requestId: string;
  payload: Buffer;
  invokedArn: string;
  traceId: string;
  clientContext?: string;
  timeoutMs: number;
}

export type RawOutcome =
  | { kind: 'response'; body: Buffer }
  | { kind: 'error'; body: Buffer; errorType: string | undefined }
  | { kind: 'init-error'; body: Buffer; errorType: string | undefined }
  | { kind: 'timeout' }
  | { kind: 'exit'; code: number | null; signal: NodeJS.Signals | null };

export interface EnvironmentSpec {
  id: string;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  logStream: string;
}

export interface EnvironmentEvents {
  line(env: Environment, line: string): void;
  dead(env: Environment): void;
}

/** How long a runtime may take to ask for its first event (Lambda's init limit is 10 s). */
const INIT_LIMIT_MS = 10_000;

export class Environment {
  /** `stopping`: killed, its exit not yet seen; never handed another invocation. */
  state: 'starting' | 'idle' | 'busy' | 'stopping' | 'dead' = 'starting';
  readonly spawnedAt = performance.now();
  /** Set once the runtime first asks for an event; reported on its first invocation only. */
  initDurationMs: number | undefined;
  initReported = false;
  lastUsed = Date.now();
  private readonly proc: ChildProcess;
  private parked: ((reply: EdgeReply) => void) | undefined;
  private current: { inv: Invocation; settle: (o: RawOutcome) => void; delivered: boolean } | undefined;
  private timer: TimerHandle | undefined;
  private initGuard: NodeJS.Timeout | undefined;
  private initFailure: RawOutcome | undefined;
  private partial = { out: '', err: '' };
  private peakMb: number | undefined;
  private memoryReads = 0;

  constructor(
    readonly spec: EnvironmentSpec,
    private readonly clock: Clock,
    private readonly events: EnvironmentEvents,
  ) {
    this.proc = spawn(spec.command, spec.args, { cwd: spec.cwd, env: spec.env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stdout?.setEncoding('utf8').on('data', (d: string) => this.output('out', d));
    this.proc.stderr?.setEncoding('utf8').on('data', (d: string) => this.output('err', d));
    this.proc.on('error', () => this.die({ kind: 'exit', code: null, signal: null }));
    this.proc.on('exit', (code, signal) => this.die({ kind: 'exit', code, signal }));
    this.initGuard = setTimeout(() => this.kill(), INIT_LIMIT_MS);
    this.initGuard.unref();
  }

  get id(): string {
    return this.spec.id;
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  /** Runs one invocation; resolves with what the runtime (or its death) said. */
  run(inv: Invocation): Promise<RawOutcome> {
    if (this.state === 'dead') return Promise.resolve(this.initFailure ?? { kind: 'exit', code: null, signal: null });
    this.state = 'busy';
    return new Promise((settle) => {
      this.current = { inv, settle, delivered: false };
      if (this.parked) this.deliver();
    });
  }

  /** The runtime's GET /next. */
  next(signal: AbortSignal): Promise<EdgeReply> {
    if (this.initDurationMs === undefined) {
      this.initDurationMs = performance.now() - this.spawnedAt;
      clearTimeout(this.initGuard);
      if (this.state === 'starting') this.state = 'idle';
    }
    return new Promise((resolve) => {
      this.parked = resolve;
      signal.addEventListener('abort', () => {
        if (this.parked === resolve) this.parked = undefined;
      });
      if (this.current && !this.current.delivered) this.deliver();
    });
  }

  response(requestId: string, body: Buffer): void {
    this.finish(requestId, { kind: 'response', body });
  }

  error(requestId: string, body: Buffer, errorType: string | undefined): void {
    this.finish(requestId, { kind: 'error', body, errorType });
  }

  initError(body: Buffer, errorType: string | undefined): void {
    this.initFailure = { kind: 'init-error', body, errorType };
    const c = this.current;
    if (c) {
      this.current = undefined;
      c.settle(this.initFailure);
    }
  }

  /**
   * Peak resident memory of the process (VmHWM), in MB; 0 where /proc is unavailable. Read once
   * synchronously, then refreshed in the background on every 16th call: reading /proc after every
   * invoke cost a fifth of the server's CPU on warm, trivial functions, and the peak only grows.
   */
  maxMemoryMb(): number {
    const path = `/proc/${this.proc.pid}/status`;
    if (this.peakMb === undefined) this.peakMb = parseHwm(safeRead(path));
    else if (++this.memoryReads % 16 === 0)
      void readFile(path, 'utf8').then(
        (t) => (this.peakMb = Math.max(this.peakMb ?? 0, parseHwm(t))),
        () => {},
      );
    return this.peakMb;
  }

  kill(): void {
    if (this.state === 'dead' || this.state === 'stopping') return;
    this.state = 'stopping';
    this.proc.kill('SIGKILL');
  }

  private deliver(): void {
    const c = this.current;
    const respond = this.parked;
    if (!c || !respond) return;
    this.parked = undefined;
    c.delivered = true;
    const inv = c.inv;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'lambda-runtime-aws-request-id': inv.requestId,
      // Wall time: the runtime compares it with its own Date.now().
      'lambda-runtime-deadline-ms': String(Date.now() + inv.timeoutMs),
      'lambda-runtime-invoked-function-arn': inv.invokedArn,
      'lambda-runtime-trace-id': inv.traceId,
    };
    if (inv.clientContext) headers['lambda-runtime-client-context'] = inv.clientContext;
    this.timer = this.clock.setTimer(inv.timeoutMs, () => {
      if (this.current?.inv !== inv) return;
      this.current = undefined;
      c.settle({ kind: 'timeout' });
      this.kill();
    });
    respond({ status: 200, headers, body: inv.payload });
  }

  private finish(requestId: string, outcome: RawOutcome): void {
    const c = this.current;
    if (!c || c.inv.requestId !== requestId) return;
    this.current = undefined;
    this.timer?.cancel();
    this.state = 'idle';
    this.lastUsed = Date.now();
    c.settle(outcome);
  }

  private die(outcome: RawOutcome): void {
    if (this.state === 'dead') return;
    this.state = 'dead';
    clearTimeout(this.initGuard);
    this.timer?.cancel();
    this.flush();
    const c = this.current;
    this.current = undefined;
    c?.settle(this.initFailure ?? outcome);
    this.events.dead(this);
  }

  private output(which: 'out' | 'err', chunk: string): void {
    const text = this.partial[which] + chunk;
    const lines = text.split('\n');
    this.partial[which] = lines.pop() ?? '';
    // Runtimes write a multi-line record as one line with \r for its inner newlines.
    for (const line of lines) this.events.line(this, line.replace(/\r/g, '\n'));
  }

  private flush(): void {
    for (const which of ['out', 'err'] as const) {
      if (this.partial[which]) this.events.line(this, this.partial[which]);
      this.partial[which] = '';
    }
  }
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function parseHwm(status: string): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(status);
  return m ? Math.ceil(Number(m[1]) / 1024) : 0;
}
