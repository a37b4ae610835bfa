import { describe, expect, it } from 'vitest';
import { createScope } from '../../src/services/dynamodb/expressions/index.js';
import type { AttributeValue, Item } from '../../src/services/dynamodb/expressions/types.js';
import { B, check, N, S, sent, validationMessage } from './expressions-helpers.js';

const item: Item = {
  id: S('item-1'),
  price: N('10.5'),
  title: S('héllo wörld'),
  tags: { SS: ['red', 'blue'] },
  scores: { NS: ['1', '2.5'] },
  blobs: { BS: [B([1, 2]).B!] },
  bin: B([0xff, 0x01, 0x02]),
  arr: { L: [S('a'), N(2), { M: { deep: S('x') } }] },
  doc: { M: { child: { M: { n: N(3) } }, flag: { BOOL: true } } },
  nul: { NULL: true },
  'odd title': S('odd'),
  clef: S('é𝄞'),
};

describe('condition evaluation', () => {
  it.each<[string, Record<string, AttributeValue>, boolean]>([
    ['price = :v', { ':v': N('10.50') }, true],
    ['price <> :v', { ':v': N('10.5') }, false],
    ['price < :v', { ':v': N('11') }, true],
    ['price <= :v', { ':v': N('10.5') }, true],
    ['price > :v', { ':v': N('9') }, true],
    ['price >= :v', { ':v': N('10.6') }, false],
    ['price = :v', { ':v': S('10.5') }, false],
    ['price < :v', { ':v': S('z') }, false],
    ['price <> :v', { ':v': S('10.5') }, true],
    ['absent = :v', { ':v': S('x') }, false],
    ['absent < :v', { ':v': N(1) }, false],
    ['absent <> :v', { ':v': S('x') }, true],
    ['price BETWEEN :lo AND :hi', { ':lo': N(10), ':hi': N(11) }, true],
    ['price BETWEEN :lo AND :hi', { ':lo': N(11), ':hi': N(12) }, false],
    ['id BETWEEN :lo AND :hi', { ':lo': S('item'), ':hi': S('item-2') }, true],
    ['price IN (:a, :b)', { ':a': N(1), ':b': N('10.5') }, true],
    ['price IN (:a, :b)', { ':a': N(1), ':b': N(2) }, false],
    ['doc.child.n = :v', { ':v': N(3) }, true],
    ['arr[2].deep = :v', { ':v': S('x') }, true],
    ['arr[1] = :v', { ':v': N(2) }, true],
    ['arr[7] = :v', { ':v': N(2) }, false],
    ['doc.flag = :v', { ':v': { BOOL: true } }, true],
    ['tags = :v', { ':v': { SS: ['blue', 'red'] } }, true],
    ['doc = :v', { ':v': { M: { flag: { BOOL: true }, child: { M: { n: N('3.0') } } } } }, true],
    ['bin > :v', { ':v': B([0x80]) }, true],
  ])('%s with %j is %s', (expression, values, expected) => {
    expect(check(expression, item, values)).toBe(expected);
  });

  it.each<[string, Record<string, AttributeValue>, boolean]>([
    ['attribute_exists(price)', {}, true],
    ['attribute_exists(doc.child.n)', {}, true],
    ['attribute_exists(doc.nope)', {}, false],
    ['attribute_not_exists(nope)', {}, true],
    ['attribute_type(tags, :t)', { ':t': S('SS') }, true],
    ['attribute_type(nul, :t)', { ':t': S('NULL') }, true],
    ['attribute_type(price, :t)', { ':t': S('S') }, false],
    ['begins_with(id, :p)', { ':p': S('item') }, true],
    ['begins_with(id, :p)', { ':p': S('x') }, false],
    ['begins_with(bin, :p)', { ':p': B([0xff]) }, true],
    ['begins_with(price, :p)', { ':p': S('1') }, false],
    ['contains(title, :s)', { ':s': S('wö') }, true],
    ['contains(tags, :s)', { ':s': S('red') }, true],
    ['contains(tags, :s)', { ':s': S('re') }, false],
    ['contains(scores, :n)', { ':n': N('2.50') }, true],
    ['contains(blobs, :b)', { ':b': B([1, 2]) }, true],
    ['contains(arr, :v)', { ':v': N(2) }, true],
    ['contains(arr, :v)', { ':v': S('b') }, false],
    ['size(title) = :n', { ':n': N(11) }, true],
    ['size(clef) = :n', { ':n': N(3) }, true],
    ['size(bin) = :n', { ':n': N(3) }, true],
    ['size(tags) = :n', { ':n': N(2) }, true],
    ['size(arr) = :n', { ':n': N(3) }, true],
    ['size(doc) = :n', { ':n': N(2) }, true],
    ['size(price) = :n', { ':n': N(4) }, false],
    ['size(absent) < :n', { ':n': N(4) }, false],
    ['size(arr) > size(tags)', {}, true],
  ])('%s with %j is %s', (expression, values, expected) => {
    expect(check(expression, item, values)).toBe(expected);
  });

  it('treats a absent item as having no attributes', () => {
    expect(check('attribute_not_exists(id)', undefined)).toBe(true);
    expect(check('attribute_exists(id)', undefined)).toBe(false);
    expect(check('id = :v', undefined, { ':v': S('x') })).toBe(false);
  });

  it('binds NOT tighter than AND and AND tighter than OR', () => {
    const v = { ':t': S('SS'), ':x': S('nope'), ':n': S('N') };
    // true OR (false AND false) → true; (true OR false) AND false would be false.
    expect(check('attribute_exists(id) OR id = :x AND attribute_type(tags, :n)', item, v)).toBe(true);
    expect(check('(attribute_exists(id) OR id = :x) AND id = :x', item, v)).toBe(false);
    // NOT applies to the first comparison only.
    expect(check('NOT id = :x AND attribute_type(tags, :t)', item, v)).toBe(true);
    expect(check('NOT (id = :x OR attribute_type(tags, :t))', item, v)).toBe(false);
    expect(check('NOT NOT attribute_exists(id)', item, v)).toBe(true);
  });

  it('reads keywords case-insensitively and names through placeholders', () => {
    expect(check('#s between :a and :b', item, { ':a': N(1), ':b': N(20) }, { '#s': 'price' })).toBe(true);
    expect(check('#n = :v', item, { ':v': S('odd') }, { '#n': 'odd title' })).toBe(true);
    expect(check('#d.#i.n = :v', item, { ':v': N(3) }, { '#d': 'doc', '#i': 'child' })).toBe(true);
  });
});

describe('condition syntax and operand errors', () => {
  const message = (
    expression: string,
    values?: Record<string, AttributeValue>,
    names?: Record<string, string>,
    kind: 'ConditionExpression' | 'FilterExpression' = 'ConditionExpression',
  ) => validationMessage(() => createScope(sent(names), sent(values)).condition(expression, kind));

  it.each<[string, string]>([
    ['a = ', 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "="'],
    ['a b', 'Invalid ConditionExpression: Syntax error; token: "b", near: "a b"'],
    ['a = :v AND __x = :v', 'Invalid ConditionExpression: Syntax error; token: "_", near: "AND __"'],
    ['a == :v', 'Invalid ConditionExpression: Syntax error; token: "=", near: "== :v"'],
    ['(a = :v', 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: ":v"'],
    ['a = :v)', 'Invalid ConditionExpression: Syntax error; token: ")", near: ":v)"'],
    ['a[x] = :v', 'Invalid ConditionExpression: Syntax error; token: "x", near: "[x]"'],
  ])('reports a syntax error in %j', (expression, expected) => {
    expect(message(expression, { ':v': N(1) })).toBe(expected);
  });

  it.each<[string, Record<string, AttributeValue>, string]>([
    ['', {}, 'Invalid ConditionExpression: The expression can not be empty;'],
    ['   ', {}, 'Invalid ConditionExpression: The expression can not be empty;'],
    [
      'status = :v',
      { ':v': N(1) },
      'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status',
    ],
    [
      'a.Size = :v',
      { ':v': N(1) },
      'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Size',
    ],
    [
      'begins_with(a, :v)',
      { ':v': N(1) },
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N',
    ],
    [
      'attribute_type(a, :v)',
      { ':v': S('STRING') },
      'Invalid ConditionExpression: Invalid attribute type name found; type: STRING, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}',
    ],
    [
      'attribute_exists(:v)',
      { ':v': N(1) },
      'Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists',
    ],
    [
      'begins_with(a)',
      {},
      'Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1',
    ],
    ['nope(a)', {}, 'Invalid ConditionExpression: Invalid function name; function: nope'],
    [
      'size(a)',
      {},
      'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size',
    ],
    [
      'begins_with(a, :v) = :v',
      { ':v': S('x') },
      'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: begins_with',
    ],
    [
      'a = if_not_exists(a, :v)',
      { ':v': S('x') },
      'Invalid ConditionExpression: The function is not allowed in a condition expression; function: if_not_exists',
    ],
    [
      'a BETWEEN :hi AND :lo',
      { ':hi': S('b'), ':lo': S('a') },
      'Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {S:b}, upper bound operand: AttributeValue: {S:a}',
    ],
    [
      'a BETWEEN :n AND :s',
      { ':n': N(1), ':s': S('a') },
      'Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}',
    ],
    [
      'a = a',
      {},
      'Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a]',
    ],
    ['((a = :v))', { ':v': N(1) }, 'Invalid ConditionExpression: The expression has redundant parentheses;'],
    [
      'a < :v',
      { ':v': { M: {} } },
      'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: <, operand type: M',
    ],
  ])('rejects %j', (expression, values, expected) => {
    expect(message(expression, values)).toBe(expected);
  });

  it.each<[string, Record<string, AttributeValue>, string]>([
    [
      'begins_with(a, :n) AND (',
      { ':n': N(1) },
      'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "("',
    ],
    [
      'status = :nope',
      { ':v': N(1) },
      'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status',
    ],
    [
      '#x = :nope',
      { ':v': N(1) },
      'Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #x',
    ],
    ['nope(a) AND #x = :v', { ':v': N(1) }, 'Invalid ConditionExpression: Invalid function name; function: nope'],
  ])('reports the problem AWS reports first in %j', (expression, values, expected) => {
    expect(message(expression, values)).toBe(expected);
  });

  it('accepts 100 IN operands and rejects 101', () => {
    const values = { ':v': N(1) };
    const list = (n: number) => `a IN (${Array(n).fill(':v').join(', ')})`;
    expect(message(list(100), values)).toBeUndefined();
    expect(message(list(101), values)).toBe(
      'Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101',
    );
  });

  it('names the expression kind in its errors', () => {
    expect(message('', {}, undefined, 'FilterExpression')).toBe(
      'Invalid FilterExpression: The expression can not be empty;',
    );
  });

  it('rejects an expression over 4 KB', () => {
    const long = `a = :v${' OR a = :v'.repeat(410)}`;
    expect(message(long, { ':v': N(1) })).toMatch(
      /^Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4\d{3}$/,
    );
  });
});

describe('expression attribute names and values', () => {
  it('rejects names and values that are not defined', () => {
    expect(validationMessage(() => createScope().condition('#a = :v', 'ConditionExpression'))).toBe(
      'Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #a',
    );
    expect(validationMessage(() => createScope({ '#a': 'a' }).condition('#a = :v', 'ConditionExpression'))).toBe(
      'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :v',
    );
  });

  it('rejects empty maps and malformed keys', () => {
    expect(validationMessage(() => createScope({}))).toBe('ExpressionAttributeNames must not be empty');
    expect(validationMessage(() => createScope(undefined, {}))).toBe('ExpressionAttributeValues must not be empty');
    expect(validationMessage(() => createScope({ a: 'a' }))).toBe(
      'ExpressionAttributeNames contains invalid key: Syntax error; key: "a"',
    );
    expect(validationMessage(() => createScope(undefined, { v: S('x') }))).toBe(
      'ExpressionAttributeValues contains invalid key: Syntax error; key: "v"',
    );
  });

  it('rejects an invalid value, naming its key', () => {
    expect(validationMessage(() => createScope(undefined, { ':v': { SS: [] } }))).toBe(
      'ExpressionAttributeValues contains invalid value: One or more parameter values were invalid: An string set  may not be empty for key :v',
    );
  });

  it('reports unused names before unused values, listing every key', () => {
    const scope = createScope({ '#a': 'a', '#b': 'b', '#c': 'c' }, { ':x': N(1), ':y': N(2) });
    scope.condition('#b = :x', 'ConditionExpression');
    expect(validationMessage(() => scope.finish())).toBe(
      'Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #c}',
    );
    const values = createScope(undefined, { ':x': N(1), ':y': N(2) });
    values.condition('a = :x', 'ConditionExpression');
    expect(validationMessage(() => values.finish())).toBe(
      'Value provided in ExpressionAttributeValues unused in expressions: keys: {:y}',
    );
  });

  it('counts a placeholder used by any expression of the request', () => {
    const scope = createScope({ '#a': 'a', '#p': 'p' }, { ':x': N(1), ':y': N(2) });
    scope.condition('#a = :x', 'ConditionExpression');
    scope.update('SET b = :y');
    scope.projection('#p');
    expect(validationMessage(() => scope.finish())).toBeUndefined();
  });

  it('compares through number values in canonical form', () => {
    expect(check('a = :v', { a: N('100') }, { ':v': N('1e2') })).toBe(true);
  });
});
