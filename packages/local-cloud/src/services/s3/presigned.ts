import { AccessDenied, AuthorizationQueryParametersError } from './errors.js';

const WEEK = 604_800;

/** `20130524T000000Z` → epoch ms. */
function amzDate(s: string): number {
  const m = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/.exec(s);
  if (!m) return Number.NaN;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Presigned (query-string SigV4) requests: X-Amz-Expires must be 1..604800 seconds, and the URL is
 * refused once X-Amz-Date + X-Amz-Expires has passed on the injected clock. The signature itself is
 * not verified (no request's is).
 */
export function checkPresigned(query: URLSearchParams, now: number): void {
  if (query.get('X-Amz-Algorithm') === null && query.get('X-Amz-Signature') === null) return;
  const expiresParam = query.get('X-Amz-Expires');
  const date = amzDate(query.get('X-Amz-Date') ?? '');
  if (expiresParam === null || Number.isNaN(date)) {
    throw new AuthorizationQueryParametersError(
      'Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.',
    );
  }
  const expires = Number(expiresParam);
  if (!Number.isInteger(expires) || expires < 0) {
    throw new AuthorizationQueryParametersError('X-Amz-Expires must be non-negative');
  }
  if (expires > WEEK) {
    throw new AuthorizationQueryParametersError('X-Amz-Expires must be less than a week (in seconds) that is; 604800');
  }
  const deadline = date + expires * 1000;
  if (now > deadline) {
    const e = new AccessDenied('Request has expired');
    e.extra['X-Amz-Expires'] = expires;
    e.extra.Expires = iso(deadline);
    e.extra.ServerTime = iso(now);
    throw e;
  }
}
