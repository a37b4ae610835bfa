import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { createTable, tableInput, useDynamo } from './helpers.js';

const env = useDynamo();

describe('DynamoDBDocumentClient', () => {
  it('round-trips nested JavaScript values', async () => {
    await createTable(env.ddb, tableInput('docs'));
    const item = {
      pk: 'user#1',
      sk: 1,
      name: 'Ada',
      age: 36,
      ratio: 0.25,
      active: true,
      nothing: null,
      tags: new Set(['a', 'b']),
      scores: new Set([1, 2, 3]),
      blob: new Uint8Array([1, 2, 3]),
      profile: { address: { city: 'London', zip: 'N1' }, langs: ['en', 'fr', { level: 2 }] },
      empty: '',
    };
    await env.doc.send(new PutCommand({ TableName: 'docs', Item: item }));
    const { Item } = await env.doc.send(new GetCommand({ TableName: 'docs', Key: { pk: 'user#1', sk: 1 } }));
    expect(Item).toEqual(item);
  });

  it('updates nested paths and queries with the document client', async () => {
    await createTable(env.ddb, tableInput('docs'));
    await env.doc.send(
      new PutCommand({ TableName: 'docs', Item: { pk: 'p', sk: 1, profile: { visits: 1, hist: [1] } } }),
    );
    const out = await env.doc.send(
      new UpdateCommand({
        TableName: 'docs',
        Key: { pk: 'p', sk: 1 },
        UpdateExpression: 'SET profile.visits = profile.visits + :one, profile.hist = list_append(profile.hist, :more)',
        ExpressionAttributeValues: { ':one': 1, ':more': [2, 3] },
        ReturnValues: 'ALL_NEW',
      }),
    );
    expect(out.Attributes?.profile).toEqual({ visits: 2, hist: [1, 2, 3] });
    await env.doc.send(new PutCommand({ TableName: 'docs', Item: { pk: 'p', sk: 2 } }));
    const q = await env.doc.send(
      new QueryCommand({
        TableName: 'docs',
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': 'p' },
      }),
    );
    expect(q.Items?.map((i) => i.sk)).toEqual([1, 2]);
  });
});
