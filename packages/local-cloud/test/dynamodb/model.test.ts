import { describe, expect, it } from 'vitest';
import {
  canonicalNumber,
  compareKeyValues,
  partitionToken,
  segmentStart,
} from '../../src/services/dynamodb/model/keys.js';
import { KeySpace } from '../../src/services/dynamodb/model/keyspace.js';
import { updatedPaths } from '../../src/services/dynamodb/operations/updated-paths.js';

describe('key values', () => {
  it('spells equal numbers the same way', () => {
    expect(canonicalNumber('1.0')).toBe('1');
    expect(canonicalNumber('0010.500')).toBe('10.5');
    expect(canonicalNumber('-0.00')).toBe('0');
    expect(canonicalNumber('1e3')).toBe('1000');
    expect(canonicalNumber('12.5e-3')).toBe('0.0125');
  });

  it('orders numbers by value, strings and binaries by unsigned bytes', () => {
    expect(compareKeyValues({ N: '-10' }, { N: '-9.5' })).toBeLessThan(0);
    expect(compareKeyValues({ N: '100' }, { N: '99.99' })).toBeGreaterThan(0);
    expect(compareKeyValues({ N: '0.001' }, { N: '1e-3' })).toBe(0);
    expect(compareKeyValues({ S: 'Z' }, { S: 'a' })).toBeLessThan(0);
    // U+FFFF sorts after U+10000 in UTF-16 but before it in UTF-8.
    expect(compareKeyValues({ S: '\uffff' }, { S: '\u{10000}' })).toBeLessThan(0);
    expect(
      compareKeyValues({ B: Buffer.from([0x7f]).toString('base64') }, { B: Buffer.from([0x80]).toString('base64') }),
    ).toBeLessThan(0);
  });

  it('orders strings exactly as Buffer.compare orders their UTF-8 bytes', () => {
    const samples = [
      '',
      'a',
      'ab',
      'b',
      'Z',
      '\u00e9',
      '\u4e2d',
      '\ue000',
      '\uffff',
      '\u{10000}',
      '\u{1f600}',
      'a\u{1f600}',
      'a\uffff',
    ];
    for (const x of samples) {
      for (const y of samples) {
        const want = Math.sign(Buffer.compare(Buffer.from(x), Buffer.from(y)));
        expect(Math.sign(compareKeyValues({ S: x }, { S: y })), `${x} vs ${y}`).toBe(want);
      }
    }
  });

  it('maps segment boundaries onto partition tokens', () => {
    expect(segmentStart(0, 4)).toBe('00000000');
    expect(segmentStart(2, 4)).toBe('80000000');
    expect(partitionToken('Sx')).toMatch(/^[0-9a-f]{8}Sx$/);
  });
});

describe('KeySpace', () => {
  it('keeps entries sorted within a partition and counts items and bytes', () => {
    const ks = new KeySpace();
    for (const n of ['3', '1', '2', '1']) ks.put({ S: 'p' }, [{ N: n }], { v: { N: n } }, 10);
    expect(ks.count).toBe(3);
    expect(ks.bytes).toBe(30);
    expect(ks.partition({ S: 'p' })?.entries.map((e) => e.sort[0]?.N)).toEqual(['1', '2', '3']);
    ks.remove({ S: 'p' }, [{ N: '2' }]);
    expect(ks.get({ S: 'p' }, [{ N: '2' }])).toBeUndefined();
    ks.remove({ S: 'p' }, [{ N: '1' }]);
    ks.remove({ S: 'p' }, [{ N: '3' }]);
    expect(ks.partition({ S: 'p' })).toBeUndefined();
    expect([...ks.all()]).toEqual([]);
  });
});

describe('updatedPaths', () => {
  it('lists the paths each clause writes', () => {
    expect(
      updatedPaths(
        'SET a.b = list_append(c, :v), #d[2] = if_not_exists(#e, :z) + :one REMOVE f[0], g ADD h :n DELETE #set :s',
      ),
    ).toEqual(['a.b', '#d[2]', 'f[0]', 'g', 'h', '#set']);
    expect(updatedPaths('set x = :v add y :w')).toEqual(['x', 'y']);
  });
});
