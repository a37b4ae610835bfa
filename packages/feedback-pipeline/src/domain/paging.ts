type Key = Record<string, string | number>;

// Only the attributes of the table key and of the two indexes can appear in a LastEvaluatedKey.
const KEY_ATTRIBUTES = new Set(['pk', 'status', 'createdAt', 'entity']);

/** Opaque paging token: base64url of the LastEvaluatedKey. */
export function encodeToken(key: Key | undefined): string | undefined {
  if (!key) return undefined;
  return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
}

export function decodeToken(token: string): Key | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const entries = Object.entries(parsed);
  if (entries.length === 0) return undefined;
  for (const [name, value] of entries) {
    if (!KEY_ATTRIBUTES.has(name)) return undefined;
    if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  }
  return parsed as Key;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Turns the `from`/`to` query values into an inclusive createdAt range. A date alone covers the whole
 * day (UTC); date-times are normalised to the same ISO form as createdAt so string comparison works.
 */
export function timeRange(
  from: string | undefined,
  to: string | undefined,
): { from?: string; to?: string } | { error: string } {
  const start = from === undefined ? undefined : DATE_ONLY.test(from) ? `${from}T00:00:00.000Z` : iso(from);
  const end = to === undefined ? undefined : DATE_ONLY.test(to) ? `${to}T23:59:59.999Z` : iso(to);
  if (start !== undefined && end !== undefined && start > end) return { error: '`from` must not be after `to`' };
  return { ...(start && { from: start }), ...(end && { to: end }) };
}

function iso(value: string): string {
  return new Date(value).toISOString();
}
