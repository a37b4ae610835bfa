import type { Clock } from '../core/clock.js';
import type { IdGenerator } from '../core/ids.js';
import type { Store } from '../core/storage.js';
import type { LambdaService } from '../services/lambda/index.js';
import type { SqsModel } from '../services/sqs/model/registry.js';
import { SqsPoller } from './sqs-poller.js';

/** Connects Lambda and SQS: a poller per enabled mapping; SQS queues and functions as destinations. */
export function wireSqsLambda(deps: {
  clock: Clock;
  ids: IdGenerator;
  sqs: SqsModel;
  lambda: LambdaService;
  store: Store;
}): () => void {
  const pollers = new Map<string, SqsPoller>();
  const stopPoller = (uuid: string) => {
    pollers.get(uuid)?.stop();
    pollers.delete(uuid);
  };
  deps.lambda.connect({
    sources: {
      sqsQueue: (arn) => {
        const q = deps.sqs.getByArn(arn);
        return q ? { fifo: q.fifo } : undefined;
      },
    },
    destinations: {
      deliver: (arn, body, attributes) => {
        const fn = arn.includes(':lambda:') ? deps.lambda.functions.byArn(arn) : undefined;
        if (fn) return deps.lambda.async.enqueue(fn, Buffer.from(body), deps.ids.uuid());
        const q = deps.sqs.getByArn(arn);
        if (!q) return console.error(`[local-cloud] destination ${arn} does not exist; the record was dropped`);
        q.send({
          body,
          senderId: 'AROA000000000LAMBDA',
          ...(attributes ? { attributes } : {}),
        });
        deps.store.afterCommit(() => {});
      },
    },
  });
  deps.lambda.mappings.subscribe((m, change) => {
    const existing = pollers.get(m.uuid);
    if (change === 'delete' || !m.enabled) return stopPoller(m.uuid);
    if (existing?.concurrencyMatches(m)) return existing.update(m);
    stopPoller(m.uuid);
    const p = new SqsPoller(m, deps);
    pollers.set(m.uuid, p);
    p.start();
  });
  return () => {
    for (const uuid of [...pollers.keys()]) stopPoller(uuid);
  };
}
