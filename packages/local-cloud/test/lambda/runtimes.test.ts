import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  GetPolicyCommand,
  InvokeCommand,
  type LambdaClient,
  RemovePermissionCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeZip } from '../../src/core/zip.js';
import { type LocalCloud, type ManualClock, startLocalCloud } from '../../src/index.js';
import { awsError } from '../helpers.js';
import { createNodeFunction, decode, lambdaClient, ROLE } from './helpers.js';

let cloud: LocalCloud<ManualClock>;
let lambda: LambdaClient;
const dirs: string[] = [];

beforeAll(async () => {
  cloud = await startLocalCloud({ clock: 'manual', persistence: 'memory' });
  lambda = lambdaClient(cloud);
});
afterAll(async () => {
  await cloud.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
beforeEach(() => cloud.reset());

function hasPython(): boolean {
  try {
    execFileSync('python3', ['--version']);
    return true;
  } catch {
    return false;
  }
}

describe('runtimes and code sources', () => {
  it.skipIf(!hasPython())('runs a Python handler with its context', async () => {
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'py',
        Runtime: 'python3.12',
        Handler: 'app.handler',
        Role: ROLE,
        Code: {
          ZipFile: writeZip({
            'app.py':
              'def handler(event, context):\n    return {"sum": event["a"] + event["b"], "fn": context.function_name}\n',
          }),
        },
      }),
    );
    const res = await lambda.send(new InvokeCommand({ FunctionName: 'py', Payload: JSON.stringify({ a: 2, b: 3 }) }));
    expect(res.FunctionError).toBeUndefined();
    expect(decode(res.Payload)).toEqual({ sum: 5, fn: 'py' });
  });

  it('lets an ES module handler import the AWS SDK, as the runtime ships it', async () => {
    await createNodeFunction(
      lambda,
      'esm-sdk',
      `import { SQSClient, ListQueuesCommand } from '@aws-sdk/client-sqs';
export const handler = async () => { const r = await new SQSClient({}).send(new ListQueuesCommand({})); return r.QueueUrls ?? []; };`,
    );
    const res = await lambda.send(new InvokeCommand({ FunctionName: 'esm-sdk' }));
    expect(res.FunctionError).toBeUndefined();
    expect(decode(res.Payload)).toEqual([]);
  });

  it('runs CommonJS callback-style handlers', async () => {
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'cb',
        Runtime: 'nodejs20.x',
        Handler: 'main.go',
        Role: ROLE,
        Code: {
          ZipFile: writeZip({
            'main.js': 'exports.go = (event, context, callback) => callback(null, { ok: event.n * 2 });',
          }),
        },
      }),
    );
    const res = await lambda.send(new InvokeCommand({ FunctionName: 'cb', Payload: '{"n":21}' }));
    expect(decode(res.Payload)).toEqual({ ok: 42 });
  });

  it('reports a handler module that cannot be found as Runtime.ImportModuleError', async () => {
    await createNodeFunction(lambda, 'missing', 'export const other = 1;', { Handler: 'nothere.handler' });
    const res = await lambda.send(new InvokeCommand({ FunctionName: 'missing' }));
    expect(res.FunctionError).toBe('Unhandled');
    expect(decode(res.Payload).errorType).toBe('Runtime.ImportModuleError');
  });

  it('reports a missing export as Runtime.HandlerNotFound', async () => {
    await createNodeFunction(lambda, 'noexport', 'export const other = 1;');
    const res = await lambda.send(new InvokeCommand({ FunctionName: 'noexport' }));
    expect(decode(res.Payload).errorType).toBe('Runtime.HandlerNotFound');
  });

  it('runs code straight from a local directory, picking up edits in new environments', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lc-fn-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'index.mjs'), 'export const handler = async () => "v1";');
    await lambda.send(
      new CreateFunctionCommand({
        FunctionName: 'local',
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        Role: ROLE,
        Code: { S3Bucket: 'hot-reload', S3Key: dir },
      }),
    );
    expect(decode((await lambda.send(new InvokeCommand({ FunctionName: 'local' }))).Payload)).toBe('v1');
  });

  it('rejects a zip that is not a zip', async () => {
    const err = await awsError(() =>
      lambda.send(
        new CreateFunctionCommand({
          FunctionName: 'junk',
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Role: ROLE,
          Code: { ZipFile: Buffer.from('definitely not a zip') },
        }),
      ),
    );
    expect(err).toMatchObject({
      name: 'InvalidParameterValueException',
      status: 400,
      message: 'Could not unzip uploaded file. Please check your file, then try to upload again.',
    });
  });

  it('keeps a resource policy built by AddPermission', async () => {
    await createNodeFunction(lambda, 'guarded', 'export const handler = async () => 1;');
    await lambda.send(
      new AddPermissionCommand({
        FunctionName: 'guarded',
        StatementId: 's3-invoke',
        Action: 'lambda:InvokeFunction',
        Principal: 's3.amazonaws.com',
        SourceArn: 'arn:aws:s3:::imports',
      }),
    );
    const policy = JSON.parse((await lambda.send(new GetPolicyCommand({ FunctionName: 'guarded' }))).Policy ?? '{}');
    expect(policy.Statement[0]).toEqual({
      Sid: 's3-invoke',
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: 'arn:aws:lambda:us-east-1:000000000000:function:guarded',
      Condition: { ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::imports' } },
    });
    const dup = await awsError(() =>
      lambda.send(
        new AddPermissionCommand({
          FunctionName: 'guarded',
          StatementId: 's3-invoke',
          Action: 'lambda:InvokeFunction',
          Principal: '*',
        }),
      ),
    );
    expect(dup).toMatchObject({ name: 'ResourceConflictException', status: 409 });
    await lambda.send(new RemovePermissionCommand({ FunctionName: 'guarded', StatementId: 's3-invoke' }));
    const none = await awsError(() => lambda.send(new GetPolicyCommand({ FunctionName: 'guarded' })));
    expect(none).toMatchObject({ name: 'ResourceNotFoundException', status: 404 });
  });
});
