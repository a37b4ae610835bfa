import {
  type CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  paginateFilterLogEvents,
} from '@aws-sdk/client-cloudwatch-logs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { LocalCloud, ManualClock } from '../../src/index.js';
import { awsError, useManualLogs } from '../helpers.js';

let cloud: LocalCloud<ManualClock>;
let logs: CloudWatchLogsClient;
useManualLogs((c, l) => {
  cloud = c;
  logs = l;
});

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let now: number;

async function stream(name: string, group = 'app') {
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: name }));
}
function put(name: string, events: Array<[number, string]>, group = 'app') {
  return logs.send(
    new PutLogEventsCommand({
      logGroupName: group,
      logStreamName: name,
      logEvents: events.map(([timestamp, message]) => ({ timestamp, message })),
    }),
  );
}
const messages = (r: { events?: Array<{ message?: string }> }) => r.events?.map((e) => e.message);

beforeEach(async () => {
  now = cloud.clock.now();
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'app' }));
});

describe('PutLogEvents', () => {
  it('stores a batch and returns a sequence token', async () => {
    await stream('s');
    const res = await put('s', [
      [now - 2000, 'one'],
      [now - 1000, 'two'],
    ]);
    expect(res.nextSequenceToken).toMatch(/^\d{56}$/);
    expect(res.rejectedLogEventsInfo).toBeUndefined();
    const got = await logs.send(new GetLogEventsCommand({ logGroupName: 'app', logStreamName: 's' }));
    expect(got.events).toEqual([
      { timestamp: now - 2000, message: 'one', ingestionTime: now },
      { timestamp: now - 1000, message: 'two', ingestionTime: now },
    ]);
  });

  it('rejects a batch that is not in chronological order', async () => {
    await stream('s');
    const err = await awsError(() =>
      put('s', [
        [now, 'late'],
        [now - 1, 'early'],
      ]),
    );
    expect(err).toMatchObject({
      name: 'InvalidParameterException',
      status: 400,
      message: 'Log events in a single PutLogEvents request must be in chronological order.',
    });
  });

  it('rejects more than 10,000 events and an empty batch', async () => {
    await stream('s');
    const many = Array.from({ length: 10_001 }, (_, i): [number, string] => [now, `m${i}`]);
    const tooMany = await awsError(() => put('s', many));
    expect(tooMany.name).toBe('InvalidParameterException');
    expect(tooMany.message).toMatch(
      /^1 validation error detected: Value .* at 'logEvents' failed to satisfy constraint: Member must have length less than or equal to 10000$/,
    );
    const empty = await awsError(() => put('s', []));
    expect(empty.message).toBe(
      "1 validation error detected: Value '[]' at 'logEvents' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  it('reports events more than 14 days old or 2 hours ahead in rejectedLogEventsInfo and keeps the rest', async () => {
    await stream('s');
    const res = await put('s', [
      [now - 15 * DAY, 'ancient'],
      [now - 14 * DAY - 1, 'just too old'],
      [now - HOUR, 'ok 1'],
      [now + HOUR, 'ok 2'],
      [now + 2 * HOUR + 1, 'too new'],
    ]);
    expect(res.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 2, tooNewLogEventStartIndex: 4 });
    const got = await logs.send(new GetLogEventsCommand({ logGroupName: 'app', logStreamName: 's' }));
    expect(messages(got)).toEqual(['ok 1', 'ok 2']);
  });

  it('rejects a batch whose accepted events span more than 24 hours', async () => {
    await stream('s');
    const err = await awsError(() =>
      put('s', [
        [now - 25 * HOUR, 'a'],
        [now, 'b'],
      ]),
    );
    expect(err.message).toBe(
      'The batch of log events in a single PutLogEvents request cannot span more than 24 hours.',
    );
  });

  it('needs an existing stream', async () => {
    const err = await awsError(() => put('nope', [[now, 'x']]));
    expect(err).toMatchObject({
      name: 'ResourceNotFoundException',
      status: 400,
      message: 'The specified log stream does not exist.',
    });
  });
});

describe('GetLogEvents', () => {
  beforeEach(async () => {
    await stream('s');
    await put(
      's',
      Array.from({ length: 10 }, (_, i): [number, string] => [now - 10_000 + i * 1000, `e${i}`]),
    );
  });

  it('returns the latest events by default and the earliest with startFromHead', async () => {
    const tail = await logs.send(new GetLogEventsCommand({ logGroupName: 'app', logStreamName: 's', limit: 3 }));
    expect(messages(tail)).toEqual(['e7', 'e8', 'e9']);
    const head = await logs.send(
      new GetLogEventsCommand({ logGroupName: 'app', logStreamName: 's', limit: 3, startFromHead: true }),
    );
    expect(messages(head)).toEqual(['e0', 'e1', 'e2']);
  });

  it('pages forward with nextForwardToken until the same token comes back', async () => {
    const seen: string[] = [];
    let token: string | undefined;
    for (let i = 0; i < 10; i++) {
      const page = await logs.send(
        new GetLogEventsCommand({
          logGroupName: 'app',
          logStreamName: 's',
          limit: 4,
          startFromHead: true,
          nextToken: token,
        }),
      );
      expect(page.nextForwardToken).toMatch(/^f\/\d{56}\/s$/);
      expect(page.nextBackwardToken).toMatch(/^b\/\d{56}\/s$/);
      seen.push(...(messages(page) as string[]));
      if (page.nextForwardToken === token) break;
      token = page.nextForwardToken;
    }
    expect(seen).toEqual(['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7', 'e8', 'e9']);

    // Events that arrive later are picked up by the last forward token.
    await put('s', [[now, 'e10']]);
    const more = await logs.send(
      new GetLogEventsCommand({ logGroupName: 'app', logStreamName: 's', startFromHead: true, nextToken: token }),
    );
    expect(messages(more)).toEqual(['e10']);
  });

  it('pages backward with nextBackwardToken', async () => {
    const last = await logs.send(new GetLogEventsCommand({ logGroupName: 'app', logStreamName: 's', limit: 4 }));
    expect(messages(last)).toEqual(['e6', 'e7', 'e8', 'e9']);
    const prev = await logs.send(
      new GetLogEventsCommand({ logGroupName: 'app', logStreamName: 's', limit: 4, nextToken: last.nextBackwardToken }),
    );
    expect(messages(prev)).toEqual(['e2', 'e3', 'e4', 'e5']);
    const first = await logs.send(
      new GetLogEventsCommand({ logGroupName: 'app', logStreamName: 's', limit: 4, nextToken: prev.nextBackwardToken }),
    );
    expect(messages(first)).toEqual(['e0', 'e1']);
    const none = await logs.send(
      new GetLogEventsCommand({ logGroupName: 'app', logStreamName: 's', nextToken: first.nextBackwardToken }),
    );
    expect(none.events).toEqual([]);
    expect(none.nextBackwardToken).toBe(first.nextBackwardToken);
  });

  it('includes startTime and excludes endTime', async () => {
    const res = await logs.send(
      new GetLogEventsCommand({
        logGroupName: 'app',
        logStreamName: 's',
        startTime: now - 8000,
        endTime: now - 5000,
        startFromHead: true,
      }),
    );
    expect(messages(res)).toEqual(['e2', 'e3', 'e4']);
  });

  it('finds the group by logGroupIdentifier ARN and rejects a bad token', async () => {
    const res = await logs.send(
      new GetLogEventsCommand({
        logGroupIdentifier: 'arn:aws:logs:us-east-1:000000000000:log-group:app',
        logStreamName: 's',
        limit: 1,
      }),
    );
    expect(messages(res)).toEqual(['e9']);
    const err = await awsError(() =>
      logs.send(new GetLogEventsCommand({ logGroupName: 'app', logStreamName: 's', nextToken: 'garbage' })),
    );
    expect(err).toMatchObject({ name: 'InvalidParameterException', message: 'The specified nextToken is invalid.' });
  });
});

describe('FilterLogEvents', () => {
  beforeEach(async () => {
    await stream('a');
    await stream('b');
    await stream('other');
    await put('a', [
      [now - 5000, 'a1'],
      [now - 3000, 'a2'],
      [now - 1000, 'a3'],
    ]);
    await put('b', [
      [now - 4000, 'b1'],
      [now - 2000, 'b2'],
    ]);
    await put('other', [[now - 4500, 'o1']]);
  });

  it('interleaves events of every stream by timestamp with stream names, ids and searched streams', async () => {
    const res = await logs.send(new FilterLogEventsCommand({ logGroupName: 'app' }));
    expect(messages(res)).toEqual(['a1', 'o1', 'b1', 'a2', 'b2', 'a3']);
    expect(res.events?.[0]).toEqual({
      logStreamName: 'a',
      timestamp: now - 5000,
      message: 'a1',
      ingestionTime: now,
      eventId: expect.stringMatching(/^\d{56}$/),
    });
    expect(new Set(res.events?.map((e) => e.eventId)).size).toBe(6);
    expect(res.searchedLogStreams).toEqual([
      { logStreamName: 'a', searchedCompletely: true },
      { logStreamName: 'b', searchedCompletely: true },
      { logStreamName: 'other', searchedCompletely: true },
    ]);
    expect(res.nextToken).toBeUndefined();
  });

  it('restricts by stream names, stream prefix and an inclusive time range', async () => {
    const named = await logs.send(new FilterLogEventsCommand({ logGroupName: 'app', logStreamNames: ['b', 'other'] }));
    expect(messages(named)).toEqual(['o1', 'b1', 'b2']);
    const prefixed = await logs.send(new FilterLogEventsCommand({ logGroupName: 'app', logStreamNamePrefix: 'o' }));
    expect(messages(prefixed)).toEqual(['o1']);
    const ranged = await logs.send(
      new FilterLogEventsCommand({ logGroupName: 'app', startTime: now - 4000, endTime: now - 2000 }),
    );
    expect(messages(ranged)).toEqual(['b1', 'a2', 'b2']);
  });

  it('pages with limit and nextToken, and the paginator collects everything', async () => {
    const first = await logs.send(new FilterLogEventsCommand({ logGroupName: 'app', limit: 4 }));
    expect(messages(first)).toEqual(['a1', 'o1', 'b1', 'a2']);
    const second = await logs.send(
      new FilterLogEventsCommand({ logGroupName: 'app', limit: 4, nextToken: first.nextToken }),
    );
    expect(messages(second)).toEqual(['b2', 'a3']);
    expect(second.nextToken).toBeUndefined();
    const all: string[] = [];
    for await (const page of paginateFilterLogEvents({ client: logs, pageSize: 2 }, { logGroupName: 'app' })) {
      all.push(...(messages(page) as string[]));
    }
    expect(all).toEqual(['a1', 'o1', 'b1', 'a2', 'b2', 'a3']);
  });

  it('rejects both logStreamNames and logStreamNamePrefix, and a missing group', async () => {
    const both = await awsError(() =>
      logs.send(new FilterLogEventsCommand({ logGroupName: 'app', logStreamNames: ['a'], logStreamNamePrefix: 'a' })),
    );
    expect(both).toMatchObject({ name: 'InvalidParameterException', status: 400 });
    const missing = await awsError(() => logs.send(new FilterLogEventsCommand({ logGroupName: 'none' })));
    expect(missing).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'The specified log group does not exist.',
    });
  });
});
