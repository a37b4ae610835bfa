import type { FeedbackUpdate, QueuedFeedback, Source, Status } from './schema.js';

/** The constant partition of the byCreatedAt index (see README: listing without a status). */
export const ENTITY = 'feedback';
export const NEGATIVE_RATING_MAX = 2;

export interface FeedbackItem {
  pk: string;
  entity: typeof ENTITY;
  id: string;
  rating: number;
  message: string;
  email?: string;
  source: Source;
  tags: string[];
  status: Status;
  createdAt: string;
  updatedAt: string;
  version: number;
  notifiedAt?: string;
}

export type PublicFeedback = Omit<FeedbackItem, 'pk' | 'entity' | 'notifiedAt'>;

export function newItem(queued: QueuedFeedback): FeedbackItem {
  const item: FeedbackItem = {
    pk: queued.id,
    entity: ENTITY,
    id: queued.id,
    rating: queued.rating,
    message: queued.message,
    source: queued.source,
    tags: queued.tags ?? [],
    status: 'new',
    // createdAt is fixed at intake so a redelivered message produces the same item.
    createdAt: queued.submittedAt,
    updatedAt: queued.submittedAt,
    version: 1,
  };
  if (queued.email !== undefined) item.email = queued.email;
  return item;
}

export function isNegative(item: Pick<FeedbackItem, 'rating'>): boolean {
  return item.rating <= NEGATIVE_RATING_MAX;
}

export function needsAlert(item: FeedbackItem): boolean {
  return isNegative(item) && item.notifiedAt === undefined;
}

export function toPublic(item: FeedbackItem): PublicFeedback {
  const { pk: _pk, entity: _entity, notifiedAt: _notifiedAt, ...rest } = item;
  return rest;
}

const TRANSITIONS: Record<Status, readonly Status[]> = {
  new: ['in-progress', 'resolved'],
  'in-progress': ['new', 'resolved'],
  resolved: ['in-progress'],
};

export function canTransition(from: Status, to: Status): boolean {
  return from === to || TRANSITIONS[from].includes(to);
}

export type UpdateOutcome = { kind: 'updated'; item: FeedbackItem } | { kind: 'conflict'; reason: string };

export function applyUpdate(
  current: FeedbackItem,
  update: FeedbackUpdate,
  now: string,
  expectedVersion?: number,
): UpdateOutcome {
  if (expectedVersion !== undefined && expectedVersion !== current.version) {
    return { kind: 'conflict', reason: `Version mismatch: expected ${expectedVersion}, current ${current.version}` };
  }
  if (update.status !== undefined && !canTransition(current.status, update.status)) {
    return { kind: 'conflict', reason: `Cannot change status from ${current.status} to ${update.status}` };
  }
  return {
    kind: 'updated',
    item: {
      ...current,
      status: update.status ?? current.status,
      tags: update.tags ?? current.tags,
      updatedAt: now,
      version: current.version + 1,
    },
  };
}

/** Parses an If-Match header: a version number, optionally quoted as an ETag ("3" or W/"3"). */
export function parseIfMatch(header: string | undefined): number | undefined | 'invalid' {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^(?:W\/)?"?(\d+)"?$/.exec(header.trim());
  return match ? Number(match[1]) : 'invalid';
}

export function etagOf(item: Pick<FeedbackItem, 'version'>): string {
  return `"${item.version}"`;
}
