import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { FeedbackRepository } from '../../src/adapters/feedback-repository.js';
import { newItem } from '../../src/domain/feedback.js';

function fakeDoc(reply: (name: string, input: Record<string, unknown>) => unknown) {
  const calls: { name: string; input: Record<string, unknown> }[] = [];
  const doc = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      calls.push({ name: command.constructor.name, input: command.input });
      return reply(command.constructor.name, command.input);
    },
  };
  return { calls, repo: new FeedbackRepository(doc as unknown as DynamoDBDocumentClient, 'feedback') };
}

const conditionFailed = () => {
  throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });
};

const item = newItem({
  id: '3f2b1c4d-5e6f-4a7b-9c8d-0e1f2a3b4c5d',
  submittedAt: '2026-11-23T08:00:00.000Z',
  rating: 5,
  message: 'x',
  source: 'web',
});

describe('FeedbackRepository', () => {
  it('creates with attribute_not_exists(pk) and reports a failed condition as a duplicate', async () => {
    const ok = fakeDoc(() => ({}));
    expect(await ok.repo.create(item)).toBe('created');
    expect(ok.calls[0]).toMatchObject({
      name: 'PutCommand',
      input: { ConditionExpression: 'attribute_not_exists(pk)' },
    });
    expect(await fakeDoc(conditionFailed).repo.create(item)).toBe('duplicate');
  });

  it('lets other errors through', async () => {
    const { repo } = fakeDoc(() => {
      throw new Error('throttled');
    });
    await expect(repo.create(item)).rejects.toThrow('throttled');
  });

  it('updates conditionally on the expected version', async () => {
    const { calls, repo } = fakeDoc(() => ({}));
    expect(await repo.update({ ...item, version: 2 }, 1)).toBe('updated');
    expect(calls[0]?.input).toMatchObject({
      ConditionExpression: 'attribute_exists(pk) AND version = :expected',
      ExpressionAttributeValues: expect.objectContaining({ ':expected': 1, ':version': 2 }),
    });
    expect(await fakeDoc(conditionFailed).repo.update(item, 1)).toBe('conflict');
  });

  it('deletes with attribute_exists(pk) and reports missing items', async () => {
    expect(await fakeDoc(() => ({})).repo.delete('a')).toBe('deleted');
    expect(await fakeDoc(conditionFailed).repo.delete('a')).toBe('missing');
  });

  it('queries byStatus with a status and byCreatedAt without one, newest first', async () => {
    const { calls, repo } = fakeDoc(() => ({ Items: [], LastEvaluatedKey: { pk: 'a' } }));
    expect(await repo.list({ status: 'new', limit: 5, from: 'a', to: 'b' })).toEqual({
      items: [],
      lastKey: { pk: 'a' },
    });
    await repo.list({ limit: 5, to: 'b' });
    expect(calls[0]?.input).toMatchObject({
      IndexName: 'byStatus',
      KeyConditionExpression: '#p = :p AND #c BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#p': 'status', '#c': 'createdAt' },
      ScanIndexForward: false,
      Limit: 5,
    });
    expect(calls[1]?.input).toMatchObject({
      IndexName: 'byCreatedAt',
      KeyConditionExpression: '#p = :p AND #c <= :to',
      ExpressionAttributeValues: { ':p': 'feedback', ':to': 'b' },
    });
  });
});
