import type { Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { RpcService } from '../../core/service.js';
import type { Store } from '../../core/storage.js';
import { LogsModel } from './model/registry.js';
import { eventOperations } from './operations/events.js';
import { groupOperations } from './operations/groups.js';
import { LOGS_SHAPES } from './shapes.js';

export { compileFilterPattern } from './filter-pattern.js';
export type { AppendedEvents, EventsListener, OutputEvent } from './model/registry.js';
export { LogsModel } from './model/registry.js';

/** CloudWatch Logs over AWS JSON 1.1 (`Logs_20140328.*`). `model` is the in-process API (Lambda, the CLI). */
export function createLogsService(env: { clock: Clock; ids: IdGenerator; store: Store }): RpcService & {
  model: LogsModel;
} {
  const model = new LogsModel(env.clock, env.store);
  model.load();
  return {
    name: 'logs',
    signingName: 'logs',
    targetPrefix: 'Logs_20140328',
    jsonVersion: '1.1',
    xmlNamespace: '',
    shapes: LOGS_SHAPES,
    operations: { ...groupOperations(model), ...eventOperations(model) },
    reset: () => model.reset(),
    model,
  };
}
