import type { Collection, Store } from '../../../core/storage.js';

/** Event source mappings (SQS), persisted; the wiring layer runs a poller for each enabled one. */
export interface MappingRecord {
  uuid: string;
  region: string;
  accountId: string;
  functionName: string;
  eventSourceArn: string;
  batchSize: number;
  maximumBatchingWindowInSeconds: number;
  enabled: boolean;
  functionResponseTypes: string[];
  filterPatterns: string[];
  maximumConcurrency?: number;
  lastModified: number;
}

export type MappingListener = (m: MappingRecord, change: 'upsert' | 'delete') => void;

export class MappingRegistry {
  private readonly mappings = new Map<string, MappingRecord>();
  private readonly store: Collection<MappingRecord>;
  private readonly listeners: MappingListener[] = [];

  constructor(store: Store) {
    const all = () => this.mappings;
    this.store = store.collection<MappingRecord>('lambda.mappings', function* () {
      yield* all().entries();
    });
  }

  load(): void {
    for (const [k, m] of this.store.load()) this.mappings.set(k, m);
  }

  /** Told about every change, and about every loaded mapping when it subscribes. */
  subscribe(listener: MappingListener): void {
    this.listeners.push(listener);
    for (const m of this.mappings.values()) listener(m, 'upsert');
  }

  get(uuid: string): MappingRecord | undefined {
    return this.mappings.get(uuid);
  }

  all(): MappingRecord[] {
    return [...this.mappings.values()];
  }

  save(m: MappingRecord): void {
    this.mappings.set(m.uuid, m);
    this.store.put(m.uuid, m);
    for (const l of this.listeners) l(m, 'upsert');
  }

  delete(m: MappingRecord): void {
    this.mappings.delete(m.uuid);
    this.store.delete(m.uuid);
    for (const l of this.listeners) l(m, 'delete');
  }

  reset(): void {
    for (const m of [...this.mappings.values()]) for (const l of this.listeners) l(m, 'delete');
    this.mappings.clear();
  }
}
