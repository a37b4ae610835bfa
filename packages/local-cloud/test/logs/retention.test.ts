import {
  type CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DescribeLogGroupsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { LocalCloud, ManualClock } from '../../src/index.js';
import { useManualLogs } from '../helpers.js';

let cloud: LocalCloud<ManualClock>;
let logs: CloudWatchLogsClient;
useManualLogs((c, l) => {
  cloud = c;
  logs = l;
});

const DAY = 86_400_000;

beforeEach(async () => {
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'r' }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: 'r', logStreamName: 's' }));
});

const put = (events: Array<[number, string]>) =>
  logs.send(
    new PutLogEventsCommand({
      logGroupName: 'r',
      logStreamName: 's',
      logEvents: events.map(([timestamp, message]) => ({ timestamp, message })),
    }),
  );
const all = async () =>
  (await logs.send(new FilterLogEventsCommand({ logGroupName: 'r' }))).events?.map((e) => e.message);
const storedBytes = async () => (await logs.send(new DescribeLogGroupsCommand({}))).logGroups?.[0]?.storedBytes;

describe('CloudWatch Logs retention', () => {
  it('deletes events once they are older than the retention period on the clock', async () => {
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'r', retentionInDays: 1 }));
    const t0 = cloud.clock.now();
    await put([[t0, 'first']]);
    await cloud.clock.advance('12h');
    await put([[t0 + DAY / 2, 'second']]);
    expect(await all()).toEqual(['first', 'second']);
    expect(await storedBytes()).toBe(11);

    await cloud.clock.advance('12h');
    expect(await all()).toEqual(['first', 'second']);
    await cloud.clock.advance(1);
    expect(await all()).toEqual(['second']);
    expect(await storedBytes()).toBe(6);
    const got = await logs.send(new GetLogEventsCommand({ logGroupName: 'r', logStreamName: 's' }));
    expect(got.events?.map((e) => e.message)).toEqual(['second']);

    await cloud.clock.advance('1d');
    expect(await all()).toEqual([]);
    expect(await storedBytes()).toBe(0);
  });

  it('applies a shorter retention to events already stored', async () => {
    const t0 = cloud.clock.now();
    await put([
      [t0 - 3 * DAY, 'old'],
      [t0 - 3 * DAY + 1, 'old too'],
    ]);
    await put([[t0, 'new']]);
    expect(await all()).toEqual(['old', 'old too', 'new']);
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'r', retentionInDays: 1 }));
    expect(await all()).toEqual(['new']);
  });

  it('rejects events that precede the retention period as expired', async () => {
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'r', retentionInDays: 1 }));
    const now = cloud.clock.now();
    const res = await put([
      [now - 20 * DAY, 'too old'],
      [now - 2 * DAY, 'expired'],
      [now - DAY / 2, 'kept'],
    ]);
    expect(res.rejectedLogEventsInfo).toEqual({ tooOldLogEventEndIndex: 1, expiredLogEventEndIndex: 2 });
    expect(await all()).toEqual(['kept']);
  });
});
