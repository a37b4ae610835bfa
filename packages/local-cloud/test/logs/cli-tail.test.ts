import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import {
  type CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalCloud, startLocalCloud } from '../../src/index.js';
import { logsClient } from '../helpers.js';

const run = promisify(execFile);
const AWS = '/usr/bin/aws';

/** Debian's AWS CLI v2. `logs tail` looks back from the real time, so this cloud runs on the system clock. */
describe.skipIf(!existsSync(AWS))('aws logs tail (AWS CLI v2)', () => {
  let cloud: LocalCloud;
  let logs: CloudWatchLogsClient;
  beforeAll(async () => {
    cloud = await startLocalCloud({ persistence: 'memory' });
    logs = logsClient(cloud);
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/cli/app' }));
    for (const s of ['web-1', 'web-2']) {
      await logs.send(new CreateLogStreamCommand({ logGroupName: '/cli/app', logStreamName: s }));
    }
    const now = Date.now();
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: '/cli/app',
        logStreamName: 'web-1',
        logEvents: [
          { timestamp: now - 3000, message: 'starting up' },
          { timestamp: now - 1000, message: 'ERROR something broke' },
        ],
      }),
    );
    await logs.send(
      new PutLogEventsCommand({
        logGroupName: '/cli/app',
        logStreamName: 'web-2',
        logEvents: [
          { timestamp: now - 2000, message: 'request served' },
          { timestamp: now - 20 * 60_000, message: 'older than the default ten minutes' },
        ].sort((a, b) => a.timestamp - b.timestamp),
      }),
    );
  });
  afterAll(() => cloud?.stop());

  const aws = async (...args: string[]) => {
    const { stdout } = await run(AWS, ['--endpoint-url', cloud.url, ...args], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        AWS_ACCESS_KEY_ID: 'AKIDTEST',
        AWS_SECRET_ACCESS_KEY: 'secret',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_CONFIG_FILE: '/dev/null',
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        AWS_PAGER: '',
      },
      timeout: 60_000,
    });
    return stdout;
  };

  it('prints the last ten minutes of every stream, oldest first, with stream names', async () => {
    const out = await aws('logs', 'tail', '/cli/app');
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}\+00:00 web-1 starting up$/);
    expect(lines[1]).toMatch(/ web-2 request served$/);
    expect(lines[2]).toMatch(/ web-1 ERROR something broke$/);
  }, 60_000);

  it('applies --since, --filter-pattern and --format short', async () => {
    const since = await aws('logs', 'tail', '/cli/app', '--since', '1h', '--format', 'short');
    expect(since).toContain('older than the default ten minutes');
    const errors = await aws('logs', 'tail', '/cli/app', '--filter-pattern', 'ERROR', '--format', 'short');
    expect(errors.trim()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d ERROR something broke$/);
  }, 60_000);
});
