import type { AttributeValue, Item } from '../expressions/types.js';
import { compareKeyLists, keyValueId, partitionToken } from './keys.js';

/**
 * Items of a table or index, grouped by partition key and sorted within a partition by the sort key
 * (indexes append the table key, so entries are unique and pagination is stable). Partitions are
 * kept in token order (a hash of the partition key) for Scan and parallel-scan segments.
 */
export interface Entry {
  sort: AttributeValue[];
  item: Item;
  bytes: number;
}

export interface Partition {
  token: string;
  hash: AttributeValue;
  entries: Entry[];
}

export class KeySpace {
  /** By partition key id; sorted tokens lead to partitions through byToken. */
  private partitions = new Map<string, Partition>();
  private byToken = new Map<string, Partition>();
  /** Sorted lazily (on the next scan after partitions come or go), so bulk writes stay O(1) each. */
  private sortedTokens: string[] | undefined = [];
  count = 0;
  bytes = 0;

  put(hash: AttributeValue, sort: AttributeValue[], item: Item, bytes: number): void {
    const id = keyValueId(hash);
    let p = this.partitions.get(id);
    if (!p) {
      const token = partitionToken(id);
      p = { token, hash, entries: [] };
      this.partitions.set(id, p);
      this.byToken.set(token, p);
      this.sortedTokens = undefined;
    }
    const i = findSort(p.entries, sort);
    const existing = p.entries[i];
    if (existing && compareKeyLists(existing.sort, sort) === 0) {
      this.bytes += bytes - existing.bytes;
      p.entries[i] = { sort, item, bytes };
      return;
    }
    p.entries.splice(i, 0, { sort, item, bytes });
    this.count++;
    this.bytes += bytes;
  }

  remove(hash: AttributeValue, sort: AttributeValue[]): void {
    const id = keyValueId(hash);
    const p = this.partitions.get(id);
    if (!p) return;
    const i = findSort(p.entries, sort);
    const existing = p.entries[i];
    if (!existing || compareKeyLists(existing.sort, sort) !== 0) return;
    p.entries.splice(i, 1);
    this.count--;
    this.bytes -= existing.bytes;
    if (p.entries.length === 0) {
      this.partitions.delete(id);
      this.byToken.delete(p.token);
      this.sortedTokens = undefined;
    }
  }

  get(hash: AttributeValue, sort: AttributeValue[]): Entry | undefined {
    const p = this.partition(hash);
    if (!p) return undefined;
    const e = p.entries[findSort(p.entries, sort)];
    return e && compareKeyLists(e.sort, sort) === 0 ? e : undefined;
  }

  partition(hash: AttributeValue): Partition | undefined {
    return this.partitions.get(keyValueId(hash));
  }

  /** Partitions whose token is >= from (and < to when given), in token order. */
  *partitionsFrom(from: string, to?: string): Generator<Partition> {
    const tokens = this.tokens();
    for (let i = lowerBound(tokens, from); i < tokens.length; i++) {
      const t = tokens[i] as string;
      if (to !== undefined && t >= to) return;
      const p = this.byToken.get(t);
      if (p) yield p;
    }
  }

  *all(): Generator<Entry> {
    for (const t of this.tokens()) yield* this.byToken.get(t)?.entries ?? [];
  }

  private tokens(): string[] {
    if (!this.sortedTokens) this.sortedTokens = [...this.byToken.keys()].sort();
    return this.sortedTokens;
  }

  clear(): void {
    this.partitions.clear();
    this.byToken.clear();
    this.sortedTokens = [];
    this.count = 0;
    this.bytes = 0;
  }
}

/** First index whose entry sorts >= sort. */
export function findSort(entries: Entry[], sort: AttributeValue[]): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeyLists((entries[mid] as Entry).sort, sort) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index whose entry sorts > sort. */
export function findAfter(entries: Entry[], sort: AttributeValue[]): number {
  let lo = 0;
  let hi = entries.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeyLists((entries[mid] as Entry).sort, sort) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function lowerBound(xs: string[], x: string): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((xs[mid] as string) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
