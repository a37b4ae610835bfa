import type { Scope } from '../../../core/arn.js';
import type { Collection, Store } from '../../../core/storage.js';
import { functionNotFound } from '../errors.js';
import { type FunctionRecord, functionArn } from './function.js';

/** Functions of every account and region, persisted as records. */
export class FunctionRegistry {
  private readonly functions = new Map<string, FunctionRecord>();
  private readonly store: Collection<FunctionRecord>;

  constructor(store: Store) {
    const all = () => this.functions;
    this.store = store.collection<FunctionRecord>('lambda.functions', function* () {
      yield* all().entries();
    });
  }

  load(): void {
    for (const [k, f] of this.store.load()) this.functions.set(k, f);
  }

  static key(scope: Scope, name: string): string {
    return `${scope.region}/${scope.accountId}/${name}`;
  }

  find(scope: Scope, name: string): FunctionRecord | undefined {
    return this.functions.get(FunctionRegistry.key(scope, name));
  }

  get(scope: Scope, name: string): FunctionRecord {
    const f = this.find(scope, name);
    if (!f) throw functionNotFound(functionArn({ ...scope, name }));
    return f;
  }

  byArn(arn: string): FunctionRecord | undefined {
    const m = /^arn:aws[\w-]*:lambda:([^:]+):(\d{12}):function:([^:]+)/.exec(arn);
    return m ? this.find({ region: m[1] as string, accountId: m[2] as string }, m[3] as string) : undefined;
  }

  save(f: FunctionRecord): void {
    const k = FunctionRegistry.key(f, f.name);
    this.functions.set(k, f);
    this.store.put(k, f);
  }

  delete(f: FunctionRecord): void {
    const k = FunctionRegistry.key(f, f.name);
    this.functions.delete(k);
    this.store.delete(k);
  }

  list(scope: Scope): FunctionRecord[] {
    return [...this.functions.values()]
      .filter((f) => f.region === scope.region && f.accountId === scope.accountId)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  all(): FunctionRecord[] {
    return [...this.functions.values()];
  }

  reset(): void {
    this.functions.clear();
  }
}
