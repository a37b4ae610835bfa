import { createHash } from 'node:crypto';
import type { Clock, TimerHandle } from '../../../core/clock.js';
import { MinHeap } from '../../../core/heap.js';
import type { IdGenerator } from '../../../core/ids.js';
import type { Collection } from '../../../core/storage.js';
import type { QueueAttributes } from '../attributes.js';
import { parseRedrivePolicy } from '../attributes.js';
import { type Attributes, type MessageRecord, md5Hex, md5OfAttributes, storeAttributes } from './message.js';
import { ReadyQueue } from './ready.js';

/**
 * One queue: a pure state machine over its messages. Standard queues keep visible messages in
 * arrival order; FIFO queues keep each message group in order and block a group while any of
 * its messages is in flight. Delays and visibility timeouts live on one timeline (a min-heap),
 * promoted lazily whenever the queue is touched, and on a clock timer while receivers wait.
 */
export interface QueueRecord {
  key: string;
  name: string;
  region: string;
  accountId: string;
  attributes: QueueAttributes;
  tags: Record<string, string>;
  createdAt: number;
  modifiedAt: number;
  purgedAt?: number;
}

export interface QueueEnv {
  clock: Clock;
  ids: IdGenerator;
  messages: Collection<MessageRecord>;
  /** Delivery state written on receives and visibility changes, so the content is written once. */
  states: Collection<DeliveryState>;
  dedup: Collection<DedupEntry>;
}

/** The part of a message that changes after it is sent. */
export type DeliveryState = Pick<
  MessageRecord,
  'visibleAt' | 'receiveCount' | 'firstReceiveAt' | 'lastReceiveAt' | 'receipt'
>;

export interface DedupEntry {
  expiresAt: number;
  messageId: string;
  sequenceNumber?: string;
}

interface Live {
  rec: MessageRecord;
  /** Bumped on every visibility change, so stale timeline entries are skipped. */
  ver: number;
  inflight: boolean;
  /** Non-zero while the message waits in the ready deque (standard queues). */
  token: number;
}

interface Group {
  list: Live[];
  inflight: number;
}

interface Waiter {
  max: number;
  visibilityTimeout: number | undefined;
  finish(messages: Received[]): void;
}

export interface SendInput {
  body: string;
  attributes?: Attributes;
  systemAttributes?: Attributes;
  delaySeconds?: number;
  groupId?: string;
  dedupId?: string;
  senderId: string;
}

export interface SendResult {
  id: string;
  md5Body: string;
  md5Attributes?: string;
  md5SystemAttributes?: string;
  sequenceNumber?: string;
}

export interface Received {
  rec: MessageRecord;
  receiptHandle: string;
}

export interface ReceiveOptions {
  max: number;
  visibilityTimeout?: number;
  attemptId?: string;
}

const DEDUP_WINDOW_MS = 5 * 60_000;
const ATTEMPT_WINDOW_MS = 5 * 60_000;

export class Queue {
  readonly fifo: boolean;
  readonly arn: string;
  /** Called when a message exceeds maxReceiveCount; returns true if the DLQ took it. */
  deadLetter?: (rec: MessageRecord) => boolean;
  private cfg = { visibilityMs: 30_000, delayMs: 0, retentionMs: 345_600_000, maxReceives: 0 };
  private msgs = new Map<string, Live>();
  private ready = new ReadyQueue<Live>();
  private groups = new Map<string, Group>();
  private timeline = new MinHeap<{ at: number; live: Live; ver: number }>();
  private dedupIds = new Map<string, DedupEntry>();
  private attempts = new Map<string, { expiresAt: number; ids: string[]; receipts: string[] }>();
  private waiters: Waiter[] = [];
  private wakeTimer: TimerHandle | undefined;
  private wakeAt = Number.POSITIVE_INFINITY;
  private lastSeq = 0n;

  constructor(
    readonly rec: QueueRecord,
    private readonly env: QueueEnv,
  ) {
    this.fifo = rec.name.endsWith('.fifo');
    this.arn = `arn:aws:sqs:${rec.region}:${rec.accountId}:${rec.name}`;
    this.configure();
  }

  get name(): string {
    return this.rec.name;
  }

  now(): number {
    return this.env.clock.now();
  }

  /** Re-reads the parsed settings after attributes change. */
  configure(): void {
    const a = this.rec.attributes;
    this.cfg.visibilityMs = Number(a.VisibilityTimeout ?? 30) * 1000;
    this.cfg.delayMs = Number(a.DelaySeconds ?? 0) * 1000;
    this.cfg.retentionMs = Number(a.MessageRetentionPeriod ?? 345_600) * 1000;
    this.cfg.maxReceives = a.RedrivePolicy ? parseRedrivePolicy(a.RedrivePolicy).maxReceiveCount : 0;
  }

  // ---- sending -------------------------------------------------------------------------------

  send(input: SendInput): SendResult {
    const now = this.env.clock.now();
    const md5Body = md5Hex(input.body);
    const md5Attributes = input.attributes ? md5OfAttributes(input.attributes) : undefined;
    const md5SystemAttributes = input.systemAttributes ? md5OfAttributes(input.systemAttributes) : undefined;
    if (this.fifo) {
      const dup = this.findDuplicate(input, now);
      if (dup)
        return { id: dup.messageId, md5Body, md5Attributes, md5SystemAttributes, sequenceNumber: dup.sequenceNumber };
    }
    const delayMs = input.delaySeconds !== undefined ? input.delaySeconds * 1000 : this.cfg.delayMs;
    const rec: MessageRecord = {
      queue: this.rec.key,
      id: this.env.ids.uuid(),
      body: input.body,
      md5Body,
      senderId: input.senderId,
      sentAt: now,
      enqueuedAt: now,
      visibleAt: now + delayMs,
      receiveCount: 0,
    };
    if (md5Attributes) {
      rec.md5Attributes = md5Attributes;
      rec.attributes = storeAttributes(input.attributes);
    }
    if (md5SystemAttributes) {
      rec.md5SystemAttributes = md5SystemAttributes;
      rec.systemAttributes = storeAttributes(input.systemAttributes);
    }
    if (input.groupId !== undefined) rec.groupId = input.groupId;
    if (this.fifo) {
      rec.dedupId = input.dedupId ?? sha256(input.body);
      rec.sequenceNumber = this.nextSequence(now);
      this.rememberDedup(input, rec, now);
    }
    this.add(rec);
    return { id: rec.id, md5Body, md5Attributes, md5SystemAttributes, sequenceNumber: rec.sequenceNumber };
  }

  /** Takes in a message from another queue (a DLQ move or a redrive), keeping its identity. */
  accept(source: MessageRecord, changes: Partial<MessageRecord>): void {
    const now = this.env.clock.now();
    const rec: MessageRecord = { ...source, queue: this.rec.key, visibleAt: now, ...changes };
    rec.receipt = undefined;
    if (this.fifo) {
      rec.enqueuedAt = now;
      rec.sequenceNumber = this.nextSequence(now);
    } else {
      rec.sequenceNumber = undefined;
    }
    this.add(rec);
  }

  private add(rec: MessageRecord): void {
    const live: Live = { rec, ver: 0, inflight: false, token: 0 };
    this.msgs.set(rec.id, live);
    this.place(live, this.env.clock.now());
    this.env.messages.put(this.msgKey(rec.id), rec);
    if (this.waiters.length > 0) {
      if (rec.visibleAt <= this.env.clock.now()) this.wake();
      else this.armWake();
    }
  }

  /** Puts a new or restored message where it belongs: visible, in its group, or on the timeline. */
  private place(live: Live, now: number): void {
    const rec = live.rec;
    if (this.fifo) {
      const gid = rec.groupId ?? '';
      let g = this.groups.get(gid);
      if (!g) {
        g = { list: [], inflight: 0 };
        this.groups.set(gid, g);
      }
      g.list.push(live);
      if (live.inflight) g.inflight++;
    } else if (rec.visibleAt <= now) {
      this.ready.push(live);
    }
    if (rec.visibleAt > now) this.timeline.push({ at: rec.visibleAt, live, ver: live.ver });
  }

  // ---- FIFO bookkeeping ---------------------------------------------------------------------

  private dedupKey(input: SendInput): string {
    const id = input.dedupId ?? sha256(input.body);
    return this.rec.attributes.DeduplicationScope === 'messageGroup' ? `${input.groupId}\u0000${id}` : id;
  }

  private findDuplicate(input: SendInput, now: number): DedupEntry | undefined {
    const key = this.dedupKey(input);
    const hit = this.dedupIds.get(key);
    if (hit && hit.expiresAt > now) return hit;
    if (hit) this.forgetDedup(key);
    return undefined;
  }

  private rememberDedup(input: SendInput, rec: MessageRecord, now: number): void {
    const key = this.dedupKey(input);
    const entry: DedupEntry = { expiresAt: now + DEDUP_WINDOW_MS, messageId: rec.id };
    if (rec.sequenceNumber) entry.sequenceNumber = rec.sequenceNumber;
    this.dedupIds.set(key, entry);
    this.env.dedup.put(`${this.rec.key}\u0000${key}`, entry);
    if (this.dedupIds.size % 1024 === 0) this.sweepDedup(now);
  }

  private forgetDedup(key: string): void {
    this.dedupIds.delete(key);
    this.env.dedup.delete(`${this.rec.key}\u0000${key}`);
  }

  private sweepDedup(now: number): void {
    for (const [k, e] of this.dedupIds) if (e.expiresAt <= now) this.forgetDedup(k);
  }

  /** 20-digit, strictly increasing, and ahead of anything issued before a restart. */
  private nextSequence(now: number): string {
    const fromClock = BigInt(now) * 10_000_000n;
    this.lastSeq = fromClock > this.lastSeq ? fromClock : this.lastSeq + 1n;
    return this.lastSeq.toString();
  }

  // ---- receiving -----------------------------------------------------------------------------

  receive(opts: ReceiveOptions): Received[] {
    const now = this.promote();
    if (opts.attemptId && this.fifo) {
      const again = this.retryAttempt(opts.attemptId, now, opts.visibilityTimeout);
      if (again) return again;
    }
    const taken = this.fifo ? this.takeFifo(opts.max, now) : this.takeStandard(opts.max, now);
    const vtMs = opts.visibilityTimeout !== undefined ? opts.visibilityTimeout * 1000 : this.cfg.visibilityMs;
    const out = taken.map((live) => this.markReceived(live, now, vtMs));
    if (opts.attemptId && this.fifo && out.length > 0) {
      this.attempts.set(opts.attemptId, {
        expiresAt: now + ATTEMPT_WINDOW_MS,
        ids: out.map((r) => r.rec.id),
        receipts: out.map((r) => r.rec.receipt as string),
      });
    }
    return out;
  }

  /** Long poll: answers at once when messages are available, else when one arrives or the wait ends. */
  receiveWait(opts: ReceiveOptions, waitMs: number, signal?: AbortSignal): Promise<Received[]> {
    const now = this.env.clock.now();
    const first = this.receive(opts);
    if (first.length > 0 || waitMs <= 0) return Promise.resolve(first);
    return new Promise((resolve) => {
      let timer: TimerHandle | undefined;
      const waiter: Waiter = {
        max: opts.max,
        visibilityTimeout: opts.visibilityTimeout,
        finish: (messages) => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          timer?.cancel();
          signal?.removeEventListener('abort', onAbort);
          resolve(messages);
        },
      };
      const onAbort = () => waiter.finish([]);
      this.waiters.push(waiter);
      timer = this.env.clock.setTimer(now + waitMs - this.env.clock.now(), () => waiter.finish([]));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.armWake();
    });
  }

  private takeStandard(max: number, now: number): Live[] {
    const out: Live[] = [];
    while (out.length < max) {
      const live = this.ready.shift();
      if (!live) break;
      if (this.expiredOrDeadLettered(live, now)) continue;
      out.push(live);
    }
    return out;
  }

  private takeFifo(max: number, now: number): Live[] {
    const out: Live[] = [];
    for (const g of this.groups.values()) {
      if (out.length >= max) break;
      if (g.inflight > 0) continue;
      let i = 0;
      while (i < g.list.length && out.length < max) {
        const live = g.list[i] as Live;
        if (live.rec.visibleAt > now) break;
        if (this.expiredOrDeadLettered(live, now)) continue; // removed from g.list
        out.push(live);
        i++;
      }
    }
    return out;
  }

  /** Retention and the redrive policy are applied when a message would be handed out. */
  private expiredOrDeadLettered(live: Live, now: number): boolean {
    const rec = live.rec;
    if (now >= rec.enqueuedAt + this.cfg.retentionMs) {
      this.remove(live);
      return true;
    }
    if (this.cfg.maxReceives > 0 && rec.receiveCount >= this.cfg.maxReceives && this.deadLetter?.(rec)) {
      this.remove(live);
      return true;
    }
    return false;
  }

  private markReceived(live: Live, now: number, vtMs: number): Received {
    const rec = live.rec;
    rec.receiveCount++;
    rec.firstReceiveAt ??= now;
    rec.lastReceiveAt = now;
    rec.receipt = this.env.ids.hex(8);
    this.setVisibility(live, now + vtMs, now);
    this.saveState(rec);
    return { rec, receiptHandle: encodeReceipt(this.rec.key, rec.id, rec.receipt) };
  }

  private retryAttempt(attemptId: string, now: number, vt: number | undefined): Received[] | undefined {
    const a = this.attempts.get(attemptId);
    if (!a) return undefined;
    if (a.expiresAt <= now) {
      this.attempts.delete(attemptId);
      return undefined;
    }
    const lives = a.ids.map((id) => this.msgs.get(id));
    const unchanged = lives.every((l, i) => l?.inflight && l.rec.receipt === a.receipts[i]);
    if (!unchanged) return undefined;
    const vtMs = vt !== undefined ? vt * 1000 : this.cfg.visibilityMs;
    return (lives as Live[]).map((live) => {
      this.setVisibility(live, now + vtMs, now);
      this.saveState(live.rec);
      return { rec: live.rec, receiptHandle: encodeReceipt(this.rec.key, live.rec.id, live.rec.receipt as string) };
    });
  }

  // ---- visibility, deletion ------------------------------------------------------------------

  /** Moves a message in or out of flight. visibleAt <= now makes it available again. */
  private setVisibility(live: Live, visibleAt: number, now: number): void {
    live.ver++;
    live.rec.visibleAt = visibleAt;
    const inflight = visibleAt > now;
    if (inflight !== live.inflight) {
      live.inflight = inflight;
      if (this.fifo) (this.groups.get(live.rec.groupId ?? '') as Group).inflight += inflight ? 1 : -1;
    }
    if (inflight) {
      this.ready.remove(live);
      this.timeline.push({ at: visibleAt, live, ver: live.ver });
    } else if (!this.fifo) {
      this.ready.push(live);
    }
  }

  /** Looks up the message a receipt handle points at; undefined when it is gone. */
  find(id: string): MessageRecord | undefined {
    return this.msgs.get(id)?.rec;
  }

  isInflight(id: string): boolean {
    this.promote();
    return this.msgs.get(id)?.inflight ?? false;
  }

  changeVisibility(id: string, seconds: number): void {
    const now = this.promote();
    const live = this.msgs.get(id);
    if (!live) return;
    this.setVisibility(live, now + seconds * 1000, now);
    this.saveState(live.rec);
    if (seconds === 0 && this.waiters.length > 0) this.wake();
  }

  delete(id: string): void {
    const live = this.msgs.get(id);
    if (!live) return;
    const unblocks = this.fifo && live.inflight;
    this.remove(live);
    if (unblocks && this.waiters.length > 0) this.wake();
  }

  private remove(live: Live): void {
    const id = live.rec.id;
    live.ver++;
    this.msgs.delete(id);
    this.ready.remove(live);
    if (this.fifo) {
      const gid = live.rec.groupId ?? '';
      const g = this.groups.get(gid);
      if (g) {
        const i = g.list.indexOf(live);
        if (i >= 0) g.list.splice(i, 1);
        if (live.inflight) g.inflight--;
        if (g.list.length === 0) this.groups.delete(gid);
      }
    }
    const key = this.msgKey(id);
    this.env.messages.delete(key);
    if (live.rec.receipt !== undefined) this.env.states.delete(key);
  }

  /** Removes every message, in flight or not. */
  purge(): void {
    for (const live of [...this.msgs.values()]) this.remove(live);
    this.timeline.clear();
    this.rec.purgedAt = this.env.clock.now();
  }

  /** Takes up to n available messages out of the queue without receiving them (message move tasks). */
  takeForMove(n: number): MessageRecord[] {
    const now = this.promote();
    const out: MessageRecord[] = [];
    const next = this.fifo ? fifoCandidates(this.groups) : standardCandidates(this.ready);
    while (out.length < n) {
      const live = next();
      if (!live) break;
      if (live.inflight || live.rec.visibleAt > now) continue;
      this.remove(live);
      if (now < live.rec.enqueuedAt + this.cfg.retentionMs) out.push(live.rec);
    }
    return out;
  }

  /** Ends every waiting receive (the queue is being deleted) and drops the messages. */
  drop(): void {
    for (const w of [...this.waiters]) w.finish([]);
    for (const live of [...this.msgs.values()]) this.remove(live);
    for (const k of [...this.dedupIds.keys()]) this.forgetDedup(k);
    this.wakeTimer?.cancel();
  }

  counts(): { visible: number; inflight: number; delayed: number } {
    const now = this.promote();
    let inflight = 0;
    let delayed = 0;
    for (const live of [...this.msgs.values()]) {
      if (now >= live.rec.enqueuedAt + this.cfg.retentionMs && !live.inflight) {
        this.remove(live);
        continue;
      }
      if (live.inflight) inflight++;
      else if (live.rec.visibleAt > now) delayed++;
    }
    return { visible: this.msgs.size - inflight - delayed, inflight, delayed };
  }

  // ---- time ----------------------------------------------------------------------------------

  /** Applies every delay and visibility timeout that has run out; returns now. */
  private promote(): number {
    const now = this.env.clock.now();
    for (let top = this.timeline.peek(); top && top.at <= now; top = this.timeline.peek()) {
      this.timeline.pop();
      const live = top.live;
      if (top.ver !== live.ver || !this.msgs.has(live.rec.id)) continue;
      this.setVisibility(live, live.rec.visibleAt, now);
    }
    return now;
  }

  private wake(): void {
    while (this.waiters.length > 0) {
      const w = this.waiters[0] as Waiter;
      const got = this.receive({
        max: w.max,
        ...(w.visibilityTimeout !== undefined ? { visibilityTimeout: w.visibilityTimeout } : {}),
      });
      if (got.length === 0) break;
      w.finish(got);
    }
    this.armWake();
  }

  /** While receivers wait, keeps one clock timer at the next delay or visibility expiry. */
  private armWake(): void {
    const top = this.timeline.peek();
    if (this.waiters.length === 0 || !top) return;
    if (top.at >= this.wakeAt) return;
    this.wakeTimer?.cancel();
    this.wakeAt = top.at;
    this.wakeTimer = this.env.clock.setTimer(top.at - this.env.clock.now(), () => {
      this.wakeAt = Number.POSITIVE_INFINITY;
      this.wakeTimer = undefined;
      this.wake();
    });
  }

  // ---- persistence ---------------------------------------------------------------------------

  /** Restores messages read from storage (any order). */
  restore(records: MessageRecord[], dedup: Array<[string, DedupEntry]>): void {
    const now = this.env.clock.now();
    const sorted = this.fifo
      ? records.sort((a, b) => cmpBig(a.sequenceNumber, b.sequenceNumber))
      : records.sort((a, b) => a.enqueuedAt - b.enqueuedAt);
    for (const rec of sorted) {
      const live: Live = {
        rec,
        ver: 0,
        inflight: rec.receiveCount > 0 && rec.visibleAt > now && !!rec.receipt,
        token: 0,
      };
      this.msgs.set(rec.id, live);
      this.place(live, now);
      if (rec.sequenceNumber && BigInt(rec.sequenceNumber) > this.lastSeq) this.lastSeq = BigInt(rec.sequenceNumber);
    }
    for (const [key, entry] of dedup) {
      this.dedupIds.set(key, entry);
      if (entry.sequenceNumber && BigInt(entry.sequenceNumber) > this.lastSeq)
        this.lastSeq = BigInt(entry.sequenceNumber);
    }
  }

  /** Every message as stored (content and delivery state together), for snapshots. */
  *storedMessages(): Iterable<[string, MessageRecord]> {
    for (const live of this.msgs.values()) yield [this.msgKey(live.rec.id), live.rec];
  }

  *storedDedup(): Iterable<[string, DedupEntry]> {
    for (const [k, e] of this.dedupIds) yield [`${this.rec.key}\u0000${k}`, e];
  }

  private saveState(rec: MessageRecord): void {
    this.env.states.put(this.msgKey(rec.id), {
      visibleAt: rec.visibleAt,
      receiveCount: rec.receiveCount,
      firstReceiveAt: rec.firstReceiveAt,
      lastReceiveAt: rec.lastReceiveAt,
      receipt: rec.receipt,
    });
  }

  private msgKey(id: string): string {
    return `${this.rec.key}/${id}`;
  }
}

function standardCandidates(ready: ReadyQueue<Live>): () => Live | undefined {
  return () => ready.shift();
}

function fifoCandidates(groups: Map<string, Group>): () => Live | undefined {
  const all = [...groups.values()].flatMap((g) => g.list);
  let i = 0;
  return () => all[i++];
}

function cmpBig(a: string | undefined, b: string | undefined): number {
  const x = BigInt(a ?? 0);
  const y = BigInt(b ?? 0);
  return x < y ? -1 : x > y ? 1 : 0;
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

/** Receipt handles are opaque to clients; ours name the queue, the message and the receive. */
export function encodeReceipt(queueKey: string, id: string, nonce: string): string {
  return `AQEB${Buffer.from(`${queueKey}\u0000${id}\u0000${nonce}`).toString('base64url')}`;
}

export function decodeReceipt(handle: string): { queueKey: string; id: string; nonce: string } | undefined {
  if (!handle.startsWith('AQEB') || handle.length > 1024) return undefined;
  const parts = Buffer.from(handle.slice(4), 'base64url').toString('utf8').split('\u0000');
  if (parts.length !== 3 || parts.some((p) => p.length === 0)) return undefined;
  return { queueKey: parts[0] as string, id: parts[1] as string, nonce: parts[2] as string };
}
