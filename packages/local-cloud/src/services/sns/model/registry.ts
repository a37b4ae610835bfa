import { createHash } from 'node:crypto';
import type { Scope } from '../../../core/arn.js';
import type { Clock } from '../../../core/clock.js';
import type { IdGenerator } from '../../../core/ids.js';
import type { Collection, Store } from '../../../core/storage.js';
import { type FilterScope, matchesAttributes, matchesBody, type Policy, parseFilterPolicy } from '../filter-policy.js';
import { Outbox } from './outbox.js';
import {
  type ControlMessage,
  contentFor,
  type DeliverySink,
  isFifoTopic,
  type Protocol,
  type PublishedMessage,
  type SubscriptionRecord,
  type Tag,
  type TopicRecord,
} from './records.js';

/**
 * All topics and subscriptions of all accounts and regions, FIFO deduplication, and fan-out of
 * published messages to the delivery sink (the wiring). Pure: no HTTP, time from the Clock.
 */
export type PublishInput = Omit<PublishedMessage, 'type' | 'id' | 'topicArn' | 'timestamp' | 'signatureVersion'>;

interface DedupEntry {
  expiresAt: number;
  id: string;
  sequenceNumber: string;
}

const DEDUP_WINDOW_MS = 5 * 60_000;
/** Protocols confirmed at once: AWS-side targets, and (locally) the ones a person would confirm. */
const AUTO_CONFIRMED = new Set(['sqs', 'lambda', 'firehose', 'application', 'email', 'email-json', 'sms']);

export class SnsModel {
  readonly outbox: Outbox;
  private topics = new Map<string, TopicRecord>();
  private subs = new Map<string, SubscriptionRecord>();
  private byTopic = new Map<string, Set<string>>();
  private tokens = new Map<string, string>();
  private filters = new Map<string, { policy: Policy; scope: FilterScope }>();
  private dedup = new Map<string, Map<string, DedupEntry>>();
  private lastSeq = 0n;
  private sink: DeliverySink | undefined;
  private readonly topicStore: Collection<TopicRecord>;
  private readonly subStore: Collection<SubscriptionRecord>;

  constructor(
    private readonly clock: Clock,
    private readonly ids: IdGenerator,
    store: Store,
  ) {
    const topics = () => this.topics;
    const subs = () => this.subs;
    this.topicStore = store.collection<TopicRecord>('sns.topics', () => topics().entries());
    this.subStore = store.collection<SubscriptionRecord>('sns.subscriptions', () => subs().entries());
    this.outbox = new Outbox(clock, store);
  }

  connect(sink: DeliverySink): void {
    this.sink = sink;
  }

  load(): void {
    for (const [, t] of this.topicStore.load()) this.registerTopic(t);
    for (const [, s] of this.subStore.load()) {
      if (this.topics.has(s.topicArn)) this.registerSub(s);
    }
    this.outbox.load();
  }

  // ---- topics --------------------------------------------------------------------------------

  topic(arn: string): TopicRecord | undefined {
    return this.topics.get(arn);
  }

  listTopics(scope: Scope): TopicRecord[] {
    return [...this.topics.values()]
      .filter((t) => t.region === scope.region && t.accountId === scope.accountId)
      .sort((a, b) => (a.arn < b.arn ? -1 : a.arn > b.arn ? 1 : 0));
  }

  createTopic(scope: Scope, name: string, attributes: Record<string, string>, tags: Tag[]): TopicRecord {
    const t: TopicRecord = {
      arn: `arn:aws:sns:${scope.region}:${scope.accountId}:${name}`,
      name,
      region: scope.region,
      accountId: scope.accountId,
      attributes,
      tags,
      deleted: 0,
      createdAt: this.clock.now(),
    };
    this.registerTopic(t);
    this.saveTopic(t);
    return t;
  }

  saveTopic(t: TopicRecord): void {
    this.topicStore.put(t.arn, t);
  }

  deleteTopic(t: TopicRecord): void {
    for (const sub of this.subscriptionsOf(t.arn)) this.dropSub(sub);
    this.topics.delete(t.arn);
    this.byTopic.delete(t.arn);
    this.dedup.delete(t.arn);
    this.topicStore.delete(t.arn);
  }

  private registerTopic(t: TopicRecord): void {
    this.topics.set(t.arn, t);
    if (!this.byTopic.has(t.arn)) this.byTopic.set(t.arn, new Set());
  }

  // ---- subscriptions -------------------------------------------------------------------------

  subscription(arn: string): SubscriptionRecord | undefined {
    return this.subs.get(arn);
  }

  subscriptionsOf(topicArn: string): SubscriptionRecord[] {
    return [...(this.byTopic.get(topicArn) ?? [])].map((a) => this.subs.get(a) as SubscriptionRecord);
  }

  listSubscriptions(scope: Scope): SubscriptionRecord[] {
    return [...this.subs.values()].filter(
      (s) => s.owner === scope.accountId && s.topicArn.split(':')[3] === scope.region,
    );
  }

  findSubscription(topicArn: string, protocol: string, endpoint: string): SubscriptionRecord | undefined {
    return this.subscriptionsOf(topicArn).find((s) => s.protocol === protocol && s.endpoint === endpoint);
  }

  subscribe(
    topic: TopicRecord,
    fields: { protocol: Protocol; endpoint: string; owner: string; principal: string },
    attributes: Record<string, string>,
    baseUrl: string,
  ): SubscriptionRecord {
    const sub: SubscriptionRecord = {
      arn: `${topic.arn}:${this.ids.uuid()}`,
      topicArn: topic.arn,
      ...fields,
      attributes,
      pending: true,
      authenticated: false,
      token: this.ids.hex(64),
      createdAt: this.clock.now(),
    };
    this.registerSub(sub);
    const auto = AUTO_CONFIRMED.has(sub.protocol);
    if (auto) {
      sub.pending = false;
      sub.authenticated = true;
    }
    this.saveSub(sub);
    if (sub.protocol !== 'sqs' && sub.protocol !== 'lambda') {
      const message =
        `You have chosen to subscribe to the topic ${topic.arn}.\n` +
        'To confirm the subscription, visit the SubscribeURL included in this message.';
      this.sink?.control(this.control(topic, 'SubscriptionConfirmation', sub.token as string, message, baseUrl), sub);
    }
    return sub;
  }

  subscriptionForToken(token: string): SubscriptionRecord | undefined {
    const arn = this.tokens.get(token);
    return arn ? this.subs.get(arn) : undefined;
  }

  confirm(sub: SubscriptionRecord, authenticated: boolean): void {
    if (!sub.pending) return;
    sub.pending = false;
    sub.authenticated = authenticated;
    this.saveSub(sub);
  }

  /** Sets (or, with an empty value, removes) one attribute; FilterPolicy must already be validated. */
  setSubscriptionAttribute(sub: SubscriptionRecord, name: string, value: string): void {
    if (value === '' && name !== 'RawMessageDelivery') delete sub.attributes[name];
    else sub.attributes[name] = value;
    this.compileFilter(sub);
    this.saveSub(sub);
  }

  unsubscribe(sub: SubscriptionRecord, baseUrl: string): void {
    const topic = this.topics.get(sub.topicArn);
    if (topic && (sub.protocol === 'http' || sub.protocol === 'https') && !sub.pending) {
      const message =
        `You have chosen to deactivate subscription ${sub.arn}.\n` +
        'To cancel this operation and restore the subscription, visit the SubscribeURL included in this message.';
      this.sink?.control(this.control(topic, 'UnsubscribeConfirmation', this.ids.hex(64), message, baseUrl), sub);
    }
    this.dropSub(sub);
    if (topic) {
      topic.deleted++;
      this.saveTopic(topic);
    }
  }

  private registerSub(sub: SubscriptionRecord): void {
    this.subs.set(sub.arn, sub);
    this.byTopic.get(sub.topicArn)?.add(sub.arn);
    if (sub.token) this.tokens.set(sub.token, sub.arn);
    this.compileFilter(sub);
  }

  private dropSub(sub: SubscriptionRecord): void {
    this.subs.delete(sub.arn);
    this.byTopic.get(sub.topicArn)?.delete(sub.arn);
    if (sub.token) this.tokens.delete(sub.token);
    this.filters.delete(sub.arn);
    this.subStore.delete(sub.arn);
  }

  private saveSub(sub: SubscriptionRecord): void {
    this.subStore.put(sub.arn, sub);
  }

  private compileFilter(sub: SubscriptionRecord): void {
    const raw = sub.attributes.FilterPolicy;
    const scope = (sub.attributes.FilterPolicyScope ?? 'MessageAttributes') as FilterScope;
    const policy = raw ? parseFilterPolicy(raw, scope, 'Invalid parameter: ') : undefined;
    if (policy) this.filters.set(sub.arn, { policy, scope });
    else this.filters.delete(sub.arn);
  }

  // ---- publishing ----------------------------------------------------------------------------

  /** Publishes to every confirmed subscription whose filter policy accepts the message. */
  publish(topic: TopicRecord, input: PublishInput): { id: string; sequenceNumber?: string } {
    const now = this.clock.now();
    const msg: PublishedMessage = {
      type: 'Notification',
      id: this.ids.uuid(),
      topicArn: topic.arn,
      timestamp: now,
      signatureVersion: topic.attributes.SignatureVersion ?? '1',
      ...input,
    };
    if (isFifoTopic(topic)) {
      msg.dedupId = input.dedupId ?? sha256(input.message);
      const key =
        topic.attributes.FifoThroughputScope === 'MessageGroup' ? `${input.groupId}\u0000${msg.dedupId}` : msg.dedupId;
      let seen = this.dedup.get(topic.arn);
      if (!seen) {
        seen = new Map();
        this.dedup.set(topic.arn, seen);
      }
      const hit = seen.get(key);
      if (hit && hit.expiresAt > now) return { id: hit.id, sequenceNumber: hit.sequenceNumber };
      msg.sequenceNumber = this.nextSequence(now);
      seen.set(key, { expiresAt: now + DEDUP_WINDOW_MS, id: msg.id, sequenceNumber: msg.sequenceNumber });
      if (seen.size % 1024 === 0) for (const [k, e] of seen) if (e.expiresAt <= now) seen.delete(k);
    }
    for (const sub of this.subscriptionsOf(topic.arn)) {
      if (!sub.pending && this.accepts(sub, msg)) this.sink?.deliver(msg, sub);
    }
    return msg.sequenceNumber ? { id: msg.id, sequenceNumber: msg.sequenceNumber } : { id: msg.id };
  }

  /** Publish with PhoneNumber: one SMS, no topic. */
  publishSms(phoneNumber: string, input: PublishInput): string {
    const msg: PublishedMessage = {
      type: 'Notification',
      id: this.ids.uuid(),
      topicArn: '',
      timestamp: this.clock.now(),
      signatureVersion: '1',
      ...input,
    };
    this.sink?.sms(msg, phoneNumber);
    return msg.id;
  }

  private accepts(sub: SubscriptionRecord, msg: PublishedMessage): boolean {
    const filter = this.filters.get(sub.arn);
    if (!filter) return true;
    return filter.scope === 'MessageBody'
      ? matchesBody(filter.policy, contentFor(msg, sub.protocol))
      : matchesAttributes(filter.policy, msg.attributes);
  }

  private control(
    topic: TopicRecord,
    type: ControlMessage['type'],
    token: string,
    message: string,
    baseUrl: string,
  ): ControlMessage {
    return {
      type,
      id: this.ids.uuid(),
      topicArn: topic.arn,
      token,
      message,
      timestamp: this.clock.now(),
      baseUrl,
      signatureVersion: topic.attributes.SignatureVersion ?? '1',
    };
  }

  /** 20-digit and strictly increasing, like SQS FIFO sequence numbers. */
  private nextSequence(now: number): string {
    const fromClock = BigInt(now) * 10_000_000n;
    this.lastSeq = fromClock > this.lastSeq ? fromClock : this.lastSeq + 1n;
    return this.lastSeq.toString();
  }

  /** Forgets everything (POST /_local-cloud/reset). */
  reset(): void {
    this.topics.clear();
    this.subs.clear();
    this.byTopic.clear();
    this.tokens.clear();
    this.filters.clear();
    this.dedup.clear();
    this.outbox.reset();
  }
}

function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}
