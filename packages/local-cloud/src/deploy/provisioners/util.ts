/** CloudFormation property values become API strings: objects as JSON, the rest with String(). */
export function attributeString(v: unknown): string {
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}

/** `[{Key, Value}]` tags as a `{key: value}` map. */
export function tagMap(tags: unknown): Record<string, string> | undefined {
  if (!Array.isArray(tags) || tags.length === 0) return undefined;
  return Object.fromEntries(tags.map((t: { Key: string; Value: string }) => [t.Key, String(t.Value)]));
}

export function str(v: unknown): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

export function num(v: unknown): number | undefined {
  return v === undefined || v === null ? undefined : Number(v);
}

export function bool(v: unknown): boolean | undefined {
  return v === undefined || v === null ? undefined : v === true || v === 'true';
}

/** Drops undefined members, so optional SDK inputs stay absent. */
export function defined<T extends Record<string, unknown>>(o: T): T {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

/** The properties that changed between two resolved property sets. */
export function changed(a: Record<string, unknown>, b: Record<string, unknown>): Set<string> {
  const out = new Set<string>();
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) out.add(k);
  }
  return out;
}

/** Deletes, treating "already gone" errors as done (a resource removed by hand). */
export async function ignoreMissing(fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    const name = (err as { name?: string }).name ?? '';
    if (/NotFound|NonExistent|DoesNotExist|NoSuch/.test(name)) return;
    throw err;
  }
}
