import { resolve } from 'node:path';
import type { DeployResult } from '../deploy/index.js';

/** `local-cloud deploy <cdk.out>`: asks the running local-cloud to deploy an assembly and prints the result. */
export interface DeployCliOptions {
  endpoint: string;
  assembly: string;
  /** `Name=value` pairs, as `cdk deploy --parameters`. */
  parameters: string[];
  write(line: string): void;
}

export function parseParameters(pairs: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    if (eq <= 0) throw new Error(`Invalid parameter ${p}: use Name=value`);
    // `Stack:Name=value` addresses one stack in cdk; local-cloud applies it by name.
    out[p.slice(0, eq).replace(/^[^:]*:/, '')] = p.slice(eq + 1);
  }
  return out;
}

export function printResult(result: DeployResult, write: (line: string) => void): void {
  for (const s of result.stacks) {
    const counts = [
      `${s.created.length} created`,
      `${s.updated.length} updated`,
      `${s.deleted.length} deleted`,
      `${s.unchanged.length} unchanged`,
    ];
    write(`✓ ${s.stackName}: ${counts.join(', ')}`);
    for (const skipped of s.skipped) write(`  skipped (not supported locally): ${skipped}`);
    const outputs = Object.entries(s.outputs);
    if (outputs.length) write('Outputs:');
    for (const [k, v] of outputs) write(`  ${s.stackName}.${k} = ${v}`);
  }
}

export async function deployCommand(o: DeployCliOptions): Promise<void> {
  const res = await fetch(`${o.endpoint.replace(/\/$/, '')}/_local-cloud/deploy`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ assembly: resolve(o.assembly), parameters: parseParameters(o.parameters) }),
  }).catch((err: Error) => {
    throw new Error(
      `local-cloud is not answering at ${o.endpoint} (start it with \`local-cloud start\`): ${err.message}`,
    );
  });
  const body = (await res.json()) as DeployResult & { message?: string };
  if (!res.ok) throw new Error(`Deploy failed: ${body.message}`);
  printResult(body, o.write);
}
