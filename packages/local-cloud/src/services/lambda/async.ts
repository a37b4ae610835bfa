import type { Clock } from '../../core/clock.js';
import { AwsError } from '../../core/errors.js';
import type { LambdaRuntime } from '../../runtime/lambda-runtime.js';
import type { CodeStore } from './model/code.js';
import { type FunctionRecord, functionArn } from './model/function.js';
import type { FunctionRegistry } from './model/registry.js';

/**
 * Asynchronous (Event) invocations: an internal queue with Lambda's retry rules on the clock.
 * A function error is retried twice (after 1 and 2 minutes) unless MaximumRetryAttempts says
 * otherwise; throttles back off from 1 s to 5 min until the event's maximum age; the final
 * failure goes to the on-failure destination, else the dead-letter queue.
 */
export interface Destinations {
  /** Delivers a message to an SQS queue, SNS topic or Lambda function ARN. */
  deliver(arn: string, body: string, attributes?: Record<string, { DataType: string; StringValue: string }>): void;
}

interface QueuedEvent {
  fn: FunctionRecord;
  requestId: string;
  payload: Buffer;
  receivedAt: number;
  attempts: number;
  throttles: number;
}

const RETRY_DELAYS_MS = [60_000, 120_000];
const DEFAULT_MAX_AGE_S = 21_600;

export class AsyncInvoker {
  private pending = 0;

  constructor(
    private readonly deps: {
      clock: Clock;
      runtime: LambdaRuntime;
      registry: FunctionRegistry;
      code: CodeStore;
      destinations?: Destinations;
    },
  ) {}

  /** Events accepted and not yet finished (for settle-style waits in tests). */
  get inFlight(): number {
    return this.pending;
  }

  enqueue(fn: FunctionRecord, payload: Buffer, requestId: string): void {
    this.pending++;
    const ev: QueuedEvent = { fn, requestId, payload, receivedAt: this.deps.clock.now(), attempts: 0, throttles: 0 };
    this.schedule(ev, 0);
  }

  /** Runs an attempt later; an unexpected failure ends the event instead of crashing the process. */
  private schedule(ev: QueuedEvent, delayMs: number): void {
    this.deps.clock.setTimer(delayMs, () => {
      this.attempt(ev).catch((err) => {
        console.error(`[local-cloud] async invocation ${ev.requestId} of ${ev.fn.name} failed:`, err);
        this.done();
      });
    });
  }

  private async attempt(ev: QueuedEvent): Promise<void> {
    const fn = this.deps.registry.find(ev.fn, ev.fn.name);
    if (!fn) return this.done();
    const cfg = fn.eventInvokeConfig;
    const maxAgeMs = (cfg?.MaximumEventAgeInSeconds ?? DEFAULT_MAX_AGE_S) * 1000;
    if (this.deps.clock.now() - ev.receivedAt >= maxAgeMs) return this.fail(fn, ev, 'EventAgeExceeded');
    let result: Awaited<ReturnType<LambdaRuntime['invoke']>>;
    try {
      result = await this.deps.runtime.invoke(fn, this.deps.code.dirFor(fn.code), {
        payload: ev.payload,
        requestId: ev.requestId,
      });
    } catch (err) {
      if (!(err instanceof AwsError) || err.code !== 'TooManyRequestsException') throw err;
      this.schedule(ev, Math.min(1000 * 2 ** ev.throttles++, 300_000));
      return;
    }
    ev.attempts++;
    if (!result.functionError) return this.succeed(fn, ev, result.payload);
    const maxRetries = cfg?.MaximumRetryAttempts ?? 2;
    if (ev.attempts <= maxRetries) {
      this.schedule(ev, RETRY_DELAYS_MS[ev.attempts - 1] ?? 120_000);
      return;
    }
    return this.fail(fn, ev, 'RetriesExhausted', result.payload);
  }

  private succeed(fn: FunctionRecord, ev: QueuedEvent, response: Buffer): void {
    const dest = fn.eventInvokeConfig?.DestinationConfig?.OnSuccess?.Destination;
    if (dest) this.deps.destinations?.deliver(dest, this.record(fn, ev, 'Success', response));
    this.done();
  }

  private fail(fn: FunctionRecord, ev: QueuedEvent, condition: string, response?: Buffer): void {
    const dest = fn.eventInvokeConfig?.DestinationConfig?.OnFailure?.Destination;
    if (dest) this.deps.destinations?.deliver(dest, this.record(fn, ev, condition, response));
    else if (fn.deadLetterArn) {
      const error = response ? parse(response) : undefined;
      const message = (error as { errorMessage?: string } | undefined)?.errorMessage ?? condition;
      this.deps.destinations?.deliver(fn.deadLetterArn, ev.payload.toString('utf8'), {
        RequestID: { DataType: 'String', StringValue: ev.requestId },
        ErrorCode: { DataType: 'Number', StringValue: '200' },
        ErrorMessage: { DataType: 'String', StringValue: message },
      });
    }
    this.done();
  }

  /** The invocation record Lambda sends to destinations. */
  private record(fn: FunctionRecord, ev: QueuedEvent, condition: string, response?: Buffer): string {
    return JSON.stringify({
      version: '1.0',
      timestamp: new Date(this.deps.clock.now()).toISOString(),
      requestContext: {
        requestId: ev.requestId,
        functionArn: `${functionArn(fn)}:$LATEST`,
        condition,
        approximateInvokeCount: ev.attempts,
      },
      requestPayload: parse(ev.payload),
      responseContext: {
        statusCode: 200,
        executedVersion: '$LATEST',
        ...(condition !== 'Success' && response ? { functionError: 'Unhandled' } : {}),
      },
      responsePayload: response ? parse(response) : null,
    });
  }

  private done(): void {
    this.pending--;
  }
}

function parse(b: Buffer): unknown {
  try {
    return JSON.parse(b.toString('utf8'));
  } catch {
    return b.toString('utf8');
  }
}
