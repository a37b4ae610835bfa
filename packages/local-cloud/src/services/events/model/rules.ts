import { arn, type Scope } from '../../../core/arn.js';
import type { Clock } from '../../../core/clock.js';
import { matches, type Pattern } from '../../../core/event-pattern.js';
import type { Collection, Store } from '../../../core/storage.js';
import type { Transformer } from '../input.js';

/**
 * The rules of each account and region's default event bus, with their targets. Pure: no HTTP and
 * no timers; wiring/schedules.ts fires schedules and delivers to targets (`onChange`, `sink`).
 */
export interface TargetRecord {
  Id: string;
  Arn: string;
  RoleArn?: string;
  Input?: string;
  InputPath?: string;
  InputTransformer?: Transformer;
  SqsParameters?: { MessageGroupId?: string };
}

export interface RuleRecord {
  /** `<region>/<account>/<bus>/<name>` */
  key: string;
  name: string;
  region: string;
  accountId: string;
  bus: string;
  arn: string;
  scheduleExpression?: string;
  eventPattern?: string;
  state: 'ENABLED' | 'DISABLED' | 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
  description?: string;
  roleArn?: string;
  tags: Record<string, string>;
  targets: TargetRecord[];
  createdAt: number;
}

export interface RuleFields {
  scheduleExpression?: string;
  eventPattern?: string;
  state?: RuleRecord['state'];
  description?: string;
  roleArn?: string;
}

/** Delivers an event (already shaped for the target) to one target of a rule. */
export type EventSink = (rule: RuleRecord, target: TargetRecord, event: Record<string, unknown>) => void;

export const DEFAULT_BUS = 'default';

export class EventsModel {
  private readonly rules = new Map<string, RuleRecord>();
  private readonly patterns = new Map<string, Pattern>();
  private readonly store: Collection<RuleRecord>;
  /** Called with the rule created or changed, or with its key when deleted (undefined: everything changed). */
  onChange: ((rule: RuleRecord | string | undefined) => void) | undefined;
  sink: EventSink | undefined;

  constructor(
    private readonly clock: Clock,
    store: Store,
  ) {
    const rules = () => this.rules.values();
    this.store = store.collection<RuleRecord>('events.rules', function* () {
      for (const r of rules()) yield [r.key, r];
    });
  }

  static key(scope: Scope, name: string, bus = DEFAULT_BUS): string {
    return `${scope.region}/${scope.accountId}/${bus}/${name}`;
  }

  load(): void {
    for (const [, rec] of this.store.load()) this.register(rec);
  }

  now(): number {
    return this.clock.now();
  }

  get(scope: Scope, name: string): RuleRecord | undefined {
    return this.rules.get(EventsModel.key(scope, name));
  }

  byArn(ruleArn: string): RuleRecord | undefined {
    for (const r of this.rules.values()) if (r.arn === ruleArn) return r;
    return undefined;
  }

  all(): RuleRecord[] {
    return [...this.rules.values()];
  }

  list(scope: Scope): RuleRecord[] {
    return this.all()
      .filter((r) => r.region === scope.region && r.accountId === scope.accountId)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Creates the rule or updates it (fields not given are cleared, as PutRule does; tags and targets stay). */
  put(scope: Scope, name: string, fields: RuleFields, tags: Record<string, string> | undefined): RuleRecord {
    const existing = this.get(scope, name);
    const rec: RuleRecord = {
      key: EventsModel.key(scope, name),
      name,
      region: scope.region,
      accountId: scope.accountId,
      bus: DEFAULT_BUS,
      arn: arn('events', scope, `rule/${name}`),
      state: fields.state ?? 'ENABLED',
      tags: { ...(existing?.tags ?? {}), ...(tags ?? {}) },
      targets: existing?.targets ?? [],
      createdAt: existing?.createdAt ?? this.clock.now(),
      ...(fields.scheduleExpression !== undefined ? { scheduleExpression: fields.scheduleExpression } : {}),
      ...(fields.eventPattern !== undefined ? { eventPattern: fields.eventPattern } : {}),
      ...(fields.description !== undefined ? { description: fields.description } : {}),
      ...(fields.roleArn !== undefined ? { roleArn: fields.roleArn } : {}),
    };
    this.register(rec);
    this.save(rec);
    return rec;
  }

  save(rec: RuleRecord): void {
    this.store.put(rec.key, rec);
    this.onChange?.(rec);
  }

  delete(rec: RuleRecord): void {
    this.rules.delete(rec.key);
    this.patterns.delete(rec.key);
    this.store.delete(rec.key);
    this.onChange?.(rec.key);
  }

  /** Sends an event to every enabled rule of the bus whose pattern matches; returns how many rules matched. */
  publish(scope: Scope, event: Record<string, unknown>): number {
    let n = 0;
    for (const rule of this.list(scope)) {
      const pattern = this.patterns.get(rule.key);
      if (!pattern || rule.state === 'DISABLED' || !matches(pattern, event)) continue;
      n++;
      for (const t of rule.targets) this.sink?.(rule, t, event);
    }
    return n;
  }

  /** Sends an event to each target of one rule (schedules). */
  deliver(rule: RuleRecord, event: Record<string, unknown>): void {
    for (const t of rule.targets) this.sink?.(rule, t, event);
  }

  reset(): void {
    this.rules.clear();
    this.patterns.clear();
    this.onChange?.(undefined);
  }

  private register(rec: RuleRecord): void {
    this.rules.set(rec.key, rec);
    if (rec.eventPattern) this.patterns.set(rec.key, JSON.parse(rec.eventPattern) as Pattern);
    else this.patterns.delete(rec.key);
  }
}
