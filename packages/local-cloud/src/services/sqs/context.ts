import type { RequestContext } from '../../core/service.js';
import { missing, queueDoesNotExist } from './errors.js';
import type { Queue } from './model/queue.js';
import { SqsModel } from './model/registry.js';

/** Finding queues from URLs and writing URLs that route back to whichever host the client used. */
export function queueUrl(q: Queue, ctx: RequestContext): string {
  return `${ctx.scheme}://${ctx.host}/${q.rec.accountId}/${q.name}`;
}

/** `/<account>/<name>`, the path part of a queue URL, or undefined. */
export function parseQueuePath(path: string): { accountId: string; name: string } | undefined {
  const m = /^\/(\d{12})\/([A-Za-z0-9_.-]{1,80})\/?$/.exec(path);
  return m ? { accountId: m[1] as string, name: m[2] as string } : undefined;
}

export function resolveQueue(model: SqsModel, url: string | undefined, ctx: RequestContext): Queue {
  let target = url;
  if (!target && ctx.protocol === 'query' && parseQueuePath(ctx.path)) target = ctx.path;
  if (!target) throw missing('QueueUrl');
  let path = target;
  if (/^[a-z]+:\/\//i.test(target)) {
    try {
      path = new URL(target).pathname;
    } catch {
      throw queueDoesNotExist();
    }
  }
  const parsed = parseQueuePath(path);
  // A bare queue name is accepted too, in the caller's own account.
  const name = parsed?.name ?? (/^[A-Za-z0-9_.-]{1,80}$/.test(target) ? target : undefined);
  const accountId = parsed?.accountId ?? ctx.scope.accountId;
  const q = name ? model.getByKey(SqsModel.key({ region: ctx.scope.region, accountId }, name)) : undefined;
  if (!q) throw queueDoesNotExist();
  return q;
}
