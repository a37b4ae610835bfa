import * as http from 'node:http';
import * as https from 'node:https';
import type { Clock, TimerHandle } from '../core/clock.js';
import type { RetryPolicy } from '../services/sns/attributes.js';

/**
 * HTTP/S deliveries: one POST per attempt, retried on the clock under the subscription's delivery
 * policy. A 2xx-4xx answer is a delivery (AWS does not retry client errors); a 5xx, a network
 * error or no answer within 15 seconds is a failure.
 */
export interface HttpJob {
  url: string;
  body: string;
  headers: Record<string, string>;
  /** Seconds before each retry (see retrySchedule). */
  schedule: number[];
  /** False once the subscription is gone: retries stop. */
  alive(): boolean;
  /** Called when every attempt failed. */
  exhausted?(): void;
}

const TIMEOUT_MS = 15_000;

export class HttpDeliverer {
  private timers = new Set<TimerHandle>();
  private stopped = false;

  constructor(private readonly clock: Clock) {}

  send(job: HttpJob): void {
    void this.attempt(job, 0);
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) t.cancel();
    this.timers.clear();
  }

  private async attempt(job: HttpJob, retries: number): Promise<void> {
    if (this.stopped || !job.alive()) return;
    if (await post(job, this.clock)) return;
    if (this.stopped) return;
    const delay = job.schedule[retries];
    if (delay === undefined) return job.exhausted?.();
    const timer = this.clock.setTimer(delay * 1000, () => {
      this.timers.delete(timer);
      void this.attempt(job, retries + 1);
    });
    this.timers.add(timer);
  }
}

function post(job: HttpJob, clock: Clock): Promise<boolean> {
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(job.url);
    } catch {
      return resolve(false);
    }
    let settled = false;
    const finish = (ok: boolean) => {
      if (settled) return;
      settled = true;
      timeout.cancel();
      resolve(ok);
    };
    const body = Buffer.from(job.body, 'utf8');
    const request = url.protocol === 'https:' ? https.request : http.request;
    const req = request(
      url,
      {
        method: 'POST',
        headers: { ...job.headers, 'content-length': String(body.length) },
        agent: false,
        // Local endpoints often use self-signed certificates.
        rejectUnauthorized: false,
      },
      (res) => {
        res.resume();
        finish((res.statusCode ?? 500) < 500);
      },
    );
    const timeout = clock.setTimer(TIMEOUT_MS, () => req.destroy(new Error('timed out')));
    req.on('error', () => finish(false));
    req.end(body);
  });
}

/**
 * Delays (seconds) before each retry: the immediate phase, the pre-backoff phase at the minimum
 * delay, the backoff phase from minimum to maximum, then the post-backoff phase at the maximum.
 */
export function retrySchedule(p: RetryPolicy): number[] {
  const total = Math.max(0, Math.floor(p.numRetries));
  const noDelay = Math.min(Math.max(0, p.numNoDelayRetries), total);
  const atMin = Math.min(Math.max(0, p.numMinDelayRetries), total - noDelay);
  const atMax = Math.min(Math.max(0, p.numMaxDelayRetries), total - noDelay - atMin);
  const backoff = total - noDelay - atMin - atMax;
  const out: number[] = [];
  for (let i = 0; i < noDelay; i++) out.push(0);
  for (let i = 0; i < atMin; i++) out.push(p.minDelayTarget);
  for (let i = 1; i <= backoff; i++) out.push(backoffDelay(p, i, backoff));
  for (let i = 0; i < atMax; i++) out.push(p.maxDelayTarget);
  return out;
}

function backoffDelay(p: RetryPolicy, i: number, n: number): number {
  const lo = p.minDelayTarget;
  const hi = p.maxDelayTarget;
  let d: number;
  switch (p.backoffFunction) {
    case 'arithmetic':
      d = lo + ((hi - lo) * (i * (i + 1))) / (n * (n + 1));
      break;
    case 'geometric':
      d = lo > 0 ? lo * (hi / lo) ** (i / n) : hi * (i / n);
      break;
    case 'exponential':
      d = lo + ((hi - lo) * (2 ** i - 1)) / (2 ** n - 1);
      break;
    default:
      d = lo + ((hi - lo) * i) / n;
  }
  return Math.round(d * 1000) / 1000;
}
