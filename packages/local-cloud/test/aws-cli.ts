import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';

/** Debian's AWS CLI 2.9.19: a real client that still speaks the Query protocol for SQS and SNS. */
export const AWS_CLI = '/usr/bin/aws';
export const hasAwsCli = existsSync(AWS_CLI);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs /usr/bin/aws against an endpoint with throwaway credentials and no user config. */
export function runAwsCli(endpoint: string, ...args: string[]): Promise<CliResult> {
  const env = {
    PATH: '/usr/bin:/bin',
    HOME: tmpdir(),
    LANG: 'C.UTF-8',
    AWS_ACCESS_KEY_ID: 'AKIDQUERYCLI',
    AWS_SECRET_ACCESS_KEY: 'secret',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_PAGER: '',
  };
  return new Promise((resolve) => {
    execFile(
      AWS_CLI,
      ['--endpoint-url', endpoint, '--output', 'json', ...args],
      { env, timeout: 20_000 },
      (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
      },
    );
  });
}
