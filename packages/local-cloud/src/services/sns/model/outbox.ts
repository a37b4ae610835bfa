import type { Clock } from '../../../core/clock.js';
import type { Collection, Store } from '../../../core/storage.js';

/**
 * Messages for people rather than programs (email, email-json, sms, and protocols local-cloud has no
 * target for): kept in memory and in storage, read through GET /_local-cloud/outbox.
 */
export interface OutboxEntry {
  seq: number;
  time: string;
  protocol: string;
  endpoint: string;
  subject?: string;
  body: string;
  type: string;
  topicArn?: string;
  subscriptionArn?: string;
  messageId?: string;
}

export type OutboxInput = Omit<OutboxEntry, 'seq' | 'time'>;

/** The oldest entries are dropped beyond this many. */
const MAX_ENTRIES = 10_000;

export class Outbox {
  private entries: OutboxEntry[] = [];
  private seq = 0;
  private readonly stored: Collection<OutboxEntry>;
  private readonly listeners = new Set<(entry: OutboxEntry) => void>();

  constructor(
    private readonly clock: Clock,
    store: Store,
  ) {
    const all = () => this.entries;
    this.stored = store.collection<OutboxEntry>('sns.outbox', function* () {
      for (const e of all()) yield [key(e.seq), e];
    });
  }

  load(): void {
    this.entries = this.stored
      .load()
      .map(([, e]) => e)
      .sort((a, b) => a.seq - b.seq);
    this.seq = this.entries.at(-1)?.seq ?? 0;
  }

  add(input: OutboxInput): OutboxEntry {
    const entry: OutboxEntry = { seq: ++this.seq, time: new Date(this.clock.now()).toISOString(), ...input };
    this.entries.push(entry);
    this.stored.put(key(entry.seq), entry);
    while (this.entries.length > MAX_ENTRIES) {
      const dropped = this.entries.shift() as OutboxEntry;
      this.stored.delete(key(dropped.seq));
    }
    for (const l of this.listeners) l(entry);
    return entry;
  }

  /** Calls fn with every entry added from now on (the SMTP relay); returns the unsubscribe. */
  onAdd(fn: (entry: OutboxEntry) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  list(filter: { endpoint?: string; protocol?: string } = {}): OutboxEntry[] {
    return this.entries.filter(
      (e) =>
        (filter.endpoint === undefined || e.endpoint === filter.endpoint) &&
        (filter.protocol === undefined || e.protocol === filter.protocol),
    );
  }

  reset(): void {
    this.entries = [];
    this.seq = 0;
  }
}

function key(seq: number): string {
  return String(seq).padStart(12, '0');
}
