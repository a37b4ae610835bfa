import { InvalidAction } from '../../../core/errors.js';
import type { RequestContext } from '../../../core/service.js';
import {
  checkReadableNames,
  DEFAULTS,
  FIFO_DEFAULTS,
  parseRedriveAllowPolicy,
  parseRedrivePolicy,
  type QueueAttributes,
  READ_ONLY,
  validateAttributes,
} from '../attributes.js';
import { parseQueuePath, queueUrl, resolveQueue } from '../context.js';
import {
  InvalidParameterValue,
  invalidValue,
  missing,
  PurgeQueueInProgress,
  QueueDeletedRecently,
  QueueNameExists,
  queueDoesNotExist,
} from '../errors.js';
import type { Queue } from '../model/queue.js';
import type { SqsModel } from '../model/registry.js';

/** Queue lifecycle, attributes, tags, permissions and listing. */
const NAME = /^[A-Za-z0-9_-]{1,80}$/;
const PURGE_COOLDOWN_MS = 60_000;

function checkName(name: string | undefined, fifo: boolean): string {
  if (!name) throw missing('QueueName');
  const base = name.endsWith('.fifo') ? name.slice(0, -5) : name;
  if (fifo && (!name.endsWith('.fifo') || name.length > 80 || !NAME.test(base))) {
    throw new InvalidParameterValue(
      'The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length.',
    );
  }
  if (!fifo && !NAME.test(name)) {
    throw new InvalidParameterValue(
      'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
    );
  }
  return name;
}

/** RedrivePolicy must name an existing queue of the same type that allows this source. */
function checkRedrive(model: SqsModel, attrs: QueueAttributes, fifo: boolean, sourceArn: string): void {
  const raw = attrs.RedrivePolicy;
  if (!raw) return;
  const policy = parseRedrivePolicy(raw);
  const dlq = model.getByArn(policy.deadLetterTargetArn);
  if (!dlq) throw invalidValue('RedrivePolicy', raw, 'Dead letter target does not exist.');
  if (dlq.fifo !== fifo) {
    throw invalidValue('RedrivePolicy', raw, 'Dead-letter queue must be same type of queue as the source..');
  }
  const allow = dlq.rec.attributes.RedriveAllowPolicy;
  if (!allow) return;
  const p = parseRedriveAllowPolicy(allow);
  if (
    p.redrivePermission === 'denyAll' ||
    (p.redrivePermission === 'byQueue' && !p.sourceQueueArns?.includes(sourceArn))
  ) {
    throw invalidValue(
      'RedrivePolicy',
      raw,
      'Queue ' + sourceArn + ' is not allowed to use ' + dlq.arn + ' as its dead-letter queue.',
    );
  }
}

function attributeValues(q: Queue, names: string[]): Record<string, string> | undefined {
  if (names.length === 0) return undefined;
  checkReadableNames(names);
  const all = names.includes('All');
  const want = (n: string) => all || names.includes(n);
  const out: Record<string, string> = {};
  const counts = READ_ONLY.some((n) => n.startsWith('Approximate') && want(n)) ? q.counts() : undefined;
  const derived: Record<string, string | undefined> = {
    QueueArn: q.arn,
    ApproximateNumberOfMessages: counts && String(counts.visible),
    ApproximateNumberOfMessagesNotVisible: counts && String(counts.inflight),
    ApproximateNumberOfMessagesDelayed: counts && String(counts.delayed),
    CreatedTimestamp: String(Math.floor(q.rec.createdAt / 1000)),
    LastModifiedTimestamp: String(Math.floor(q.rec.modifiedAt / 1000)),
  };
  for (const [k, v] of Object.entries({ ...derived, ...q.rec.attributes })) {
    if (v !== undefined && want(k)) out[k] = v;
  }
  return Object.keys(out).length ? out : undefined;
}

function paginate(urls: string[], maxResults: number | undefined, nextToken: string | undefined) {
  if (maxResults !== undefined && (maxResults < 1 || maxResults > 1000)) {
    throw invalidValue('MaxResults', maxResults, 'MaxResults must be an integer between 1 and 1000.');
  }
  let start = 0;
  if (nextToken) {
    const after = decodeToken(nextToken);
    start = urls.findIndex((u) => u > after);
    if (start < 0) start = urls.length;
  }
  const size = maxResults ?? 1000;
  const page = urls.slice(start, start + size);
  const more = maxResults !== undefined && start + size < urls.length;
  return { page, next: more ? Buffer.from(JSON.stringify({ after: page.at(-1) })).toString('base64') : undefined };
}

function decodeToken(token: string): string {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (typeof v.after === 'string') return v.after;
  } catch {}
  throw invalidValue('NextToken', token, 'Invalid NextToken value.');
}

export function queueOperations(model: SqsModel) {
  return {
    CreateQueue(
      input: { QueueName?: string; Attributes?: QueueAttributes; tags?: Record<string, string> },
      ctx: RequestContext,
    ) {
      if (ctx.protocol === 'query' && parseQueuePath(ctx.path)) {
        throw invalidAction('CreateQueue');
      }
      const requested = input.Attributes ?? {};
      const fifo = requested.FifoQueue === 'true';
      const name = checkName(input.QueueName, fifo || (input.QueueName?.endsWith('.fifo') ?? false));
      if (name.endsWith('.fifo') && !fifo) {
        throw new InvalidParameterValue(
          'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length',
        );
      }
      const attrs = validateAttributes(requested, fifo, true);
      const existing = model.get(ctx.scope, name);
      if (existing) {
        for (const [k, v] of Object.entries(attrs)) {
          if ((existing.rec.attributes[k] ?? (k === 'FifoQueue' ? 'true' : undefined)) !== v) {
            throw new QueueNameExists(
              `A queue already exists with the same name and a different value for attribute ${k}`,
            );
          }
        }
        return { QueueUrl: queueUrl(existing, ctx) };
      }
      if (model.deletedRecently(ctx.scope, name)) {
        throw new QueueDeletedRecently(
          'You must wait 60 seconds after deleting a queue before you can create another with the same name.',
        );
      }
      const arn = `arn:aws:sqs:${ctx.scope.region}:${ctx.scope.accountId}:${name}`;
      checkRedrive(model, attrs, fifo, arn);
      const full = { ...DEFAULTS, ...(fifo ? FIFO_DEFAULTS : {}), ...attrs };
      if (full.KmsMasterKeyId && requested.SqsManagedSseEnabled === undefined) full.SqsManagedSseEnabled = 'false';
      for (const [k, v] of Object.entries(full)) if (v === '') delete full[k];
      const q = model.create(ctx.scope, name, full, { ...(input.tags ?? {}) });
      return { QueueUrl: queueUrl(q, ctx) };
    },

    DeleteQueue(input: { QueueUrl?: string }, ctx: RequestContext) {
      model.delete(resolveQueue(model, input.QueueUrl, ctx));
      return {};
    },

    GetQueueUrl(input: { QueueName?: string; QueueOwnerAWSAccountId?: string }, ctx: RequestContext) {
      if (!input.QueueName) throw missing('QueueName');
      const scope = { ...ctx.scope, accountId: input.QueueOwnerAWSAccountId ?? ctx.scope.accountId };
      const q = model.get(scope, input.QueueName);
      if (!q) throw queueDoesNotExist();
      return { QueueUrl: queueUrl(q, ctx) };
    },

    ListQueues(input: { QueueNamePrefix?: string; NextToken?: string; MaxResults?: number }, ctx: RequestContext) {
      if (ctx.protocol === 'query' && parseQueuePath(ctx.path)) throw invalidAction('ListQueues');
      const urls = model.list(ctx.scope, input.QueueNamePrefix).map((q) => queueUrl(q, ctx));
      const { page, next } = paginate(urls, input.MaxResults, input.NextToken);
      return { QueueUrls: page.length ? page : undefined, NextToken: next };
    },

    ListDeadLetterSourceQueues(
      input: { QueueUrl?: string; NextToken?: string; MaxResults?: number },
      ctx: RequestContext,
    ) {
      const dlq = resolveQueue(model, input.QueueUrl, ctx);
      const urls = model.deadLetterSources(dlq).map((q) => queueUrl(q, ctx));
      const { page, next } = paginate(urls, input.MaxResults, input.NextToken);
      return { queueUrls: page, NextToken: next };
    },

    GetQueueAttributes(input: { QueueUrl?: string; AttributeNames?: string[] }, ctx: RequestContext) {
      const q = resolveQueue(model, input.QueueUrl, ctx);
      return { Attributes: attributeValues(q, input.AttributeNames ?? []) };
    },

    SetQueueAttributes(input: { QueueUrl?: string; Attributes?: QueueAttributes }, ctx: RequestContext) {
      const q = resolveQueue(model, input.QueueUrl, ctx);
      const attrs = validateAttributes(input.Attributes ?? {}, q.fifo, false);
      checkRedrive(model, attrs, q.fifo, q.arn);
      if (attrs.KmsMasterKeyId && attrs.SqsManagedSseEnabled === undefined) attrs.SqsManagedSseEnabled = 'false';
      model.setAttributes(q, attrs);
      return {};
    },

    PurgeQueue(input: { QueueUrl?: string }, ctx: RequestContext) {
      const q = resolveQueue(model, input.QueueUrl, ctx);
      if (q.rec.purgedAt !== undefined && q.now() - q.rec.purgedAt < PURGE_COOLDOWN_MS) {
        throw new PurgeQueueInProgress(`Only one PurgeQueue operation on ${q.name} is allowed every 60 seconds.`);
      }
      q.purge();
      model.save(q);
      return {};
    },

    ListQueueTags(input: { QueueUrl?: string }, ctx: RequestContext) {
      const q = resolveQueue(model, input.QueueUrl, ctx);
      return { Tags: Object.keys(q.rec.tags).length ? q.rec.tags : undefined };
    },

    TagQueue(input: { QueueUrl?: string; Tags?: Record<string, string> }, ctx: RequestContext) {
      const q = resolveQueue(model, input.QueueUrl, ctx);
      const tags = { ...q.rec.tags, ...(input.Tags ?? {}) };
      if (Object.keys(tags).length > 50) throw new InvalidParameterValue(`Too many tags added for queue ${q.name}.`);
      q.rec.tags = tags;
      model.save(q);
      return {};
    },

    UntagQueue(input: { QueueUrl?: string; TagKeys?: string[] }, ctx: RequestContext) {
      const q = resolveQueue(model, input.QueueUrl, ctx);
      for (const k of input.TagKeys ?? []) delete q.rec.tags[k];
      model.save(q);
      return {};
    },

    AddPermission(
      input: { QueueUrl?: string; Label?: string; AWSAccountIds?: string[]; Actions?: string[] },
      ctx: RequestContext,
    ) {
      const q = resolveQueue(model, input.QueueUrl, ctx);
      if (!input.Label) throw missing('Label');
      if (!input.AWSAccountIds?.length) throw missing('AWSAccountId');
      if (!input.Actions?.length) throw missing('ActionName');
      const policy = readPolicy(q);
      if (policy.Statement.some((s) => s.Sid === input.Label)) {
        throw invalidValue('Label', input.Label, 'Already exists.');
      }
      const principals = input.AWSAccountIds.map((a) => `arn:aws:iam::${a}:root`);
      const actions = input.Actions.map((a) => `SQS:${a}`);
      policy.Statement.push({
        Sid: input.Label,
        Effect: 'Allow',
        Principal: { AWS: principals.length === 1 ? principals[0] : principals },
        Action: actions.length === 1 ? actions[0] : actions,
        Resource: q.arn,
      });
      model.setAttributes(q, { Policy: JSON.stringify(policy) });
      return {};
    },

    RemovePermission(input: { QueueUrl?: string; Label?: string }, ctx: RequestContext) {
      const q = resolveQueue(model, input.QueueUrl, ctx);
      if (!input.Label) throw missing('Label');
      const policy = readPolicy(q);
      const kept = policy.Statement.filter((s) => s.Sid !== input.Label);
      if (kept.length === policy.Statement.length) {
        throw invalidValue('Label', input.Label, "can't find label.");
      }
      model.setAttributes(q, { Policy: kept.length ? JSON.stringify({ ...policy, Statement: kept }) : '' });
      return {};
    },
  };
}

interface Policy {
  Version: string;
  Id: string;
  Statement: Array<Record<string, unknown>>;
}

function readPolicy(q: Queue): Policy {
  const raw = q.rec.attributes.Policy;
  if (raw) {
    const p = JSON.parse(raw) as Policy;
    if (Array.isArray(p.Statement)) return p;
    return { ...p, Statement: p.Statement ? [p.Statement as never] : [] };
  }
  return { Version: '2008-10-17', Id: `${q.arn}/SQSDefaultPolicy`, Statement: [] };
}

function invalidAction(action: string) {
  return new InvalidAction(`The action ${action} is not valid for this endpoint.`);
}
