import type { z } from 'zod';

export type FieldErrors = Record<string, string[]>;

/** Groups zod issues by field path (`tags.3`); issues about the whole value go under `body`. */
export function fieldErrors(error: z.ZodError, rootKey = 'body'): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.map(String).join('.') : rootKey;
    out[key] ??= [];
    out[key].push(issue.message);
  }
  return out;
}
