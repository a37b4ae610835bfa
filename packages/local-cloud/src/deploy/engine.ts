import type { Collection } from '../core/storage.js';
import type { StackArtifact, Template, TemplateResource } from './assembly.js';
import type { Clients } from './clients.js';
import { NO_VALUE, references, resolveValue, type Scope, TemplateError } from './intrinsics.js';
import { PROVISIONERS } from './provisioners/index.js';
import type { ProvisionContext, ResourceState, StackState } from './types.js';

export interface DeployOptions {
  /** Parameter overrides, `Name=value` as with `cdk deploy --parameters`. */
  parameters?: Record<string, string>;
  /** One line per resource change, as it happens. */
  progress?: (line: string) => void;
}

export interface StackResult {
  stackName: string;
  outputs: Record<string, string>;
  created: string[];
  updated: string[];
  deleted: string[];
  unchanged: string[];
  /** `LogicalId (Type)` of resources skipped because local-cloud has no provisioner for them. */
  skipped: string[];
}

export interface DeployEnv {
  clients: Clients;
  region: string;
  accountId: string;
  stacks: Collection<StackState>;
  /** Loaded state by stack name. */
  state: Map<string, StackState>;
  /** Random suffixes for generated names and stack ids. */
  random(): string;
  now(): number;
}

/** Types that carry no runtime behaviour: nothing to create. */
const INERT = new Set(['AWS::CDK::Metadata']);

/**
 * Deploys one stack: resources in dependency order, each created, updated in place, replaced or
 * left alone by comparing its resolved properties with the last deploy; resources no longer in
 * the template are deleted last, in reverse order. A failure stops the deploy (no rollback).
 */
export async function deployStack(env: DeployEnv, stack: StackArtifact, opts: DeployOptions): Promise<StackResult> {
  const { template } = stack;
  const previous = env.state.get(stack.stackName);
  const state: StackState = previous
    ? { ...previous, resources: { ...previous.resources } }
    : {
        name: stack.stackName,
        stackId: `arn:aws:cloudformation:${env.region}:${env.accountId}:stack/${stack.stackName}/${env.random()}`,
        resources: {},
        outputs: {},
        updated: env.now(),
      };
  const result: StackResult = {
    stackName: stack.stackName,
    outputs: {},
    created: [],
    updated: [],
    deleted: [],
    unchanged: [],
    skipped: [],
  };
  const log = opts.progress ?? (() => undefined);
  const params = resolveParameters(template, { ...stack.parameters, ...opts.parameters }, env, state);
  const scope = makeScope(template, params, state, env);
  const keep = new Set<string>();
  for (const id of resourceOrder(template)) {
    const res = template.Resources[id] as TemplateResource;
    if (res.Condition && !scope.condition(res.Condition)) continue;
    keep.add(id);
    if (INERT.has(res.Type)) continue;
    const ctx = context(env, stack, id);
    const props = resolveValue(res.Properties ?? {}, scope) as Record<string, unknown>;
    await applyResource(state, id, res, props, ctx, result, log);
  }
  for (const id of Object.keys(previous?.resources ?? {}).reverse()) {
    if (keep.has(id)) continue;
    const old = state.resources[id] as ResourceState;
    const p = PROVISIONERS[old.type];
    if (p && !old.skipped) await p.delete(old, context(env, stack, id));
    delete state.resources[id];
    result.deleted.push(id);
    log(`${stack.stackName} | DELETE ${id} (${old.type})`);
  }
  for (const [name, out] of Object.entries(template.Outputs ?? {})) {
    if (out.Condition && !scope.condition(out.Condition)) continue;
    result.outputs[name] = String(resolveValue(out.Value, scope));
  }
  state.outputs = result.outputs;
  state.updated = env.now();
  env.state.set(state.name, state);
  env.stacks.put(state.name, state);
  return result;
}

async function applyResource(
  state: StackState,
  id: string,
  res: TemplateResource,
  props: Record<string, unknown>,
  ctx: ProvisionContext,
  result: StackResult,
  log: (line: string) => void,
): Promise<void> {
  const p = PROVISIONERS[res.Type];
  const old = state.resources[id];
  const tag = `${ctx.stackName} | `;
  if (!p) {
    state.resources[id] = { type: res.Type, physicalId: id, attributes: {}, properties: props, skipped: 'unsupported' };
    result.skipped.push(`${id} (${res.Type})`);
    if (!old) log(`${tag}SKIP ${id}: ${res.Type} is not supported by local-cloud`);
    return;
  }
  try {
    if (old && old.type === res.Type && !old.skipped) {
      if (JSON.stringify(old.properties) === JSON.stringify(props)) {
        result.unchanged.push(id);
        return;
      }
      const updated = p.update ? await p.update(old, props, ctx) : 'replace';
      if (updated !== 'replace') {
        state.resources[id] = {
          type: res.Type,
          physicalId: updated.physicalId,
          attributes: updated.attributes ?? {},
          properties: props,
        };
        result.updated.push(id);
        log(`${tag}UPDATE ${id} (${res.Type})`);
        return;
      }
      await p.delete(old, ctx);
      log(`${tag}REPLACE ${id} (${res.Type})`);
    } else if (old && !old.skipped) {
      await PROVISIONERS[old.type]?.delete(old, ctx);
    }
    const made = await p.create(props, ctx);
    state.resources[id] = {
      type: res.Type,
      physicalId: made.physicalId,
      attributes: made.attributes ?? {},
      properties: props,
    };
    result.created.push(id);
    log(`${tag}CREATE ${id} (${res.Type}) ${made.physicalId}`);
  } catch (err) {
    const e = err as Error & { name?: string };
    throw new TemplateError(`${ctx.stackName}: ${id} (${res.Type}) failed: ${e.name ?? 'Error'}: ${e.message}`);
  }
}

function context(env: DeployEnv, stack: StackArtifact, logicalId: string): ProvisionContext {
  return {
    stackName: stack.stackName,
    logicalId,
    region: env.region,
    accountId: env.accountId,
    clients: env.clients,
    assets: stack.assets,
    physicalName(max, opts = {}) {
      const suffix = opts.suffix ?? '';
      const random = env.random().slice(0, 12).toUpperCase();
      let base = `${stack.stackName}-${logicalId}`;
      const room = max - suffix.length - random.length - 1;
      if (base.length > room) base = base.slice(0, room);
      const name = `${base}-${random}${suffix}`;
      return opts.lowercase ? name.toLowerCase() : name;
    },
  };
}

/** Parameter values: overrides, then defaults; SSM parameter types (CDK's BootstrapVersion) get a stand-in. */
function resolveParameters(
  template: Template,
  given: Record<string, string>,
  env: DeployEnv,
  state: StackState,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    'AWS::AccountId': env.accountId,
    'AWS::Region': env.region,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': state.name,
    'AWS::StackId': state.stackId,
    'AWS::NotificationARNs': [],
  };
  for (const [name, def] of Object.entries(template.Parameters ?? {})) {
    let v: unknown = given[name] ?? def.Default;
    if (def.Type.startsWith('AWS::SSM::Parameter::Value')) v = given[name] ?? '99';
    if (v === undefined) throw new TemplateError(`Parameters: [${name}] must have values`);
    if (def.AllowedValues && !def.AllowedValues.map(String).includes(String(v))) {
      throw new TemplateError(`Parameter '${name}' must be one of AllowedValues`);
    }
    out[name] = def.Type.startsWith('List<') || def.Type === 'CommaDelimitedList' ? String(v).split(',') : v;
  }
  return out;
}

function makeScope(template: Template, params: Record<string, unknown>, state: StackState, env: DeployEnv): Scope {
  const conditions = new Map<string, boolean>();
  const scope: Scope = {
    param(name) {
      if (!Object.hasOwn(params, name))
        throw new TemplateError(`Unresolved resource dependencies [${name}] in the Resources block of the template`);
      return params[name];
    },
    ref: (id) => state.resources[id]?.physicalId,
    getAtt(id, attr) {
      const r = state.resources[id];
      if (!r) throw new TemplateError(`Template error: instance of Fn::GetAtt references undefined resource ${id}`);
      if (r.skipped) return `${id}.${attr}`;
      if (!Object.hasOwn(r.attributes, attr)) {
        throw new TemplateError(`Template error: resource ${id} does not support attribute type ${attr} in Fn::GetAtt`);
      }
      return r.attributes[attr];
    },
    condition(name) {
      let v = conditions.get(name);
      if (v === undefined) {
        const def = template.Conditions?.[name];
        if (def === undefined)
          throw new TemplateError(`Template format error: Unresolved condition dependency ${name}`);
        v = resolveValue(def, scope) === true;
        conditions.set(name, v);
      }
      return v;
    },
    mapping(map, top, second) {
      const v = template.Mappings?.[map]?.[top]?.[second];
      if (v === undefined) throw new TemplateError(`Fn::FindInMap: no ${map}.${top}.${second}`);
      return v;
    },
    importValue(name) {
      for (const s of env.state.values()) if (Object.hasOwn(s.outputs, name)) return s.outputs[name];
      throw new TemplateError(`No export named ${name} found.`);
    },
  };
  return scope;
}

/** Resources ordered so that each comes after everything it refers to or DependsOn. */
export function resourceOrder(template: Template): string[] {
  const ids = Object.keys(template.Resources);
  const known = new Set(ids);
  const deps = new Map<string, string[]>();
  for (const id of ids) {
    const r = template.Resources[id] as TemplateResource;
    const d = new Set([...references(r.Properties ?? {})].filter((x) => known.has(x)));
    for (const x of [r.DependsOn ?? []].flat()) if (known.has(x)) d.add(x);
    deps.set(id, [...d]);
  }
  const out: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (id: string, path: string[]) => {
    const s = state.get(id);
    if (s === 'done') return;
    if (s === 'visiting')
      throw new TemplateError(`Circular dependency between resources: [${[...path, id].join(', ')}]`);
    state.set(id, 'visiting');
    for (const d of deps.get(id) ?? []) visit(d, [...path, id]);
    state.set(id, 'done');
    out.push(id);
  };
  for (const id of ids) visit(id, []);
  return out;
}

export { NO_VALUE };
