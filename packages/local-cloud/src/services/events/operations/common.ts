import { arn, type Scope } from '../../../core/arn.js';
import type { RequestContext } from '../../../core/service.js';
import { busNotFound, invalid, ruleNotFound } from '../errors.js';
import { DEFAULT_BUS, type EventsModel, type RuleRecord } from '../model/rules.js';
import { BUS_NAME, type Violations } from '../validation.js';

/** Helpers shared by the operations: the event bus a request names, the rule it names, page tokens. */

export function busArn(scope: Scope): string {
  return arn('events', scope, `event-bus/${DEFAULT_BUS}`);
}

/** Only the default bus exists: a request naming another (by name or ARN) gets ResourceNotFoundException. */
export function checkBus(v: Violations, ctx: RequestContext, name: string | undefined): void {
  v.length('eventBusName', name, 1, 1600);
  v.pattern('eventBusName', name, BUS_NAME);
  v.check();
  if (name === undefined || name === DEFAULT_BUS || name === busArn(ctx.scope)) return;
  throw busNotFound(name.startsWith('arn:') ? (name.split('/').pop() as string) : name);
}

export function requireRule(model: EventsModel, ctx: RequestContext, name: string): RuleRecord {
  const rule = model.get(ctx.scope, name);
  if (!rule) throw ruleNotFound(name);
  return rule;
}

export function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64url');
}

export function decodeToken(token: string | undefined): number {
  if (token === undefined) return 0;
  try {
    const v = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Number.isInteger(v?.o) && v.o >= 0) return v.o;
  } catch {
    // fall through
  }
  throw invalid('The NextToken provided is invalid.');
}

/** One page of items, with the token for the next. */
export function paginate<T>(items: T[], token: string | undefined, limit: number | undefined) {
  const offset = decodeToken(token);
  const size = limit ?? 100;
  const page = items.slice(offset, offset + size);
  return { page, ...(items.length > offset + size ? { NextToken: encodeToken(offset + size) } : {}) };
}
