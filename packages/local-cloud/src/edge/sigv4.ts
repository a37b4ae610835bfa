import { DEFAULT_ACCOUNT, DEFAULT_REGION, type Scope } from '../core/arn.js';

/** What the credential scope says: access key, region and signing name (service). */
export interface Credential {
  accessKeyId: string;
  region: string;
  service: string;
}

const AUTH = /Credential=([^/,\s]+)\/\d{8}\/([^/,\s]+)\/([^/,\s]+)\/aws4_request/;

export function readCredential(header: string | undefined, query: URLSearchParams | undefined): Credential | undefined {
  const m = header ? AUTH.exec(header) : undefined;
  if (m) return { accessKeyId: m[1] as string, region: m[2] as string, service: m[3] as string };
  // Presigned URLs carry the scope in X-Amz-Credential.
  const presigned = query?.get('X-Amz-Credential');
  if (presigned) {
    const [accessKeyId, , region, service] = presigned.split('/');
    if (accessKeyId && region && service) return { accessKeyId, region, service };
  }
  return undefined;
}

/**
 * The caller's scope: region from the credential scope; the account is 000000000000 unless
 * the access key id is itself a 12-digit account id (a common local convention).
 */
export function scopeOf(cred: Credential | undefined, defaults: { region?: string; accountId?: string }): Scope {
  const accountId =
    cred && /^\d{12}$/.test(cred.accessKeyId) ? cred.accessKeyId : (defaults.accountId ?? DEFAULT_ACCOUNT);
  return { accountId, region: cred?.region ?? defaults.region ?? DEFAULT_REGION };
}
