import type { Clock, TimerHandle } from '../core/clock.js';
import type { IdGenerator } from '../core/ids.js';
import {
  type EventsModel,
  eventTime,
  nextFiring,
  parseSchedule,
  type RuleRecord,
  type TargetRecord,
  targetInput,
} from '../services/events/index.js';
import type { LambdaService } from '../services/lambda/index.js';
import type { SnsModel } from '../services/sns/index.js';
import type { SqsModel } from '../services/sqs/model/registry.js';

/** The principal SQS reports as the sender of messages EventBridge delivers. */
const EVENTS_SENDER_ID = 'AIDAIEVENTBRIDGEXAMPLE';

/**
 * EventBridge in process: schedule rules fire on the clock (one timer per enabled rule, armed at its
 * next firing) and send the Scheduled Event to each target; events matched by PutEvents go the same
 * way. Targets: an SQS queue (SendMessage), an SNS topic (Publish), a Lambda function (async invoke).
 * A target that no longer exists is skipped, as EventBridge drops events it cannot deliver.
 */
export function wireEvents(deps: {
  clock: Clock;
  ids: IdGenerator;
  events: EventsModel;
  sqs: SqsModel;
  sns: SnsModel;
  lambda: LambdaService;
  endpoint: () => string;
}): () => void {
  const { clock, events } = deps;
  const timers = new Map<string, TimerHandle>();

  events.sink = (_rule, target, event) => deliver(deps, target, event);

  const cancel = (key: string) => {
    timers.get(key)?.cancel();
    timers.delete(key);
  };

  const arm = (rule: RuleRecord) => {
    cancel(rule.key);
    const schedule = rule.scheduleExpression ? parseSchedule(rule.scheduleExpression) : undefined;
    if (!schedule || rule.state === 'DISABLED') return;
    const now = clock.now();
    const at = nextFiring(schedule, now, rule.createdAt);
    if (at === undefined) return;
    timers.set(
      rule.key,
      clock.setTimer(at - now, () => {
        timers.delete(rule.key);
        events.deliver(rule, scheduledEvent(deps.ids, rule, at));
        arm(rule);
      }),
    );
  };

  const armAll = () => {
    for (const key of [...timers.keys()]) cancel(key);
    for (const rule of events.all()) arm(rule);
  };

  events.onChange = (change) => {
    if (change === undefined) armAll();
    else if (typeof change === 'string') cancel(change);
    else arm(change);
  };
  armAll();
  return () => {
    for (const key of [...timers.keys()]) cancel(key);
    events.onChange = undefined;
    events.sink = undefined;
  };
}

function scheduledEvent(ids: IdGenerator, rule: RuleRecord, at: number): Record<string, unknown> {
  return {
    version: '0',
    id: ids.uuid(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: rule.accountId,
    time: eventTime(at),
    region: rule.region,
    resources: [rule.arn],
    detail: {},
  };
}

function deliver(
  deps: { ids: IdGenerator; sqs: SqsModel; sns: SnsModel; lambda: LambdaService; endpoint: () => string },
  target: TargetRecord,
  event: Record<string, unknown>,
): void {
  const body = targetInput(target, event);
  switch (target.Arn.split(':')[2]) {
    case 'sqs': {
      const q = deps.sqs.getByArn(target.Arn);
      if (!q) return;
      const groupId = target.SqsParameters?.MessageGroupId;
      q.send({
        body,
        senderId: EVENTS_SENDER_ID,
        ...(q.fifo && groupId ? { groupId, dedupId: String(event.id) } : {}),
      });
      return;
    }
    case 'sns': {
      const topic = deps.sns.topic(target.Arn);
      if (topic) deps.sns.publish(topic, { message: body, baseUrl: deps.endpoint() });
      return;
    }
    case 'lambda': {
      const fn = deps.lambda.functions.byArn(target.Arn);
      if (fn) deps.lambda.async.enqueue(fn, Buffer.from(body), deps.ids.uuid());
      return;
    }
  }
}
