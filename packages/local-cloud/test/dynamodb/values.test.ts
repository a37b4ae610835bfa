import { describe, expect, it } from 'vitest';
import type { AttributeValue, Item } from '../../src/services/dynamodb/expressions/types.js';
import {
  addNumbers,
  checkItemSize,
  compareStrings,
  compareValues,
  itemSize,
  keyString,
  MAX_ITEM_SIZE,
  normalizeItem,
  normalizeNumber,
  subtractNumbers,
  validateItem,
  validateKeyValues,
  validateValue,
  valueSize,
  valuesEqual,
} from '../../src/services/dynamodb/values.js';

/** The ValidationException's code and message, or undefined when nothing was thrown. */
function failure(fn: () => unknown): { code: string; message: string } | undefined {
  try {
    fn();
  } catch (e) {
    const err = e as { code: string; message: string; namespace?: string };
    expect(err.namespace).toBe('com.amazon.coral.validate');
    return { code: err.code, message: err.message };
  }
  return undefined;
}
const messageOf = (fn: () => unknown) => failure(fn)?.message;
const INVALID = 'One or more parameter values were invalid: ';

describe('AttributeValue validation', () => {
  it.each<[string, unknown, string]>([
    ['an empty value', {}, 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'],
    [
      'two types at once',
      { S: 'a', N: '1' },
      'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    ],
    ['NULL false', { NULL: false }, INVALID + 'Null attribute value types must have the value of true'],
    ['an empty string set', { SS: [] }, INVALID + 'An string set  may not be empty'],
    ['an empty number set', { NS: [] }, INVALID + 'An number set  may not be empty'],
    ['an empty binary set', { BS: [] }, INVALID + 'Binary sets should not be empty'],
    ['duplicate strings', { SS: ['a', 'a'] }, INVALID + 'Input collection [a, a] contains duplicates.'],
    [
      'duplicate binaries',
      { BS: ['Yg==', 'Yg=='] },
      INVALID + 'Input collection [Yg==, Yg==]of type BS contains duplicates.',
    ],
    ['numerically equal set members', { NS: ['1', '1.0'] }, 'Input collection contains duplicates'],
    ['a non-number', { N: 'b' }, 'The parameter cannot be converted to a numeric value: b'],
    ['a number with spaces', { N: ' 1' }, 'The parameter cannot be converted to a numeric value:  1'],
    ['a number with a comma', { N: '1,5' }, 'The parameter cannot be converted to a numeric value: 1,5'],
    ['Infinity', { N: 'Infinity' }, 'The parameter cannot be converted to a numeric value: Infinity'],
    ['an empty number', { N: '' }, 'The parameter cannot be converted to a numeric value'],
    ['a bad set member', { NS: ['1', 'x'] }, 'The parameter cannot be converted to a numeric value: x'],
    [
      '39 significant digits',
      { N: '123456789012345678901234567890123456789' },
      'Attempting to store more than 38 significant digits in a Number',
    ],
    [
      '1e126',
      { N: '1e126' },
      'Number overflow. Attempting to store a number with magnitude larger than supported range',
    ],
    [
      '-1e126',
      { N: '-1e126' },
      'Number overflow. Attempting to store a number with magnitude larger than supported range',
    ],
    [
      '1e-131',
      { N: '1e-131' },
      'Number underflow. Attempting to store a number with magnitude smaller than supported range',
    ],
    [
      'an empty value nested in a map',
      { M: { a: {} } },
      'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes',
    ],
    ['an empty set nested in a list', { L: [{ SS: [] }] }, INVALID + 'An string set  may not be empty'],
  ])('rejects %s', (_label, value, message) => {
    expect(messageOf(() => validateValue(value as AttributeValue))).toBe(message);
  });

  it.each<[string, AttributeValue]>([
    ['the largest number', { N: '9.9999999999999999999999999999999999999E+125' }],
    ['the smallest positive number', { N: '1E-130' }],
    ['38 significant digits with many zeros', { N: '12345678901234567890123456789012345678000000' }],
    ['an empty string outside keys', { S: '' }],
    ['zero', { N: '-0' }],
    ['a nested document', { M: { a: { L: [{ N: '1' }, { NULL: true }, { BOOL: false }] } } }],
  ])('accepts %s', (_label, value) => {
    expect(failure(() => validateValue(value))).toBeUndefined();
  });

  it.each<[string, unknown]>([
    ['a string that is a number', { S: 5 }],
    ['a string set that is a string', { SS: 'abc' }],
    ['a number set with a number member', { NS: [1] }],
    ['a map that is a list', { M: [] }],
    ['a list with a non-object', { L: ['x'] }],
    ['a boolean that is a string', { BOOL: 'true' }],
  ])('answers %s with a SerializationException, not a crash', (_label, value) => {
    let code: string | undefined;
    try {
      validateValue(value as AttributeValue);
    } catch (e) {
      code = (e as { code?: string }).code;
    }
    expect(code).toBe('SerializationException');
  });

  it('accepts values nested 32 levels deep and rejects 33', () => {
    const wrap = (depth: number, leaf: AttributeValue): AttributeValue =>
      depth === 0 ? leaf : wrap(depth - 1, depth % 2 ? { M: { n: leaf } } : { L: [leaf] });
    expect(failure(() => validateItem({ data: wrap(31, { S: 'leaf' }) }))).toBeUndefined();
    expect(messageOf(() => validateItem({ data: wrap(32, { S: 'leaf' }) }))).toBe(
      'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit',
    );
  });

  it('validates every attribute of an item', () => {
    expect(messageOf(() => validateItem({ a: { S: 'x' }, b: { NS: [] } }))).toBe(
      INVALID + 'An number set  may not be empty',
    );
  });

  it('rejects empty string and binary key values, naming the key', () => {
    const schema = [
      { AttributeName: 'pk', KeyType: 'HASH' as const },
      { AttributeName: 'sk', KeyType: 'RANGE' as const },
    ];
    expect(messageOf(() => validateKeyValues({ pk: { S: '' }, sk: { S: 'a' } }, schema))).toBe(
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
    );
    expect(messageOf(() => validateKeyValues({ pk: { S: 'a' }, sk: { B: '' } }, schema))).toBe(
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: sk',
    );
    expect(failure(() => validateKeyValues({ pk: { S: 'a' }, other: { S: '' } }, schema))).toBeUndefined();
  });
});

describe('numbers', () => {
  it.each([
    ['1.50', '1.5'],
    ['-0', '0'],
    ['0.000', '0'],
    ['1e2', '100'],
    ['1E-3', '0.001'],
    ['+7', '7'],
    ['007.10', '7.1'],
    ['-.5', '-0.5'],
    ['12345678901234567890123456789012345678', '12345678901234567890123456789012345678'],
  ])('normalises %s to %s', (input, canonical) => {
    expect(normalizeNumber(input)).toBe(canonical);
  });

  it('adds and subtracts exactly, without floating point', () => {
    expect(addNumbers('0.1', '0.2')).toBe('0.3');
    expect(addNumbers('99999999999999999999999999999999999999', '-1')).toBe('99999999999999999999999999999999999998');
    expect(subtractNumbers('1', '1.000000000000000000000000000000000001')).toBe(
      '-0.000000000000000000000000000000000001',
    );
    expect(addNumbers('-5', '5')).toBe('0');
  });

  it('rejects a sum that needs more than 38 significant digits', () => {
    expect(messageOf(() => addNumbers('99999999999999999999999999999999999999', '0.1'))).toBe(
      'Attempting to store more than 38 significant digits in a Number',
    );
  });

  it('rejects a sum beyond the supported range', () => {
    expect(messageOf(() => addNumbers('9E+125', '9E+125'))).toBe(
      'Number overflow. Attempting to store a number with magnitude larger than supported range',
    );
  });
});

describe('comparison and equality', () => {
  it.each<[string, AttributeValue, AttributeValue, number | undefined]>([
    ['numbers numerically', { N: '10' }, { N: '9' }, 1],
    ['equal numbers in different spellings', { N: '1.0' }, { N: '1' }, 0],
    ['negative numbers', { N: '-10' }, { N: '-9' }, -1],
    ['strings by UTF-8 bytes (U+FFFD after U+1F600 would be wrong in UTF-16)', { S: '\u{1F600}' }, { S: '\uFFFD' }, 1],
    ['strings case-sensitively', { S: 'B' }, { S: 'a' }, -1],
    [
      'binary by unsigned bytes',
      { B: Buffer.from([0xff]).toString('base64') },
      { B: Buffer.from([0x01]).toString('base64') },
      1,
    ],
    ['different types as unordered', { N: '1' }, { S: '1' }, undefined],
    ['maps as unordered', { M: {} }, { M: {} }, undefined],
  ])('orders %s', (_label, a, b, expected) => {
    expect(compareValues(a, b)).toBe(expected);
  });

  it.each<[string, AttributeValue, AttributeValue, boolean]>([
    ['sets regardless of order', { SS: ['a', 'b'] }, { SS: ['b', 'a'] }, true],
    ['number sets numerically', { NS: ['1.0', '2'] }, { NS: ['2', '1'] }, true],
    ['sets of different sizes', { SS: ['a'] }, { SS: ['a', 'b'] }, false],
    ['lists in order only', { L: [{ N: '1' }, { N: '2' }] }, { L: [{ N: '2' }, { N: '1' }] }, false],
    ['maps deeply', { M: { a: { L: [{ S: 'x' }] } } }, { M: { a: { L: [{ S: 'x' }] } } }, true],
    ['maps with different keys', { M: { a: { S: 'x' } } }, { M: { b: { S: 'x' } } }, false],
    ['values of different types', { S: '1' }, { N: '1' }, false],
    ['NULLs', { NULL: true }, { NULL: true }, true],
    ['booleans', { BOOL: true }, { BOOL: false }, false],
  ])('compares %s for equality', (_label, a, b, expected) => {
    expect(valuesEqual(a, b)).toBe(expected);
  });
});

describe('string order', () => {
  it('matches UTF-8 byte order for every pair of sample strings', () => {
    const samples = [
      '',
      'a',
      'ab',
      'B',
      'é',
      '\uFFFD',
      '\uE000',
      '\u{1F600}',
      '\u{10000}',
      'a\u{1F600}',
      'a\uFFFF',
      'z',
    ];
    for (const x of samples) {
      for (const y of samples) {
        const bytes = Math.sign(Buffer.compare(Buffer.from(x), Buffer.from(y)));
        expect(compareStrings(x, y), `${JSON.stringify(x)} vs ${JSON.stringify(y)}`).toBe(bytes);
      }
    }
  });
});

describe('item size', () => {
  it.each<[string, AttributeValue, number]>([
    ['a string as UTF-8 bytes', { S: 'héllo' }, 6],
    ['a number as 1 byte per 2 significant digits plus 1', { N: '12345' }, 4],
    ['a number ignoring leading and trailing zeros', { N: '0.00100' }, 2],
    ['a negative number with one more byte', { N: '-27' }, 3],
    ['a three-digit number', { N: '461' }, 3],
    ['binary as raw bytes', { B: Buffer.from('abcd').toString('base64') }, 4],
    ['a boolean', { BOOL: true }, 1],
    ['NULL', { NULL: true }, 1],
    ['an empty list', { L: [] }, 3],
    ['a map with its key names', { M: { ab: { S: 'xyz' } } }, 3 + 1 + 2 + 3],
    ['a string set', { SS: ['a', 'bc'] }, 3],
  ])('counts %s', (_label, value, size) => {
    expect(valueSize(value)).toBe(size);
  });

  it('adds attribute-name lengths to value sizes', () => {
    expect(itemSize({ id: { S: 'abc' }, n: { N: '1' } })).toBe(2 + 3 + 1 + 2);
  });

  it('rejects an item over 400 KB and accepts one at the limit', () => {
    const exact: Item = { a: { S: 'x'.repeat(MAX_ITEM_SIZE - 1) } };
    expect(itemSize(exact)).toBe(MAX_ITEM_SIZE);
    expect(failure(() => checkItemSize(exact))).toBeUndefined();
    expect(messageOf(() => checkItemSize({ a: { S: 'x'.repeat(MAX_ITEM_SIZE) } }))).toBe(
      'Item size has exceeded the maximum allowed size',
    );
  });
});

describe('keys and normalisation', () => {
  const schema = [
    { AttributeName: 'sk', KeyType: 'RANGE' as const },
    { AttributeName: 'pk', KeyType: 'HASH' as const },
  ];

  it('encodes keys stably whatever the number spelling or extra attributes', () => {
    const a = keyString({ pk: { S: 'x' }, sk: { N: '1.50' }, other: { S: 'y' } }, schema);
    const b = keyString({ sk: { N: '1.5' }, pk: { S: 'x' } }, schema);
    expect(a).toBe(b);
    expect(keyString({ pk: { S: 'x' }, sk: { S: '1.5' } }, schema)).not.toBe(b);
  });

  it('puts numbers of a whole item in canonical form, deeply', () => {
    expect(
      normalizeItem({ a: { N: '1.50' }, b: { M: { c: { NS: ['1e1', '02'] } } }, d: { L: [{ N: '-0' }] } }),
    ).toEqual({
      a: { N: '1.5' },
      b: { M: { c: { NS: ['10', '2'] } } },
      d: { L: [{ N: '0' }] },
    });
  });
});
