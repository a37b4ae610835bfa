import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LogStore } from '../../src/core/log-store.js';
import type { RequestContext } from '../../src/core/service.js';
import { MemoryStore } from '../../src/core/storage.js';
import { ManualClock, sequentialIds } from '../../src/index.js';
import { type AppendedEvents, createLogsService, LogsModel } from '../../src/services/logs/index.js';

const scope = { region: 'us-east-1', accountId: '000000000000' };
let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function fresh(clock = new ManualClock()) {
  const model = new LogsModel(clock, new MemoryStore());
  model.load();
  return { clock, model };
}

describe('the in-process Logs model', () => {
  it('creates groups and streams on demand and appends events sorted by timestamp', () => {
    const { clock, model } = fresh();
    const now = clock.now();
    const out = model.append(scope, '/aws/lambda/fn', '2026/01/01/[$LATEST]abc', [
      { timestamp: now, message: 'END' },
      { timestamp: now - 5, message: 'START' },
    ]);
    expect(out.map((e) => e.message)).toEqual(['START', 'END']);
    expect(out[0]).toMatchObject({
      timestamp: now - 5,
      ingestionTime: now,
      eventId: expect.stringMatching(/^\d{56}$/),
    });
    expect(model.ensureGroup(scope, '/aws/lambda/fn').streams.size).toBe(1);
    expect(model.ensureStream(scope, '/aws/lambda/fn', '2026/01/01/[$LATEST]abc').events).toHaveLength(2);
  });

  it('tells listeners about new events until they unsubscribe', () => {
    const { clock, model } = fresh();
    const seen: AppendedEvents[] = [];
    const stop = model.onEvents((batch) => seen.push(batch));
    model.append(scope, 'g', 's', [{ timestamp: clock.now(), message: 'hello' }]);
    stop();
    model.append(scope, 'g', 's', [{ timestamp: clock.now(), message: 'unseen' }]);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ scope, logGroupName: 'g', logStreamName: 's', events: [{ message: 'hello' }] });
  });

  it('tells listeners about events sent with PutLogEvents', () => {
    const clock = new ManualClock();
    const svc = createLogsService({ clock, ids: sequentialIds(), store: new MemoryStore() });
    const seen: AppendedEvents[] = [];
    svc.model.onEvents((batch) => seen.push(batch));
    const ctx = {
      scope,
      principal: 'AKIDTEST',
      requestId: 'r',
      host: 'h',
      scheme: 'http',
      path: '/',
    } as RequestContext;
    svc.operations.CreateLogGroup?.({ logGroupName: 'g' }, ctx);
    svc.operations.CreateLogStream?.({ logGroupName: 'g', logStreamName: 's' }, ctx);
    svc.operations.PutLogEvents?.(
      { logGroupName: 'g', logStreamName: 's', logEvents: [{ timestamp: clock.now(), message: 'via api' }] },
      ctx,
    );
    expect(seen.map((b) => b.events.map((e) => e.message))).toEqual([['via api']]);
  });
});

describe('Logs state in the journal', () => {
  it('restores groups, streams, events, retention and tags after a restart, from snapshots and the journal', () => {
    dir = mkdtempSync(join(tmpdir(), 'lc-logs-'));
    const clock = new ManualClock();
    const store = new LogStore(dir, { segmentBytes: 2_000, compactBytes: 4_000 });
    const model = new LogsModel(clock, store);
    model.load();
    const g = model.createGroup(scope, 'app', { tags: { team: 'a' } });
    model.setRetention(g, 7);
    for (let i = 0; i < 60; i++) {
      model.append(scope, 'app', i % 2 ? 'odd' : 'even', [{ timestamp: clock.now() + i, message: `event ${i}` }]);
      store.commit();
    }
    model.deleteStream(g, model.ensureStream(scope, 'app', 'odd'));
    store.commit();
    expect(readdirSync(dir).some((n) => n.startsWith('snapshot-'))).toBe(true);
    store.close();

    const reopened = new LogsModel(clock, new LogStore(dir));
    reopened.load();
    const g2 = reopened.getGroup(scope, 'app');
    expect(g2?.rec).toMatchObject({ retentionInDays: 7, tags: { team: 'a' } });
    expect([...(g2?.streams.keys() ?? [])]).toEqual(['even']);
    const even = g2?.streams.get('even');
    expect(even?.events.map((e) => e.message)).toEqual(Array.from({ length: 30 }, (_, i) => `event ${i * 2}`));
    expect(g2?.storedBytes).toBe(even?.storedBytes());

    // New events get ids after the restored ones.
    const [next] = reopened.append(scope, 'app', 'even', [{ timestamp: clock.now() + 100, message: 'after' }]);
    const lastBefore = even?.events.at(-2);
    expect(Number(next?.eventId.slice(20))).toBeGreaterThan(lastBefore?.seq ?? 0);
  });
});
