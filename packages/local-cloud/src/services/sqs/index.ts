import type { Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { RpcService } from '../../core/service.js';
import type { Store } from '../../core/storage.js';
import { parseQueuePath } from './context.js';
import { SqsModel } from './model/registry.js';
import { messageOperations } from './operations/messages.js';
import { moveOperations } from './operations/moves.js';
import { queueOperations } from './operations/queues.js';
import { SQS_SHAPES } from './shapes.js';

export { SqsModel } from './model/registry.js';

/** SQS over AWS JSON 1.0 (query-compatible) and the legacy Query/XML protocol. */
export function createSqsService(env: { clock: Clock; ids: IdGenerator; store: Store }): RpcService & {
  model: SqsModel;
} {
  const model = new SqsModel(env.clock, env.ids, env.store);
  model.load();
  return {
    name: 'sqs',
    signingName: 'sqs',
    targetPrefix: 'AmazonSQS',
    jsonVersion: '1.0',
    xmlNamespace: 'http://queue.amazonaws.com/doc/2012-11-05/',
    queryCompatible: true,
    shapes: SQS_SHAPES,
    operations: { ...queueOperations(model), ...messageOperations(model), ...moveOperations(model) },
    ownsPath: (path) => parseQueuePath(path) !== undefined,
    reset: () => model.reset(),
    model,
  };
}
