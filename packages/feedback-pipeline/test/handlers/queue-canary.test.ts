import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../src/handlers/queue-canary.js';
import { lambdaContext, scheduledEvent } from '../factories.js';
import { FakeProbeQueue } from '../fakes.js';

function setup(queue: FakeProbeQueue) {
  let clock = 1_000;
  const now = () => {
    clock += 7;
    return clock;
  };
  return makeHandler({ queue, newId: () => 'p1', now, waitSeconds: 5, maxPolls: 2 });
}

describe('queue-canary', () => {
  it('sends, receives and deletes its probe, returning the round trip', async () => {
    const queue = new FakeProbeQueue();
    const result = await setup(queue)(scheduledEvent(), lambdaContext());
    expect(result).toEqual({ ok: true, messageId: 'probe-1', roundTripMs: 7 });
    expect(queue.log).toEqual(['send probe-1', 'receive 5', 'delete rh-probe-1']);
  });

  it('can be invoked by hand with an empty payload', async () => {
    const result = await setup(new FakeProbeQueue())({}, lambdaContext());
    expect(result.ok).toBe(true);
  });

  it('reports ok: false when the probe never comes back', async () => {
    const queue = new FakeProbeQueue();
    queue.lose = true;
    const result = await setup(queue)({}, lambdaContext());
    expect(result).toMatchObject({ ok: false, messageId: 'probe-1' });
    expect(queue.log.filter((l) => l.startsWith('receive'))).toHaveLength(2);
  });

  it('deletes stale probes of earlier runs but leaves recent ones of a concurrent run', async () => {
    const queue = new FakeProbeQueue();
    queue.messages.push(
      { messageId: 'old', body: JSON.stringify({ probeId: 'x', sentAt: -100_000 }), receiptHandle: 'rh-old' },
      { messageId: 'other', body: JSON.stringify({ probeId: 'y', sentAt: 1_000 }), receiptHandle: 'rh-other' },
      { messageId: 'junk', body: 'junk', receiptHandle: 'rh-junk' },
    );
    const result = await setup(queue)({}, lambdaContext());
    expect(result.ok).toBe(true);
    expect(queue.deleted.sort()).toEqual(['rh-junk', 'rh-old', 'rh-probe-4']);
  });
});
