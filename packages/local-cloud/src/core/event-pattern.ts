/**
 * EventBridge-style content filtering, as Lambda's FilterCriteria use it: every key in the pattern
 * must match; a key's array lists alternatives (exact values, or operators such as prefix,
 * suffix, anything-but, numeric, exists, equals-ignore-case); nested objects match nested fields.
 */
export type Pattern = Record<string, unknown>;

export function matches(pattern: Pattern, event: unknown): boolean {
  if (typeof event !== 'object' || event === null) return false;
  const obj = event as Record<string, unknown>;
  for (const [key, rule] of Object.entries(pattern)) {
    if (key === '$or' && Array.isArray(rule)) {
      if (!rule.some((p) => matches(p as Pattern, event))) return false;
      continue;
    }
    const value = obj[key];
    if (Array.isArray(rule)) {
      if (!matchesAny(rule, value)) return false;
    } else if (typeof rule === 'object' && rule !== null) {
      if (!matches(rule as Pattern, value)) return false;
    } else return false;
  }
  return true;
}

function matchesAny(rules: unknown[], value: unknown): boolean {
  const values = Array.isArray(value) ? value : [value];
  return rules.some((rule) => {
    if (isOperator(rule) && 'exists' in rule) return (value !== undefined) === rule.exists;
    return values.some((v) => value !== undefined && matchOne(rule, v));
  });
}

function isOperator(rule: unknown): rule is Record<string, unknown> {
  return typeof rule === 'object' && rule !== null && !Array.isArray(rule);
}

function matchOne(rule: unknown, v: unknown): boolean {
  if (!isOperator(rule)) return rule === v;
  if ('prefix' in rule) return typeof v === 'string' && prefixMatch(rule.prefix, v);
  if ('suffix' in rule) return typeof v === 'string' && typeof rule.suffix === 'string' && v.endsWith(rule.suffix);
  if ('equals-ignore-case' in rule) {
    return typeof v === 'string' && String(rule['equals-ignore-case']).toLowerCase() === v.toLowerCase();
  }
  if ('anything-but' in rule) {
    const but = rule['anything-but'];
    if (isOperator(but) && 'prefix' in but) return typeof v === 'string' && !prefixMatch(but.prefix, v);
    return !(Array.isArray(but) ? but : [but]).includes(v);
  }
  if ('numeric' in rule && Array.isArray(rule.numeric)) return typeof v === 'number' && numeric(rule.numeric, v);
  return false;
}

function prefixMatch(prefix: unknown, v: string): boolean {
  if (typeof prefix === 'string') return v.startsWith(prefix);
  if (isOperator(prefix) && typeof prefix['equals-ignore-case'] === 'string') {
    return v.toLowerCase().startsWith(prefix['equals-ignore-case'].toLowerCase());
  }
  return false;
}

function numeric(ops: unknown[], v: number): boolean {
  for (let i = 0; i + 1 < ops.length; i += 2) {
    const n = Number(ops[i + 1]);
    const ok =
      ops[i] === '='
        ? v === n
        : ops[i] === '<'
          ? v < n
          : ops[i] === '<='
            ? v <= n
            : ops[i] === '>'
              ? v > n
              : ops[i] === '>='
                ? v >= n
                : false;
    if (!ok) return false;
  }
  return true;
}
