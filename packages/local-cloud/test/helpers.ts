import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type LocalCloud, type ManualClock, startLocalCloud } from '../src/index.js';

/** Test credentials: any key is accepted; the region lands in ARNs and the key is the principal. */
export const credentials = { accessKeyId: 'AKIDTEST', secretAccessKey: 'secret' };

/** An in-process local-cloud on a random port with a manual clock and no disk. */
export async function startManual(): Promise<LocalCloud<ManualClock>> {
  return startLocalCloud({ clock: 'manual', persistence: 'memory' });
}

export function sqsClient(cloud: { url: string }, region = 'us-east-1'): SQSClient {
  return new SQSClient({ endpoint: cloud.url, region, credentials, maxAttempts: 1 });
}

export function logsClient(cloud: { url: string }, region = 'us-east-1'): CloudWatchLogsClient {
  return new CloudWatchLogsClient({ endpoint: cloud.url, region, credentials, maxAttempts: 1 });
}

/** Runs fn and returns the AWS error it throws (fails the test if it does not throw). */
export async function awsError(fn: () => Promise<unknown>): Promise<{
  name: string;
  message: string;
  status: number | undefined;
  code: string | undefined;
  type: string | undefined;
}> {
  try {
    await fn();
  } catch (e) {
    const err = e as {
      name: string;
      message: string;
      Code?: string;
      Type?: string;
      $metadata?: { httpStatusCode?: number };
    };
    return {
      name: err.name,
      message: err.message,
      status: err.$metadata?.httpStatusCode,
      code: err.Code,
      type: err.Type,
    };
  }
  throw new Error('expected the call to fail, but it succeeded');
}

/**
 * Registers the usual hooks: one manual-clock cloud and SQS client per file, state wiped
 * before each test. `bind` receives them (assign them to the file's variables).
 */
export function useManualSqs(bind: (cloud: LocalCloud<ManualClock>, sqs: SQSClient) => void, reset = true): void {
  let cloud: LocalCloud<ManualClock> | undefined;
  beforeAll(async () => {
    cloud = await startManual();
    bind(cloud, sqsClient(cloud));
  });
  afterAll(() => cloud?.stop());
  if (reset) beforeEach(() => cloud?.reset());
}

/** Like useManualSqs, for CloudWatch Logs: one manual-clock cloud and Logs client per file, wiped before each test. */
export function useManualLogs(bind: (cloud: LocalCloud<ManualClock>, logs: CloudWatchLogsClient) => void): void {
  let cloud: LocalCloud<ManualClock> | undefined;
  beforeAll(async () => {
    cloud = await startManual();
    bind(cloud, logsClient(cloud));
  });
  afterAll(() => cloud?.stop());
  beforeEach(() => cloud?.reset());
}

/** Sends one awsJson request without the SDK (to see the raw status and body). */
export async function rawJson(
  cloud: { url: string },
  target: string,
  body: unknown,
  service = 'logs',
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(cloud.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': target,
      authorization: `AWS4-HMAC-SHA256 Credential=AKIDTEST/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
