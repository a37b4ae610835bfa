import type { Scope } from '../../../core/arn.js';
import type { Clock, TimerHandle } from '../../../core/clock.js';
import type { IdGenerator } from '../../../core/ids.js';
import type { Collection, Store } from '../../../core/storage.js';
import { parseRedrivePolicy, type QueueAttributes } from '../attributes.js';
import type { MessageRecord } from './message.js';
import { type DedupEntry, type DeliveryState, Queue, type QueueRecord } from './queue.js';

/**
 * All queues of all accounts and regions, the links between them (dead-letter queues),
 * the deleted-recently names and the message move tasks. Pure: no HTTP, time from the Clock.
 */
export interface MoveTask {
  taskId: string;
  sourceArn: string;
  destinationArn?: string;
  maxPerSecond?: number;
  status: 'RUNNING' | 'COMPLETED' | 'CANCELLING' | 'CANCELLED' | 'FAILED';
  moved: number;
  toMove: number;
  startedAt: number;
  failureReason?: string;
  timer?: TimerHandle;
}

export const DELETED_RECENTLY_MS = 60_000;
/** Without MaxNumberOfMessagesPerSecond, a task moves this many per step ("system optimized"). */
const DEFAULT_MOVE_BATCH = 500;

export class SqsModel {
  private queues = new Map<string, Queue>();
  private byArn = new Map<string, Queue>();
  private deleted = new Map<string, number>();
  private tasks: MoveTask[] = [];
  private queueStore: Collection<QueueRecord>;
  private env: ConstructorParameters<typeof Queue>[1];

  constructor(
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    store: Store,
  ) {
    // Snapshots come from live state: a message's delivery state is folded into its record.
    const queues = () => this.queues.values();
    this.queueStore = store.collection<QueueRecord>('sqs.queues', function* () {
      for (const q of queues()) yield [q.rec.key, q.rec];
    });
    this.env = {
      clock,
      ids,
      messages: store.collection<MessageRecord>('sqs.messages', function* () {
        for (const q of queues()) yield* q.storedMessages();
      }),
      states: store.collection<DeliveryState>('sqs.states', () => []),
      dedup: store.collection<DedupEntry>('sqs.dedup', function* () {
        for (const q of queues()) yield* q.storedDedup();
      }),
    };
  }

  static key(scope: Scope, name: string): string {
    return `${scope.region}/${scope.accountId}/${name}`;
  }

  /** Rebuilds every queue from storage. */
  load(): void {
    const byQueue = new Map<string, MessageRecord[]>();
    const states = new Map(this.env.states.load());
    for (const [key, stored] of this.env.messages.load()) {
      const state = states.get(key);
      const rec = state ? { ...stored, ...state } : stored;
      const list = byQueue.get(rec.queue) ?? [];
      list.push(rec);
      byQueue.set(rec.queue, list);
    }
    const dedup = new Map<string, Array<[string, DedupEntry]>>();
    for (const [k, entry] of this.env.dedup.load()) {
      const sep = k.indexOf('\u0000');
      const list = dedup.get(k.slice(0, sep)) ?? [];
      list.push([k.slice(sep + 1), entry]);
      dedup.set(k.slice(0, sep), list);
    }
    for (const [, rec] of this.queueStore.load()) {
      const q = this.register(rec);
      q.restore(byQueue.get(rec.key) ?? [], dedup.get(rec.key) ?? []);
    }
  }

  get(scope: Scope, name: string): Queue | undefined {
    return this.queues.get(SqsModel.key(scope, name));
  }

  getByKey(key: string): Queue | undefined {
    return this.queues.get(key);
  }

  getByArn(arn: string): Queue | undefined {
    return this.byArn.get(arn);
  }

  deletedRecently(scope: Scope, name: string): boolean {
    const at = this.deleted.get(SqsModel.key(scope, name));
    return at !== undefined && this.clock.now() - at < DELETED_RECENTLY_MS;
  }

  create(scope: Scope, name: string, attributes: QueueAttributes, tags: Record<string, string>): Queue {
    const now = this.clock.now();
    const rec: QueueRecord = {
      key: SqsModel.key(scope, name),
      name,
      region: scope.region,
      accountId: scope.accountId,
      attributes,
      tags,
      createdAt: now,
      modifiedAt: now,
    };
    this.deleted.delete(rec.key);
    this.queueStore.put(rec.key, rec);
    return this.register(rec);
  }

  private register(rec: QueueRecord): Queue {
    const q = new Queue(rec, this.env);
    q.deadLetter = (msg) => this.moveToDeadLetterQueue(q, msg);
    this.queues.set(rec.key, q);
    this.byArn.set(q.arn, q);
    return q;
  }

  save(q: Queue): void {
    q.rec.modifiedAt = this.clock.now();
    this.queueStore.put(q.rec.key, q.rec);
  }

  setAttributes(q: Queue, attributes: QueueAttributes): void {
    for (const [k, v] of Object.entries(attributes)) {
      // An empty Policy or RedrivePolicy removes it.
      if (
        v === '' &&
        (k === 'Policy' || k === 'RedrivePolicy' || k === 'RedriveAllowPolicy' || k === 'KmsMasterKeyId')
      ) {
        delete q.rec.attributes[k];
      } else {
        q.rec.attributes[k] = v;
      }
    }
    q.configure();
    this.save(q);
  }

  delete(q: Queue): void {
    q.drop();
    this.queues.delete(q.rec.key);
    this.byArn.delete(q.arn);
    this.deleted.set(q.rec.key, this.clock.now());
    this.queueStore.delete(q.rec.key);
    for (const t of this.tasks) if (t.sourceArn === q.arn && t.status === 'RUNNING') this.finishTask(t, 'FAILED');
  }

  list(scope: Scope, prefix: string | undefined): Queue[] {
    const out: Queue[] = [];
    for (const q of this.queues.values()) {
      if (q.rec.region !== scope.region || q.rec.accountId !== scope.accountId) continue;
      if (prefix && !q.name.startsWith(prefix)) continue;
      out.push(q);
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Queues whose RedrivePolicy names this queue as their DLQ. */
  deadLetterSources(dlq: Queue): Queue[] {
    return [...this.queues.values()]
      .filter((q) => {
        const p = q.rec.attributes.RedrivePolicy;
        return p !== undefined && parseRedrivePolicy(p).deadLetterTargetArn === dlq.arn;
      })
      .sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  private moveToDeadLetterQueue(source: Queue, msg: MessageRecord): boolean {
    const policy = source.rec.attributes.RedrivePolicy;
    const dlq = policy ? this.byArn.get(parseRedrivePolicy(policy).deadLetterTargetArn) : undefined;
    if (!dlq) return false;
    dlq.accept(msg, { deadLetterSourceArn: source.arn });
    return true;
  }

  // ---- message move tasks --------------------------------------------------------------------

  activeTask(sourceArn: string): MoveTask | undefined {
    return this.tasks.find((t) => t.sourceArn === sourceArn && t.status === 'RUNNING');
  }

  tasksFor(sourceArn: string): MoveTask[] {
    return this.tasks.filter((t) => t.sourceArn === sourceArn).sort((a, b) => b.startedAt - a.startedAt);
  }

  findTask(taskId: string): MoveTask | undefined {
    return this.tasks.find((t) => t.taskId === taskId);
  }

  startTask(source: Queue, destinationArn: string | undefined, maxPerSecond: number | undefined): MoveTask {
    const task: MoveTask = {
      taskId: this.ids.uuid(),
      sourceArn: source.arn,
      status: 'RUNNING',
      moved: 0,
      toMove: source.counts().visible,
      startedAt: this.clock.now(),
    };
    if (destinationArn) task.destinationArn = destinationArn;
    if (maxPerSecond) task.maxPerSecond = maxPerSecond;
    this.tasks.push(task);
    task.timer = this.clock.setTimer(0, () => this.stepTask(task));
    return task;
  }

  cancelTask(task: MoveTask): void {
    this.finishTask(task, 'CANCELLED');
  }

  private stepTask(task: MoveTask): void {
    if (task.status !== 'RUNNING') return;
    const source = this.byArn.get(task.sourceArn);
    if (!source) {
      this.finishTask(task, 'FAILED', 'AWS.SimpleQueueService.NonExistentQueue');
      return;
    }
    const want = Math.min(task.maxPerSecond ?? DEFAULT_MOVE_BATCH, task.toMove - task.moved);
    for (const msg of source.takeForMove(want)) {
      const dest = this.byArn.get(task.destinationArn ?? msg.deadLetterSourceArn ?? '');
      if (!dest) {
        source.accept(msg, { visibleAt: this.clock.now() });
        this.finishTask(task, 'FAILED', 'AWS.SimpleQueueService.NonExistentQueue');
        return;
      }
      // A redriven message starts over in its destination: a fresh receive count.
      const { deadLetterSourceArn: _dropped, firstReceiveAt: _f, lastReceiveAt: _l, ...rest } = msg;
      dest.accept({ ...rest, receiveCount: 0 } as MessageRecord, { enqueuedAt: this.clock.now() });
      task.moved++;
    }
    if (task.moved >= task.toMove || source.counts().visible === 0) {
      this.finishTask(task, 'COMPLETED');
      return;
    }
    task.timer = this.clock.setTimer(task.maxPerSecond ? 1000 : 0, () => this.stepTask(task));
  }

  private finishTask(task: MoveTask, status: MoveTask['status'], reason?: string): void {
    task.status = status;
    if (reason) task.failureReason = reason;
    task.timer?.cancel();
    task.timer = undefined;
  }

  /** Forgets everything (POST /_local-cloud/reset). */
  reset(): void {
    for (const q of this.queues.values()) q.drop();
    for (const t of this.tasks) t.timer?.cancel();
    this.queues.clear();
    this.byArn.clear();
    this.deleted.clear();
    this.tasks = [];
  }
}
