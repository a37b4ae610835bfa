import { describe, expect, it } from 'vitest';
import { createScope } from '../../src/services/dynamodb/expressions/index.js';
import type { AttributeValue, Item, KeySchemaElement } from '../../src/services/dynamodb/expressions/types.js';
import { N, S, sent, validationMessage } from './expressions-helpers.js';

const table: KeySchemaElement[] = [
  { AttributeName: 'pk', KeyType: 'HASH' },
  { AttributeName: 'sk', KeyType: 'RANGE' },
];
const hashOnly: KeySchemaElement[] = [{ AttributeName: 'pk', KeyType: 'HASH' }];
const values: Record<string, AttributeValue> = { ':p': S('user'), ':a': N(1), ':b': N(5) };

const keyCondition = (
  expression: string,
  schema = table,
  vals: Record<string, AttributeValue> | undefined = values,
  names?: Record<string, string>,
) => createScope(sent(names), sent(vals)).keyCondition(expression, schema);

describe('KeyConditionExpression', () => {
  it('resolves hash equality alone', () => {
    expect(keyCondition('pk = :p')).toEqual({ hashName: 'pk', hashValue: S('user') });
  });

  it.each<[string, object]>([
    ['pk = :p AND sk = :a', { op: '=', value: N(1) }],
    ['pk = :p AND sk < :a', { op: '<', value: N(1) }],
    ['pk = :p AND sk <= :a', { op: '<=', value: N(1) }],
    ['pk = :p AND sk > :a', { op: '>', value: N(1) }],
    ['pk = :p AND sk >= :a', { op: '>=', value: N(1) }],
    ['pk = :p AND :a < sk', { op: '>', value: N(1) }],
    ['pk = :p AND sk BETWEEN :a AND :b', { op: 'BETWEEN', low: N(1), high: N(5) }],
    ['sk between :a and :b and pk = :p', { op: 'BETWEEN', low: N(1), high: N(5) }],
    ['(pk = :p) AND (begins_with(sk, :p))', { op: 'begins_with', prefix: S('user') }],
  ])('resolves %s', (expression, range) => {
    expect(keyCondition(expression)).toEqual({ hashName: 'pk', hashValue: S('user'), rangeName: 'sk', range });
  });

  it('resolves names through placeholders', () => {
    const result = keyCondition(
      '#k = :p',
      [{ AttributeName: 'status', KeyType: 'HASH' }],
      { ':p': S('x') },
      { '#k': 'status' },
    );
    expect(result).toEqual({ hashName: 'status', hashValue: S('x') });
  });

  it.each<[string, KeySchemaElement[], string]>([
    ['sk = :a', table, 'Query condition missed key schema element: pk'],
    ['pk = :p AND extra = :a', table, 'Query condition missed key schema element: sk'],
    ['pk = :p AND extra = :a', hashOnly, 'Query key condition not supported'],
    ['pk < :p', table, 'Query key condition not supported'],
    ['pk = :p OR sk = :a', table, 'Invalid operator used in KeyConditionExpression: OR'],
    ['pk = :p AND NOT sk = :a', table, 'Invalid operator used in KeyConditionExpression: NOT'],
    ['pk IN (:p)', table, 'Invalid operator used in KeyConditionExpression: IN'],
    ['pk <> :p', table, 'Invalid operator used in KeyConditionExpression: <>'],
    ['attribute_exists(pk)', table, 'Invalid operator used in KeyConditionExpression: attribute_exists'],
    ['pk = :p AND sk > :a AND sk < :b', table, 'KeyConditionExpressions must only contain one condition per key'],
    ['pk = :p AND pk = :p', table, 'KeyConditionExpressions must only contain one condition per key'],
    ['pk = :p AND size(sk) > :a', table, 'KeyConditionExpressions cannot contain nested operations'],
    ['pk.x = :p', table, 'KeyConditionExpressions cannot have conditions on nested attributes'],
    ['pk = sk', table, 'Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition'],
    [':p = :a', table, 'Invalid condition in KeyConditionExpression: No key attribute specified'],
    [
      'pk = :p AND begins_with(:p, sk)',
      table,
      'Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand',
    ],
    [
      'pk = :p AND begins_with(sk, :a)',
      table,
      'Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N',
    ],
    [
      'pk = :p AND sk BETWEEN :b AND :a',
      table,
      'Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}',
    ],
    ['', table, 'Invalid KeyConditionExpression: The expression can not be empty;'],
    ['pk = ', table, 'Invalid KeyConditionExpression: Syntax error; token: "<EOF>", near: "="'],
  ])('rejects %j', (expression, schema, expected) => {
    expect(validationMessage(() => keyCondition(expression, schema))).toBe(expected);
  });
});

describe('ProjectionExpression', () => {
  const item: Item = {
    id: S('1'),
    title: S('t'),
    arr: { L: [S('a'), S('b'), S('c'), S('d')] },
    doc: { M: { x: N(1), y: N(2), z: { M: { deep: S('d') } } } },
    'my-attr': S('dash'),
  };
  const project = (expression: string, names?: Record<string, string>) =>
    createScope(sent(names)).projection(expression).apply(item);

  it.each<[string, Item]>([
    ['id', { id: S('1') }],
    ['id, title, absent', { id: S('1'), title: S('t') }],
    ['doc.x, doc.z.deep', { doc: { M: { x: N(1), z: { M: { deep: S('d') } } } } }],
    ['arr[3], arr[1]', { arr: { L: [S('b'), S('d')] } }],
    ['arr[9]', {}],
    ['doc.absent', {}],
    ['title.x', {}],
  ])('projects %s', (expression, expected) => {
    expect(project(expression)).toEqual(expected);
  });

  it('reads names through placeholders', () => {
    expect(project('#a, #d.#x', { '#a': 'my-attr', '#d': 'doc', '#x': 'x' })).toEqual({
      'my-attr': S('dash'),
      doc: { M: { x: N(1) } },
    });
  });

  it('returns copies, not the stored values', () => {
    const out = project('doc');
    (out.doc!.M as Record<string, AttributeValue>).x = N(99);
    expect(item.doc!.M!.x).toEqual(N(1));
  });

  it.each<[string, Record<string, string> | undefined, string]>([
    ['abort,', undefined, 'Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: ","'],
    [
      '#a,ABSoLUTE',
      undefined,
      'Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: ABSoLUTE',
    ],
    [
      'a,b,a,#a',
      undefined,
      'Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #a',
    ],
    ['', undefined, 'Invalid ProjectionExpression: The expression can not be empty;'],
    ['a,,b', undefined, 'Invalid ProjectionExpression: Syntax error; token: ",", near: ",,b"'],
    ['a-b', undefined, 'Invalid ProjectionExpression: Syntax error; token: "-", near: "a-b"'],
    [':a', undefined, 'Invalid ProjectionExpression: Syntax error; token: ":a", near: ":a"'],
    [
      'a.abORt',
      undefined,
      'Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: abORt',
    ],
    [
      'a, #a',
      undefined,
      'Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #a',
    ],
    [
      'b[1], b.a, #a.b, a',
      { '#a': 'a' },
      'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]',
    ],
    [
      'a, #a[1]',
      { '#a': 'a' },
      'Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, [1]]',
    ],
    [
      'a.b, #a[1], #b',
      { '#a': 'a', '#b': '[3]' },
      'Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [1]]',
    ],
  ])('rejects %j', (expression, names, expected) => {
    expect(validationMessage(() => project(expression, names))).toBe(expected);
  });
});
