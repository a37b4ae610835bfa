import type { RequestContext } from '../../../core/service.js';
import { checkArn, invalid, topicNotFound } from '../errors.js';
import type { TopicRecord } from '../model/records.js';
import type { SnsModel } from '../model/registry.js';

/** Lookups and paging shared by the operation files. */
export const PAGE_SIZE = 100;

export function findTopic(model: SnsModel, arn: string | undefined, param = 'TopicArn'): TopicRecord {
  const topic = model.topic(checkArn(param, arn));
  if (!topic) throw topicNotFound();
  return topic;
}

/** Where SubscribeURL and UnsubscribeURL point: the host the client reached us on. */
export function baseUrl(ctx: RequestContext): string {
  return `${ctx.scheme}://${ctx.host}`;
}

/** Pages of 100 ordered by `key`; the token names the last key of the previous page. */
export function paginate<T>(items: T[], key: (t: T) => string, nextToken: string | undefined) {
  let start = 0;
  if (nextToken) {
    let after: string;
    try {
      after = Buffer.from(nextToken, 'base64url').toString('utf8');
    } catch {
      throw invalid('NextToken');
    }
    start = items.findIndex((t) => key(t) > after);
    if (start < 0) start = items.length;
  }
  const page = items.slice(start, start + PAGE_SIZE);
  const last = page.at(-1);
  const more = start + PAGE_SIZE < items.length && last !== undefined;
  return { page, next: more ? Buffer.from(key(last)).toString('base64url') : undefined };
}

export function byKey<T>(items: T[], key: (t: T) => string): T[] {
  return items.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}
