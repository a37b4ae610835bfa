import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeRuntimeApi, lambdaEnv, RUNTIME_DIR, RuntimeProcess, removeDir, taskDir } from './fake-runtime-api.js';

const CLIENT = join(RUNTIME_DIR, 'node-client.mjs');

let api: FakeRuntimeApi;
const procs: RuntimeProcess[] = [];
const dirs: string[] = [];

beforeEach(async () => {
  api = await new FakeRuntimeApi().start();
});

afterEach(async () => {
  for (const p of procs.splice(0)) {
    p.kill();
    await p.exited;
  }
  await api.close();
  for (const d of dirs.splice(0)) removeDir(d);
});

function start(files: Record<string, string>, handler: string, extra: Record<string, string> = {}): RuntimeProcess {
  const root = taskDir(files);
  dirs.push(root);
  const proc = new RuntimeProcess(process.execPath, [CLIENT], lambdaEnv(api, root, handler, extra), root);
  procs.push(proc);
  return proc;
}

interface ErrorBody {
  errorType: string;
  errorMessage: string;
  trace: string[];
}

describe('node runtime client: handlers and responses', () => {
  it('answers an ESM async handler with its JSON result, through the path-prefixed Runtime API', async () => {
    start({ 'index.mjs': 'export const handler = async (event) => ({ echo: event, ok: true });' }, 'index.handler');
    const out = await api.invoke({ hello: 'world' });
    expect(out.kind).toBe('response');
    expect(out.json).toEqual({ echo: { hello: 'world' }, ok: true });
    expect(out.headers['content-type']).toBe('application/json');
    expect(api.unrouted).toEqual([]);
    expect(api.requests.every((r) => r.url.startsWith(`${api.prefix}/2018-06-01/runtime/`))).toBe(true);
  });

  it('loads a CommonJS handler from index.js', async () => {
    start(
      { 'index.js': 'exports.handler = async (e) => ({ cjs: typeof require === "function", n: e.n });' },
      'index.handler',
    );
    expect((await api.invoke({ n: 3 })).json).toEqual({ cjs: true, n: 3 });
  });

  it('loads a CommonJS handler assigned with module.exports = {...} from a .cjs file', async () => {
    start({ 'app.cjs': 'module.exports = { run: async () => "from cjs" };' }, 'app.run');
    expect((await api.invoke({})).json).toBe('from cjs');
  });

  it('treats .js as ESM when package.json says "type": "module"', async () => {
    start(
      {
        'package.json': '{"type":"module"}',
        'index.js': 'export const handler = async () => ({ esm: typeof require === "undefined" });',
      },
      'index.handler',
    );
    expect((await api.invoke({})).json).toEqual({ esm: true });
  });

  it('resolves a handler in a subdirectory and a nested export path', async () => {
    start(
      { 'src/app.mjs': 'export const api = { routes: { main: async () => "nested" } };' },
      'src/app.api.routes.main',
    );
    expect((await api.invoke({})).json).toBe('nested');
  });

  it('falls back to the default export (export default { handler })', async () => {
    start({ 'index.mjs': 'export default { handler: async () => "via default" };' }, 'index.handler');
    expect((await api.invoke({})).json).toBe('via default');
  });

  it('answers null when the handler resolves undefined', async () => {
    start({ 'index.mjs': 'export const handler = async () => undefined;' }, 'index.handler');
    const out = await api.invoke({});
    expect(out.body).toBe('null');
  });

  it('answers null once the event loop drains when a plain handler neither returns a promise nor calls back', async () => {
    start(
      { 'index.js': 'exports.handler = (event, context) => { setTimeout(() => {}, 50); return "ignored"; };' },
      'index.handler',
    );
    expect((await api.invoke({})).body).toBe('null');
  });

  it('keeps module state across invocations in one process, on one keep-alive connection', async () => {
    start(
      {
        'index.mjs':
          'let count = 0; const pid = process.pid; export const handler = async () => ({ count: ++count, pid });',
      },
      'index.handler',
    );
    const a = (await api.invoke({})).json as { count: number; pid: number };
    const b = (await api.invoke({})).json as { count: number; pid: number };
    expect(a.count).toBe(1);
    expect(b.count).toBe(2);
    expect(b.pid).toBe(a.pid);
    expect(api.sockets.size).toBe(1);
  });

  it('passes the context: names, ARN, memory, request id, log group/stream, identity and client context', async () => {
    start(
      {
        'index.mjs': `export const handler = async (event, context) => ({
          functionName: context.functionName,
          functionVersion: context.functionVersion,
          invokedFunctionArn: context.invokedFunctionArn,
          memoryLimitInMB: context.memoryLimitInMB,
          awsRequestId: context.awsRequestId,
          logGroupName: context.logGroupName,
          logStreamName: context.logStreamName,
          identity: context.identity,
          clientContext: context.clientContext,
          waits: context.callbackWaitsForEmptyEventLoop,
          trace: process.env._X_AMZN_TRACE_ID,
        });`,
      },
      'index.handler',
    );
    const out = await api.invoke(
      {},
      {
        headers: {
          'lambda-runtime-client-context': JSON.stringify({ custom: { k: 'v' } }),
          'lambda-runtime-cognito-identity': JSON.stringify({ cognitoIdentityId: 'id-1' }),
        },
      },
    );
    expect(out.json).toEqual({
      functionName: 'fixture',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:fixture',
      memoryLimitInMB: '256',
      awsRequestId: out.requestId,
      logGroupName: '/aws/lambda/fixture',
      logStreamName: '2024/01/01/[$LATEST]0123456789abcdef',
      identity: { cognitoIdentityId: 'id-1' },
      clientContext: { custom: { k: 'v' } },
      waits: true,
      trace: expect.stringMatching(/^Root=1-/),
    });
  });

  it('reports getRemainingTimeInMillis counting down to the deadline', async () => {
    start(
      {
        'index.mjs': `export const handler = async (e, context) => {
          const first = context.getRemainingTimeInMillis();
          await new Promise((r) => setTimeout(r, 120));
          return { first, second: context.getRemainingTimeInMillis() };
        };`,
      },
      'index.handler',
    );
    const { first, second } = (await api.invoke({}, { timeoutMs: 5000 })).json as { first: number; second: number };
    expect(first).toBeLessThanOrEqual(5000);
    expect(first).toBeGreaterThan(3000);
    expect(first - second).toBeGreaterThanOrEqual(100);
  });

  it('streams a response from an awslambda.streamifyResponse handler', async () => {
    start(
      {
        'index.mjs': `export const handler = awslambda.streamifyResponse(async (event, stream) => {
          stream.setContentType('text/plain');
          stream.write('hello ');
          await new Promise((r) => setTimeout(r, 10));
          stream.end('world');
        });`,
      },
      'index.handler',
    );
    const out = await api.invoke({});
    expect(out.kind).toBe('response');
    expect(out.body).toBe('hello world');
    expect(out.headers['lambda-runtime-function-response-mode']).toBe('streaming');
    expect(out.headers['content-type']).toBe('text/plain');
  });
});

describe('node runtime client: errors', () => {
  it('posts a thrown error as errorType/errorMessage/trace with Lambda-Runtime-Function-Error-Type: Unhandled', async () => {
    const proc = start(
      { 'index.mjs': 'export const handler = async () => { throw new TypeError("bad input"); };' },
      'index.handler',
    );
    const out = await api.invoke({});
    expect(out.kind).toBe('error');
    expect(out.headers['lambda-runtime-function-error-type']).toBe('Unhandled');
    const body = out.json as ErrorBody;
    expect(body.errorType).toBe('TypeError');
    expect(body.errorMessage).toBe('bad input');
    expect(body.trace[0]).toBe('TypeError: bad input');
    expect(body.trace.some((l) => l.includes('index.mjs'))).toBe(true);
    const logged = await proc.line(/\tERROR\tInvoke Error \t/);
    expect(logged).toContain(`\t${out.requestId}\t`);
    expect(JSON.parse(logged.split('Invoke Error \t')[1] as string)).toMatchObject({
      errorType: 'TypeError',
      errorMessage: 'bad input',
    });
  });

  it('keeps serving after a failed invocation', async () => {
    start(
      { 'index.mjs': 'export const handler = async (e) => { if (e.fail) throw new Error("nope"); return "fine"; };' },
      'index.handler',
    );
    expect((await api.invoke({ fail: true })).kind).toBe('error');
    expect((await api.invoke({ fail: false })).json).toBe('fine');
  });

  it('reports a non-Error rejection with its typeof as errorType', async () => {
    start({ 'index.mjs': 'export const handler = async () => { throw "plain string"; };' }, 'index.handler');
    expect((await api.invoke({})).json).toEqual({ errorType: 'string', errorMessage: 'plain string', trace: [] });
  });

  it('reports an uncaught exception during an invocation as its error, then exits 129', async () => {
    const proc = start(
      {
        'index.mjs':
          'export const handler = () => new Promise(() => { setTimeout(() => { throw new RangeError("late boom"); }, 10); });',
      },
      'index.handler',
    );
    const out = await api.invoke({});
    expect(out.kind).toBe('error');
    expect(out.json).toMatchObject({ errorType: 'RangeError', errorMessage: 'late boom' });
    expect((await proc.exited).code).toBe(129);
    expect(await proc.line(/\tERROR\tUncaught Exception \t/)).toContain('late boom');
  });

  it('reports an unhandled rejection as Runtime.UnhandledPromiseRejection, then exits 128', async () => {
    const proc = start(
      {
        'index.mjs':
          'export const handler = () => new Promise(() => { Promise.reject(new Error("dropped")); setTimeout(() => {}, 1000); });',
      },
      'index.handler',
    );
    const out = await api.invoke({});
    expect(out.json).toMatchObject({ errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: 'Error: dropped' });
    expect((await proc.exited).code).toBe(128);
  });

  it('reports an unserializable result as Runtime.JSONStringifyError', async () => {
    start(
      { 'index.mjs': 'export const handler = async () => { const a = {}; a.self = a; return a; };' },
      'index.handler',
    );
    expect((await api.invoke({})).json).toMatchObject({
      errorType: 'Runtime.JSONStringifyError',
      errorMessage: 'Unable to stringify response body',
    });
  });
});

describe('node runtime client: callback handlers (nodejs20.x/22.x)', () => {
  it('answers with callback(null, result)', async () => {
    start(
      { 'index.js': 'exports.handler = (event, context, callback) => callback(null, { got: event.v });' },
      'index.handler',
    );
    expect((await api.invoke({ v: 7 })).json).toEqual({ got: 7 });
  });

  it('posts callback(err) as the invocation error', async () => {
    start(
      { 'index.js': 'exports.handler = (event, context, callback) => callback(new Error("cb failed"));' },
      'index.handler',
    );
    const out = await api.invoke({});
    expect(out.kind).toBe('error');
    expect(out.json).toMatchObject({ errorType: 'Error', errorMessage: 'cb failed' });
  });

  it('waits for the event loop to drain before answering (callbackWaitsForEmptyEventLoop default true)', async () => {
    const proc = start(
      {
        'index.js': `exports.handler = (event, context, callback) => {
          setTimeout(() => console.log('timer fired'), 300);
          callback(null, 'done');
        };`,
      },
      'index.handler',
    );
    await api.waitNextCalls(1);
    const sent = performance.now();
    const out = await api.invoke({});
    expect(out.json).toBe('done');
    expect(out.at - sent).toBeGreaterThanOrEqual(250);
    expect(await proc.line(/timer fired/)).toContain(`\t${out.requestId}\tINFO\t`);
  });

  it('answers at once when callbackWaitsForEmptyEventLoop is false', async () => {
    start(
      {
        'index.js': `exports.handler = (event, context, callback) => {
          context.callbackWaitsForEmptyEventLoop = false;
          setTimeout(() => {}, 2000);
          callback(null, 'quick');
        };`,
      },
      'index.handler',
    );
    await api.waitNextCalls(1);
    const sent = performance.now();
    const out = await api.invoke({});
    expect(out.json).toBe('quick');
    expect(out.at - sent).toBeLessThan(1000);
  });

  it('supports context.succeed, context.fail and context.done; only the first call counts', async () => {
    start(
      {
        'index.js': `exports.handler = (event, context) => {
          if (event.op === 'succeed') { context.succeed('ok'); context.fail(new Error('ignored')); }
          else if (event.op === 'fail') context.fail(new Error('failed'));
          else context.done(null, 'done');
        };`,
      },
      'index.handler',
    );
    expect((await api.invoke({ op: 'succeed' })).json).toBe('ok');
    expect((await api.invoke({ op: 'fail' })).json).toMatchObject({ errorType: 'Error', errorMessage: 'failed' });
    expect((await api.invoke({ op: 'done' })).json).toBe('done');
  });

  it('rejects callback handlers at init on nodejs24.x, as AWS does', async () => {
    const proc = start(
      { 'index.js': 'exports.handler = (event, context, callback) => callback(null, 1);' },
      'index.handler',
      {
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      },
    );
    const init = await api.waitInitError();
    expect(init.json).toMatchObject({ errorType: 'Runtime.CallbackHandlerDeprecated' });
    expect((await proc.exited).code).toBe(129);
  });

  it('uses the return value of a plain (non-async) handler on nodejs24.x', async () => {
    start({ 'index.js': 'exports.handler = (event) => ({ sync: event.v });' }, 'index.handler', {
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
    });
    expect((await api.invoke({ v: 1 })).json).toEqual({ sync: 1 });
  });
});

describe('node runtime client: init errors', () => {
  it('reports a missing module as Runtime.ImportModuleError and exits', async () => {
    const proc = start({ 'other.mjs': 'export const handler = async () => 1;' }, 'index.handler');
    const init = await api.waitInitError();
    expect(init.headers['lambda-runtime-function-error-type']).toBe('Runtime.ImportModuleError');
    const body = init.json as ErrorBody;
    expect(body.errorType).toBe('Runtime.ImportModuleError');
    expect(body.errorMessage).toMatch(/^Error: Cannot find module 'index'/);
    expect((await proc.exited).code).toBe(129);
    expect(await proc.line(/\tundefined\tERROR\tUncaught Exception \t/)).toContain('Runtime.ImportModuleError');
    expect(api.nextCalls).toBe(0);
  });

  it('reports a missing export as Runtime.HandlerNotFound', async () => {
    start({ 'index.mjs': 'export const other = async () => 1;' }, 'index.handler');
    const init = await api.waitInitError();
    expect(init.json).toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'index.handler is undefined or not exported',
    });
  });

  it('reports an export that is not a function as Runtime.HandlerNotFound', async () => {
    start({ 'index.mjs': 'export const handler = 42;' }, 'index.handler');
    expect((await api.waitInitError()).json).toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'index.handler is not a function',
    });
  });

  it("reports a throw during module init with the error's own type", async () => {
    const proc = start({ 'index.mjs': 'null.boom;\nexport const handler = async () => 1;' }, 'index.handler');
    const init = await api.waitInitError();
    expect(init.headers['lambda-runtime-function-error-type']).toBe('TypeError');
    expect(init.json).toMatchObject({ errorType: 'TypeError' });
    expect((await proc.exited).code).toBe(129);
  });

  it('reports an uncaught exception after loading but before the first event as an init error', async () => {
    const proc = start(
      {
        'index.mjs': 'setTimeout(() => { throw new Error("late init"); }, 50);\nexport const handler = async () => 1;',
      },
      'index.handler',
    );
    const init = await api.waitInitError();
    expect(init.json).toMatchObject({ errorType: 'Error', errorMessage: 'late init' });
    expect((await proc.exited).code).toBe(129);
  });

  it('reports a syntax error as Runtime.UserCodeSyntaxError', async () => {
    start({ 'index.mjs': 'export const handler = async () => {;' }, 'index.handler');
    const body = (await api.waitInitError()).json as ErrorBody;
    expect(body.errorType).toBe('Runtime.UserCodeSyntaxError');
    expect(body.errorMessage).toMatch(/^SyntaxError: /);
  });

  it('reports a handler string without a dot as Runtime.MalformedHandlerName', async () => {
    start({ 'index.mjs': 'export const handler = async () => 1;' }, 'index');
    expect((await api.waitInitError()).json).toMatchObject({
      errorType: 'Runtime.MalformedHandlerName',
      errorMessage: 'Bad handler',
    });
  });
});

describe('node runtime client: logging', () => {
  it('writes console output as <timestamp>\\t<requestId>\\t<LEVEL>\\t<message> records on stdout', async () => {
    const proc = start(
      {
        'index.mjs': `console.log('during init');
        export const handler = async () => {
          console.log('hello %s, %d items', 'world', 3, { a: 1 });
          console.info('an info');
          console.warn('a warning');
          console.error('an error');
          console.debug('a debug');
          console.trace('a trace');
          console.log('line one\\nline two');
          return 1;
        };`,
      },
      'index.handler',
    );
    const out = await api.invoke({});
    const id = out.requestId;
    const ts = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';
    expect(await proc.line(/during init/)).toMatch(new RegExp(`^${ts}\\tundefined\\tINFO\\tduring init$`));
    expect(await proc.line(/hello/)).toMatch(new RegExp(`^${ts}\\t${id}\\tINFO\\thello world, 3 items \\{ a: 1 \\}$`));
    expect(await proc.line(/an info/)).toContain(`\t${id}\tINFO\tan info`);
    expect(await proc.line(/a warning/)).toContain(`\t${id}\tWARN\ta warning`);
    expect(await proc.line(/an error/)).toContain(`\t${id}\tERROR\tan error`);
    expect(await proc.line(/a debug/)).toContain(`\t${id}\tDEBUG\ta debug`);
    expect(await proc.line(/a trace/)).toContain(`\t${id}\tTRACE\ta trace`);
    // A multi-line message stays one record: inner newlines are written as \r.
    expect(await proc.line(/line one/)).toMatch(/\tINFO\tline one\rline two$/);
  });

  it('writes JSON records when AWS_LAMBDA_LOG_FORMAT=JSON, filtered by AWS_LAMBDA_LOG_LEVEL', async () => {
    const proc = start(
      {
        'index.mjs': `export const handler = async () => { console.debug('hidden'); console.warn('shown', 1); return 1; };`,
      },
      'index.handler',
      { AWS_LAMBDA_LOG_FORMAT: 'JSON', AWS_LAMBDA_LOG_LEVEL: 'INFO' },
    );
    const out = await api.invoke({});
    const record = JSON.parse(await proc.line(/shown/));
    expect(record).toMatchObject({ level: 'WARN', requestId: out.requestId, message: 'shown 1' });
    expect(proc.stdout.some((l) => l.includes('hidden'))).toBe(false);
  });
});

describe('node runtime client: start-up', () => {
  it('asks for its first event quickly after spawning (cold start)', async () => {
    const proc = start({ 'index.mjs': 'export const handler = async () => "warm";' }, 'index.handler');
    const out = await api.invoke({});
    const coldMs = out.at - proc.spawnedAt;
    // Generous bound for loaded CI machines; locally this is ~100-150 ms, mostly Node's own start-up.
    expect(coldMs).toBeLessThan(2000);
  });
});
