import {
  type CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  DeleteLogStreamCommand,
  DeleteRetentionPolicyCommand,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  ListTagsForResourceCommand,
  ListTagsLogGroupCommand,
  PutLogEventsCommand,
  PutRetentionPolicyCommand,
  paginateDescribeLogGroups,
  TagLogGroupCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { describe, expect, it } from 'vitest';
import type { LocalCloud, ManualClock } from '../../src/index.js';
import { awsError, rawJson, useManualLogs } from '../helpers.js';

let cloud: LocalCloud<ManualClock>;
let logs: CloudWatchLogsClient;
useManualLogs((c, l) => {
  cloud = c;
  logs = l;
});

const ARN = 'arn:aws:logs:us-east-1:000000000000:log-group';

describe('CloudWatch Logs groups', () => {
  it('creates a log group and describes it with both ARN forms, creation time and zero counters', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/app/api' }));
    const { logGroups } = await logs.send(new DescribeLogGroupsCommand({}));
    expect(logGroups).toEqual([
      {
        logGroupName: '/app/api',
        arn: `${ARN}:/app/api:*`,
        logGroupArn: `${ARN}:/app/api`,
        creationTime: cloud.clock.now(),
        metricFilterCount: 0,
        storedBytes: 0,
        logGroupClass: 'STANDARD',
      },
    ]);
  });

  it('lists groups sorted by name, filtered by prefix, a page at a time', async () => {
    for (const n of ['b/2', 'a/1', 'b/1', 'c/1', 'b/3'])
      await logs.send(new CreateLogGroupCommand({ logGroupName: n }));
    const prefixed = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: 'b/' }));
    expect(prefixed.logGroups?.map((g) => g.logGroupName)).toEqual(['b/1', 'b/2', 'b/3']);
    expect(prefixed.nextToken).toBeUndefined();

    const first = await logs.send(new DescribeLogGroupsCommand({ limit: 2 }));
    expect(first.logGroups?.map((g) => g.logGroupName)).toEqual(['a/1', 'b/1']);
    expect(first.nextToken).toBeDefined();
    const names: string[] = [];
    for await (const page of paginateDescribeLogGroups({ client: logs, pageSize: 2 }, {})) {
      names.push(...(page.logGroups ?? []).map((g) => g.logGroupName as string));
    }
    expect(names).toEqual(['a/1', 'b/1', 'b/2', 'b/3', 'c/1']);
  });

  it('rejects a duplicate group with ResourceAlreadyExistsException', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'dup' }));
    const err = await awsError(() => logs.send(new CreateLogGroupCommand({ logGroupName: 'dup' })));
    expect(err).toMatchObject({
      name: 'ResourceAlreadyExistsException',
      status: 400,
      message: 'The specified log group already exists',
    });
  });

  it('answers a missing group with ResourceNotFoundException on the wire', async () => {
    const res = await rawJson(cloud, 'Logs_20140328.DeleteLogGroup', { logGroupName: 'nope' });
    expect(res.status).toBe(400);
    expect(String(res.body.__type).split('#').at(-1)).toBe('ResourceNotFoundException');
    expect(res.body.message).toBe('The specified log group does not exist.');
    const err = await awsError(() => logs.send(new DescribeLogStreamsCommand({ logGroupName: 'nope' })));
    expect(err).toMatchObject({ name: 'ResourceNotFoundException', status: 400 });
  });

  it('validates log group names with AWS validation messages', async () => {
    const bad = await awsError(() => logs.send(new CreateLogGroupCommand({ logGroupName: 'has space' })));
    expect(bad).toMatchObject({
      name: 'InvalidParameterException',
      status: 400,
      message:
        "1 validation error detected: Value 'has space' at 'logGroupName' failed to satisfy constraint: " +
        'Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+',
    });
    const reserved = await awsError(() => logs.send(new CreateLogGroupCommand({ logGroupName: 'aws/mine' })));
    expect(reserved.message).toBe('Log groups starting with AWS/ are reserved for AWS.');
  });

  it('deletes a group together with its streams and events', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'gone' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'gone', logStreamName: 's' }));
    await logs.send(new DeleteLogGroupCommand({ logGroupName: 'gone' }));
    expect((await logs.send(new DescribeLogGroupsCommand({}))).logGroups).toEqual([]);
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'gone' }));
    expect((await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'gone' }))).logStreams).toEqual([]);
  });
});

describe('CloudWatch Logs streams', () => {
  const put = (stream: string, timestamp: number) =>
    logs.send(
      new PutLogEventsCommand({ logGroupName: 'g', logStreamName: stream, logEvents: [{ timestamp, message: 'm' }] }),
    );

  it('describes streams with event times, ingestion time, token and ARN', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 'web-1' }));
    const now = cloud.clock.now();
    await put('web-1', now - 5000);
    await put('web-1', now - 1000);
    const { logStreams } = await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'g' }));
    expect(logStreams).toEqual([
      {
        logStreamName: 'web-1',
        creationTime: now,
        firstEventTimestamp: now - 5000,
        lastEventTimestamp: now - 1000,
        lastIngestionTime: now,
        uploadSequenceToken: expect.stringMatching(/^\d{56}$/),
        arn: `${ARN}:g:log-stream:web-1`,
        storedBytes: 0,
      },
    ]);
  });

  it('orders streams by name or last event time, ascending or descending, a page at a time', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    const now = cloud.clock.now();
    for (const [name, t] of [
      ['c', 1],
      ['a', 3],
      ['b', 2],
    ] as const) {
      await logs.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: name }));
      await put(name, now - 10_000 + t);
    }
    const names = async (input: object) =>
      (await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'g', ...input }))).logStreams?.map(
        (s) => s.logStreamName,
      );
    expect(await names({})).toEqual(['a', 'b', 'c']);
    expect(await names({ descending: true })).toEqual(['c', 'b', 'a']);
    expect(await names({ orderBy: 'LastEventTime' })).toEqual(['c', 'b', 'a']);
    expect(await names({ orderBy: 'LastEventTime', descending: true })).toEqual(['a', 'b', 'c']);
    expect(await names({ logStreamNamePrefix: 'b' })).toEqual(['b']);

    const page1 = await logs.send(new DescribeLogStreamsCommand({ logGroupName: 'g', limit: 2 }));
    expect(page1.logStreams?.map((s) => s.logStreamName)).toEqual(['a', 'b']);
    const page2 = await logs.send(
      new DescribeLogStreamsCommand({ logGroupName: 'g', limit: 2, nextToken: page1.nextToken }),
    );
    expect(page2.logStreams?.map((s) => s.logStreamName)).toEqual(['c']);
    expect(page2.nextToken).toBeUndefined();
  });

  it('refuses to order by LastEventTime with a prefix', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    const err = await awsError(() =>
      logs.send(
        new DescribeLogStreamsCommand({ logGroupName: 'g', orderBy: 'LastEventTime', logStreamNamePrefix: 'x' }),
      ),
    );
    expect(err).toMatchObject({
      name: 'InvalidParameterException',
      status: 400,
      message: 'Cannot order by LastEventTime with a logStreamNamePrefix.',
    });
  });

  it('rejects duplicate and missing streams, and deletes a stream', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'g' }));
    await logs.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 's' }));
    const dup = await awsError(() => logs.send(new CreateLogStreamCommand({ logGroupName: 'g', logStreamName: 's' })));
    expect(dup).toMatchObject({
      name: 'ResourceAlreadyExistsException',
      message: 'The specified log stream already exists',
    });
    const noGroup = await awsError(() =>
      logs.send(new CreateLogStreamCommand({ logGroupName: 'other', logStreamName: 's' })),
    );
    expect(noGroup.message).toBe('The specified log group does not exist.');
    await logs.send(new DeleteLogStreamCommand({ logGroupName: 'g', logStreamName: 's' }));
    const missing = await awsError(() =>
      logs.send(new DeleteLogStreamCommand({ logGroupName: 'g', logStreamName: 's' })),
    );
    expect(missing).toMatchObject({
      name: 'ResourceNotFoundException',
      status: 400,
      message: 'The specified log stream does not exist.',
    });
  });
});

describe('CloudWatch Logs retention policies and tags', () => {
  it('sets and removes a retention policy', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'r' }));
    await logs.send(new PutRetentionPolicyCommand({ logGroupName: 'r', retentionInDays: 1096 }));
    const [g] = (await logs.send(new DescribeLogGroupsCommand({}))).logGroups ?? [];
    expect(g?.retentionInDays).toBe(1096);
    await logs.send(new DeleteRetentionPolicyCommand({ logGroupName: 'r' }));
    const [h] = (await logs.send(new DescribeLogGroupsCommand({}))).logGroups ?? [];
    expect(h?.retentionInDays).toBeUndefined();
  });

  it('rejects retention values AWS does not offer', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 'r' }));
    const err = await awsError(() =>
      logs.send(new PutRetentionPolicyCommand({ logGroupName: 'r', retentionInDays: 2 })),
    );
    expect(err).toMatchObject({
      name: 'InvalidParameterException',
      status: 400,
      message:
        "1 validation error detected: Value '2' at 'retentionInDays' failed to satisfy constraint: Member must " +
        'satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, ' +
        '2557, 2922, 3288, 3653]',
    });
    const missing = await awsError(() =>
      logs.send(new PutRetentionPolicyCommand({ logGroupName: 'none', retentionInDays: 7 })),
    );
    expect(missing.name).toBe('ResourceNotFoundException');
  });

  it('tags a group by ARN and by name, and untags it', async () => {
    await logs.send(new CreateLogGroupCommand({ logGroupName: 't', tags: { team: 'a' } }));
    const resourceArn = `${ARN}:t`;
    await logs.send(new TagResourceCommand({ resourceArn, tags: { env: 'dev' } }));
    await logs.send(new TagLogGroupCommand({ logGroupName: 't', tags: { owner: 'me' } }));
    expect((await logs.send(new ListTagsForResourceCommand({ resourceArn }))).tags).toEqual({
      team: 'a',
      env: 'dev',
      owner: 'me',
    });
    await logs.send(new UntagResourceCommand({ resourceArn, tagKeys: ['team', 'owner'] }));
    expect((await logs.send(new ListTagsLogGroupCommand({ logGroupName: 't' }))).tags).toEqual({ env: 'dev' });
    const err = await awsError(() => logs.send(new ListTagsForResourceCommand({ resourceArn: `${ARN}:missing` })));
    expect(err.name).toBe('ResourceNotFoundException');
  });
});
