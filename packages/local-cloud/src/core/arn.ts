/** The caller's account and region, taken from the request's credential scope. */
export interface Scope {
  accountId: string;
  region: string;
}

export const DEFAULT_ACCOUNT = '000000000000';
export const DEFAULT_REGION = 'us-east-1';

export function arn(service: string, scope: Scope, resource: string): string {
  return `arn:aws:${service}:${scope.region}:${scope.accountId}:${resource}`;
}

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  accountId: string;
  resource: string;
}

export function parseArn(value: string): ParsedArn | undefined {
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return {
    partition: parts[1] ?? '',
    service: parts[2] ?? '',
    region: parts[3] ?? '',
    accountId: parts[4] ?? '',
    resource: parts.slice(5).join(':'),
  };
}
