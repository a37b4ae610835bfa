import type { RequestContext } from '../../../core/service.js';
import { groupNotFound, invalid, invalidToken } from '../errors.js';
import type { LogGroup, LogsModel } from '../model/registry.js';
import type { LogStream } from '../model/stream.js';
import { Violations } from '../validation.js';

/** Helpers shared by the operations: finding the log group a request names, page tokens, wire views. */

export interface GroupRef {
  logGroupName?: string;
  logGroupIdentifier?: string;
}

const IDENTIFIER = { re: /^[\w#+=/:,.@-]*$/, source: '[\\w#+=/:,.@-]*' };

/**
 * The group named by logGroupName, or by logGroupIdentifier (name or ARN), with its retention applied.
 * `v` collects the request's other violations so they are reported together.
 */
export function resolveGroup(model: LogsModel, ctx: RequestContext, input: GroupRef, v = new Violations()): LogGroup {
  const { logGroupName: name, logGroupIdentifier: id } = input;
  v.groupName('logGroupName', name, false);
  v.length('logGroupIdentifier', id, 1, 2048);
  v.pattern('logGroupIdentifier', id, IDENTIFIER);
  v.check();
  if (name !== undefined && id !== undefined) {
    throw invalid('LogGroup name and LogGroup ARN are mutually exclusive parameters.');
  }
  if (name === undefined && id === undefined) {
    throw invalid('Either logGroupName or logGroupIdentifier must be specified.');
  }
  const g = model.findGroup(ctx.scope, (name ?? id) as string);
  if (!g) throw groupNotFound();
  model.expire(g);
  return g;
}

/** The group named by logGroupName (required), with its retention applied. */
export function requireGroup(model: LogsModel, ctx: RequestContext, name: string | undefined, v = new Violations()) {
  v.groupName('logGroupName', name);
  v.check();
  const g = model.getGroup(ctx.scope, name as string);
  if (!g) throw groupNotFound();
  model.expire(g);
  return g;
}

export function encodeToken(cursor: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeToken<T extends Record<string, string | number>>(
  token: string,
  fields: Record<keyof T, 'string' | 'number'>,
): T {
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (typeof v === 'object' && v !== null && Object.entries(fields).every(([k, t]) => typeof v[k] === t)) {
      return v as T;
    }
  } catch {}
  throw invalidToken();
}

export function sequenceToken(s: LogStream): string {
  return `49${String(s.rec.uploads + 1).padStart(54, '0')}`;
}

export function describeGroup(g: LogGroup) {
  return {
    logGroupName: g.name,
    creationTime: g.rec.createdAt,
    retentionInDays: g.rec.retentionInDays,
    metricFilterCount: 0,
    arn: `${g.arn}:*`,
    storedBytes: g.storedBytes,
    kmsKeyId: g.rec.kmsKeyId,
    logGroupClass: g.rec.logGroupClass,
    logGroupArn: g.arn,
  };
}

export function describeStream(g: LogGroup, s: LogStream) {
  return {
    logStreamName: s.name,
    creationTime: s.rec.createdAt,
    firstEventTimestamp: s.rec.firstEventTimestamp,
    lastEventTimestamp: s.rec.lastEventTimestamp,
    lastIngestionTime: s.rec.lastIngestionTime,
    uploadSequenceToken: sequenceToken(s),
    arn: g.streamArn(s),
    // Deprecated by AWS in 2019: always zero for streams.
    storedBytes: 0,
  };
}
