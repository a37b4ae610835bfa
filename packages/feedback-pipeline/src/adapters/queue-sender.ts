import { SendMessageBatchCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

export interface OutgoingMessage {
  /** Unique within one call; letters, digits, `-` and `_` (SendMessageBatch's rule for entry ids). */
  id: string;
  body: string;
  attributes?: Record<string, string>;
}

export interface FailedMessage {
  id: string;
  code: string;
  message: string;
}

export interface QueueSenderOptions {
  maxAttempts?: number;
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const BATCH_SIZE = 10;

export class QueueSender {
  readonly #maxAttempts: number;
  readonly #baseDelayMs: number;
  readonly #sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    options: QueueSenderOptions = {},
  ) {
    this.#maxAttempts = options.maxAttempts ?? 4;
    this.#baseDelayMs = options.baseDelayMs ?? 100;
    this.#sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async send(body: string, attributes: Record<string, string> = {}): Promise<string | undefined> {
    const out = await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: body,
        MessageAttributes: toAttributes(attributes),
      }),
    );
    return out.MessageId;
  }

  /**
   * Sends in batches of ten. SendMessageBatch can succeed for some entries and fail for others; entries that
   * failed on AWS's side are retried with backoff, those rejected as the sender's fault are not.
   */
  async sendBatch(messages: OutgoingMessage[]): Promise<{ failed: FailedMessage[] }> {
    const failed: FailedMessage[] = [];
    for (let i = 0; i < messages.length; i += BATCH_SIZE) {
      failed.push(...(await this.#sendChunk(messages.slice(i, i + BATCH_SIZE))));
    }
    return { failed };
  }

  async #sendChunk(chunk: OutgoingMessage[]): Promise<FailedMessage[]> {
    let pending = chunk;
    const permanent: FailedMessage[] = [];
    let lastErrors: FailedMessage[] = [];
    for (let attempt = 1; pending.length > 0 && attempt <= this.#maxAttempts; attempt++) {
      if (attempt > 1) await this.#sleep(this.#baseDelayMs * 2 ** (attempt - 2));
      const out = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: pending.map((m) => ({
            Id: m.id,
            MessageBody: m.body,
            MessageAttributes: toAttributes(m.attributes ?? {}),
          })),
        }),
      );
      const retry = new Set<string>();
      lastErrors = [];
      for (const entry of out.Failed ?? []) {
        const failure = { id: entry.Id ?? '', code: entry.Code ?? 'Unknown', message: entry.Message ?? '' };
        if (entry.SenderFault) permanent.push(failure);
        else {
          retry.add(failure.id);
          lastErrors.push(failure);
        }
      }
      pending = pending.filter((m) => retry.has(m.id));
    }
    return [...permanent, ...(pending.length > 0 ? lastErrors : [])];
  }
}

function toAttributes(attributes: Record<string, string>) {
  const entries = Object.entries(attributes);
  if (entries.length === 0) return undefined;
  return Object.fromEntries(entries.map(([name, value]) => [name, { DataType: 'String', StringValue: value }]));
}
