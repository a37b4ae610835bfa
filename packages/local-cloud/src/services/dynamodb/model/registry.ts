import type { Clock, TimerHandle } from '../../../core/clock.js';
import type { Collection, Store } from '../../../core/storage.js';
import type { Item } from '../expressions/types.js';
import { primaryKeyId } from './keys.js';
import { TableData } from './table-data.js';
import type { TableDef } from './tables.js';

interface StoredItem {
  /** TableId of the owning table. */
  t: string;
  i: Item;
}

/** How often expired items (TTL) are swept, in clock time. */
export const TTL_SWEEP_MS = 30_000;
const FIVE_YEARS_S = 5 * 365 * 24 * 3600;

/**
 * Every table of every account and region. Each item is one document in `dynamodb.items`
 * (key `<TableId>/<primary key id>`), so a write costs one collection put.
 */
export class DynamoModel {
  readonly tables = new Map<string, TableData>();
  /** TransactWriteItems ClientRequestTokens seen in the last 10 minutes (memory only). */
  readonly txTokens = new Map<string, { request: string; response: Record<string, unknown>; at: number }>();
  private readonly tableStore: Collection<TableDef>;
  private readonly itemStore: Collection<StoredItem>;
  private sweepTimer: TimerHandle | undefined;

  constructor(
    readonly clock: Clock,
    private readonly store: Store,
    readonly sizeOf: (item: Item) => number,
  ) {
    const tables = this.tables;
    this.tableStore = store.collection<TableDef>('dynamodb.tables', function* () {
      for (const [k, t] of tables) yield [k, t.def];
    });
    this.itemStore = store.collection<StoredItem>('dynamodb.items', function* () {
      for (const t of tables.values()) {
        for (const e of t.items()) yield [itemKey(t, e.item), { t: t.def.TableId, i: e.item }];
      }
    });
  }

  load(): void {
    const byId = new Map<string, TableData>();
    for (const [k, def] of this.tableStore.load()) {
      const t = new TableData(def, this.sizeOf);
      this.tables.set(k, t);
      byId.set(def.TableId, t);
    }
    for (const [, rec] of this.itemStore.load()) byId.get(rec.t)?.put(rec.i);
    this.armSweep();
  }

  table(key: string): TableData | undefined {
    return this.tables.get(key);
  }

  saveTable(t: TableData): void {
    this.tableStore.put(t.def.key, t.def);
    this.armSweep();
  }

  createTable(def: TableDef): TableData {
    const t = new TableData(def, this.sizeOf);
    this.tables.set(def.key, t);
    this.saveTable(t);
    return t;
  }

  deleteTable(t: TableData): void {
    this.tables.delete(t.def.key);
    this.tableStore.delete(t.def.key);
    for (const e of t.items()) this.itemStore.delete(itemKey(t, e.item));
  }

  putItem(t: TableData, item: Item): Item | undefined {
    const old = t.put(item);
    this.itemStore.put(itemKey(t, item), { t: t.def.TableId, i: item });
    return old;
  }

  deleteItem(t: TableData, key: Item): Item | undefined {
    const old = t.delete(key);
    if (old) this.itemStore.delete(itemKey(t, old));
    return old;
  }

  /**
   * TTL: AWS deletes expired items in the background, typically within days. Here a clock timer
   * sweeps every TTL_SWEEP_MS while some table has TTL enabled, deleting items whose TTL attribute
   * (a number of epoch seconds) is below the clock. Expired items stay visible until swept, as on AWS.
   */
  sweepExpired(): number {
    const now = this.clock.now() / 1000;
    let deleted = 0;
    for (const t of this.tables.values()) {
      const attr = t.def.ttl?.enabled ? t.def.ttl.AttributeName : undefined;
      if (!attr) continue;
      const expired: Item[] = [];
      for (const e of t.items()) {
        const n = e.item[attr]?.N;
        // AWS ignores TTL values more than five years in the past (likely not epoch seconds).
        if (n !== undefined && Number(n) < now && Number(n) >= now - FIVE_YEARS_S) expired.push(e.item);
      }
      for (const item of expired) this.deleteItem(t, item);
      deleted += expired.length;
    }
    return deleted;
  }

  private armSweep(): void {
    if (this.sweepTimer) return;
    const anyTtl = [...this.tables.values()].some((t) => t.def.ttl?.enabled);
    if (!anyTtl) return;
    this.sweepTimer = this.clock.setTimer(TTL_SWEEP_MS, () => {
      this.sweepTimer = undefined;
      // Timer work has no request to commit it: ask for a commit of its own.
      if (this.sweepExpired() > 0) this.store.afterCommit(() => {});
      this.armSweep();
    });
  }

  reset(): void {
    this.sweepTimer?.cancel();
    this.sweepTimer = undefined;
    this.tables.clear();
    this.txTokens.clear();
  }

  close(): void {
    this.sweepTimer?.cancel();
    this.sweepTimer = undefined;
  }
}

function itemKey(t: TableData, item: Item): string {
  return `${t.def.TableId}/${primaryKeyId(item, t.def.KeySchema)}`;
}
