import { describe, expect, it } from 'vitest';
import {
  applyUpdate,
  canTransition,
  etagOf,
  needsAlert,
  newItem,
  parseIfMatch,
  toPublic,
} from '../../src/domain/feedback.js';

const queued = {
  id: '3f2b1c4d-5e6f-4a7b-9c8d-0e1f2a3b4c5d',
  submittedAt: '2026-11-23T08:00:00.000Z',
  rating: 2,
  message: 'Slow',
  source: 'web' as const,
};

describe('newItem', () => {
  it('keys the item on the feedback id and takes createdAt from intake', () => {
    const item = newItem(queued);
    expect(item).toMatchObject({
      pk: queued.id,
      id: queued.id,
      status: 'new',
      tags: [],
      version: 1,
      entity: 'feedback',
    });
    expect(item.createdAt).toBe(queued.submittedAt);
    expect(item).not.toHaveProperty('email');
  });

  it('is deterministic, so a redelivered message builds the same item', () => {
    expect(newItem(queued)).toEqual(newItem(queued));
  });
});

describe('alerts', () => {
  it('needs an alert for ratings of 2 or less until notified', () => {
    expect(needsAlert(newItem(queued))).toBe(true);
    expect(needsAlert({ ...newItem(queued), notifiedAt: 'x' })).toBe(false);
    expect(needsAlert(newItem({ ...queued, rating: 3 }))).toBe(false);
  });
});

describe('applyUpdate', () => {
  const item = newItem(queued);

  it('changes status and tags, bumps the version and updatedAt', () => {
    const outcome = applyUpdate(item, { status: 'in-progress', tags: ['ux'] }, '2026-11-23T09:00:00.000Z');
    expect(outcome).toEqual({
      kind: 'updated',
      item: { ...item, status: 'in-progress', tags: ['ux'], version: 2, updatedAt: '2026-11-23T09:00:00.000Z' },
    });
  });

  it('refuses transitions the workflow does not allow', () => {
    const resolved = { ...item, status: 'resolved' as const };
    expect(applyUpdate(resolved, { status: 'new' }, 'now')).toEqual({
      kind: 'conflict',
      reason: 'Cannot change status from resolved to new',
    });
    expect(canTransition('resolved', 'in-progress')).toBe(true);
    expect(canTransition('new', 'new')).toBe(true);
  });

  it('refuses a stale expected version', () => {
    expect(applyUpdate(item, { tags: [] }, 'now', 7).kind).toBe('conflict');
    expect(applyUpdate(item, { tags: [] }, 'now', 1).kind).toBe('updated');
  });
});

describe('If-Match and ETag', () => {
  it('parses quoted, weak and bare versions', () => {
    expect(parseIfMatch('"3"')).toBe(3);
    expect(parseIfMatch('W/"4"')).toBe(4);
    expect(parseIfMatch('5')).toBe(5);
    expect(parseIfMatch('*')).toBeUndefined();
    expect(parseIfMatch(undefined)).toBeUndefined();
    expect(parseIfMatch('"abc"')).toBe('invalid');
  });

  it('renders the version as the ETag', () => {
    expect(etagOf({ version: 3 })).toBe('"3"');
  });

  it('hides storage attributes from API responses', () => {
    const keys = Object.keys(toPublic({ ...newItem(queued), notifiedAt: 'x' }));
    for (const hidden of ['pk', 'entity', 'notifiedAt']) expect(keys).not.toContain(hidden);
    expect(keys).toContain('id');
  });
});
