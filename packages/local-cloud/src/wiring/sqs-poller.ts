import type { Clock } from '../core/clock.js';
import { AwsError } from '../core/errors.js';
import { matches, type Pattern } from '../core/event-pattern.js';
import type { Store } from '../core/storage.js';
import type { LambdaService } from '../services/lambda/index.js';
import type { MappingRecord } from '../services/lambda/model/mappings.js';
import type { Queue, Received } from '../services/sqs/model/queue.js';
import type { SqsModel } from '../services/sqs/model/registry.js';
import { sqsRecord } from './sqs-event.js';

/**
 * Lambda's SQS poller for one event source mapping, in process: long-polls the queue model,
 * gathers a batch (BatchSize, batching window, 6 MB), drops records the filters reject, invokes
 * the function synchronously, then deletes what succeeded. Failed messages stay in flight and
 * come back after the visibility timeout, counting toward the queue's redrive policy.
 */
export interface PollerDeps {
  clock: Clock;
  sqs: SqsModel;
  lambda: LambdaService;
  store: Store;
}

const PAYLOAD_LIMIT = 6 * 1024 * 1024;
const DEFAULT_POLLERS = 5;
const LONG_POLL_MS = 20_000;

export class SqsPoller {
  private readonly abort = new AbortController();
  private filters: Pattern[] = [];

  constructor(
    private mapping: MappingRecord,
    private readonly deps: PollerDeps,
  ) {
    this.update(mapping);
  }

  start(): void {
    const n = this.mapping.maximumConcurrency ?? DEFAULT_POLLERS;
    for (let i = 0; i < n; i++) void this.loop();
  }

  update(mapping: MappingRecord): void {
    this.mapping = mapping;
    this.filters = mapping.filterPatterns.map((p) => JSON.parse(p) as Pattern);
  }

  stop(): void {
    this.abort.abort();
  }

  /** A change of MaximumConcurrency needs a new set of pollers. */
  concurrencyMatches(m: MappingRecord): boolean {
    return m.maximumConcurrency === this.mapping.maximumConcurrency;
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      const q = this.deps.sqs.getByArn(this.mapping.eventSourceArn);
      const fn = this.deps.lambda.functions.find(this.mapping, this.mapping.functionName);
      if (!q || !fn) {
        await this.sleep(1000);
        continue;
      }
      const batch = await this.gather(q);
      if (batch.length === 0 || this.stopped) continue;
      await this.process(q, batch).catch((err) => console.error('[local-cloud] SQS poller error:', err));
      this.persist();
    }
  }

  /** Receives until BatchSize, the batching window, or the payload limit. */
  private async gather(q: Queue): Promise<Received[]> {
    const { batchSize, maximumBatchingWindowInSeconds: window } = this.mapping;
    const first = await q.receiveWait({ max: Math.min(10, batchSize) }, LONG_POLL_MS, this.abort.signal);
    if (first.length === 0 || window === 0 || first.length >= batchSize) return first;
    const batch = [...first];
    let bytes = batch.reduce((n, r) => n + r.rec.body.length, 0);
    const deadline = this.deps.clock.now() + window * 1000;
    while (batch.length < batchSize && bytes < PAYLOAD_LIMIT && !this.stopped) {
      const left = deadline - this.deps.clock.now();
      if (left <= 0) break;
      const more = await q.receiveWait({ max: Math.min(10, batchSize - batch.length) }, left, this.abort.signal);
      for (const r of more) bytes += r.rec.body.length;
      batch.push(...more);
    }
    return batch;
  }

  private async process(q: Queue, batch: Received[]): Promise<void> {
    const records = batch.map((r) => sqsRecord(r, q));
    const kept = records.filter((rec, i) => {
      if (this.filters.length === 0 || this.filters.some((f) => matches(f, filterable(rec)))) return true;
      q.delete((batch[i] as Received).rec.id); // AWS deletes messages the filters reject
      return false;
    });
    if (kept.length === 0) return;
    const fn = this.deps.lambda.functions.find(this.mapping, this.mapping.functionName);
    if (!fn) return;
    let result: Awaited<ReturnType<LambdaService['runtime']['invoke']>>;
    try {
      result = await this.deps.lambda.runtime.invoke(fn, this.deps.lambda.code.dirFor(fn.code), {
        payload: Buffer.from(JSON.stringify({ Records: kept })),
      });
    } catch (err) {
      // Throttled: leave the batch in flight; it returns after the visibility timeout.
      if (err instanceof AwsError && err.code === 'TooManyRequestsException') return this.sleep(1000);
      throw err;
    }
    if (result.functionError) return;
    const failed = this.mapping.functionResponseTypes.includes('ReportBatchItemFailures')
      ? batchItemFailures(result.payload, new Set(kept.map((r) => r.messageId)))
      : new Set<string>();
    if (failed === 'all') return;
    for (const r of kept) if (!failed.has(r.messageId)) q.delete(r.messageId);
  }

  private persist(): void {
    this.deps.store.afterCommit(() => {});
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = this.deps.clock.setTimer(ms, resolve);
      this.abort.signal.addEventListener('abort', () => {
        t.cancel();
        resolve();
      });
    });
  }
}

/** The record as filter patterns see it: a JSON body is matched as an object. */
function filterable(rec: ReturnType<typeof sqsRecord>): unknown {
  try {
    const body = JSON.parse(rec.body);
    return { ...rec, body };
  } catch {
    return rec;
  }
}

/**
 * ReportBatchItemFailures: null, {} or an empty list is success; a list of known itemIdentifiers
 * keeps those; anything malformed (missing, empty or unknown ids, not JSON) fails the whole batch.
 */
export function batchItemFailures(payload: Buffer, ids: Set<string>): Set<string> | 'all' {
  let response: unknown;
  try {
    response = JSON.parse(payload.toString('utf8'));
  } catch {
    return 'all';
  }
  if (response === null || response === undefined) return new Set();
  if (typeof response !== 'object' || Array.isArray(response)) return 'all';
  const list = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (list === undefined || list === null) return new Set();
  if (!Array.isArray(list)) return 'all';
  const failed = new Set<string>();
  for (const item of list) {
    const id = (item as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || id === '' || !ids.has(id)) return 'all';
    failed.add(id);
  }
  return failed;
}
