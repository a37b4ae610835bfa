import { Readable } from 'node:stream';
import type { ListPage, ListRequest } from '../src/adapters/feedback-repository.js';
import type { ReceivedProbe } from '../src/adapters/probe-queue.js';
import type { FailedMessage, OutgoingMessage } from '../src/adapters/queue-sender.js';
import type { FeedbackItem } from '../src/domain/feedback.js';
import type { S3ObjectRef } from '../src/domain/s3-events.js';

/** The feedback table and its two indexes, in memory, with DynamoDB's conditional semantics. */
export class InMemoryFeedbackRepo {
  readonly items = new Map<string, FeedbackItem>();
  failCreates = 0;

  async create(item: FeedbackItem): Promise<'created' | 'duplicate'> {
    if (this.failCreates > 0) {
      this.failCreates--;
      throw new Error('ProvisionedThroughputExceededException');
    }
    if (this.items.has(item.pk)) return 'duplicate';
    this.items.set(item.pk, structuredClone(item));
    return 'created';
  }

  async get(id: string): Promise<FeedbackItem | undefined> {
    const item = this.items.get(id);
    return item && structuredClone(item);
  }

  async markNotified(id: string, at: string): Promise<void> {
    const item = this.items.get(id);
    if (item) item.notifiedAt = at;
  }

  async update(next: FeedbackItem, expectedVersion: number): Promise<'updated' | 'conflict'> {
    const current = this.items.get(next.pk);
    if (!current || current.version !== expectedVersion) return 'conflict';
    Object.assign(current, { status: next.status, tags: next.tags, updatedAt: next.updatedAt, version: next.version });
    return 'updated';
  }

  async delete(id: string): Promise<'deleted' | 'missing'> {
    return this.items.delete(id) ? 'deleted' : 'missing';
  }

  async list(request: ListRequest): Promise<ListPage> {
    const start = request.startKey as { pk: string; createdAt: string } | undefined;
    const matching = [...this.items.values()]
      .filter((i) => (request.status ? i.status === request.status : true))
      .filter((i) => (request.from ? i.createdAt >= request.from : true))
      .filter((i) => (request.to ? i.createdAt <= request.to : true))
      .sort((a, b) =>
        a.createdAt === b.createdAt ? b.pk.localeCompare(a.pk) : b.createdAt.localeCompare(a.createdAt),
      );
    const from = start ? matching.findIndex((i) => i.pk === start.pk) + 1 : 0;
    const page = matching.slice(from, from + request.limit);
    const last = page.at(-1);
    const more = from + request.limit < matching.length;
    return {
      items: page.map((i) => structuredClone(i)),
      ...(more && last && { lastKey: { pk: last.pk, createdAt: last.createdAt, entity: 'feedback' } }),
    };
  }
}

export class FakeQueue {
  readonly sent: { body: string; attributes: Record<string, string> }[] = [];
  readonly batches: OutgoingMessage[][] = [];
  failNext: FailedMessage[] = [];

  async send(body: string, attributes: Record<string, string> = {}): Promise<string> {
    this.sent.push({ body, attributes });
    return `msg-${this.sent.length}`;
  }

  async sendBatch(messages: OutgoingMessage[]): Promise<{ failed: FailedMessage[] }> {
    this.batches.push(messages);
    const failed = this.failNext;
    this.failNext = [];
    return { failed };
  }

  bodies(): Record<string, unknown>[] {
    return this.batches.flat().map((m) => JSON.parse(m.body) as Record<string, unknown>);
  }
}

export class FakePublisher {
  readonly published: FeedbackItem[] = [];
  failures = 0;

  async publishNegative(item: FeedbackItem): Promise<string> {
    if (this.failures > 0) {
      this.failures--;
      throw new Error('SNS unavailable');
    }
    this.published.push(item);
    return `sns-${this.published.length}`;
  }
}

export class FakeObjects {
  readonly objects = new Map<string, string>();
  readonly opened: string[] = [];

  put(bucket: string, key: string, content: string): void {
    this.objects.set(`${bucket}/${key}`, content);
  }

  async open(bucket: string, key: string): Promise<Readable> {
    const content = this.objects.get(`${bucket}/${key}`);
    if (content === undefined) throw new Error(`NoSuchKey ${key}`);
    this.opened.push(key);
    // Small chunks so lines straddle chunk boundaries, as they do with a real response stream.
    const chunks = content.match(/[\s\S]{1,7}/g) ?? [];
    return Readable.from(chunks.map((c) => Buffer.from(c)));
  }
}

export class FakeUploadLog {
  readonly records: { ref: S3ObjectRef; recordedAt: string }[] = [];

  async record(ref: S3ObjectRef, recordedAt: string): Promise<void> {
    this.records.push({ ref, recordedAt });
  }
}

/** A queue for the canary: sent messages come back on the next receive, unless `lose` is set. */
export class FakeProbeQueue {
  readonly messages: ReceivedProbe[] = [];
  readonly deleted: string[] = [];
  readonly log: string[] = [];
  lose = false;

  async send(body: string): Promise<string> {
    const messageId = `probe-${this.messages.length + 1}`;
    this.log.push(`send ${messageId}`);
    if (!this.lose) this.messages.push({ messageId, body, receiptHandle: `rh-${messageId}` });
    return messageId;
  }

  async receive(waitSeconds: number): Promise<ReceivedProbe[]> {
    this.log.push(`receive ${waitSeconds}`);
    return this.messages.filter((m) => !this.deleted.includes(m.receiptHandle));
  }

  async delete(receiptHandle: string): Promise<void> {
    this.log.push(`delete ${receiptHandle}`);
    this.deleted.push(receiptHandle);
  }
}
