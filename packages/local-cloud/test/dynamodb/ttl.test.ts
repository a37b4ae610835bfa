import {
  DescribeTimeToLiveCommand,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { awsError } from '../helpers.js';
import { createTable, tableInput, useDynamo } from './helpers.js';

const env = useDynamo();
const T = 'sessions';

describe('Time to Live', () => {
  it('enables TTL, reports it, and rejects enabling it twice', async () => {
    await createTable(env.ddb, tableInput(T, { hashOnly: true }));
    expect((await env.ddb.send(new DescribeTimeToLiveCommand({ TableName: T }))).TimeToLiveDescription).toEqual({
      TimeToLiveStatus: 'DISABLED',
    });
    const out = await env.ddb.send(
      new UpdateTimeToLiveCommand({ TableName: T, TimeToLiveSpecification: { AttributeName: 'exp', Enabled: true } }),
    );
    expect(out.TimeToLiveSpecification).toEqual({ AttributeName: 'exp', Enabled: true });
    expect((await env.ddb.send(new DescribeTimeToLiveCommand({ TableName: T }))).TimeToLiveDescription).toEqual({
      TimeToLiveStatus: 'ENABLED',
      AttributeName: 'exp',
    });
    const err = await awsError(() =>
      env.ddb.send(
        new UpdateTimeToLiveCommand({ TableName: T, TimeToLiveSpecification: { AttributeName: 'exp', Enabled: true } }),
      ),
    );
    expect(err.message).toBe('TimeToLive is already enabled');
  });

  it('deletes expired items when the clock moves past their TTL, keeping the rest', async () => {
    await createTable(env.ddb, tableInput(T, { hashOnly: true }));
    await env.ddb.send(
      new UpdateTimeToLiveCommand({ TableName: T, TimeToLiveSpecification: { AttributeName: 'exp', Enabled: true } }),
    );
    const now = Math.floor(env.cloud.clock.now() / 1000);
    const put = (pk: string, exp?: { N: string } | { S: string }) =>
      env.ddb.send(new PutItemCommand({ TableName: T, Item: { pk: { S: pk }, ...(exp ? { exp } : {}) } }));
    await put('soon', { N: String(now + 60) });
    await put('later', { N: String(now + 3600) });
    await put('never');
    await put('text', { S: String(now) });
    await put('ancient', { N: String(now - 6 * 365 * 86400) });
    // Expired but not yet swept: still visible, as on AWS.
    await env.cloud.clock.advance(1000);
    expect((await env.ddb.send(new GetItemCommand({ TableName: T, Key: { pk: { S: 'soon' } } }))).Item).toBeDefined();
    await env.cloud.clock.advance('2m');
    const left = await env.ddb.send(new ScanCommand({ TableName: T }));
    expect((left.Items ?? []).map((i) => i.pk?.S).sort()).toEqual(['ancient', 'later', 'never', 'text']);
    await env.cloud.clock.advance('1h');
    const last = await env.ddb.send(new ScanCommand({ TableName: T }));
    expect((last.Items ?? []).map((i) => i.pk?.S).sort()).toEqual(['ancient', 'never', 'text']);
  });
});
