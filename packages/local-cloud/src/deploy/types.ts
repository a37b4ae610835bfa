import type { FileAsset } from './assembly.js';
import type { Clients } from './clients.js';

/** What the deployer remembers about one resource between deploys. */
export interface ResourceState {
  type: string;
  physicalId: string;
  /** Fn::GetAtt values. */
  attributes: Record<string, unknown>;
  /** The resolved properties it was created or last updated with. */
  properties: Record<string, unknown>;
  /** Set when the type is not supported: the resource was skipped. */
  skipped?: string;
}

export interface StackState {
  name: string;
  stackId: string;
  resources: Record<string, ResourceState>;
  outputs: Record<string, string>;
  updated: number;
}

export interface ProvisionContext {
  stackName: string;
  logicalId: string;
  region: string;
  accountId: string;
  clients: Clients;
  assets: Map<string, FileAsset>;
  /** A CloudFormation-style generated name: `<stack>-<logicalId>-<RANDOM>`, cut to fit maxLength. */
  physicalName(maxLength: number, opts?: { lowercase?: boolean; suffix?: string }): string;
}

export interface Provisioned {
  physicalId: string;
  attributes?: Record<string, unknown>;
}

/**
 * One resource type. `update` changes a resource in place and returns its new state, or
 * 'replace' when the change needs a new resource (as CloudFormation's "Replacement: Yes").
 */
export interface Provisioner {
  create(props: Record<string, unknown>, ctx: ProvisionContext): Promise<Provisioned>;
  update?(old: ResourceState, props: Record<string, unknown>, ctx: ProvisionContext): Promise<Provisioned | 'replace'>;
  delete(old: ResourceState, ctx: ProvisionContext): Promise<void>;
}
