import {
  DeleteRuleCommand,
  DescribeRuleCommand,
  type EventBridgeClient,
  ListRuleNamesByTargetCommand,
  ListRulesCommand,
  ListTagsForResourceCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
  RemoveTargetsCommand,
  TagResourceCommand,
  TestEventPatternCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { LocalCloud, ManualClock } from '../../src/index.js';
import { awsError, rawJson, startManual } from '../helpers.js';
import { eventsClient } from './helpers.js';

let cloud: LocalCloud<ManualClock>;
let eb: EventBridgeClient;
const QUEUE = 'arn:aws:sqs:us-east-1:000000000000:q';

beforeAll(async () => {
  cloud = await startManual();
  eb = eventsClient(cloud);
});
afterAll(() => cloud.stop());
beforeEach(() => cloud.reset());

describe('rules', () => {
  it('are created, described, listed by prefix and paged', async () => {
    const { RuleArn } = await eb.send(
      new PutRuleCommand({ Name: 'nightly', ScheduleExpression: 'cron(0 2 * * ? *)', Description: 'backup' }),
    );
    expect(RuleArn).toBe(`arn:aws:events:us-east-1:${cloud.accountId}:rule/nightly`);
    await eb.send(new PutRuleCommand({ Name: 'orders', EventPattern: '{"source":["shop"]}', State: 'DISABLED' }));
    await eb.send(new PutRuleCommand({ Name: 'nightly-2', ScheduleExpression: 'rate(1 day)' }));
    const d = await eb.send(new DescribeRuleCommand({ Name: 'nightly' }));
    expect(d).toMatchObject({
      Name: 'nightly',
      Arn: RuleArn,
      ScheduleExpression: 'cron(0 2 * * ? *)',
      State: 'ENABLED',
      Description: 'backup',
      EventBusName: 'default',
      CreatedBy: cloud.accountId,
    });
    const all = await eb.send(new ListRulesCommand({}));
    expect(all.Rules?.map((r) => [r.Name, r.State])).toEqual([
      ['nightly', 'ENABLED'],
      ['nightly-2', 'ENABLED'],
      ['orders', 'DISABLED'],
    ]);
    const first = await eb.send(new ListRulesCommand({ NamePrefix: 'night', Limit: 1 }));
    expect(first.Rules?.map((r) => r.Name)).toEqual(['nightly']);
    const second = await eb.send(new ListRulesCommand({ NamePrefix: 'night', Limit: 1, NextToken: first.NextToken }));
    expect(second.Rules?.map((r) => r.Name)).toEqual(['nightly-2']);
    expect(second.NextToken).toBeUndefined();
  });

  it('reject bad schedule expressions, bad patterns and rules with neither', async () => {
    for (const expr of ['rate(1 minutes)', 'cron(0 12 * * * *)', 'every day']) {
      const err = await awsError(() => eb.send(new PutRuleCommand({ Name: 'r', ScheduleExpression: expr })));
      expect([err.name, err.message, err.status]).toEqual([
        'ValidationException',
        'Parameter ScheduleExpression is not valid.',
        400,
      ]);
    }
    const pattern = await awsError(() => eb.send(new PutRuleCommand({ Name: 'r', EventPattern: '{"source":"x"}' })));
    expect(pattern.name).toBe('InvalidEventPatternException');
    expect(pattern.message).toMatch(/^Event pattern is not valid\. Reason: /);
    const neither = await awsError(() => eb.send(new PutRuleCommand({ Name: 'r' })));
    expect(neither.name).toBe('ValidationException');
    const name = await awsError(() =>
      eb.send(new PutRuleCommand({ Name: 'bad name', ScheduleExpression: 'rate(1 day)' })),
    );
    expect(name.message).toBe(
      "1 validation error detected: Value 'bad name' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+",
    );
  });

  it('name a missing rule in ResourceNotFoundException', async () => {
    const err = await awsError(() => eb.send(new DescribeRuleCommand({ Name: 'ghost' })));
    expect([err.name, err.message]).toEqual([
      'ResourceNotFoundException',
      'Rule ghost does not exist on EventBus default.',
    ]);
    const targets = await awsError(() =>
      eb.send(new PutTargetsCommand({ Rule: 'ghost', Targets: [{ Id: 'a', Arn: QUEUE }] })),
    );
    expect(targets.message).toBe('Rule ghost does not exist on EventBus default.');
    const bus = await awsError(() => eb.send(new ListRulesCommand({ EventBusName: 'custom' })));
    expect([bus.name, bus.message]).toEqual(['ResourceNotFoundException', 'Event bus custom does not exist.']);
  });

  it('cannot be deleted while they have targets', async () => {
    await eb.send(new PutRuleCommand({ Name: 'r', ScheduleExpression: 'rate(1 hour)' }));
    await eb.send(new PutTargetsCommand({ Rule: 'r', Targets: [{ Id: 'a', Arn: QUEUE }] }));
    const err = await awsError(() => eb.send(new DeleteRuleCommand({ Name: 'r' })));
    expect([err.name, err.message]).toEqual(['ValidationException', "Rule can't be deleted since it has targets."]);
    await eb.send(new RemoveTargetsCommand({ Rule: 'r', Ids: ['a'] }));
    await eb.send(new DeleteRuleCommand({ Name: 'r' }));
    expect((await awsError(() => eb.send(new DescribeRuleCommand({ Name: 'r' })))).name).toBe(
      'ResourceNotFoundException',
    );
  });
});

describe('targets', () => {
  it('are listed by rule, found by ARN, and replaced by Id', async () => {
    await eb.send(new PutRuleCommand({ Name: 'a', ScheduleExpression: 'rate(1 hour)' }));
    await eb.send(new PutRuleCommand({ Name: 'b', EventPattern: '{"source":["x"]}' }));
    await eb.send(new PutTargetsCommand({ Rule: 'a', Targets: [{ Id: 't', Arn: QUEUE, Input: '{"v":1}' }] }));
    await eb.send(new PutTargetsCommand({ Rule: 'a', Targets: [{ Id: 't', Arn: QUEUE, Input: '{"v":2}' }] }));
    await eb.send(new PutTargetsCommand({ Rule: 'b', Targets: [{ Id: 'q', Arn: QUEUE, InputPath: '$.detail' }] }));
    const list = await eb.send(new ListTargetsByRuleCommand({ Rule: 'a' }));
    expect(list.Targets).toEqual([{ Id: 't', Arn: QUEUE, Input: '{"v":2}' }]);
    const names = await eb.send(new ListRuleNamesByTargetCommand({ TargetArn: QUEUE }));
    expect(names.RuleNames).toEqual(['a', 'b']);
  });

  it('reject Input together with InputPath, and more than five per rule', async () => {
    await eb.send(new PutRuleCommand({ Name: 'a', ScheduleExpression: 'rate(1 hour)' }));
    const both = await awsError(() =>
      eb.send(new PutTargetsCommand({ Rule: 'a', Targets: [{ Id: 't', Arn: QUEUE, Input: '{}', InputPath: '$' }] })),
    );
    expect(both.name).toBe('ValidationException');
    const six = Array.from({ length: 6 }, (_, i) => ({ Id: `t${i}`, Arn: QUEUE }));
    const err = await awsError(() => eb.send(new PutTargetsCommand({ Rule: 'a', Targets: six })));
    expect(err.name).toBe('LimitExceededException');
  });
});

describe('tags and patterns', () => {
  it('tags rules by ARN', async () => {
    const { RuleArn } = await eb.send(
      new PutRuleCommand({ Name: 'tagged', ScheduleExpression: 'rate(1 day)', Tags: [{ Key: 'team', Value: 'a' }] }),
    );
    await eb.send(new TagResourceCommand({ ResourceARN: RuleArn, Tags: [{ Key: 'env', Value: 'dev' }] }));
    await eb.send(new UntagResourceCommand({ ResourceARN: RuleArn, TagKeys: ['team'] }));
    expect((await eb.send(new ListTagsForResourceCommand({ ResourceARN: RuleArn }))).Tags).toEqual([
      { Key: 'env', Value: 'dev' },
    ]);
  });

  it('TestEventPattern answers whether an event matches', async () => {
    const event = JSON.stringify({
      id: '1',
      account: '000000000000',
      source: 'shop',
      time: '2026-01-01T00:00:00Z',
      region: 'us-east-1',
      'detail-type': 'Order',
      resources: [],
      detail: { total: 120 },
    });
    const yes = await eb.send(
      new TestEventPatternCommand({ Event: event, EventPattern: '{"detail":{"total":[{"numeric":[">",100]}]}}' }),
    );
    const no = await eb.send(new TestEventPatternCommand({ Event: event, EventPattern: '{"source":["other"]}' }));
    expect([yes.Result, no.Result]).toEqual([true, false]);
  });

  it('answers an unknown operation with UnknownOperationException over raw JSON', async () => {
    const res = await rawJson(cloud, 'AWSEvents.Nope', {}, 'events');
    expect(res.status).toBe(400);
    expect(String(res.body.__type)).toContain('UnknownOperationException');
  });
});
