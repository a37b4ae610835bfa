/**
 * CloudFormation intrinsic functions over template values: Ref, Fn::GetAtt, Fn::Join, Fn::Sub,
 * Fn::Select, Fn::Split, Fn::If (+ Equals/Not/And/Or/Condition), Fn::FindInMap, Fn::GetAZs,
 * Fn::Base64, Fn::ImportValue, and AWS::NoValue (which removes the property or list element).
 */
export const NO_VALUE = Symbol('AWS::NoValue');

export interface Scope {
  /** Pseudo parameters and parameters, by name (AWS::Region, BootstrapVersion, ...). */
  param(name: string): unknown;
  /** Ref of a resource: its physical id. Undefined when the name is not a resource. */
  ref(logicalId: string): unknown;
  getAtt(logicalId: string, attribute: string): unknown;
  condition(name: string): boolean;
  mapping(map: string, top: string, second: string): unknown;
  importValue(name: string): unknown;
}

export class TemplateError extends Error {}

type Json = unknown;

export function resolveValue(value: Json, scope: Scope): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveValue(v, scope)).filter((v) => v !== NO_VALUE);
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, Json>;
  const keys = Object.keys(obj);
  if (keys.length === 1) {
    const k = keys[0] as string;
    if (k === 'Ref' || k.startsWith('Fn::') || k === 'Condition') return intrinsic(k, obj[k], scope);
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = resolveValue(obj[k], scope);
    if (v !== NO_VALUE) out[k] = v;
  }
  return out;
}

function intrinsic(fn: string, arg: Json, scope: Scope): unknown {
  const r = (v: Json) => resolveValue(v, scope);
  switch (fn) {
    case 'Ref':
      return ref(String(arg), scope);
    case 'Fn::GetAtt': {
      const [id, ...attr] = Array.isArray(arg) ? (arg as Json[]).map((a) => String(r(a))) : String(arg).split('.');
      return scope.getAtt(String(id), attr.join('.'));
    }
    case 'Fn::Join': {
      const [delim, list] = arg as [string, Json];
      return (asList(r(list), fn) as unknown[]).map(String).join(delim);
    }
    case 'Fn::Select': {
      const [index, list] = arg as [Json, Json];
      const items = asList(r(list), fn);
      const i = Number(r(index));
      if (!Number.isInteger(i) || i < 0 || i >= items.length)
        throw new TemplateError(`Fn::Select index ${i} out of range`);
      return items[i];
    }
    case 'Fn::Split': {
      const [delim, source] = arg as [string, Json];
      return String(r(source)).split(delim);
    }
    case 'Fn::Sub':
      return sub(arg, scope);
    case 'Fn::If': {
      const [cond, yes, no] = arg as [string, Json, Json];
      return scope.condition(cond) ? r(yes) : r(no);
    }
    case 'Fn::Equals': {
      const [a, b] = arg as [Json, Json];
      return JSON.stringify(r(a)) === JSON.stringify(r(b));
    }
    case 'Fn::Not':
      return !truthy(r((arg as Json[])[0]));
    case 'Fn::And':
      return (arg as Json[]).every((c) => truthy(r(c)));
    case 'Fn::Or':
      return (arg as Json[]).some((c) => truthy(r(c)));
    case 'Condition':
      return scope.condition(String(arg));
    case 'Fn::FindInMap': {
      const [m, a, b] = (arg as Json[]).map((x) => String(r(x)));
      return scope.mapping(m as string, a as string, b as string);
    }
    case 'Fn::GetAZs': {
      const region = String(r(arg) || scope.param('AWS::Region'));
      return ['a', 'b', 'c'].map((z) => `${region}${z}`);
    }
    case 'Fn::Base64':
      return Buffer.from(String(r(arg))).toString('base64');
    case 'Fn::ImportValue':
      return scope.importValue(String(r(arg)));
    default:
      throw new TemplateError(`Unsupported intrinsic function ${fn}`);
  }
}

function ref(name: string, scope: Scope): unknown {
  if (name === 'AWS::NoValue') return NO_VALUE;
  const res = scope.ref(name);
  return res !== undefined ? res : scope.param(name);
}

function truthy(v: unknown): boolean {
  return v === true || v === 'true';
}

function asList(v: unknown, fn: string): unknown[] {
  if (!Array.isArray(v)) throw new TemplateError(`${fn} needs a list, got ${JSON.stringify(v)}`);
  return v;
}

/** `${Name}`, `${Resource.Attribute}`, `${!Literal}`; with a variable map as the second element. */
function sub(arg: Json, scope: Scope): string {
  const [text, vars] = Array.isArray(arg) ? (arg as [string, Record<string, Json>]) : [String(arg), {}];
  return text.replace(/\$\{([^}]*)\}/g, (_, name: string) => {
    if (name.startsWith('!')) return `\${${name.slice(1)}}`;
    if (Object.hasOwn(vars, name)) return String(resolveValue(vars[name], scope));
    const dot = name.indexOf('.');
    if (dot > 0 && !name.startsWith('AWS::')) return String(scope.getAtt(name.slice(0, dot), name.slice(dot + 1)));
    return String(ref(name, scope));
  });
}

/** Logical ids a value refers to (Ref, Fn::GetAtt, Fn::Sub variables), for ordering. */
export function references(value: Json, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) references(v, out);
    return out;
  }
  if (value === null || typeof value !== 'object') return out;
  for (const [k, v] of Object.entries(value as Record<string, Json>)) {
    if (k === 'Ref' && typeof v === 'string') out.add(v);
    else if (k === 'Fn::GetAtt') out.add(Array.isArray(v) ? String(v[0]) : (String(v).split('.')[0] as string));
    else if (k === 'Fn::Sub') {
      const [text, vars] = Array.isArray(v) ? (v as [string, Json]) : [String(v), undefined];
      for (const m of String(text).matchAll(/\$\{([^!}][^}.]*)/g)) out.add(m[1] as string);
      if (vars) references(vars, out);
    } else references(v, out);
  }
  return out;
}
