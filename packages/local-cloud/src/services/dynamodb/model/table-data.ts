import type { AttributeValue, Item } from '../expressions/types.js';
import { hashSchema, keyTypeOf, rangeSchema } from './keys.js';
import { type Entry, KeySpace } from './keyspace.js';
import { type IndexDef, projectedNames, type TableDef } from './tables.js';

/** One table's items: the primary key space plus one key space per secondary index. */
export class TableData {
  readonly primary = new KeySpace();
  readonly indexes = new Map<string, KeySpace>();

  constructor(
    public def: TableDef,
    private readonly sizeOf: (item: Item) => number,
  ) {
    for (const i of def.indexes) this.indexes.set(i.IndexName, new KeySpace());
  }

  get hashName(): string {
    return hashSchema(this.def.KeySchema);
  }

  get rangeName(): string | undefined {
    return rangeSchema(this.def.KeySchema);
  }

  tableSort(item: Item): AttributeValue[] {
    const r = this.rangeName;
    return r ? [item[r] as AttributeValue] : [];
  }

  /** Index order: index range key, then the table key (so entries are unique). */
  indexSort(index: IndexDef, item: Item): AttributeValue[] {
    const r = rangeSchema(index.KeySchema);
    const sort = r ? [item[r] as AttributeValue] : [];
    sort.push(item[this.hashName] as AttributeValue);
    if (this.rangeName) sort.push(item[this.rangeName] as AttributeValue);
    return sort;
  }

  get(key: Item): Item | undefined {
    return this.primary.get(key[this.hashName] as AttributeValue, this.tableSort(key))?.item;
  }

  /** Stores the item (replacing any with its key) and returns the one it replaced. */
  put(item: Item): Item | undefined {
    const old = this.get(item);
    if (old) this.unindex(old);
    const size = this.sizeOf(item);
    this.primary.put(item[this.hashName] as AttributeValue, this.tableSort(item), item, size);
    for (const index of this.def.indexes) this.indexOne(index, item, size);
    return old;
  }

  delete(key: Item): Item | undefined {
    const old = this.get(key);
    if (!old) return undefined;
    this.unindex(old);
    this.primary.remove(old[this.hashName] as AttributeValue, this.tableSort(old));
    return old;
  }

  /** Whether an item appears in an index (it has every index key attribute). */
  inIndex(index: IndexDef, item: Item): boolean {
    return index.KeySchema.every((k) => keyTypeOf(item[k.AttributeName]) !== undefined);
  }

  addIndex(index: IndexDef): void {
    this.indexes.set(index.IndexName, new KeySpace());
    for (const e of this.primary.all()) this.indexOne(index, e.item);
  }

  removeIndex(name: string): void {
    this.indexes.delete(name);
  }

  items(): Generator<Entry> {
    return this.primary.all();
  }

  private indexOne(index: IndexDef, item: Item, itemBytes?: number): void {
    const space = this.indexes.get(index.IndexName);
    if (!space || !this.inIndex(index, item)) return;
    const names = projectedNames(this.def, index);
    const size = names ? this.sizeOf(pick(item, names)) : (itemBytes ?? this.sizeOf(item));
    space.put(item[hashSchema(index.KeySchema)] as AttributeValue, this.indexSort(index, item), item, size);
  }

  private unindex(item: Item): void {
    for (const index of this.def.indexes) {
      if (!this.inIndex(index, item)) continue;
      this.indexes
        .get(index.IndexName)
        ?.remove(item[hashSchema(index.KeySchema)] as AttributeValue, this.indexSort(index, item));
    }
  }
}

export function pick(item: Item, names: Iterable<string>): Item {
  const out: Item = {};
  for (const n of names) {
    const v = item[n];
    if (v !== undefined) out[n] = v;
  }
  return out;
}
