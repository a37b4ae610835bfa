import { badPattern, invalid } from './errors.js';

/** Event patterns (validated when a rule is saved) and what a target receives (Input, InputPath, InputTransformer). */

export function parsePattern(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw badPattern('Filter is not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw badPattern('Filter is not an object');
  }
  checkLevel(value as Record<string, unknown>);
  return value as Record<string, unknown>;
}

function checkLevel(obj: Record<string, unknown>): void {
  for (const [key, v] of Object.entries(obj)) {
    if (key === '$or' && Array.isArray(v)) {
      for (const p of v) {
        if (typeof p !== 'object' || p === null || Array.isArray(p)) throw badPattern('$or must contain objects');
        checkLevel(p as Record<string, unknown>);
      }
      continue;
    }
    if (Array.isArray(v)) {
      if (v.length === 0) throw badPattern(`Empty arrays are not allowed`);
      continue;
    }
    if (typeof v === 'object' && v !== null) {
      checkLevel(v as Record<string, unknown>);
      continue;
    }
    throw badPattern(`"${key}" must be an object or an array`);
  }
}

/** `$`, `$.a.b`, `$.a[0]`, `$['a']`: the path's steps, or undefined if it is not one we read. */
export function parsePath(path: string): Array<string | number> | undefined {
  if (!path.startsWith('$')) return undefined;
  const steps: Array<string | number> = [];
  const re = /\.([A-Za-z0-9_$@-]+)|\[(\d+)\]|\['([^']*)'\]|\["([^"]*)"\]/y;
  re.lastIndex = 1;
  while (re.lastIndex < path.length) {
    const m = re.exec(path);
    if (!m) return undefined;
    steps.push(m[2] !== undefined ? Number(m[2]) : ((m[1] ?? m[3] ?? m[4]) as string));
  }
  return steps;
}

export function select(value: unknown, path: string): unknown {
  let cur = value;
  for (const step of parsePath(path) ?? []) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[step];
  }
  return cur;
}

export function checkPath(field: string, path: string | undefined): void {
  if (path !== undefined && !parsePath(path)) throw invalid(`${field} is not a valid JSON path.`);
}

export interface Transformer {
  InputPathsMap?: Record<string, string>;
  InputTemplate?: string;
}

/**
 * Fills `<name>` placeholders with the values the paths select. In a JSON template a string value is
 * inserted escaped and without quotes (the template supplies them); anything else as JSON.
 */
export function transform(t: Transformer, event: unknown): string {
  const template = t.InputTemplate ?? '';
  const json = /^\s*[[{]/.test(template);
  return template.replace(/<([A-Za-z0-9_.-]+)>/g, (whole, name: string) => {
    const path = name === 'aws.events.event.json' ? '$' : t.InputPathsMap?.[name];
    if (path === undefined) return whole;
    const v = select(event, path);
    if (v === undefined) return json ? 'null' : '';
    if (typeof v === 'string') return json ? JSON.stringify(v).slice(1, -1) : v;
    return JSON.stringify(v);
  });
}

/** What a target receives for an event. */
export function targetInput(
  target: { Input?: string; InputPath?: string; InputTransformer?: Transformer },
  event: unknown,
): string {
  if (target.Input !== undefined) return target.Input;
  if (target.InputPath !== undefined) return JSON.stringify(select(event, target.InputPath) ?? null);
  if (target.InputTransformer) return transform(target.InputTransformer, event);
  return JSON.stringify(event);
}
