import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeRuntimeApi, lambdaEnv, RUNTIME_DIR, RuntimeProcess, removeDir, taskDir } from './fake-runtime-api.js';

const CLIENT = join(RUNTIME_DIR, 'python_client.py');
const hasPython = spawnSync('python3', ['--version'], { stdio: 'ignore' }).status === 0;

let api: FakeRuntimeApi;
const procs: RuntimeProcess[] = [];
const dirs: string[] = [];

function start(files: Record<string, string>, handler: string, extra: Record<string, string> = {}): RuntimeProcess {
  const root = taskDir(files);
  dirs.push(root);
  const env = lambdaEnv(api, root, handler, { PYTHONDONTWRITEBYTECODE: '1', ...extra });
  const proc = new RuntimeProcess('python3', [CLIENT], env, root);
  procs.push(proc);
  return proc;
}

interface PyError {
  errorMessage: string;
  errorType: string;
  requestId: string;
  stackTrace: string[];
}

describe.skipIf(!hasPython)('python runtime client', () => {
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

  it('answers with the handler result as JSON, through the path-prefixed Runtime API', async () => {
    start(
      { 'lambda_function.py': 'def handler(event, context):\n    return {"echo": event, "ok": True}\n' },
      'lambda_function.handler',
    );
    const out = await api.invoke({ hello: 'world' });
    expect(out.kind).toBe('response');
    expect(out.json).toEqual({ echo: { hello: 'world' }, ok: true });
    expect(api.unrouted).toEqual([]);
  });

  it('answers null when the handler returns None', async () => {
    start({ 'app.py': 'def handler(event, context):\n    pass\n' }, 'app.handler');
    expect((await api.invoke({})).body).toBe('null');
  });

  it('imports a handler from a package path (pkg/mod.fn) relative to LAMBDA_TASK_ROOT', async () => {
    start(
      {
        'pkg/__init__.py': '',
        'pkg/mod.py': 'from pkg import helper\ndef fn(e, c):\n    return helper.X\n',
        'pkg/helper.py': 'X = 42\n',
      },
      'pkg/mod.fn',
    );
    expect((await api.invoke({})).json).toBe(42);
  });

  it('passes the context object', async () => {
    start(
      {
        'app.py': `import os
def handler(event, context):
    return {
        "function_name": context.function_name,
        "function_version": context.function_version,
        "memory_limit_in_mb": context.memory_limit_in_mb,
        "aws_request_id": context.aws_request_id,
        "invoked_function_arn": context.invoked_function_arn,
        "log_group_name": context.log_group_name,
        "log_stream_name": context.log_stream_name,
        "identity_id": context.identity.cognito_identity_id,
        "custom": context.client_context.custom,
        "trace": os.environ.get("_X_AMZN_TRACE_ID"),
    }
`,
      },
      'app.handler',
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
      function_name: 'fixture',
      function_version: '$LATEST',
      memory_limit_in_mb: '256',
      aws_request_id: out.requestId,
      invoked_function_arn: 'arn:aws:lambda:us-east-1:000000000000:function:fixture',
      log_group_name: '/aws/lambda/fixture',
      log_stream_name: '2024/01/01/[$LATEST]0123456789abcdef',
      identity_id: 'id-1',
      custom: { k: 'v' },
      trace: expect.stringMatching(/^Root=1-/),
    });
  });

  it('counts get_remaining_time_in_millis down and keeps module state across invocations', async () => {
    start(
      {
        'app.py': `import time, os
calls = 0
def handler(event, context):
    global calls
    calls += 1
    first = context.get_remaining_time_in_millis()
    time.sleep(0.12)
    return {"calls": calls, "pid": os.getpid(), "first": first, "second": context.get_remaining_time_in_millis()}
`,
      },
      'app.handler',
    );
    const a = (await api.invoke({}, { timeoutMs: 5000 })).json as Record<string, number>;
    const b = (await api.invoke({}, { timeoutMs: 5000 })).json as Record<string, number>;
    expect(a.calls).toBe(1);
    expect(b.calls).toBe(2);
    expect(b.pid).toBe(a.pid);
    expect(a.first).toBeLessThanOrEqual(5000);
    expect((a.first as number) - (a.second as number)).toBeGreaterThanOrEqual(100);
    expect(api.sockets.size).toBe(1);
  });

  it('posts an exception as errorMessage/errorType/requestId/stackTrace and logs it', async () => {
    const proc = start(
      { 'app.py': 'def handler(event, context):\n    raise ValueError("bad value")\n' },
      'app.handler',
    );
    const out = await api.invoke({});
    expect(out.kind).toBe('error');
    expect(out.headers['lambda-runtime-function-error-type']).toBe('Unhandled');
    const body = out.json as PyError;
    expect(body.errorType).toBe('ValueError');
    expect(body.errorMessage).toBe('bad value');
    expect(body.requestId).toBe(out.requestId);
    expect(body.stackTrace).toHaveLength(1);
    expect(body.stackTrace[0]).toMatch(/app\.py", line 2, in handler\n {4}raise ValueError\("bad value"\)\n$/);
    expect(await proc.line(/^\[ERROR\] ValueError: bad value\rTraceback \(most recent call last\):\r/)).toBeTruthy();
    // Still serving.
    expect((await api.invoke({})).kind).toBe('error');
  });

  it('reports a missing module as Runtime.ImportModuleError and exits 1', async () => {
    const proc = start({ 'other.py': '' }, 'nope.handler');
    const init = await api.waitInitError();
    expect(init.headers['lambda-runtime-function-error-type']).toBe('Runtime.ImportModuleError');
    expect(init.json).toEqual({
      errorMessage: "Unable to import module 'nope': No module named 'nope'",
      errorType: 'Runtime.ImportModuleError',
      requestId: '',
      stackTrace: [],
    });
    expect((await proc.exited).code).toBe(1);
    expect(api.nextCalls).toBe(0);
  });

  it('reports a missing function as Runtime.HandlerNotFound', async () => {
    start({ 'app.py': 'def other(e, c):\n    return 1\n' }, 'app.handler');
    expect((await api.waitInitError()).json).toMatchObject({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: "Handler 'handler' missing on module 'app'",
    });
  });

  it("reports an exception raised while importing with the exception's own type", async () => {
    start({ 'app.py': 'raise KeyError("cfg")\ndef handler(e, c):\n    return 1\n' }, 'app.handler');
    const body = (await api.waitInitError()).json as PyError;
    expect(body.errorType).toBe('KeyError');
    expect(body.errorMessage).toBe("'cfg'");
    expect(body.stackTrace.some((l) => l.includes('app.py'))).toBe(true);
  });

  it('reports a syntax error as Runtime.UserCodeSyntaxError', async () => {
    start({ 'app.py': 'def handler(e, c)\n    return 1\n' }, 'app.handler');
    expect((await api.waitInitError()).json).toMatchObject({ errorType: 'Runtime.UserCodeSyntaxError' });
  });

  it('writes print() to stdout and root-logger records as [LEVEL]\\t<timestamp>\\t<requestId>\\t<message>', async () => {
    const proc = start(
      {
        'app.py': `import logging
logger = logging.getLogger()
logger.setLevel(logging.INFO)
logging.info("during init")
def handler(event, context):
    print("plain print", 1)
    logger.info("hello %s", "world")
    logger.warning("two\\nlines")
    logging.getLogger("child").error("from child")
    return 1
`,
      },
      'app.handler',
    );
    const out = await api.invoke({});
    const id = out.requestId;
    const ts = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z';
    expect(await proc.line(/during init/)).toMatch(new RegExp(`^\\[INFO\\]\\t${ts}\\t\\tduring init$`));
    expect(await proc.line(/plain print/)).toBe('plain print 1');
    expect(await proc.line(/hello world/)).toMatch(new RegExp(`^\\[INFO\\]\\t${ts}\\t${id}\\thello world$`));
    expect(await proc.line(/two/)).toMatch(new RegExp(`^\\[WARNING\\]\\t${ts}\\t${id}\\ttwo\\rlines$`));
    expect(await proc.line(/from child/)).toContain(`[ERROR]\t`);
  });
});
