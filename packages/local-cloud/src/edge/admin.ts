import type { Clock } from '../core/clock.js';
import { ManualClock, SystemClock } from '../core/clock.js';
import type { EdgeReply, EdgeRequest } from './http1.js';

/** `/_local-cloud/*`: health, reset, moving a manual clock from outside the process, and the SNS outbox. */
export interface AdminTarget {
  clock: Clock;
  health(): Record<string, unknown>;
  reset(): Promise<void>;
  /** Email, email-json and SMS messages SNS would have sent (optionally for one endpoint or protocol). */
  outbox?(filter: { endpoint?: string; protocol?: string }): unknown[];
  /** Deploys a cloud assembly directory (`local-cloud deploy`). */
  deploy?(assembly: string, parameters: Record<string, string>): Promise<unknown>;
  /** Deployed stacks and their outputs. */
  stacks?(): unknown[];
  /** The PEM certificate at an SNS `SigningCertURL` path, if that is the current one. */
  snsCertificate?(path: string): string | undefined;
}

const json = (status: number, value: unknown): EdgeReply => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(value),
});

export function adminHandler(target: AdminTarget) {
  return async (req: EdgeRequest, path: string, query: URLSearchParams): Promise<EdgeReply> => {
    const body = req.body.toString('utf8');
    const route = `${req.method} ${path.replace(/\/$/, '')}`;
    if (req.method === 'GET' && path.startsWith('/_local-cloud/sns/')) return certificate(target, path);
    switch (route) {
      case 'GET /_local-cloud/health':
        return json(200, target.health());
      case 'POST /_local-cloud/reset':
        await target.reset();
        return json(200, { reset: true });
      case 'GET /_local-cloud/clock':
        return json(200, clockState(target.clock));
      case 'POST /_local-cloud/clock/advance':
        return moveClock(target.clock, (c) => c.advance(readParam(body, query, 'by') ?? '0'));
      case 'POST /_local-cloud/clock/set':
        return moveClock(target.clock, (c) => c.set(toEpoch(readParam(body, query, 'to'))));
      case 'GET /_local-cloud/outbox':
        if (target.outbox) return json(200, { messages: target.outbox(outboxFilter(query)) });
        return json(404, { message: `No local-cloud endpoint ${route}` });
      case 'GET /_local-cloud/stacks':
        return json(200, { stacks: target.stacks?.() ?? [] });
      case 'POST /_local-cloud/deploy':
        if (target.deploy) return deploy(target.deploy, body);
        return json(404, { message: `No local-cloud endpoint ${route}` });
      default:
        return json(404, { message: `No local-cloud endpoint ${route}` });
    }
  };
}

function certificate(target: AdminTarget, path: string): EdgeReply {
  const pem = target.snsCertificate?.(path);
  if (pem === undefined) return json(404, { message: `No SNS signing certificate at ${path}` });
  return { status: 200, headers: { 'content-type': 'application/x-x509-ca-cert' }, body: pem };
}

async function deploy(run: NonNullable<AdminTarget['deploy']>, body: string): Promise<EdgeReply> {
  let input: { assembly?: unknown; parameters?: unknown };
  try {
    input = JSON.parse(body || '{}');
  } catch {
    return json(400, { message: 'The body must be JSON: {"assembly": "<path to cdk.out>", "parameters": {}}' });
  }
  if (typeof input.assembly !== 'string') return json(400, { message: 'Missing "assembly" (the path of cdk.out)' });
  try {
    return json(200, await run(input.assembly, (input.parameters as Record<string, string>) ?? {}));
  } catch (err) {
    return json(400, { message: (err as Error).message });
  }
}

function outboxFilter(query: URLSearchParams): { endpoint?: string; protocol?: string } {
  const endpoint = query.get('endpoint');
  const protocol = query.get('protocol');
  return { ...(endpoint !== null ? { endpoint } : {}), ...(protocol !== null ? { protocol } : {}) };
}

function clockState(clock: Clock) {
  const now = clock.now();
  return { mode: clock.mode, now: new Date(now).toISOString(), epochMs: now };
}

/** Both clocks move forward on request: the manual one only that way, the system one by an offset. */
async function moveClock(clock: Clock, move: (c: ManualClock | SystemClock) => Promise<number>): Promise<EdgeReply> {
  if (!(clock instanceof ManualClock) && !(clock instanceof SystemClock)) {
    return json(409, { message: 'This clock cannot be moved from outside the process.' });
  }
  try {
    await move(clock);
  } catch (err) {
    return json(400, { message: (err as Error).message });
  }
  return json(200, clockState(clock));
}

function readParam(body: string, query: URLSearchParams, name: string): string | undefined {
  if (query.has(name)) return query.get(name) ?? undefined;
  if (!body.trim()) return undefined;
  try {
    const v = JSON.parse(body)[name];
    return v === undefined ? undefined : String(v);
  } catch {
    return undefined;
  }
}

function toEpoch(to: string | undefined): number {
  if (to === undefined) throw new RangeError('Missing "to"');
  const n = /^\d+$/.test(to) ? Number(to) : Date.parse(to);
  if (Number.isNaN(n)) throw new RangeError(`Invalid time: ${to}`);
  return n;
}
