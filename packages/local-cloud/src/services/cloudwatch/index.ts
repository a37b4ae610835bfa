import type { Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { RpcService } from '../../core/service.js';
import type { Store } from '../../core/storage.js';
import { CloudWatchModel } from './model/alarms.js';
import { alarmOperations } from './operations/alarms.js';
import { metricOperations } from './operations/metrics.js';
import { CLOUDWATCH_SHAPES } from './shapes.js';

export type { AlarmRecord, MetricSource, Transition } from './model/alarms.js';
export { CloudWatchModel } from './model/alarms.js';
export { alarmLambdaEvent, alarmSnsNotification } from './notification.js';

export type CloudWatchService = RpcService & { model: CloudWatchModel };

/**
 * CloudWatch metric alarms and metrics. Spoken over AWS JSON 1.0 (`GraniteServiceVersion20100801.*`,
 * awsQueryCompatible, as current SDKs send it) and over Query (the AWS CLI). `model` is the in-process API.
 */
export function createCloudWatchService(env: { clock: Clock; ids: IdGenerator; store: Store }): CloudWatchService {
  const model = new CloudWatchModel(env.clock, env.store);
  model.load();
  return {
    name: 'cloudwatch',
    signingName: 'monitoring',
    targetPrefix: 'GraniteServiceVersion20100801',
    jsonVersion: '1.0',
    xmlNamespace: 'http://monitoring.amazonaws.com/doc/2010-08-01/',
    queryCompatible: true,
    shapes: CLOUDWATCH_SHAPES,
    operations: { ...alarmOperations(model), ...metricOperations(model) },
    reset: () => model.reset(),
    model,
  };
}
