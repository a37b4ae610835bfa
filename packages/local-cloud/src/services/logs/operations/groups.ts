import { parseArn } from '../../../core/arn.js';
import type { RequestContext } from '../../../core/service.js';
import { groupExists, groupNotFound, invalid, streamExists, streamNotFound, TooManyTagsException } from '../errors.js';
import type { LogGroup, LogsModel } from '../model/registry.js';
import { RETENTION_DAYS, Violations } from '../validation.js';
import {
  decodeToken,
  describeGroup,
  describeStream,
  encodeToken,
  type GroupRef,
  requireGroup,
  resolveGroup,
} from './common.js';

/** Log groups, log streams, retention and tags. */
const MAX_TAGS = 50;
const CLASSES = ['STANDARD', 'INFREQUENT_ACCESS', 'DELIVERY'];

function checkTags(v: Violations, field: string, tags: Record<string, string> | undefined): void {
  if (!tags) return;
  const keys = Object.keys(tags);
  if (keys.length < 1 || keys.length > MAX_TAGS) v.length(field, keys, 1, MAX_TAGS);
  for (const k of keys) {
    v.length(`${field}.key`, k, 1, 128);
    v.length(`${field}.value`, tags[k], 0, 256);
  }
}

function addTags(g: LogGroup, model: LogsModel, tags: Record<string, string>): void {
  const merged = { ...g.rec.tags, ...tags };
  if (Object.keys(merged).length > MAX_TAGS) {
    const err = new TooManyTagsException(`A resource can have no more than ${MAX_TAGS} tags.`);
    err.extra.resourceName = g.arn;
    throw err;
  }
  g.rec.tags = merged;
  model.saveGroup(g);
}

function removeTags(g: LogGroup, model: LogsModel, keys: string[]): void {
  for (const k of keys) delete g.rec.tags[k];
  model.saveGroup(g);
}

/** A log group by its ARN (`arn:aws:logs:<region>:<account>:log-group:<name>`, `:*` allowed). */
function groupByArn(model: LogsModel, ctx: RequestContext, resourceArn: string | undefined, v: Violations): LogGroup {
  if (v.required('resourceArn', resourceArn)) v.length('resourceArn', resourceArn, 1, 1011);
  v.check();
  const parsed = parseArn(resourceArn as string);
  if (parsed?.service !== 'logs') throw invalid(`Invalid resource ARN: ${resourceArn}`);
  if (!parsed.resource.startsWith('log-group:')) throw groupNotFound();
  const g = model.findGroup(ctx.scope, resourceArn as string);
  if (!g) throw groupNotFound();
  return g;
}

export function groupOperations(model: LogsModel) {
  return {
    CreateLogGroup(
      input: { logGroupName?: string; kmsKeyId?: string; tags?: Record<string, string>; logGroupClass?: string },
      ctx: RequestContext,
    ) {
      const v = new Violations();
      v.groupName('logGroupName', input.logGroupName);
      v.length('kmsKeyId', input.kmsKeyId, 0, 256);
      v.oneOf('logGroupClass', input.logGroupClass, CLASSES);
      checkTags(v, 'tags', input.tags);
      v.check();
      const name = input.logGroupName as string;
      if (name.toLowerCase().startsWith('aws/')) throw invalid('Log groups starting with AWS/ are reserved for AWS.');
      if (model.getGroup(ctx.scope, name)) throw groupExists();
      model.createGroup(ctx.scope, name, {
        ...(input.tags ? { tags: input.tags } : {}),
        ...(input.kmsKeyId ? { kmsKeyId: input.kmsKeyId } : {}),
        ...(input.logGroupClass ? { logGroupClass: input.logGroupClass } : {}),
      });
      return {};
    },

    DeleteLogGroup(input: { logGroupName?: string }, ctx: RequestContext) {
      model.deleteGroup(requireGroup(model, ctx, input.logGroupName));
      return {};
    },

    DescribeLogGroups(
      input: {
        logGroupNamePrefix?: string;
        logGroupNamePattern?: string;
        logGroupIdentifiers?: string[];
        logGroupClass?: string;
        limit?: number;
        nextToken?: string;
      },
      ctx: RequestContext,
    ) {
      const v = new Violations();
      v.groupName('logGroupNamePrefix', input.logGroupNamePrefix, false);
      v.length('logGroupNamePattern', input.logGroupNamePattern, 0, 512);
      v.range('limit', input.limit, 1, 50);
      v.oneOf('logGroupClass', input.logGroupClass, CLASSES);
      v.check();
      if (input.logGroupNamePrefix !== undefined && input.logGroupNamePattern !== undefined) {
        throw invalid('LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.');
      }
      const pattern = input.logGroupNamePattern?.toLowerCase();
      const ids = input.logGroupIdentifiers;
      let groups = model
        .listGroups(ctx.scope, input.logGroupNamePrefix)
        .filter(
          (g) =>
            (!pattern || g.name.toLowerCase().includes(pattern)) &&
            (!input.logGroupClass || g.rec.logGroupClass === input.logGroupClass) &&
            (!ids || ids.some((id) => id === g.name || id.replace(/:\*$/, '') === g.arn)),
        );
      if (input.nextToken) {
        const after = decodeToken<{ a: string }>(input.nextToken, { a: 'string' }).a;
        groups = groups.filter((g) => g.name > after);
      }
      const limit = input.limit ?? 50;
      const page = groups.slice(0, limit);
      for (const g of page) model.expire(g);
      const last = page.at(-1);
      return {
        logGroups: page.map(describeGroup),
        nextToken: groups.length > limit && last ? encodeToken({ a: last.name }) : undefined,
      };
    },

    CreateLogStream(input: { logGroupName?: string; logStreamName?: string }, ctx: RequestContext) {
      const v = new Violations();
      v.streamName('logStreamName', input.logStreamName);
      const g = requireGroup(model, ctx, input.logGroupName, v);
      const name = input.logStreamName as string;
      if (g.streams.has(name)) throw streamExists();
      model.createStream(g, name);
      return {};
    },

    DeleteLogStream(input: { logGroupName?: string; logStreamName?: string }, ctx: RequestContext) {
      const v = new Violations();
      v.streamName('logStreamName', input.logStreamName);
      const g = requireGroup(model, ctx, input.logGroupName, v);
      const s = g.streams.get(input.logStreamName as string);
      if (!s) throw streamNotFound();
      model.deleteStream(g, s);
      return {};
    },

    DescribeLogStreams(
      input: GroupRef & {
        logStreamNamePrefix?: string;
        orderBy?: string;
        descending?: boolean;
        limit?: number;
        nextToken?: string;
      },
      ctx: RequestContext,
    ) {
      const v = new Violations();
      v.streamName('logStreamNamePrefix', input.logStreamNamePrefix, false);
      v.oneOf('orderBy', input.orderBy, ['LogStreamName', 'LastEventTime']);
      v.range('limit', input.limit, 1, 50);
      const g = resolveGroup(model, ctx, input, v);
      const prefix = input.logStreamNamePrefix;
      const byTime = input.orderBy === 'LastEventTime';
      if (byTime && prefix !== undefined) throw invalid('Cannot order by LastEventTime with a logStreamNamePrefix.');
      const streams = [...g.streams.values()].filter((s) => !prefix || s.name.startsWith(prefix));
      const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
      streams.sort(
        byTime
          ? (a, b) =>
              (a.rec.lastEventTimestamp ?? Number.NEGATIVE_INFINITY) -
                (b.rec.lastEventTimestamp ?? Number.NEGATIVE_INFINITY) || byName(a, b)
          : byName,
      );
      if (input.descending) streams.reverse();
      const start = input.nextToken ? decodeToken<{ o: number }>(input.nextToken, { o: 'number' }).o : 0;
      const limit = input.limit ?? 50;
      const page = streams.slice(start, start + limit);
      return {
        logStreams: page.map((s) => describeStream(g, s)),
        nextToken: start + limit < streams.length ? encodeToken({ o: start + limit }) : undefined,
      };
    },

    PutRetentionPolicy(input: { logGroupName?: string; retentionInDays?: number }, ctx: RequestContext) {
      const v = new Violations();
      v.groupName('logGroupName', input.logGroupName);
      if (v.required('retentionInDays', input.retentionInDays)) {
        v.oneOf('retentionInDays', input.retentionInDays, RETENTION_DAYS);
      }
      v.check();
      model.setRetention(requireGroup(model, ctx, input.logGroupName), input.retentionInDays);
      return {};
    },

    DeleteRetentionPolicy(input: { logGroupName?: string }, ctx: RequestContext) {
      model.setRetention(requireGroup(model, ctx, input.logGroupName), undefined);
      return {};
    },

    TagResource(input: { resourceArn?: string; tags?: Record<string, string> }, ctx: RequestContext) {
      const v = new Violations();
      if (v.required('tags', input.tags)) checkTags(v, 'tags', input.tags);
      addTags(groupByArn(model, ctx, input.resourceArn, v), model, input.tags ?? {});
      return {};
    },

    UntagResource(input: { resourceArn?: string; tagKeys?: string[] }, ctx: RequestContext) {
      const v = new Violations();
      if (v.required('tagKeys', input.tagKeys)) v.length('tagKeys', input.tagKeys, 0, MAX_TAGS);
      removeTags(groupByArn(model, ctx, input.resourceArn, v), model, input.tagKeys ?? []);
      return {};
    },

    ListTagsForResource(input: { resourceArn?: string }, ctx: RequestContext) {
      return { tags: { ...groupByArn(model, ctx, input.resourceArn, new Violations()).rec.tags } };
    },

    TagLogGroup(input: { logGroupName?: string; tags?: Record<string, string> }, ctx: RequestContext) {
      const v = new Violations();
      if (v.required('tags', input.tags)) checkTags(v, 'tags', input.tags);
      addTags(requireGroup(model, ctx, input.logGroupName, v), model, input.tags ?? {});
      return {};
    },

    UntagLogGroup(input: { logGroupName?: string; tags?: string[] }, ctx: RequestContext) {
      const v = new Violations();
      if (v.required('tags', input.tags)) v.length('tags', input.tags, 1);
      removeTags(requireGroup(model, ctx, input.logGroupName, v), model, input.tags ?? []);
      return {};
    },

    ListTagsLogGroup(input: { logGroupName?: string }, ctx: RequestContext) {
      return { tags: { ...requireGroup(model, ctx, input.logGroupName).rec.tags } };
    },
  };
}
