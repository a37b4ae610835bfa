import type { Clock, TimerHandle } from '../core/clock.js';
import type { IdGenerator } from '../core/ids.js';
import {
  alarmLambdaEvent,
  alarmSnsNotification,
  type CloudWatchModel,
  type Transition,
} from '../services/cloudwatch/index.js';
import type { LambdaService } from '../services/lambda/index.js';
import type { SnsModel } from '../services/sns/index.js';
import type { SqsModel } from '../services/sqs/model/registry.js';

const MINUTE = 60_000;

/**
 * Alarm evaluation and actions. While any alarm exists, a clock timer fires on every minute boundary:
 * AWS/SQS metrics are sampled from the queues and every alarm is evaluated. On a state change the
 * actions for the new state run (when ActionsEnabled): an SNS topic gets CloudWatch's notification,
 * a Lambda function is invoked asynchronously with the alarm event. Each action is recorded in history.
 */
export function wireAlarms(deps: {
  clock: Clock;
  ids: IdGenerator;
  cloudwatch: CloudWatchModel;
  sqs: SqsModel;
  sns: SnsModel;
  lambda: LambdaService;
  /** The endpoint's URL (SNS puts it in unsubscribe links). */
  endpoint: () => string;
}): () => void {
  const { clock, cloudwatch, sqs } = deps;
  cloudwatch.connectSource('AWS/SQS', (scope, id) => {
    const name = id.dimensions.length === 1 ? id.dimensions[0] : undefined;
    if (name?.Name !== 'QueueName') return undefined;
    const q = sqs.get(scope, name.Value);
    if (!q) return undefined;
    const counts = q.counts();
    switch (id.name) {
      case 'ApproximateNumberOfMessagesVisible':
        return counts.visible;
      case 'ApproximateNumberOfMessagesNotVisible':
        return counts.inflight;
      case 'ApproximateNumberOfMessagesDelayed':
        return counts.delayed;
      default:
        return undefined;
    }
  });

  let timer: TimerHandle | undefined;
  let stopped = false;
  const arm = () => {
    if (stopped || timer || cloudwatch.count() === 0) return;
    const now = clock.now();
    timer = clock.setTimer(MINUTE - (now % MINUTE), () => {
      timer = undefined;
      cloudwatch.evaluateAll();
      arm();
    });
  };
  cloudwatch.onAlarmsChanged = () => {
    if (cloudwatch.count() > 0) return arm();
    timer?.cancel();
    timer = undefined;
  };
  cloudwatch.onTransition = (t) => runActions(deps, t);
  arm();
  return () => {
    stopped = true;
    timer?.cancel();
    timer = undefined;
    cloudwatch.onTransition = undefined;
    cloudwatch.onAlarmsChanged = undefined;
  };
}

function runActions(
  deps: { ids: IdGenerator; cloudwatch: CloudWatchModel; sns: SnsModel; lambda: LambdaService; endpoint: () => string },
  t: Transition,
): void {
  const a = t.alarm;
  if (!a.config.ActionsEnabled) return;
  const actions =
    a.state === 'ALARM'
      ? a.config.AlarmActions
      : a.state === 'OK'
        ? a.config.OKActions
        : a.config.InsufficientDataActions;
  for (const target of actions) {
    const error = runAction(deps, t, target);
    const summary = error
      ? `Failed to execute action ${target}. Received error: "${error}"`
      : `Successfully executed action ${target}`;
    deps.cloudwatch.record(a, 'Action', summary, {
      actionState: error ? 'Failed' : 'Succeeded',
      notificationResource: target,
      stateUpdateTimestamp: a.stateUpdatedAt,
      ...(error ? { error } : {}),
    });
  }
}

/** Runs one action; returns an error text when it could not. */
function runAction(
  deps: { ids: IdGenerator; sns: SnsModel; lambda: LambdaService; endpoint: () => string },
  t: Transition,
  target: string,
): string | undefined {
  switch (target.split(':')[2]) {
    case 'sns': {
      const topic = deps.sns.topic(target);
      if (!topic) return 'Resource is not found.';
      deps.sns.publish(topic, { ...alarmSnsNotification(t), baseUrl: deps.endpoint() });
      return undefined;
    }
    case 'lambda': {
      const fn = deps.lambda.functions.byArn(target);
      if (!fn) return 'Function not found.';
      deps.lambda.async.enqueue(fn, Buffer.from(JSON.stringify(alarmLambdaEvent(t))), deps.ids.uuid());
      return undefined;
    }
    default:
      return 'Action not supported by local-cloud.';
  }
}
