import { matches, type Pattern } from '../../../core/event-pattern.js';
import type { IdGenerator } from '../../../core/ids.js';
import type { RequestContext } from '../../../core/service.js';
import { invalid } from '../errors.js';
import { parsePattern } from '../input.js';
import type { EventsModel } from '../model/rules.js';
import { Violations } from '../validation.js';
import { busArn } from './common.js';

/** PutEvents (to the default bus) and TestEventPattern. */
interface EntryInput {
  Time?: unknown;
  Source?: string;
  Resources?: string[];
  DetailType?: string;
  Detail?: string;
  EventBusName?: string;
}

type EntryResult = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/** `2026-01-01T00:00:00Z`: event times carry no fraction of a second. */
export function eventTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}

function entryError(e: EntryInput, ctx: RequestContext): EntryResult | undefined {
  const arg = (name: string) => ({
    ErrorCode: 'InvalidArgument',
    ErrorMessage: `Parameter ${name} is not valid. Reason: ${name} is a required argument.`,
  });
  if (e.Source === undefined) return arg('Source');
  if (e.DetailType === undefined) return arg('DetailType');
  if (e.Detail === undefined) return arg('Detail');
  const bus = e.EventBusName;
  if (bus !== undefined && bus !== 'default' && bus !== busArn(ctx.scope)) {
    return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${bus} does not exist.` };
  }
  try {
    const detail = JSON.parse(e.Detail);
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) throw new Error('not an object');
  } catch {
    return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
  }
  return undefined;
}

function timeOf(t: unknown, now: number): number {
  if (typeof t === 'number') return Math.round(t * 1000);
  if (typeof t === 'string' && !Number.isNaN(Date.parse(t))) return Date.parse(t);
  return now;
}

export function eventOperations(model: EventsModel, ids: IdGenerator) {
  return {
    PutEvents(input: { Entries?: EntryInput[] }, ctx: RequestContext) {
      const v = new Violations();
      if (v.required('entries', input.Entries)) v.length('entries', input.Entries, 1, 10);
      for (const e of input.Entries ?? []) {
        v.length('entries.member.source', e.Source, 0, 256);
        v.length('entries.member.detailType', e.DetailType, 0, 128);
      }
      v.check();
      let failed = 0;
      const entries = (input.Entries ?? []).map((e): EntryResult => {
        const error = entryError(e, ctx);
        if (error) {
          failed++;
          return error;
        }
        const id = ids.uuid();
        model.publish(ctx.scope, {
          version: '0',
          id,
          'detail-type': e.DetailType,
          source: e.Source,
          account: ctx.scope.accountId,
          time: eventTime(timeOf(e.Time, model.now())),
          region: ctx.scope.region,
          resources: e.Resources ?? [],
          detail: JSON.parse(e.Detail as string),
        });
        return { EventId: id };
      });
      return { FailedEntryCount: failed, Entries: entries };
    },

    TestEventPattern(input: { EventPattern?: string; Event?: string }) {
      const v = new Violations();
      v.required('eventPattern', input.EventPattern);
      v.required('event', input.Event);
      v.check();
      const pattern = parsePattern(input.EventPattern as string);
      let event: unknown;
      try {
        event = JSON.parse(input.Event as string);
      } catch {
        throw invalid('Parameter Event is not valid.');
      }
      const required = ['id', 'account', 'source', 'time', 'region', 'detail-type'];
      if (typeof event !== 'object' || event === null || required.some((k) => !(k in (event as object)))) {
        throw invalid('Parameter Event is not valid.');
      }
      return { Result: matches(pattern as Pattern, event) };
    },
  };
}
