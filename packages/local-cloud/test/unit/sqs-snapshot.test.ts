import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LogStore } from '../../src/core/log-store.js';
import { ManualClock, sequentialIds } from '../../src/index.js';
import { DEFAULTS, FIFO_DEFAULTS } from '../../src/services/sqs/attributes.js';
import { SqsModel } from '../../src/services/sqs/model/registry.js';

const scope = { region: 'us-east-1', accountId: '000000000000' };
let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('SQS state through journal snapshots', () => {
  it('restores messages, delivery state and dedup ids from a snapshot taken from live state', async () => {
    dir = mkdtempSync(join(tmpdir(), 'lc-sqs-snap-'));
    const clock = new ManualClock(0);
    const store = new LogStore(dir, { segmentBytes: 2_000, compactBytes: 4_000 });
    const model = new SqsModel(clock, sequentialIds(), store);
    const q = model.create(scope, 'q', { ...DEFAULTS }, {});
    const f = model.create(scope, 'f.fifo', { ...DEFAULTS, ...FIFO_DEFAULTS }, {});
    for (let i = 0; i < 60; i++) {
      q.send({ body: `m${i}`, senderId: 'me' });
      store.commit();
    }
    const received = q.receive({ max: 10, visibilityTimeout: 600 });
    for (const r of received.slice(0, 5)) q.delete(r.rec.id);
    f.send({ body: 'once', senderId: 'me', groupId: 'g', dedupId: 'd1' });
    store.commit();
    expect(readdirSync(dir).some((n) => n.startsWith('snapshot-'))).toBe(true);

    const reopened = new SqsModel(clock, sequentialIds(1000), new LogStore(dir));
    reopened.load();
    const q2 = reopened.get(scope, 'q');
    expect(q2?.counts()).toEqual({ visible: 50, inflight: 5, delayed: 0 });
    const f2 = reopened.get(scope, 'f.fifo');
    f2?.send({ body: 'once', senderId: 'me', groupId: 'g', dedupId: 'd1' });
    expect(f2?.counts().visible).toBe(1);
    await clock.advance('600s');
    expect(q2?.counts()).toEqual({ visible: 55, inflight: 0, delayed: 0 });
  });
});
