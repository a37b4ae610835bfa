/** A binary min-heap ordered by `at`, then by insertion. */
export interface HeapEntry {
  at: number;
}

export class MinHeap<T extends HeapEntry> {
  private items: Array<T & { seq: number }> = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const entry = Object.assign(item, { seq: this.seq++ });
    const a = this.items;
    a.push(entry);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(a[i] as T & { seq: number }, a[p] as T & { seq: number })) break;
      [a[i], a[p]] = [a[p] as T & { seq: number }, a[i] as T & { seq: number }];
      i = p;
    }
  }

  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l] as T & { seq: number }, a[m] as T & { seq: number })) m = l;
        if (r < a.length && this.less(a[r] as T & { seq: number }, a[m] as T & { seq: number })) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m] as T & { seq: number }, a[i] as T & { seq: number }];
        i = m;
      }
    }
    return top;
  }

  clear(): void {
    this.items = [];
  }

  private less(x: T & { seq: number }, y: T & { seq: number }): boolean {
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }
}
