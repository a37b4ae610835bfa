import type { Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { RpcService } from '../../core/service.js';
import type { Store } from '../../core/storage.js';
import { SnsModel } from './model/registry.js';
import { publishOperations } from './operations/publish.js';
import { smsOperations } from './operations/sms.js';
import { subscriptionOperations } from './operations/subscriptions.js';
import { topicOperations } from './operations/topics.js';
import { SNS_SHAPES } from './shapes.js';
import { prepareSigningKey } from './signing.js';

export type { OutboxEntry } from './model/outbox.js';
export type { ControlMessage, DeliverySink, PublishedMessage, SubscriptionRecord } from './model/records.js';
export { SnsModel } from './model/registry.js';
export { signingCertificate } from './signing.js';

/** SNS over the Query protocol (its only protocol; nothing sends X-Amz-Target for it). */
export function createSnsService(env: { clock: Clock; ids: IdGenerator; store: Store }): RpcService & {
  model: SnsModel;
} {
  const model = new SnsModel(env.clock, env.ids, env.store);
  model.load();
  prepareSigningKey();
  const { reset: resetSms, ...sms } = smsOperations();
  return {
    name: 'sns',
    signingName: 'sns',
    targetPrefix: 'AmazonSNS',
    jsonVersion: '1.0',
    xmlNamespace: 'http://sns.amazonaws.com/doc/2010-03-31/',
    shapes: SNS_SHAPES,
    operations: {
      ...topicOperations(model),
      ...subscriptionOperations(model),
      ...publishOperations(model),
      ...sms,
    },
    reset: () => {
      model.reset();
      resetSms();
    },
    model,
  };
}
