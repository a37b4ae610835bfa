import type { Clock } from '../core/clock.js';
import type { EdgeReply, EdgeRequest } from '../core/http.js';
import type { IdGenerator } from '../core/ids.js';
import type { Store } from '../core/storage.js';
import { readAssembly } from './assembly.js';
import { inProcessClients } from './clients.js';
import { type DeployOptions, deployStack, type StackResult } from './engine.js';
import type { StackState } from './types.js';

export type { DeployOptions, StackResult } from './engine.js';
export type { StackState } from './types.js';

export interface DeployResult {
  stacks: StackResult[];
}

export interface Deployer {
  /** Deploys every stack of a cloud assembly (cdk.out), in dependency order. */
  deploy(assemblyDir: string, opts?: DeployOptions): Promise<DeployResult>;
  /** What was deployed, by stack name. */
  stacks(): StackState[];
  reset(): void;
}

export interface DeployerEnv {
  store: Store;
  clock: Clock;
  ids: IdGenerator;
  region: string;
  accountId: string;
  /** The cloud's URL (resources' URLs are built from it). */
  url(): string;
  dispatch(req: EdgeRequest): Promise<EdgeReply>;
}

const EXECUTE_API = /^https:\/\/([a-z0-9]+)\.execute-api\.[a-z0-9-]+\.amazonaws\.com(\/.*)?$/;

/**
 * Outputs that are AWS invoke URLs (CDK builds HttpApi.url as `https://<id>.execute-api.<region>.<suffix>/`)
 * become the local invoke URL of the same API, so what a deploy prints can be called as is.
 */
export function localizeUrl(value: string, base: string): string {
  const m = EXECUTE_API.exec(value);
  return m ? `${base}/_aws/execute-api/${m[1]}${m[2] ?? '/'}` : value;
}

/**
 * Deploys CDK cloud assemblies by calling the services through real SDK clients (in process, no
 * sockets). Stack state (physical ids, attributes, resolved properties) is stored with the rest of
 * the data, so a redeploy after a restart updates in place.
 */
export function createDeployer(env: DeployerEnv): Deployer {
  const state = new Map<string, StackState>();
  const stacks = env.store.collection<StackState>('deploy.stacks', () =>
    [...state.values()].map((s) => [s.name, s] as [string, StackState]),
  );
  for (const [, s] of stacks.load()) state.set(s.name, s);
  let queue: Promise<unknown> = Promise.resolve();
  return {
    deploy(assemblyDir, opts = {}) {
      const run = async (): Promise<DeployResult> => {
        const artifacts = readAssembly(assemblyDir);
        const clients = inProcessClients((r) => env.dispatch(r), env.url(), env.region, env.accountId);
        const deployEnv = {
          clients,
          region: env.region,
          accountId: env.accountId,
          stacks,
          state,
          random: () => env.ids.hex(16),
          now: () => env.clock.now(),
        };
        const results: StackResult[] = [];
        for (const stack of artifacts) {
          const result = await deployStack(deployEnv, stack, opts);
          for (const [k, v] of Object.entries(result.outputs)) result.outputs[k] = localizeUrl(v, env.url());
          results.push(result);
          env.store.commit();
        }
        return { stacks: results };
      };
      // One deploy at a time: a second waits for the first.
      const next = queue.then(run, run);
      queue = next.catch(() => undefined);
      return next;
    },
    stacks: () => [...state.values()],
    reset: () => state.clear(),
  };
}
