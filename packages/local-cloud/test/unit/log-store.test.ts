import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LogStore } from '../../src/core/log-store.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'lc-log-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function reopen(dir: string, opts = {}) {
  return new LogStore(dir, opts);
}

describe('LogStore', () => {
  it('gives back after a reopen exactly what was committed: latest puts, no deletes', () => {
    const dir = tempDir();
    const store = reopen(dir);
    const c = store.collection<{ n: number }>('things');
    c.put('a', { n: 1 });
    c.put('b', { n: 2 });
    store.commit();
    c.put('a', { n: 3 });
    c.delete('b');
    store.commit();
    c.put('uncommitted', { n: 9 });
    const again = reopen(dir).collection<{ n: number }>('things').load();
    expect(again).toEqual([['a', { n: 3 }]]);
  });

  it('records an object as it is at commit time', () => {
    const dir = tempDir();
    const store = reopen(dir);
    const obj = { n: 1 };
    store.collection('x').put('k', obj);
    obj.n = 2;
    store.commit();
    expect(reopen(dir).collection('x').load()).toEqual([['k', { n: 2 }]]);
  });

  it('ignores a torn last line left by a crash mid-write, and keeps appending cleanly', () => {
    const dir = tempDir();
    const store = reopen(dir);
    store.collection('x').put('k', 1);
    store.commit();
    const journal = readdirSync(dir).find((f) => f.startsWith('journal-')) as string;
    appendFileSync(join(dir, journal), '["x","torn",{"half');
    const second = reopen(dir);
    expect(second.collection('x').load()).toEqual([['k', 1]]);
    second.collection('x').put('k2', 2);
    second.commit();
    expect(
      reopen(dir)
        .collection('x')
        .load()
        .sort(([a], [b]) => a.localeCompare(b)),
    ).toEqual([
      ['k', 1],
      ['k2', 2],
    ]);
  });

  it('snapshots from the live state the collection dumps, so replay starts from there', () => {
    const dir = tempDir();
    const live = new Map<string, string>();
    const store = new LogStore(dir, { segmentBytes: 200, compactBytes: 400 });
    const c = store.collection<string>('m', () => live.entries());
    for (let i = 0; i < 100; i++) {
      live.set(`k${i}`, 'x'.repeat(20));
      c.put(`k${i}`, 'x'.repeat(20));
      if (i % 3 === 0) {
        live.delete(`k${i}`);
        c.delete(`k${i}`);
      }
      store.commit();
    }
    expect(readdirSync(dir).some((f) => f.startsWith('snapshot-'))).toBe(true);
    const loaded = new Map(new LogStore(dir).collection<string>('m').load());
    expect(loaded).toEqual(live);
  });

  it('folds closed segments into a snapshot without losing or resurrecting anything', () => {
    const dir = tempDir();
    const store = reopen(dir, { segmentBytes: 200, compactBytes: 400 });
    const c = store.collection<string>('m');
    for (let i = 0; i < 100; i++) {
      c.put(`k${i}`, 'x'.repeat(20));
      if (i % 3 === 0) c.delete(`k${i}`);
      store.commit();
    }
    const files = readdirSync(dir);
    expect(files.some((f) => f.startsWith('snapshot-'))).toBe(true);
    expect(files.filter((f) => f.startsWith('journal-')).length).toBeLessThan(20);
    const loaded = new Map(reopen(dir).collection<string>('m').load());
    expect(loaded.size).toBe(66);
    expect(loaded.has('k0')).toBe(false);
    expect(loaded.has('k1')).toBe(true);
  });

  it('forgets everything on wipe', () => {
    const dir = tempDir();
    const store = reopen(dir);
    store.collection('x').put('k', 1);
    store.commit();
    store.wipe();
    store.collection('x').put('after', 2);
    store.commit();
    expect(reopen(dir).collection('x').load()).toEqual([['after', 2]]);
  });

  it('refuses a data directory that a live process holds', () => {
    const dir = tempDir();
    appendFileSync(join(dir, 'LOCK'), String(process.ppid));
    expect(() => reopen(dir)).toThrow(/in use by another local-cloud/);
  });
});
