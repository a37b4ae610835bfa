import type { Clock } from '../../core/clock.js';
import type { IdGenerator } from '../../core/ids.js';
import type { RpcService } from '../../core/service.js';
import type { Store } from '../../core/storage.js';
import { itemSize } from './engine.js';
import { DynamoModel } from './model/registry.js';
import { batchOperations } from './operations/batch.js';
import { itemOperations } from './operations/items.js';
import { queryOperations } from './operations/query.js';
import { tableExtraOperations } from './operations/table-extras.js';
import { tableOperations } from './operations/tables.js';
import { transactionOperations } from './operations/transactions.js';
import { DYNAMODB_SHAPES } from './shapes.js';

export { DynamoModel } from './model/registry.js';

/** DynamoDB over AWS JSON 1.0 (`DynamoDB_20120810.*`). `model` is the in-process API. */
export function createDynamoDbService(env: { clock: Clock; ids: IdGenerator; store: Store }): RpcService & {
  model: DynamoModel;
} {
  const model = new DynamoModel(env.clock, env.store, itemSize);
  model.load();
  return {
    name: 'dynamodb',
    signingName: 'dynamodb',
    targetPrefix: 'DynamoDB_20120810',
    jsonVersion: '1.0',
    xmlNamespace: '',
    shapes: DYNAMODB_SHAPES,
    operations: {
      ...tableOperations(model, env.ids),
      ...tableExtraOperations(model),
      ...itemOperations(model),
      ...queryOperations(model),
      ...batchOperations(model),
      ...transactionOperations(model),
    },
    reset: () => model.reset(),
    close: () => model.close(),
    model,
  };
}
