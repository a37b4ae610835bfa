import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeRuleCommand,
  ListTargetsByRuleCommand,
  PutRuleCommand,
  PutTargetsCommand,
} from '@aws-sdk/client-eventbridge';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalCloud } from '../../src/index.js';
import { sqsClient } from '../helpers.js';
import { drain, queue } from '../sns/helpers.js';
import { eventsClient } from './helpers.js';

describe('EventBridge on disk', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'events-disk-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps rules and targets across restarts, and schedules fire again', async () => {
    const first = await startLocalCloud({ clock: 'manual', persistence: 'disk', dataDir });
    const q = await queue(sqsClient(first), 'ticks');
    const eb = eventsClient(first);
    await eb.send(new PutRuleCommand({ Name: 'tick', ScheduleExpression: 'rate(1 minute)', Description: 'kept' }));
    await eb.send(new PutTargetsCommand({ Rule: 'tick', Targets: [{ Id: 'q', Arn: q.arn }] }));
    await first.stop();

    const second = await startLocalCloud({ clock: 'manual', persistence: 'disk', dataDir });
    try {
      const eb2 = eventsClient(second);
      expect((await eb2.send(new DescribeRuleCommand({ Name: 'tick' }))).Description).toBe('kept');
      expect((await eb2.send(new ListTargetsByRuleCommand({ Rule: 'tick' }))).Targets).toEqual([
        { Id: 'q', Arn: q.arn },
      ]);
      await second.clock.advance('2m');
      expect(await drain(sqsClient(second), q.url)).toHaveLength(2);
    } finally {
      await second.stop();
    }
  });
});
