/**
 * Visible messages of a standard queue in arrival order: a deque with lazy removal.
 * Each entry remembers the token it was pushed with; removing an item clears its token, so a
 * stale entry is skipped when it reaches the head. O(1) push, remove and shift.
 */
export interface ReadyItem {
  token: number;
}

export class ReadyQueue<T extends ReadyItem> {
  private items: Array<T | undefined> = [];
  private tokens: number[] = [];
  private head = 0;
  private nextToken = 1;
  size = 0;

  push(item: T): void {
    if (item.token !== 0) return;
    item.token = this.nextToken++;
    this.items.push(item);
    this.tokens.push(item.token);
    this.size++;
  }

  remove(item: T): void {
    if (item.token === 0) return;
    item.token = 0;
    this.size--;
  }

  shift(): T | undefined {
    while (this.head < this.items.length) {
      const item = this.items[this.head];
      const token = this.tokens[this.head];
      this.items[this.head] = undefined;
      this.head++;
      if (item && item.token === token) {
        item.token = 0;
        this.size--;
        this.compact();
        return item;
      }
    }
    this.clear();
    return undefined;
  }

  clear(): void {
    for (let i = this.head; i < this.items.length; i++) {
      const item = this.items[i];
      if (item) item.token = 0;
    }
    this.items = [];
    this.tokens = [];
    this.head = 0;
    this.size = 0;
  }

  private compact(): void {
    if (this.head < 4096 || this.head * 2 < this.items.length) return;
    this.items = this.items.slice(this.head);
    this.tokens = this.tokens.slice(this.head);
    this.head = 0;
  }
}
