import { randomUUID } from 'node:crypto';
import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { SQSClient } from '@aws-sdk/client-sqs';
import { ProbeQueue } from '../adapters/probe-queue.js';
import { instrument, lazy, logger, metrics, requireEnv, tracer } from '../shared/powertools.js';

export interface CanaryDeps {
  queue: Pick<ProbeQueue, 'send' | 'receive' | 'delete'>;
  newId: () => string;
  /** Milliseconds, for the round trip. */
  now: () => number;
  waitSeconds?: number;
  maxPolls?: number;
  /** Probes left behind by an earlier run older than this are deleted when seen. */
  staleAfterMs?: number;
}

export interface CanaryResult {
  ok: boolean;
  messageId: string;
  roundTripMs: number;
}

interface Probe {
  probeId: string;
  sentAt: number;
}

export function makeHandler(deps: CanaryDeps) {
  const waitSeconds = deps.waitSeconds ?? 5;
  const maxPolls = deps.maxPolls ?? 3;
  const staleAfterMs = deps.staleAfterMs ?? 60_000;

  // Invoked by the EventBridge schedule (a Scheduled Event) or by hand with any payload.
  return instrument('queue-canary', async (_event: unknown): Promise<CanaryResult> => {
    const probe: Probe = { probeId: deps.newId(), sentAt: deps.now() };
    const messageId = await deps.queue.send(JSON.stringify(probe));
    logger.info('Probe sent', { messageId, probeId: probe.probeId });

    for (let poll = 1; poll <= maxPolls; poll++) {
      const received = await deps.queue.receive(waitSeconds);
      for (const message of received) {
        const body = parseProbe(message.body);
        if (body?.probeId === probe.probeId) {
          logger.info('Probe received', { messageId, poll });
          await deps.queue.delete(message.receiptHandle);
          const roundTripMs = deps.now() - probe.sentAt;
          logger.info('Probe deleted', { messageId, roundTripMs });
          metrics.addMetric('CanaryRoundTrip', MetricUnit.Milliseconds, roundTripMs);
          metrics.addMetric('CanarySuccess', MetricUnit.Count, 1);
          return { ok: true, messageId, roundTripMs };
        }
        if (!body || deps.now() - body.sentAt > staleAfterMs) {
          await deps.queue.delete(message.receiptHandle);
          logger.warn('Stale probe deleted', { messageId: message.messageId });
        }
      }
    }
    const roundTripMs = deps.now() - probe.sentAt;
    logger.error('Probe not received', { messageId, polls: maxPolls, waitSeconds });
    metrics.addMetric('CanaryFailure', MetricUnit.Count, 1);
    return { ok: false, messageId, roundTripMs };
  });
}

function parseProbe(body: string): Probe | undefined {
  try {
    const value = JSON.parse(body) as Partial<Probe>;
    return typeof value.probeId === 'string' && typeof value.sentAt === 'number' ? (value as Probe) : undefined;
  } catch {
    return undefined;
  }
}

const production = lazy(() =>
  makeHandler({
    queue: new ProbeQueue(tracer.captureAWSv3Client(new SQSClient({})), requireEnv('CANARY_QUEUE_URL')),
    newId: randomUUID,
    now: Date.now,
  }),
);

export const handler: ReturnType<typeof makeHandler> = (event, context) => production()(event, context);
