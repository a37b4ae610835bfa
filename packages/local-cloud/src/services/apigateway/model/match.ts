import type { RouteRecord } from './http-apis.js';
import type { MethodRecord, ResourceRecord } from './rest-apis.js';

/**
 * Request → route. HTTP APIs prefer the most specific route: literal segments over `{var}`, both over a
 * greedy `{proxy+}`, an exact method over ANY, and `$default` last. REST APIs walk the resource tree
 * the same way (literal child, then variable, then greedy) and need the method (or ANY) on the resource.
 */
const LITERAL = 0;
const VARIABLE = 1;
const GREEDY = 2;

interface Segment {
  kind: number;
  text: string;
}

interface Compiled {
  route: RouteRecord;
  method: string;
  segments: Segment[];
}

export interface RouteMatch {
  route: RouteRecord;
  params: Record<string, string>;
}

function parseSegments(path: string): Segment[] {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      const m = /^\{([^}+]+)(\+?)\}$/.exec(s);
      if (!m) return { kind: LITERAL, text: s };
      return { kind: m[2] ? GREEDY : VARIABLE, text: m[1] as string };
    });
}

/** `GET /items/{id}` → method and path; undefined for `$default` or a malformed key. */
export function parseRouteKey(key: string): { method: string; path: string } | undefined {
  const m = /^([A-Z]+) (\/\S*)$/.exec(key);
  return m ? { method: m[1] as string, path: m[2] as string } : undefined;
}

export function validRouteKey(key: string): boolean {
  if (key === '$default') return true;
  const k = parseRouteKey(key);
  if (!k) return false;
  const segments = parseSegments(k.path);
  return segments.every((s, i) => s.kind !== GREEDY || i === segments.length - 1);
}

export class RouteTable {
  private readonly compiled: Compiled[] = [];
  private readonly fallback: RouteRecord | undefined;

  constructor(routes: RouteRecord[]) {
    this.fallback = routes.find((r) => r.routeKey === '$default');
    for (const route of routes) {
      const k = parseRouteKey(route.routeKey);
      if (k) this.compiled.push({ route, method: k.method, segments: parseSegments(k.path) });
    }
  }

  match(method: string, path: string): RouteMatch | undefined {
    const parts = splitPath(path);
    let best: { c: Compiled; params: Record<string, string> } | undefined;
    for (const c of this.compiled) {
      if (c.method !== method && c.method !== 'ANY') continue;
      const params = matchSegments(c.segments, parts);
      if (params && (!best || moreSpecific(c, best.c))) best = { c, params };
    }
    if (best) return { route: best.c.route, params: best.params };
    return this.fallback ? { route: this.fallback, params: {} } : undefined;
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function matchSegments(segments: Segment[], parts: string[]): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i] as Segment;
    if (s.kind === GREEDY) {
      if (i >= parts.length) return undefined;
      params[s.text] = decode(parts.slice(i).join('/'));
      return params;
    }
    const p = parts[i];
    if (p === undefined) return undefined;
    if (s.kind === LITERAL && s.text !== p) return undefined;
    if (s.kind === VARIABLE) params[s.text] = decode(p);
  }
  return segments.length === parts.length ? params : undefined;
}

function moreSpecific(a: Compiled, b: Compiled): boolean {
  const n = Math.min(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const d = (a.segments[i] as Segment).kind - (b.segments[i] as Segment).kind;
    if (d !== 0) return d < 0;
  }
  if (a.segments.length !== b.segments.length) return a.segments.length > b.segments.length;
  return a.method !== 'ANY' && b.method === 'ANY';
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export interface ResourceMatch {
  resource: ResourceRecord;
  method: MethodRecord;
  params: Record<string, string>;
}

/** A deployment's resource tree, indexed for matching. */
export class ResourceTree {
  private readonly children = new Map<string, ResourceRecord[]>();
  private readonly root: ResourceRecord | undefined;

  constructor(resources: ResourceRecord[]) {
    this.root = resources.find((r) => r.parentId === undefined);
    for (const r of resources) {
      if (r.parentId === undefined) continue;
      const list = this.children.get(r.parentId) ?? [];
      list.push(r);
      list.sort((x, y) => kindOf(x) - kindOf(y));
      this.children.set(r.parentId, list);
    }
  }

  match(method: string, path: string): ResourceMatch | undefined {
    const found = this.root ? this.walk(this.root, splitPath(path), 0, method, {}) : undefined;
    return found === 'no-method' ? undefined : found;
  }

  /** The deepest resource the path names wins; a resource without the method does not fall back to {proxy+}. */
  private walk(
    at: ResourceRecord,
    parts: string[],
    i: number,
    method: string,
    params: Record<string, string>,
  ): ResourceMatch | 'no-method' | undefined {
    if (i === parts.length) return found(at, method, params);
    const part = parts[i] as string;
    for (const child of this.children.get(at.id) ?? []) {
      const seg = parseSegments(child.pathPart ?? '')[0];
      if (!seg) continue;
      if (seg.kind === GREEDY) return found(child, method, { ...params, [seg.text]: decode(parts.slice(i).join('/')) });
      if (seg.kind === LITERAL && seg.text !== part) continue;
      const next = seg.kind === VARIABLE ? { ...params, [seg.text]: decode(part) } : params;
      const result = this.walk(child, parts, i + 1, method, next);
      if (result) return result;
    }
    return undefined;
  }
}

function found(r: ResourceRecord, method: string, params: Record<string, string>): ResourceMatch | 'no-method' {
  const m = r.methods[method] ?? r.methods.ANY;
  return m ? { resource: r, method: m, params } : 'no-method';
}

function kindOf(r: ResourceRecord): number {
  return parseSegments(r.pathPart ?? '')[0]?.kind ?? LITERAL;
}
