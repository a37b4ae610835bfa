import { describe, expect, it } from 'vitest';
import type { RouteRecord } from '../../src/services/apigateway/model/http-apis.js';
import { ResourceTree, RouteTable, validRouteKey } from '../../src/services/apigateway/model/match.js';
import type { ResourceRecord } from '../../src/services/apigateway/model/rest-apis.js';
import { lambdaArnOf } from '../../src/services/apigateway/operations/common.js';
import { isBinaryFor, isTextType, requestTime } from '../../src/wiring/execute-api-events.js';
import { mapV1, mapV2 } from '../../src/wiring/execute-api-replies.js';

const route = (routeKey: string): RouteRecord => ({
  routeId: routeKey,
  routeKey,
  authorizationType: 'NONE',
  apiKeyRequired: false,
});

describe('HTTP API route matching', () => {
  const table = new RouteTable(
    ['GET /pets', 'GET /pets/{id}', 'ANY /pets/{id}', 'GET /pets/dog', 'GET /{proxy+}', '$default'].map(route),
  );
  const key = (method: string, path: string) => table.match(method, path)?.route.routeKey;

  it('prefers literal segments, then variables, then greedy variables, then $default', () => {
    expect(key('GET', '/pets/dog')).toBe('GET /pets/dog');
    expect(key('GET', '/pets/cat')).toBe('GET /pets/{id}');
    expect(key('GET', '/other/deep/path')).toBe('GET /{proxy+}');
    expect(key('POST', '/other')).toBe('$default');
  });

  it('prefers an exact method over ANY and decodes path parameters', () => {
    expect(key('DELETE', '/pets/a%20b')).toBe('ANY /pets/{id}');
    expect(table.match('DELETE', '/pets/a%20b')?.params).toEqual({ id: 'a b' });
  });

  it('does not match a greedy variable against zero segments', () => {
    const t = new RouteTable([route('GET /files/{path+}')]);
    expect(t.match('GET', '/files')).toBeUndefined();
    expect(t.match('GET', '/files/a/b')?.params).toEqual({ path: 'a/b' });
  });

  it('accepts $default and METHOD /path keys with a greedy variable only at the end', () => {
    expect(validRouteKey('$default')).toBe(true);
    expect(validRouteKey('GET /a/{b+}')).toBe(true);
    expect(validRouteKey('GET /a/{b+}/c')).toBe(false);
    expect(validRouteKey('get /a')).toBe(false);
    expect(validRouteKey('GET a')).toBe(false);
  });
});

describe('REST API resource matching', () => {
  const m = { httpMethod: 'GET', authorizationType: 'NONE', apiKeyRequired: false };
  const resources: ResourceRecord[] = [
    { id: 'root', path: '/', methods: {} },
    { id: 'a', parentId: 'root', pathPart: 'a', path: '/a', methods: {} },
    { id: 'b', parentId: 'a', pathPart: '{b}', path: '/a/{b}', methods: { GET: m } },
    {
      id: 'p',
      parentId: 'root',
      pathPart: '{proxy+}',
      path: '/{proxy+}',
      methods: { ANY: { ...m, httpMethod: 'ANY' } },
    },
  ];
  const tree = new ResourceTree(resources);

  it('walks literal children before variables and falls back to {proxy+} for unknown paths', () => {
    expect(tree.match('GET', '/a/1')).toMatchObject({ resource: { id: 'b' }, params: { b: '1' } });
    expect(tree.match('GET', '/x/y')).toMatchObject({ resource: { id: 'p' }, params: { proxy: 'x/y' } });
    expect(tree.match('POST', '/a/1/c')).toMatchObject({ resource: { id: 'p' } });
  });

  it('finds nothing for a resource that lacks the method, or for the root without methods', () => {
    expect(tree.match('GET', '/a')).toBeUndefined();
    expect(tree.match('POST', '/a/1')).toBeUndefined();
    expect(tree.match('GET', '/')).toBeUndefined();
  });
});

describe('proxy response mapping', () => {
  const buf = (v: unknown) => Buffer.from(JSON.stringify(v));

  it('2.0: a value without statusCode is a 200 JSON body; a string is passed through', () => {
    expect(mapV2(buf({ a: 1 }))).toMatchObject({ status: 200, headers: { 'content-type': 'application/json' } });
    expect(mapV2(buf({ a: 1 }))?.body.toString()).toBe('{"a":1}');
    expect(mapV2(buf('hi'))?.body.toString()).toBe('hi');
    expect(mapV2(buf([1, 2]))?.body.toString()).toBe('[1,2]');
  });

  it('2.0: reads statusCode, headers, cookies and base64 bodies; rejects a bad statusCode', () => {
    const m = mapV2(
      buf({ statusCode: 204, headers: { A: 'b' }, cookies: ['c=1'], body: 'aGk=', isBase64Encoded: true }),
    );
    expect(m).toMatchObject({ status: 204, headers: { a: 'b' }, cookies: ['c=1'] });
    expect(m?.body.toString()).toBe('hi');
    expect(mapV2(buf({ statusCode: 'x' }))).toBeUndefined();
    expect(mapV2(buf({ statusCode: 200, cookies: 'c=1' }))).toBeUndefined();
  });

  it('1.0: needs an integer statusCode, a string body and no unknown keys; merges multiValueHeaders', () => {
    const m = mapV1(
      buf({ statusCode: 200, headers: { a: '1' }, multiValueHeaders: { b: ['x', 'y'], 'Set-Cookie': ['k=v'] } }),
    );
    expect(m).toMatchObject({ status: 200, headers: { a: '1', b: 'x,y' }, cookies: ['k=v'] });
    expect(mapV1(buf({ hello: 'world' }))).toBeUndefined();
    expect(mapV1(buf({ statusCode: 200, body: { a: 1 } }))).toBeUndefined();
    expect(mapV1(buf({ statusCode: 200, other: 1 }))).toBeUndefined();
    expect(mapV1(Buffer.from('null'))).toBeUndefined();
  });
});

describe('event helpers', () => {
  it('formats requestTime as dd/Mon/yyyy:HH:mm:ss +0000', () => {
    expect(requestTime(Date.UTC(2020, 2, 12, 19, 3, 58))).toBe('12/Mar/2020:19:03:58 +0000');
  });

  it('treats text, JSON and XML as text and everything else as binary (HTTP APIs)', () => {
    for (const t of ['text/plain', 'application/json; charset=utf-8', 'application/ld+json', 'application/xml']) {
      expect(isTextType(t)).toBe(true);
    }
    for (const t of ['application/octet-stream', 'image/png', 'application/x-www-form-urlencoded', undefined]) {
      expect(isTextType(t)).toBe(false);
    }
  });

  it('matches REST binaryMediaTypes exactly or by wildcard', () => {
    expect(isBinaryFor(['image/*'], 'image/png')).toBe(true);
    expect(isBinaryFor(['*/*'], 'text/plain')).toBe(true);
    expect(isBinaryFor(['application/pdf'], 'image/png')).toBe(false);
    expect(isBinaryFor([], 'image/png')).toBe(false);
  });

  it('reads a Lambda ARN from an integration URI in either form', () => {
    const arn = 'arn:aws:lambda:us-east-1:000000000000:function:f';
    expect(lambdaArnOf(arn)).toBe(arn);
    expect(lambdaArnOf(`arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${arn}/invocations`)).toBe(arn);
    expect(lambdaArnOf('https://example.com')).toBeUndefined();
  });
});
