import type { RequestContext } from '../../../core/service.js';
import { invalid, invalidToken, streamNotFound } from '../errors.js';
import { compileFilterPattern } from '../filter-pattern.js';
import { DAY_MS, type LogsModel, outputEvent } from '../model/registry.js';
import { before, type LogEvent, type LogStream, parsePosition, positionId } from '../model/stream.js';
import { Violations } from '../validation.js';
import { decodeToken, encodeToken, type GroupRef, requireGroup, resolveGroup, sequenceToken } from './common.js';

/** PutLogEvents, GetLogEvents and FilterLogEvents. */
const MAX_BATCH_BYTES = 1_048_576;
const EVENT_OVERHEAD = 26;
const TOO_OLD_MS = 14 * DAY_MS;
const TOO_NEW_MS = 2 * 3_600_000;
const MAX_EVENTS = 10_000;

interface InputEvent {
  timestamp?: number;
  message?: string;
}

function checkEvents(v: Violations, events: InputEvent[] | undefined): void {
  if (!v.required('logEvents', events)) return;
  const list = events as InputEvent[];
  v.length('logEvents', list, 1, MAX_EVENTS);
  if (list.length > MAX_EVENTS) return;
  list.forEach((e, i) => {
    const at = `logEvents.${i + 1}.member`;
    if (v.required(`${at}.timestamp`, e.timestamp)) v.range(`${at}.timestamp`, e.timestamp, 0);
    if (v.required(`${at}.message`, e.message)) v.length(`${at}.message`, e.message, 1);
  });
}

/** GetLogEvents tokens: `f/<position>/s` (after it) and `b/<position>/s` (before it), as AWS spells them. */
function parseGetToken(token: string): { dir: 'f' | 'b'; ts: number; seq: number } {
  const m = /^([fb])\/(\d{56})(?:\/s)?$/.exec(token);
  const pos = m ? parsePosition(m[2] as string) : undefined;
  if (!m || !pos) throw invalidToken();
  return { dir: m[1] as 'f' | 'b', ...pos };
}

export function eventOperations(model: LogsModel) {
  return {
    PutLogEvents(
      input: { logGroupName?: string; logStreamName?: string; logEvents?: InputEvent[]; sequenceToken?: string },
      ctx: RequestContext,
    ) {
      const v = new Violations();
      v.groupName('logGroupName', input.logGroupName);
      v.streamName('logStreamName', input.logStreamName);
      checkEvents(v, input.logEvents);
      v.check();
      const events = input.logEvents as Array<{ timestamp: number; message: string }>;
      const n = events.length;
      const ts = (i: number) => (events[i] as { timestamp: number }).timestamp;
      let bytes = 0;
      for (const e of events) bytes += Buffer.byteLength(e.message) + EVENT_OVERHEAD;
      if (bytes > MAX_BATCH_BYTES) {
        throw invalid(`Upload too large: ${bytes} bytes exceeds limit of ${MAX_BATCH_BYTES}`);
      }
      for (let i = 1; i < n; i++) {
        if (ts(i) < ts(i - 1)) {
          throw invalid('Log events in a single PutLogEvents request must be in chronological order.');
        }
      }
      const g = requireGroup(model, ctx, input.logGroupName);
      const s = g.streams.get(input.logStreamName as string);
      if (!s) throw streamNotFound();

      // Chronological, so the too-old and expired events lead the batch and the too-new ones trail it.
      const now = model.now();
      const retention = g.rec.retentionInDays;
      let oldEnd = 0;
      while (oldEnd < n && ts(oldEnd) < now - TOO_OLD_MS) oldEnd++;
      let expiredEnd = oldEnd;
      if (retention !== undefined) while (expiredEnd < n && ts(expiredEnd) < now - retention * DAY_MS) expiredEnd++;
      let newStart = n;
      while (newStart > expiredEnd && ts(newStart - 1) > now + TOO_NEW_MS) newStart--;
      const accepted = events.slice(expiredEnd, newStart);
      if (accepted.length > 1 && ts(newStart - 1) - ts(expiredEnd) > DAY_MS) {
        throw invalid('The batch of log events in a single PutLogEvents request cannot span more than 24 hours.');
      }
      model.appendTo(g, s, accepted);
      const rejected = {
        tooOldLogEventEndIndex: oldEnd > 0 ? oldEnd : undefined,
        expiredLogEventEndIndex: expiredEnd > oldEnd ? expiredEnd : undefined,
        tooNewLogEventStartIndex: newStart < n ? newStart : undefined,
      };
      return {
        nextSequenceToken: sequenceToken(s),
        rejectedLogEventsInfo: accepted.length === n ? undefined : rejected,
      };
    },

    GetLogEvents(
      input: GroupRef & {
        logStreamName?: string;
        startTime?: number;
        endTime?: number;
        nextToken?: string;
        limit?: number;
        startFromHead?: boolean;
      },
      ctx: RequestContext,
    ) {
      const v = new Violations();
      v.streamName('logStreamName', input.logStreamName);
      v.range('startTime', input.startTime, 0);
      v.range('endTime', input.endTime, 0);
      v.range('limit', input.limit, 1, MAX_EVENTS);
      const g = resolveGroup(model, ctx, input, v);
      const s = g.streams.get(input.logStreamName as string);
      if (!s) throw streamNotFound();
      const evs = s.events;
      // endTime is exclusive for GetLogEvents; sequence numbers start at 1, so (t, 0) sorts before every event at t.
      const lo = input.startTime !== undefined ? s.lowerBound(input.startTime, 0) : 0;
      const hi = Math.max(lo, input.endTime !== undefined ? s.lowerBound(input.endTime, 0) : evs.length);
      const limit = input.limit ?? MAX_EVENTS;
      let from: number;
      let to: number;
      const token = input.nextToken ? parseGetToken(input.nextToken) : undefined;
      if (token?.dir === 'f') {
        from = Math.min(hi, Math.max(lo, s.lowerBound(token.ts, token.seq + 1)));
        to = Math.min(hi, from + limit);
      } else if (token?.dir === 'b') {
        to = Math.max(lo, Math.min(hi, s.lowerBound(token.ts, token.seq)));
        from = Math.max(lo, to - limit);
      } else if (input.startFromHead) {
        from = lo;
        to = Math.min(hi, lo + limit);
      } else {
        to = hi;
        from = Math.max(lo, hi - limit);
      }
      const last = to > 0 ? (evs[to - 1] as LogEvent) : undefined;
      const first = evs[from];
      const tail = evs.at(-1);
      const backward = first
        ? positionId(first.timestamp, first.seq)
        : tail
          ? positionId(tail.timestamp, tail.seq + 1)
          : positionId(0, 0);
      return {
        events: evs.slice(from, to).map((e) => ({
          timestamp: e.timestamp,
          message: e.message,
          ingestionTime: e.ingestionTime,
        })),
        nextForwardToken: `f/${last ? positionId(last.timestamp, last.seq) : positionId(0, 0)}/s`,
        nextBackwardToken: `b/${backward}/s`,
      };
    },

    FilterLogEvents(
      input: GroupRef & {
        logStreamNames?: string[];
        logStreamNamePrefix?: string;
        startTime?: number;
        endTime?: number;
        filterPattern?: string;
        nextToken?: string;
        limit?: number;
      },
      ctx: RequestContext,
    ) {
      const v = new Violations();
      v.length('logStreamNames', input.logStreamNames, 1, 100);
      for (const [i, n] of (input.logStreamNames ?? []).entries()) v.streamName(`logStreamNames.${i + 1}.member`, n);
      v.streamName('logStreamNamePrefix', input.logStreamNamePrefix, false);
      v.range('startTime', input.startTime, 0);
      v.range('endTime', input.endTime, 0);
      v.length('filterPattern', input.filterPattern, 0, 1024);
      v.range('limit', input.limit, 1, MAX_EVENTS);
      const g = resolveGroup(model, ctx, input, v);
      const { logStreamNames: names, logStreamNamePrefix: prefix } = input;
      if (names !== undefined && prefix !== undefined) {
        throw invalid('Cannot specify both logStreamNames and logStreamNamePrefix.');
      }
      const match = compileFilterPattern(input.filterPattern);
      const cursor = input.nextToken
        ? decodeToken<{ t: number; s: number }>(input.nextToken, { t: 'number', s: 'number' })
        : undefined;
      const streams = [...g.streams.values()]
        .filter((s) => (names ? names.includes(s.name) : !prefix || s.name.startsWith(prefix)))
        .sort((a, b) => (a.name < b.name ? -1 : 1));

      // Every candidate in the time range (endTime inclusive) after the cursor, in (timestamp, seq) order.
      const candidates: Array<[LogEvent, LogStream]> = [];
      for (const s of streams) {
        let i = input.startTime !== undefined ? s.lowerBound(input.startTime, 0) : 0;
        if (cursor) i = Math.max(i, s.lowerBound(cursor.t, cursor.s + 1));
        const end = input.endTime !== undefined ? s.lowerBound(input.endTime + 1, 0) : s.events.length;
        for (; i < end; i++) candidates.push([s.events[i] as LogEvent, s]);
      }
      if (streams.length > 1) candidates.sort(([a], [b]) => (before(a, b.timestamp, b.seq) ? -1 : 1));

      const limit = input.limit ?? MAX_EVENTS;
      const events: Array<ReturnType<typeof outputEvent> & { logStreamName: string }> = [];
      let more = false;
      let lastEvent: LogEvent | undefined;
      for (const [e, s] of candidates) {
        if (!match(e.message)) continue;
        if (events.length === limit) {
          more = true;
          break;
        }
        events.push({ logStreamName: s.name, ...outputEvent(e) });
        lastEvent = e;
      }
      return {
        events,
        searchedLogStreams: streams.map((s) => ({ logStreamName: s.name, searchedCompletely: true })),
        nextToken: more && lastEvent ? encodeToken({ t: lastEvent.timestamp, s: lastEvent.seq }) : undefined,
      };
    },
  };
}
