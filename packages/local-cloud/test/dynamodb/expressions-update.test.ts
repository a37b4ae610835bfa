import { describe, expect, it } from 'vitest';
import { createScope } from '../../src/services/dynamodb/expressions/index.js';
import type { AttributeValue, Item } from '../../src/services/dynamodb/expressions/types.js';
import { N, S, sent, update, validationMessage } from './expressions-helpers.js';

const base: Item = {
  id: S('k'),
  count: N(5),
  arr: { L: [S('a'), S('b'), S('c'), S('d')] },
  doc: { M: { child: { M: { n: N(1) } } } },
  tags: { SS: ['red', 'blue'] },
  nums: { NS: ['1', '2'] },
  title: S('t'),
};

describe('UpdateExpression application', () => {
  it.each<[string, Record<string, AttributeValue>, Record<string, AttributeValue | undefined>]>([
    ['SET a = :v', { ':v': S('x') }, { a: S('x') }],
    ['SET #c = #c + :one', { ':one': N(1) }, { count: N(6) }],
    ['SET #c = #c - :v', { ':v': N('0.5') }, { count: N('4.5') }],
    ['SET a = :x + :y', { ':x': N('0.1'), ':y': N('0.2') }, { a: N('0.3') }],
    ['SET a = if_not_exists(absent, :v)', { ':v': N(0) }, { a: N(0) }],
    ['SET a = if_not_exists(title, :v)', { ':v': S('other') }, { a: S('t') }],
    ['SET arr = list_append(arr, :l)', { ':l': { L: [S('e')] } }, { arr: { L: ['a', 'b', 'c', 'd', 'e'].map(S) } }],
    ['SET arr = list_append(:l, arr)', { ':l': { L: [S('z')] } }, { arr: { L: ['z', 'a', 'b', 'c', 'd'].map(S) } }],
    [
      'SET fresh = list_append(if_not_exists(fresh, :empty), :l)',
      { ':empty': { L: [] }, ':l': { L: [N(1)] } },
      { fresh: { L: [N(1)] } },
    ],
    ['SET doc.child.n = :v', { ':v': N(9) }, { doc: { M: { child: { M: { n: N(9) } } } } }],
    ['SET doc.added = :v', { ':v': S('new') }, { doc: { M: { child: { M: { n: N(1) } }, added: S('new') } } }],
    ['SET arr[1] = :v', { ':v': S('B') }, { arr: { L: ['a', 'B', 'c', 'd'].map(S) } }],
    ['SET arr[10] = :v', { ':v': S('e') }, { arr: { L: ['a', 'b', 'c', 'd', 'e'].map(S) } }],
    ['SET a = title, title = :v', { ':v': S('new') }, { a: S('t'), title: S('new') }],
    ['ADD #c :v', { ':v': N(-7) }, { count: N(-2) }],
    ['ADD fresh :v', { ':v': N(3) }, { fresh: N(3) }],
    ['ADD tags :v', { ':v': { SS: ['blue', 'green'] } }, { tags: { SS: ['red', 'blue', 'green'] } }],
    ['ADD nums :v', { ':v': { NS: ['2.0', '3'] } }, { nums: { NS: ['1', '2', '3'] } }],
    ['ADD fresh :v', { ':v': { SS: ['x'] } }, { fresh: { SS: ['x'] } }],
    ['DELETE tags :v', { ':v': { SS: ['red', 'absent'] } }, { tags: { SS: ['blue'] } }],
    ['DELETE tags :v', { ':v': { SS: ['red', 'blue'] } }, { tags: undefined }],
    ['DELETE absent :v', { ':v': { SS: ['red'] } }, { absent: undefined }],
    ['set a = :v remove title', { ':v': N(1) }, { a: N(1), title: undefined }],
  ])('%s with %j', (expression, values, expected) => {
    const out = update(expression, base, values, expression.includes('#c') ? { '#c': 'count' } : undefined);
    for (const [k, v] of Object.entries(expected)) expect(out[k]).toEqual(v);
  });

  it('removes attributes, map entries and list elements', () => {
    const out = update('REMOVE title, doc.child.n, arr[1], absent, arr[9]', base);
    expect(out.title).toBeUndefined();
    expect(out.doc).toEqual({ M: { child: { M: {} } } });
    expect(out.arr).toEqual({ L: ['a', 'c', 'd'].map(S) });
  });

  it('removes several list indexes as numbered before the update', () => {
    expect(update('REMOVE arr[0], arr[2]', base).arr).toEqual({ L: [S('b'), S('d')] });
  });

  it('does not change the input item', () => {
    const copy = structuredClone(base);
    update('SET doc.child.n = :v REMOVE arr[0] ADD tags :s', base, { ':v': N(2), ':s': { SS: ['x'] } });
    expect(base).toEqual(copy);
  });

  it('reports the top-level names it touches', () => {
    const scope = createScope({ '#k': 'id' }, { ':v': N(1), ':s': { SS: ['x'] } });
    const compiled = scope.update('SET doc.child.n = :v, #k = :v REMOVE title ADD tags :s');
    expect([...compiled.topLevelNames].sort()).toEqual(['doc', 'id', 'tags', 'title']);
  });
});

describe('UpdateExpression errors at apply time', () => {
  it.each<[string, Record<string, AttributeValue> | undefined, string]>([
    [
      'SET a = absent + :v',
      { ':v': N(1) },
      'The provided expression refers to an attribute that does not exist in the item',
    ],
    ['SET a = title + :v', { ':v': N(1) }, 'An operand in the update expression has an incorrect data type'],
    [
      'SET a = list_append(title, :l)',
      { ':l': { L: [] } },
      'An operand in the update expression has an incorrect data type',
    ],
    ['SET absent.x = :v', { ':v': N(1) }, 'The document path provided in the update expression is invalid for update'],
    ['SET title.x = :v', { ':v': N(1) }, 'The document path provided in the update expression is invalid for update'],
    ['SET title[0] = :v', { ':v': N(1) }, 'The document path provided in the update expression is invalid for update'],
    ['ADD title :v', { ':v': N(1) }, 'An operand in the update expression has an incorrect data type'],
    ['ADD tags :v', { ':v': { NS: ['1'] } }, 'An operand in the update expression has an incorrect data type'],
    ['DELETE nums :v', { ':v': { SS: ['1'] } }, 'An operand in the update expression has an incorrect data type'],
    [
      'SET #c = #c + :big',
      { ':big': N('99999999999999999999999999999999999999') },
      'Attempting to store more than 38 significant digits in a Number',
    ],
  ])('%s fails with %j', (expression, values, expected) => {
    const names = expression.includes('#c') ? { '#c': 'count' } : undefined;
    expect(validationMessage(() => update(expression, base, values, names))).toBe(expected);
  });
});

describe('UpdateExpression parse errors', () => {
  const message = (expression: string, values?: Record<string, AttributeValue>, names?: Record<string, string>) =>
    validationMessage(() => createScope(sent(names), sent(values)).update(expression));

  it.each<[string, Record<string, AttributeValue>, string]>([
    ['', {}, 'Invalid UpdateExpression: The expression can not be empty;'],
    ['SET', {}, 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "SET"'],
    ['SET a = :v +', { ':v': N(1) }, 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "+"'],
    ['SET a :v', { ':v': N(1) }, 'Invalid UpdateExpression: Syntax error; token: ":v", near: "a :v"'],
    ['UPSERT a = :v', { ':v': N(1) }, 'Invalid UpdateExpression: Syntax error; token: "UPSERT", near: "UPSERT a"'],
    ['ADD a b', {}, 'Invalid UpdateExpression: Syntax error; token: "b", near: "a b"'],
    [
      'SET a = :v SET b = :v',
      { ':v': N(1) },
      'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;',
    ],
    [
      'REMOVE a remove b',
      {},
      'Invalid UpdateExpression: The "REMOVE" section can only be used once in an update expression;',
    ],
    [
      'SET a = :v REMOVE a.b',
      { ':v': N(1) },
      'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]',
    ],
    [
      'SET a.b = :v, a[0] = :v',
      { ':v': N(1) },
      'Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [0]]',
    ],
    [
      'ADD a :v',
      { ':v': S('x') },
      'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND',
    ],
    [
      'ADD a :v',
      { ':v': { M: {} } },
      'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: MAP, typeSet: ALLOWED_FOR_ADD_OPERAND',
    ],
    [
      'DELETE a :v',
      { ':v': N(1) },
      'Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND',
    ],
    [
      'SET a = list_append(a, :v)',
      { ':v': S('x') },
      'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: S',
    ],
    [
      'SET a = list_append(:v)',
      { ':v': { L: [] } },
      'Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1',
    ],
    [
      'SET a = if_not_exists(:v, :v)',
      { ':v': N(1) },
      'Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists',
    ],
    [
      'SET a = size(b)',
      {},
      'Invalid UpdateExpression: The function is not allowed in an update expression; function: size',
    ],
    ['SET a = nope(b)', {}, 'Invalid UpdateExpression: Invalid function name; function: nope'],
    [
      'SET a = :s + :n',
      { ':s': S('x'), ':n': N(1) },
      'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S',
    ],
    [
      'SET #x = :v',
      { ':v': N(1) },
      'Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #x',
    ],
    [
      'SET a = :nope',
      { ':v': N(1) },
      'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :nope',
    ],
    [
      'SET status = :v',
      { ':v': N(1) },
      'Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: status',
    ],
  ])('rejects %j', (expression, values, expected) => {
    expect(message(expression, values)).toBe(expected);
  });
});
