import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

/** A CloudFormation template as CDK writes it. */
export interface Template {
  Parameters?: Record<string, { Type: string; Default?: unknown; AllowedValues?: unknown[]; NoEcho?: boolean }>;
  Conditions?: Record<string, unknown>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Resources: Record<string, TemplateResource>;
  Outputs?: Record<string, { Value: unknown; Description?: string; Condition?: string; Export?: unknown }>;
}

export interface TemplateResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DependsOn?: string | string[];
  Condition?: string;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Metadata?: Record<string, unknown>;
}

/** A file asset: where CDK put it in the assembly, and the S3 key templates refer to it by. */
export interface FileAsset {
  /** Absolute path of the directory or file in cdk.out. */
  path: string;
  packaging: 'zip' | 'file';
  objectKey: string;
}

export interface StackArtifact {
  /** The artifact id in manifest.json (the construct path's stack id). */
  id: string;
  stackName: string;
  template: Template;
  /** Parameter values given in the manifest (cdk deploy --parameters also lands here). */
  parameters: Record<string, string>;
  /** Assets by S3 object key (`<hash>.zip`). */
  assets: Map<string, FileAsset>;
  dependencies: string[];
}

interface ManifestArtifact {
  type: string;
  environment?: string;
  properties?: Record<string, unknown>;
  dependencies?: string[];
}

/** Reads cdk.out: manifest.json, each stack's template and its asset manifest. */
export function readAssembly(dir: string): StackArtifact[] {
  const root = resolve(dir);
  const manifestPath = join(root, 'manifest.json');
  if (!existsSync(manifestPath))
    throw new Error(`${root} is not a cloud assembly: manifest.json is missing (run cdk synth)`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { artifacts?: Record<string, ManifestArtifact> };
  const artifacts = manifest.artifacts ?? {};
  const stacks: StackArtifact[] = [];
  for (const [id, art] of Object.entries(artifacts)) {
    if (art.type !== 'aws:cloudformation:stack') continue;
    const props = art.properties ?? {};
    const template = JSON.parse(readFileSync(join(root, String(props.templateFile)), 'utf8')) as Template;
    const assets = new Map<string, FileAsset>();
    for (const dep of art.dependencies ?? []) {
      const depArt = artifacts[dep];
      if (depArt?.type !== 'cdk:asset-manifest') continue;
      readAssetManifest(root, String(depArt.properties?.file), assets);
    }
    stacks.push({
      id,
      stackName: typeof props.stackName === 'string' ? props.stackName : id,
      template,
      parameters: (props.parameters as Record<string, string> | undefined) ?? {},
      assets,
      dependencies: (art.dependencies ?? []).filter((d) => artifacts[d]?.type === 'aws:cloudformation:stack'),
    });
  }
  if (stacks.length === 0) throw new Error(`${root} holds no CloudFormation stacks`);
  return orderStacks(stacks);
}

function readAssetManifest(root: string, file: string, into: Map<string, FileAsset>): void {
  const m = JSON.parse(readFileSync(join(root, file), 'utf8')) as {
    files?: Record<
      string,
      { source: { path: string; packaging?: string }; destinations: Record<string, { objectKey: string }> }
    >;
  };
  for (const f of Object.values(m.files ?? {})) {
    const path = isAbsolute(f.source.path) ? f.source.path : join(root, f.source.path);
    for (const d of Object.values(f.destinations)) {
      into.set(d.objectKey, { path, packaging: f.source.packaging === 'zip' ? 'zip' : 'file', objectKey: d.objectKey });
    }
  }
}

/** Stacks in dependency order (CDK's cross-stack references). */
function orderStacks(stacks: StackArtifact[]): StackArtifact[] {
  const byId = new Map(stacks.map((s) => [s.id, s]));
  const out: StackArtifact[] = [];
  const seen = new Set<string>();
  const visit = (s: StackArtifact) => {
    if (seen.has(s.id)) return;
    seen.add(s.id);
    for (const d of s.dependencies) {
      const dep = byId.get(d);
      if (dep) visit(dep);
    }
    out.push(s);
  };
  for (const s of stacks) visit(s);
  return out;
}
