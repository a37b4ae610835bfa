import {
  type CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  FilterLogEventsCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { LocalCloud, ManualClock } from '../../src/index.js';
import { compileFilterPattern } from '../../src/services/logs/index.js';
import { awsError, useManualLogs } from '../helpers.js';

let cloud: LocalCloud<ManualClock>;
let logs: CloudWatchLogsClient;
useManualLogs((c, l) => {
  cloud = c;
  logs = l;
});

const LINES = [
  '[ERROR 400] BAD REQUEST',
  '[ERROR 419] MISSING ARGUMENTS',
  '[WARN] disk almost full',
  'INFO request served',
  '{"level":"ERROR","latency":250,"user":{"id":1,"tags":["a","b"]},"ok":false,"note":null}',
  '{"level":"INFO","latency":12,"user":{"id":2,"tags":[]},"ok":true}',
  '{"level":"WARN","latency":100,"service":"billing-api"}',
];

beforeEach(async () => {
  await logs.send(new CreateLogGroupCommand({ logGroupName: 'f' }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: 'f', logStreamName: 's' }));
  const t = cloud.clock.now() - LINES.length;
  await logs.send(
    new PutLogEventsCommand({
      logGroupName: 'f',
      logStreamName: 's',
      logEvents: LINES.map((message, i) => ({ timestamp: t + i, message })),
    }),
  );
});

async function filter(filterPattern: string): Promise<number[]> {
  const res = await logs.send(new FilterLogEventsCommand({ logGroupName: 'f', filterPattern }));
  return (res.events ?? []).map((e) => LINES.indexOf(e.message as string));
}

describe('FilterLogEvents filter patterns', () => {
  it('matches everything with an empty pattern', async () => {
    expect(await filter('')).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('requires every plain term, case-sensitively', async () => {
    expect(await filter('ERROR')).toEqual([0, 1, 4]);
    expect(await filter('ERROR ARGUMENTS')).toEqual([1]);
    expect(await filter('error')).toEqual([]);
  });

  it('matches a quoted phrase exactly', async () => {
    expect(await filter('"disk almost full"')).toEqual([2]);
    expect(await filter('"almost disk"')).toEqual([]);
  });

  it('matches any of the ?terms', async () => {
    expect(await filter('?WARN ?INFO')).toEqual([2, 3, 5, 6]);
  });

  it('excludes -terms', async () => {
    expect(await filter('ERROR -ARGUMENTS')).toEqual([0, 4]);
  });

  it('compares JSON fields with = and != (string wildcards allowed)', async () => {
    expect(await filter('{ $.level = "ERROR" }')).toEqual([4]);
    expect(await filter('{ $.level != "ERROR" }')).toEqual([5, 6]);
    expect(await filter('{ $.service = billing* }')).toEqual([6]);
  });

  it('compares JSON numbers with <, >, <= and >=', async () => {
    expect(await filter('{ $.latency > 100 }')).toEqual([4]);
    expect(await filter('{ $.latency >= 100 }')).toEqual([4, 6]);
    expect(await filter('{ $.latency < 100 }')).toEqual([5]);
    expect(await filter('{ $.latency <= 100 }')).toEqual([5, 6]);
  });

  it('combines JSON conditions with &&, || and parentheses, and reads nested fields and arrays', async () => {
    expect(await filter('{ $.level = "ERROR" || $.level = "WARN" }')).toEqual([4, 6]);
    expect(await filter('{ ($.level = "INFO" || $.level = "ERROR") && $.latency > 20 }')).toEqual([4]);
    expect(await filter('{ $.user.id = 2 }')).toEqual([5]);
    expect(await filter('{ $.user.tags[1] = "b" }')).toEqual([4]);
  });

  it('tests JSON nulls, booleans and missing fields', async () => {
    expect(await filter('{ $.note IS NULL }')).toEqual([4]);
    expect(await filter('{ $.ok IS TRUE }')).toEqual([5]);
    expect(await filter('{ $.ok IS FALSE }')).toEqual([4]);
    expect(await filter('{ $.user NOT EXISTS }')).toEqual([6]);
  });

  it('matches a %regex%', async () => {
    expect(await filter('%ERROR 4[01]9%')).toEqual([1]);
  });

  it('rejects a malformed JSON pattern with InvalidParameterException', async () => {
    const err = await awsError(() =>
      logs.send(new FilterLogEventsCommand({ logGroupName: 'f', filterPattern: '{ $.a = ' })),
    );
    expect(err).toMatchObject({ name: 'InvalidParameterException', status: 400 });
  });
});

describe('filter pattern terms', () => {
  it('match whole words, not parts of longer words', () => {
    const m = compileFilterPattern('ERROR');
    expect(m('ERROR: boom')).toBe(true);
    expect(m('an ERROR_CODE')).toBe(true);
    expect(m('ERRORS everywhere')).toBe(false);
    expect(m('NOERROR')).toBe(false);
  });

  it('mix required, optional and excluded terms', () => {
    const m = compileFilterPattern('GET ?200 ?304 -health');
    expect(m('GET /a 200')).toBe(true);
    expect(m('GET /a 500')).toBe(false);
    expect(m('GET /health 200')).toBe(false);
  });

  it('never match a non-JSON message with a JSON pattern', () => {
    expect(compileFilterPattern('{ $.a NOT EXISTS }')('plain text')).toBe(false);
  });
});
