import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/core/storage.js';
import { ManualClock, sequentialIds } from '../../src/index.js';
import { DEFAULTS, FIFO_DEFAULTS } from '../../src/services/sqs/attributes.js';
import { SqsModel } from '../../src/services/sqs/model/registry.js';

const scope = { region: 'us-east-1', accountId: '000000000000' };

function setup() {
  const clock = new ManualClock(0);
  const model = new SqsModel(clock, sequentialIds(), new MemoryStore());
  return { clock, model };
}

describe('Queue model on a manual clock', () => {
  it('hides a received message for the visibility timeout, then delivers it again', async () => {
    const { clock, model } = setup();
    const q = model.create(scope, 'q', { ...DEFAULTS, VisibilityTimeout: '43200' }, {});
    q.send({ body: 'a', senderId: 'me' });
    expect(q.receive({ max: 10 })).toHaveLength(1);
    await clock.advance('11h');
    expect(q.receive({ max: 10 })).toHaveLength(0);
    await clock.advance('1h');
    const again = q.receive({ max: 10 });
    expect(again.map((r) => r.rec.receiveCount)).toEqual([2]);
  });

  it('keeps a delayed message out of receives until its delay ends', async () => {
    const { clock, model } = setup();
    const q = model.create(scope, 'q', { ...DEFAULTS }, {});
    q.send({ body: 'later', senderId: 'me', delaySeconds: 900 });
    expect(q.counts()).toEqual({ visible: 0, inflight: 0, delayed: 1 });
    await clock.advance('899s');
    expect(q.receive({ max: 1 })).toHaveLength(0);
    await clock.advance('1s');
    expect(q.receive({ max: 1 })).toHaveLength(1);
  });

  it('drops messages older than the retention period', async () => {
    const { clock, model } = setup();
    const q = model.create(scope, 'q', { ...DEFAULTS, MessageRetentionPeriod: '60' }, {});
    q.send({ body: 'old', senderId: 'me' });
    await clock.advance('60s');
    expect(q.receive({ max: 1 })).toHaveLength(0);
    expect(q.counts().visible).toBe(0);
  });

  it('answers a waiting receive as soon as a message is sent', async () => {
    const { model } = setup();
    const q = model.create(scope, 'q', { ...DEFAULTS }, {});
    const waiting = q.receiveWait({ max: 1 }, 20_000);
    q.send({ body: 'now', senderId: 'me' });
    const got = await waiting;
    expect(got.map((r) => r.rec.body)).toEqual(['now']);
  });

  it('answers a waiting receive when a delayed message becomes visible', async () => {
    const { clock, model } = setup();
    const q = model.create(scope, 'q', { ...DEFAULTS }, {});
    q.send({ body: 'soon', senderId: 'me', delaySeconds: 5 });
    const waiting = q.receiveWait({ max: 1 }, 20_000);
    await clock.advance('5s');
    expect((await waiting).map((r) => r.rec.body)).toEqual(['soon']);
  });

  it('ends an empty long poll when its wait time passes on the clock', async () => {
    const { clock, model } = setup();
    const q = model.create(scope, 'q', { ...DEFAULTS }, {});
    let done = false;
    const waiting = q.receiveWait({ max: 1 }, 20_000).then((r) => {
      done = true;
      return r;
    });
    await clock.advance('19s');
    expect(done).toBe(false);
    await clock.advance('1s');
    expect(await waiting).toEqual([]);
  });

  it('moves a message to the DLQ once maxReceiveCount is exceeded', async () => {
    const { clock, model } = setup();
    const dlq = model.create(scope, 'dlq', { ...DEFAULTS }, {});
    const q = model.create(
      scope,
      'src',
      { ...DEFAULTS, RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }) },
      {},
    );
    q.send({ body: 'poison', senderId: 'me' });
    for (let i = 0; i < 2; i++) {
      expect(q.receive({ max: 1 })).toHaveLength(1);
      await clock.advance('30s');
    }
    expect(q.receive({ max: 1 })).toHaveLength(0);
    const moved = dlq.receive({ max: 1 });
    expect(moved[0]?.rec.body).toBe('poison');
    expect(moved[0]?.rec.deadLetterSourceArn).toBe(q.arn);
  });

  it('blocks a FIFO group while one of its messages is in flight', () => {
    const { model } = setup();
    const q = model.create(scope, 'f.fifo', { ...DEFAULTS, ...FIFO_DEFAULTS }, {});
    for (const body of ['a1', 'a2', 'b1']) {
      q.send({ body, senderId: 'me', groupId: body[0] as string, dedupId: body });
    }
    expect(q.receive({ max: 1 }).map((r) => r.rec.body)).toEqual(['a1']);
    expect(q.receive({ max: 10 }).map((r) => r.rec.body)).toEqual(['b1']);
    expect(q.receive({ max: 10 })).toEqual([]);
  });
});
