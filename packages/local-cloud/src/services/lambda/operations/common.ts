import type { Scope } from '../../../core/arn.js';
import type { RestContext } from '../../../core/service.js';
import { validation } from '../errors.js';

/** What each Lambda operation receives from the router. */
export interface RestInput {
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: Buffer;
  json: () => Record<string, unknown>;
}

export type LambdaOp = (input: RestInput, ctx: RestContext) => unknown;

const NAME =
  /^(?:arn:aws[a-zA-Z-]*:lambda:([a-z]{2}(?:-gov)?-[a-z]+-\d):(\d{12}):function:|(\d{12}):function:)?([a-zA-Z0-9_-]+)(?::(\$LATEST|[a-zA-Z0-9_-]+))?$/;

/** A FunctionName as Lambda accepts it: name, partial or full ARN, optionally with a qualifier. */
export function parseFunctionName(value: string, ctx: RestContext): { scope: Scope; name: string; qualifier?: string } {
  const m = NAME.exec(value);
  if (!m || (m[4] as string).length > 64) {
    throw validation(
      'functionName',
      value,
      'Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?',
    );
  }
  const scope = { region: m[1] ?? ctx.scope.region, accountId: m[2] ?? m[3] ?? ctx.scope.accountId };
  return { scope, name: m[4] as string, ...(m[5] ? { qualifier: m[5] } : {}) };
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function num(v: unknown): number | undefined {
  return typeof v === 'number' ? v : undefined;
}
