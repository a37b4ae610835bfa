/**
 * Storage seen by the models: named collections of JSON documents.
 * Writes are buffered and made durable together by commit() (group commit): the edge commits
 * before it answers, so nothing is acknowledged before it is stored.
 */
export interface Collection<T> {
  /** Records the value as it is at commit time (the object may be mutated until then). */
  put(key: string, value: T): void;
  delete(key: string): void;
  /** Everything stored, for loading state at start-up. */
  load(): Array<[string, T]>;
}

/** Everything a collection holds right now, from the model that owns it (for snapshots). */
export type Dump<T> = () => Iterable<[string, T]>;

export interface Store {
  /**
   * A named collection. `dump` lets the store snapshot the collection from the model's live state
   * instead of replaying its whole history.
   */
  collection<T>(name: string, dump?: Dump<T>): Collection<T>;
  /** Writes every pending change durably. Cheap when nothing is pending. */
  commit(): void;
  /** Runs cb once the changes made so far are durable (batched on the next event-loop turn). */
  afterCommit(cb: (err?: Error) => void): void;
  /** Deletes everything. */
  wipe(): void;
  close(): void;
  readonly durable: boolean;
}

type Pending = Map<string, Map<string, unknown>>; // collection -> key -> value | DELETE

export const DELETE = Symbol('delete');

/** Shared buffering and group-commit logic; backends implement write() and the raw reads. */
export abstract class BufferedStore implements Store {
  abstract readonly durable: boolean;
  protected pending: Pending = new Map();
  protected dumps = new Map<string, Dump<unknown> | undefined>();
  private waiting: Array<(err?: Error) => void> = [];
  private scheduled = false;

  protected abstract write(pending: Pending): void;
  protected abstract read(collection: string): Array<[string, unknown]>;
  protected abstract clear(): void;
  abstract close(): void;

  collection<T>(name: string, dump?: Dump<T>): Collection<T> {
    this.dumps.set(name, dump as Dump<unknown> | undefined);
    const slot = () => {
      let m = this.pending.get(name);
      if (!m) {
        m = new Map();
        this.pending.set(name, m);
      }
      return m;
    };
    return {
      put: (key, value) => {
        slot().set(key, value);
      },
      delete: (key) => {
        slot().set(key, DELETE);
      },
      load: () => this.read(name) as Array<[string, T]>,
    };
  }

  commit(): void {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.write(batch);
  }

  afterCommit(cb: (err?: Error) => void): void {
    // Nothing buffered: whatever the caller wrote is already durable, so answer now.
    if (this.pending.size === 0) {
      cb();
      return;
    }
    this.waiting.push(cb);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const callbacks = this.waiting;
      this.waiting = [];
      let error: Error | undefined;
      try {
        this.commit();
      } catch (e) {
        error = e as Error;
      }
      for (const c of callbacks) c(error);
    });
  }

  wipe(): void {
    this.pending = new Map();
    this.clear();
  }
}

/** Keeps nothing: state lives only in the models (`--in-memory`). */
export class MemoryStore extends BufferedStore {
  readonly durable = false;
  override collection<T>(): Collection<T> {
    return NOTHING as Collection<T>;
  }
  protected write(): void {}
  protected read(): Array<[string, unknown]> {
    return [];
  }
  protected clear(): void {}
  close(): void {}
}

const NOTHING: Collection<unknown> = { put() {}, delete() {}, load: () => [] };
