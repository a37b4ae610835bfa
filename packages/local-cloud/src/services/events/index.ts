import type { Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { RpcService } from '../../core/service.js';
import type { Store } from '../../core/storage.js';
import { EventsModel } from './model/rules.js';
import { eventOperations } from './operations/events.js';
import { ruleOperations } from './operations/rules.js';
import { targetOperations } from './operations/targets.js';
import { EVENTS_SHAPES } from './shapes.js';

export { targetInput } from './input.js';
export type { EventSink, RuleRecord, TargetRecord } from './model/rules.js';
export { EventsModel } from './model/rules.js';
export { eventTime } from './operations/events.js';
export { nextFiring, parseSchedule, type Schedule } from './schedule.js';

export type EventsService = RpcService & { model: EventsModel };

/** EventBridge rules, targets and events on the default bus, over AWS JSON 1.1 (`AWSEvents.*`). */
export function createEventsService(env: { clock: Clock; ids: IdGenerator; store: Store }): EventsService {
  const model = new EventsModel(env.clock, env.store);
  model.load();
  return {
    name: 'events',
    signingName: 'events',
    targetPrefix: 'AWSEvents',
    jsonVersion: '1.1',
    xmlNamespace: '',
    shapes: EVENTS_SHAPES,
    operations: { ...ruleOperations(model), ...targetOperations(model), ...eventOperations(model, env.ids) },
    reset: () => model.reset(),
    model,
  };
}
