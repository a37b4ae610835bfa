import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeFunction, lambdaClient } from './lambda/helpers.js';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const bin = `${pkg}bin/local-cloud.js`;
let server: ChildProcess;
let url: string;
let stdout = '';

beforeAll(async () => {
  if (!existsSync(`${pkg}dist/cli/main.js`)) {
    await promisify(execFile)('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: pkg });
  }
  server = spawn(process.execPath, [bin, 'start', '--port', '0', '--in-memory'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  url = await new Promise((resolve, reject) => {
    server.stdout?.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /local-cloud ready at (\S+)/.exec(stdout);
      if (m) resolve(m[1] as string);
    });
    server.once('exit', () => reject(new Error(`local-cloud exited: ${stdout}`)));
  });
});
afterAll(() => {
  server?.kill('SIGKILL');
});

describe('the local-cloud command', () => {
  it('prints function logs live, prefixed with the function name, and shows them with `logs`', async () => {
    const lambda = lambdaClient({ url });
    await createNodeFunction(
      lambda,
      'chatty',
      'export const handler = async () => { console.log("tick tock"); return 1; };',
    );
    await lambda.send(new InvokeCommand({ FunctionName: 'chatty' }));
    await new Promise((r) => setTimeout(r, 100));
    expect(stdout).toMatch(/chatty \| START RequestId: /);
    expect(stdout).toMatch(/chatty \| .*tick tock/);
    const { stdout: shown } = await promisify(execFile)(process.execPath, [bin, 'logs', 'chatty', '--endpoint', url]);
    expect(shown).toMatch(/START RequestId: /);
    expect(shown).toContain('tick tock');
    expect(shown).toMatch(/REPORT RequestId: /);
  });

  it('explains its usage for an unknown command and exits non-zero', async () => {
    const err = await promisify(execFile)(process.execPath, [bin, 'fly']).catch((e) => e);
    expect(err.code).toBe(2);
    expect(String(err.stderr)).toContain('Unknown command: fly');
  });
});
