import {
  DeleteFunctionCommand,
  GetFunctionCommand,
  InvokeCommand,
  type LambdaClient,
  ListFunctionsCommand,
  PutFunctionConcurrencyCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalCloud, type ManualClock, startLocalCloud } from '../../src/index.js';
import { awsError } from '../helpers.js';
import { createNodeFunction, decode, lambdaClient } from './helpers.js';

let cloud: LocalCloud<ManualClock>;
let lambda: LambdaClient;

beforeAll(async () => {
  cloud = await startLocalCloud({ clock: 'manual', persistence: 'memory' });
  lambda = lambdaClient(cloud);
});
afterAll(() => cloud.stop());
beforeEach(() => cloud.reset());

describe('Lambda functions in local processes', () => {
  it('creates a function from a zip and invokes it synchronously', async () => {
    const created = await createNodeFunction(
      lambda,
      'echo',
      'export const handler = async (event, context) => ({ got: event, name: context.functionName, region: process.env.AWS_REGION });',
    );
    expect(created).toMatchObject({
      FunctionName: 'echo',
      Runtime: 'nodejs20.x',
      State: 'Active',
      Timeout: 3,
      MemorySize: 128,
    });
    const res = await lambda.send(new InvokeCommand({ FunctionName: 'echo', Payload: JSON.stringify({ a: 1 }) }));
    expect(res.StatusCode).toBe(200);
    expect(res.ExecutedVersion).toBe('$LATEST');
    expect(res.FunctionError).toBeUndefined();
    expect(decode(res.Payload)).toEqual({ got: { a: 1 }, name: 'echo', region: 'us-east-1' });
  });

  it('reports an uncaught error as FunctionError Unhandled with the error object', async () => {
    await createNodeFunction(
      lambda,
      'boom',
      'export const handler = async () => { throw new TypeError("bad input"); };',
    );
    const res = await lambda.send(new InvokeCommand({ FunctionName: 'boom' }));
    expect(res.StatusCode).toBe(200);
    expect(res.FunctionError).toBe('Unhandled');
    expect(decode(res.Payload)).toMatchObject({ errorType: 'TypeError', errorMessage: 'bad input' });
  });

  it('returns the tail of the log with START, the output, END and REPORT', async () => {
    await createNodeFunction(
      lambda,
      'talk',
      'export const handler = async () => { console.log("hello from the function"); return 1; };',
    );
    const res = await lambda.send(new InvokeCommand({ FunctionName: 'talk', LogType: 'Tail' }));
    const log = Buffer.from(res.LogResult ?? '', 'base64').toString('utf8');
    expect(log).toMatch(/^START RequestId: [0-9a-f-]+ Version: \$LATEST/);
    expect(log).toContain('hello from the function');
    expect(log).toMatch(/END RequestId: /);
    expect(log).toMatch(
      /REPORT RequestId: .*Duration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: [\d.]+ ms/,
    );
  });

  it('kills a function that runs past its timeout and answers Sandbox.Timedout', async () => {
    await createNodeFunction(
      lambda,
      'slow',
      'export const handler = () => new Promise(() => setInterval(() => {}, 1000));',
      {
        Timeout: 2,
      },
    );
    let done = false;
    const pending = lambda.send(new InvokeCommand({ FunctionName: 'slow' })).finally(() => {
      done = true;
    });
    // The timeout is armed when the (cold) environment takes the event; keep moving the clock until it fires.
    while (!done) {
      await new Promise((r) => setTimeout(r, 100));
      await cloud.clock.advance('2s');
    }
    const res = await pending;
    expect(res.FunctionError).toBe('Unhandled');
    expect(decode(res.Payload)).toMatchObject({
      errorType: 'Sandbox.Timedout',
      errorMessage: expect.stringMatching(/^RequestId: .+ Error: Task timed out after 2\.00 seconds$/),
    });
  });

  it('never hands the next invocation to the environment a timeout killed', async () => {
    await createNodeFunction(
      lambda,
      'hangs-once',
      'export const handler = async (e) => (e.hang ? new Promise(() => setInterval(() => {}, 1000)) : "fresh");',
      { Timeout: 2 },
    );
    for (let round = 0; round < 3; round++) {
      let done = false;
      const pending = lambda
        .send(new InvokeCommand({ FunctionName: 'hangs-once', Payload: Buffer.from('{"hang":true}') }))
        .finally(() => {
          done = true;
        });
      while (!done) {
        await new Promise((r) => setTimeout(r, 50));
        await cloud.clock.advance('2s');
      }
      expect((await pending).FunctionError).toBe('Unhandled');
      // Sent before the killed process's exit is seen; the clock does not move, so only a fresh
      // environment can answer it.
      const next = await lambda.send(new InvokeCommand({ FunctionName: 'hangs-once', Payload: Buffer.from('{}') }));
      expect(decode(next.Payload)).toBe('fresh');
    }
  });

  it('reports a process exit as Runtime.ExitError', async () => {
    await createNodeFunction(lambda, 'quit', 'export const handler = async () => { process.exit(3); };');
    const res = await lambda.send(new InvokeCommand({ FunctionName: 'quit' }));
    expect(decode(res.Payload)).toMatchObject({
      errorType: 'Runtime.ExitError',
      errorMessage: expect.stringContaining('Runtime exited with error: exit status 3'),
    });
  });

  it('throttles past the reserved concurrency with 429 and its reason', async () => {
    await createNodeFunction(
      lambda,
      'one-at-a-time',
      'export const handler = () => new Promise((r) => setTimeout(r, 400));',
    );
    await lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName: 'one-at-a-time', ReservedConcurrentExecutions: 1 }),
    );
    const first = lambda.send(new InvokeCommand({ FunctionName: 'one-at-a-time' }));
    await new Promise((r) => setTimeout(r, 50));
    const err = await awsError(() => lambda.send(new InvokeCommand({ FunctionName: 'one-at-a-time' })));
    expect(err).toMatchObject({ name: 'TooManyRequestsException', status: 429 });
    expect((await first).StatusCode).toBe(200);
  });

  it('reuses a warm environment and keeps module state between invocations', async () => {
    await createNodeFunction(lambda, 'counter', 'let n = 0; export const handler = async () => ++n;');
    const a = await lambda.send(new InvokeCommand({ FunctionName: 'counter' }));
    const b = await lambda.send(new InvokeCommand({ FunctionName: 'counter' }));
    expect([decode(a.Payload), decode(b.Payload)]).toEqual([1, 2]);
  });

  it('starts fresh environments after a configuration change', async () => {
    await createNodeFunction(lambda, 'env', 'export const handler = async () => process.env.COLOR ?? null;');
    expect(decode((await lambda.send(new InvokeCommand({ FunctionName: 'env' }))).Payload)).toBeNull();
    await lambda.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: 'env', Environment: { Variables: { COLOR: 'blue' } } }),
    );
    expect(decode((await lambda.send(new InvokeCommand({ FunctionName: 'env' }))).Payload)).toBe('blue');
  });

  it('answers DryRun with 204 and Event with 202', async () => {
    await createNodeFunction(lambda, 'quiet', 'export const handler = async () => 1;');
    expect((await lambda.send(new InvokeCommand({ FunctionName: 'quiet', InvocationType: 'DryRun' }))).StatusCode).toBe(
      204,
    );
    expect((await lambda.send(new InvokeCommand({ FunctionName: 'quiet', InvocationType: 'Event' }))).StatusCode).toBe(
      202,
    );
  });

  it('lists, gets and deletes functions; an unknown one is ResourceNotFoundException', async () => {
    await createNodeFunction(lambda, 'a-fn', 'export const handler = async () => 1;');
    const list = await lambda.send(new ListFunctionsCommand({}));
    expect(list.Functions?.map((f) => f.FunctionName)).toEqual(['a-fn']);
    const got = await lambda.send(new GetFunctionCommand({ FunctionName: 'a-fn' }));
    expect(got.Configuration?.FunctionArn).toBe('arn:aws:lambda:us-east-1:000000000000:function:a-fn');
    await lambda.send(new DeleteFunctionCommand({ FunctionName: 'a-fn' }));
    const err = await awsError(() => lambda.send(new GetFunctionCommand({ FunctionName: 'a-fn' })));
    expect(err).toMatchObject({
      name: 'ResourceNotFoundException',
      status: 404,
      message: 'Function not found: arn:aws:lambda:us-east-1:000000000000:function:a-fn',
    });
  });
});
