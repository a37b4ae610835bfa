import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeAlarmHistoryCommand,
  DescribeAlarmsCommand,
  ListTagsForResourceCommand,
  SetAlarmStateCommand,
} from '@aws-sdk/client-cloudwatch';
import { CreateQueueCommand, PurgeQueueCommand } from '@aws-sdk/client-sqs';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalCloud } from '../../src/index.js';
import { sqsClient } from '../helpers.js';
import { cloudWatchClient, queueAlarm } from './helpers.js';

describe('CloudWatch on disk', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cloudwatch-disk-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps alarms, their state, tags and history across restarts, and evaluates them again', async () => {
    const first = await startLocalCloud({ clock: 'manual', persistence: 'disk', dataDir });
    const { QueueUrl } = await sqsClient(first).send(new CreateQueueCommand({ QueueName: 'kept' }));
    await cloudWatchClient(first).send(queueAlarm('kept', 'kept', { Tags: [{ Key: 'k', Value: 'v' }] }));
    await cloudWatchClient(first).send(
      new SetAlarmStateCommand({ AlarmName: 'kept', StateValue: 'ALARM', StateReason: 'set by hand' }),
    );
    await first.stop();

    const second = await startLocalCloud({ clock: 'manual', persistence: 'disk', dataDir });
    try {
      const cw = cloudWatchClient(second);
      const [alarm] = (await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? [];
      expect([alarm?.AlarmName, alarm?.StateValue, alarm?.StateReason]).toEqual(['kept', 'ALARM', 'set by hand']);
      const tags = await cw.send(new ListTagsForResourceCommand({ ResourceARN: alarm?.AlarmArn }));
      expect(tags.Tags).toEqual([{ Key: 'k', Value: 'v' }]);
      const history = (await cw.send(new DescribeAlarmHistoryCommand({ AlarmName: 'kept' }))).AlarmHistoryItems ?? [];
      expect(history.map((h) => h.HistorySummary)).toEqual([
        'Alarm updated from INSUFFICIENT_DATA to ALARM',
        'Alarm "kept" created',
      ]);
      await sqsClient(second).send(new PurgeQueueCommand({ QueueUrl }));
      await second.clock.advance('1m');
      const [after] = (await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? [];
      expect(after?.StateValue).toBe('OK');
    } finally {
      await second.stop();
    }
  });
});
