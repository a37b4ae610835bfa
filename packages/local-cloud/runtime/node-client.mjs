// local-cloud Node.js runtime client: runs inside a Lambda execution-environment process and
// talks to local-cloud through the Lambda Runtime API (2018-06-01). Shipped as-is (no build);
// Node built-ins only; keep startup light (cold start matters).
//
// Behaviour follows AWS's managed Node.js runtime:
// - handler `dir/file.a.b` is loaded from LAMBDA_TASK_ROOT: `file` (exact), `.js` (CommonJS unless
//   the nearest package.json says "type": "module"), `.mjs`, `.cjs`, then Node resolution.
// - nodejs20.x/22.x (AWS_EXECUTION_ENV below 24 or unset): async handlers, callback handlers,
//   context.done/succeed/fail and callbackWaitsForEmptyEventLoop. A non-async handler that never
//   calls back answers null once the event loop drains, as on AWS.
// - nodejs24.x and later (AWS_EXECUTION_ENV=AWS_Lambda_nodejs24.x): a handler declaring 3+
//   parameters fails init with Runtime.CallbackHandlerDeprecated, as on AWS; the handler's return
//   value (awaited) is the response.
// - console.* write `<ISO time>\t<request id>\t<LEVEL>\t<message>` records to stdout, one per line,
//   with inner newlines written as \r (AWS_LAMBDA_LOG_FORMAT=JSON gives JSON records instead).
// - uncaught exceptions / unhandled rejections are posted as the invocation's error (or as the init
//   error before the first invocation), then the process exits with 129 / 128 like AWS's runtime.
// - awslambda.streamifyResponse handlers stream their response (chunked POST, response mode
//   "streaming", errors as trailers).

import { existsSync, readFileSync, statSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { runtimeHttpClient } from './runtime-http.mjs';

const env = process.env;

// ---------------------------------------------------------------------------------------------
// Logging

const LEVELS = { TRACE: 1, DEBUG: 2, INFO: 3, WARN: 4, ERROR: 5, FATAL: 6 };
const jsonLogs = env.AWS_LAMBDA_LOG_FORMAT?.toUpperCase() === 'JSON';
// Log-level filtering only applies to JSON logs, as on AWS.
const minLevel = jsonLogs ? (LEVELS[env.AWS_LAMBDA_LOG_LEVEL?.toUpperCase() ?? ''] ?? 0) : 0;
const stdout = process.stdout;

/** The request id stamped on log records; "undefined" before the first invocation, like AWS. */
let logRequestId;

/** One record per stdout line: inner newlines are written as \r (the server turns them back). */
function writeRecord(text) {
  stdout.write(`${text.replace(/\n/g, '\r')}\n`);
}
// If the server closes our pipes, writing must not turn into an endless uncaught-exception loop.
stdout.on('error', () => {});
process.stderr.on('error', () => {});

function emit(level, args) {
  if (LEVELS[level] < minLevel) return;
  const time = new Date().toISOString();
  if (!jsonLogs) {
    writeRecord(`${time}\t${logRequestId}\t${level}\t${format(...args)}`);
    return;
  }
  const record = { timestamp: time, level, requestId: logRequestId };
  if (args.length === 1) {
    record.message = args[0] instanceof Error ? errorJson(args[0]) : args[0];
  } else {
    record.message = format(...args);
    const err = args.find((a) => a instanceof Error);
    if (err) Object.assign(record, errorJson(err));
  }
  let line;
  try {
    line = JSON.stringify(record);
  } catch {
    record.message = format(record.message);
    line = JSON.stringify(record);
  }
  writeRecord(line);
}

function errorJson(err) {
  return {
    errorType: err?.constructor?.name ?? 'UnknownError',
    errorMessage: err.message,
    stackTrace: typeof err.stack === 'string' ? err.stack.split('\n') : [],
  };
}

// (msg, ...params) rather than (...args): console.log() logs "undefined" on AWS too.
console.log = (msg, ...params) => emit('INFO', [msg, ...params]);
console.info = (msg, ...params) => emit('INFO', [msg, ...params]);
console.debug = (msg, ...params) => emit('DEBUG', [msg, ...params]);
console.warn = (msg, ...params) => emit('WARN', [msg, ...params]);
console.error = (msg, ...params) => emit('ERROR', [msg, ...params]);
console.trace = (msg, ...params) => emit('TRACE', [msg, ...params]);
console.fatal = (msg, ...params) => emit('FATAL', [msg, ...params]);

/** Logs an error the way AWS's runtime does: `<title> \t{"errorType":..,"errorMessage":..,"stack":[..]}`. */
function logError(title, err) {
  if (jsonLogs) {
    emit('ERROR', [title, err instanceof Error ? err : new Error(String(err))]);
    return;
  }
  emit('ERROR', [title, `\t${formatted(err)}`]);
}

function formatted(err) {
  const error = err instanceof Error ? err : new Error(err);
  try {
    return JSON.stringify(error, (_key, value) => {
      if (!(value instanceof Error)) return value;
      const out = { errorType: value.name, errorMessage: value.message, code: value.code, ...value };
      if (typeof value.stack === 'string') out.stack = value.stack.split('\n');
      return out;
    });
  } catch {
    return JSON.stringify(rapidError(error));
  }
}

/** The body AWS's Node runtime posts for an error. */
function rapidError(err) {
  try {
    if (isErrorLike(err)) {
      return {
        errorType: String(err.name).replaceAll('\x7F', '%7F'),
        errorMessage: String(err.message).replaceAll('\x7F', '%7F'),
        trace: typeof err.stack === 'string' ? err.stack.replaceAll('\x7F', '%7F').split('\n') : [],
      };
    }
    return { errorType: typeof err, errorMessage: String(err), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage:
        'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
      trace: [],
    };
  }
}

function isErrorLike(err) {
  return (
    err instanceof Error ||
    (err !== null &&
      typeof err === 'object' &&
      typeof err.name === 'string' &&
      typeof err.message === 'string' &&
      typeof err.stack === 'string')
  );
}

function runtimeError(name, message) {
  const err = new Error(message);
  err.name = name;
  return err;
}

// ---------------------------------------------------------------------------------------------
// Runtime API client: one keep-alive connection, reused for every call (runtime-http.mjs);
// response streaming uses node:http.

const api = parseRuntimeApi(env.AWS_LAMBDA_RUNTIME_API);
const rapid = runtimeHttpClient(api.host, api.port);
const target = { host: api.host, port: api.port };
// Free keep-alive sockets are unref'd (by Node here, by runtime-http.mjs for `rapid`), so an idle
// connection never keeps the event loop alive: 'beforeExit' then tells us when the handler's own
// work has drained.
const agent = new Agent({ keepAlive: true, maxFreeSockets: 1 });

function parseRuntimeApi(value) {
  if (!value) {
    process.stderr.write('local-cloud runtime: AWS_LAMBDA_RUNTIME_API is not set\n');
    process.exit(1);
  }
  const slash = value.indexOf('/');
  const hostPort = slash === -1 ? value : value.slice(0, slash);
  const prefix = slash === -1 ? '' : value.slice(slash).replace(/\/+$/, '');
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(hostPort) ?? /^([^:]+)(?::(\d+))?$/.exec(hostPort);
  return { host: m?.[1] ?? hostPort, port: Number(m?.[2] ?? 80), base: `${prefix}/2018-06-01/runtime` };
}

function call(method, route, body, headers = {}) {
  const payload = body === undefined ? undefined : Buffer.from(body, 'utf8');
  if (payload) headers['Content-Type'] ??= 'application/json';
  return rapid(method, api.base + route, headers, payload);
}

function serialize(result) {
  try {
    return JSON.stringify(result === undefined ? null : result);
  } catch {
    throw runtimeError('Runtime.JSONStringifyError', 'Unable to stringify response body');
  }
}

function postResponse(id, result) {
  return call('POST', `/invocation/${encodeURIComponent(id)}/response`, serialize(result));
}

function postError(id, err) {
  return call('POST', `/invocation/${encodeURIComponent(id)}/error`, JSON.stringify(rapidError(err)), {
    'Lambda-Runtime-Function-Error-Type': 'Unhandled',
  });
}

function postInitError(err) {
  const body = rapidError(err);
  return call('POST', '/init/error', JSON.stringify(body), {
    'Lambda-Runtime-Function-Error-Type': headerSafe(body.errorType),
  });
}

function headerSafe(value) {
  return String(value).replace(/[^\t\x20-\x7e]/g, '') || 'Unknown';
}

// ---------------------------------------------------------------------------------------------
// Fatal errors: report them against whatever is in flight, then exit like AWS (129 / 128).

/** The invocation being processed; `posted` once its outcome has been sent. */
let current;
/** Until the first event arrives, fatal errors are init errors (as on AWS). */
let initialized = false;
let dying = false;

function fatal(err, exitCode) {
  if (dying) return;
  dying = true;
  let report;
  if (!initialized) report = postInitError(err);
  else if (current && !current.posted) {
    current.posted = true;
    report = postError(current.id, err);
  }
  if (!report) process.exit(exitCode);
  report.then(
    () => process.exit(exitCode),
    () => process.exit(exitCode),
  );
}

process.on('uncaughtException', (err) => {
  logError('Uncaught Exception', err);
  fatal(err, 129);
});

process.on('unhandledRejection', (reason) => {
  const err = runtimeError('Runtime.UnhandledPromiseRejection', String(reason));
  err.reason = reason;
  logError('Unhandled Promise Rejection', err);
  fatal(err, 128);
});

/** Runs when the event loop has nothing left to do (the callback-style "empty event loop"). */
let onDrain;
process.on('beforeExit', () => {
  const fn = onDrain;
  onDrain = undefined;
  fn?.();
});

// ---------------------------------------------------------------------------------------------
// Loading the handler

const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
const HIGH_WATER_MARK = Symbol.for('aws.lambda.runtime.handler.streaming.highWaterMark');
const nodeMajor = Number(/nodejs(\d+)/.exec(env.AWS_EXECUTION_ENV ?? '')?.[1] ?? 0);
const modern = nodeMajor >= 24;
const requireHere = createRequire(import.meta.url);

globalThis.awslambda ??= {
  streamifyResponse(handler, options) {
    handler[STREAMING] = 'response';
    if (typeof options?.highWaterMark === 'number') handler[HIGH_WATER_MARK] = Math.trunc(options.highWaterMark);
    return handler;
  },
  HttpResponseStream: {
    from(stream, prelude) {
      stream.setContentType('application/vnd.awslambda.http-integration-response');
      const json = JSON.stringify(prelude);
      stream._onBeforeFirstWrite = (write) => {
        write(json);
        write(new Uint8Array(8));
      };
      return stream;
    },
  },
};

async function loadHandler(taskRoot, handlerString) {
  if (handlerString.includes('..')) {
    throw runtimeError(
      'Runtime.MalformedHandlerName',
      `'${handlerString}' is not a valid handler name. Use absolute paths when specifying root directories in handler names.`,
    );
  }
  const base = path.basename(handlerString);
  const moduleRoot = handlerString.slice(0, handlerString.length - base.length);
  const m = /^([^.]*)\.(.*)$/.exec(base);
  if (!m) throw runtimeError('Runtime.MalformedHandlerName', 'Bad handler');
  const [, moduleName, handlerPath] = m;

  let mod;
  try {
    mod = await loadModule(taskRoot, moduleRoot, moduleName);
  } catch (err) {
    if (err instanceof SyntaxError) {
      const wrapped = runtimeError('Runtime.UserCodeSyntaxError', String(err));
      wrapped.stack = err.stack;
      throw wrapped;
    }
    if (err?.code === 'MODULE_NOT_FOUND' || err?.code === 'ERR_MODULE_NOT_FOUND') {
      throw runtimeError('Runtime.ImportModuleError', String(err));
    }
    throw err;
  }

  let fn = lookup(mod, handlerPath);
  if (!fn && mod !== null && typeof mod === 'object' && 'default' in mod) fn = lookup(mod.default, handlerPath);
  if (!fn) throw runtimeError('Runtime.HandlerNotFound', `${handlerString} is undefined or not exported`);
  if (typeof fn !== 'function') throw runtimeError('Runtime.HandlerNotFound', `${handlerString} is not a function`);
  if (fn[STREAMING] !== undefined && fn[STREAMING] !== null && fn[STREAMING] !== false) {
    if (fn[STREAMING] !== 'response') {
      throw runtimeError('Runtime.MalformedStreamingHandler', 'Only response streaming is supported.');
    }
  } else if (modern && fn.length >= 3) {
    throw runtimeError(
      'Runtime.CallbackHandlerDeprecated',
      'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.',
    );
  }
  return fn;
}

function lookup(obj, dotted) {
  let value = obj;
  for (const key of dotted.split('.')) {
    if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined;
    value = value[key];
  }
  return value;
}

function isFile(p) {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

async function loadModule(taskRoot, moduleRoot, moduleName) {
  const dir = path.resolve(taskRoot, moduleRoot);
  const file = path.join(dir, moduleName);
  const load = (p) => import(pathToFileURL(p).href);
  if (isFile(file)) return load(file);
  const esm = typeModule(dir);
  // import() loads CommonJS too (module.exports becomes `default` plus the detected named exports)
  // and honours "type": "module"; the handler lookup falls back to `default`.
  if (isFile(`${file}.js`)) return esm ? load(`${file}.js`) : requireHere(`${file}.js`);
  if (isFile(`${file}.mjs`)) return load(`${file}.mjs`);
  if (isFile(`${file}.cjs`)) return requireHere(`${file}.cjs`);
  // Like AWS: fall back to Node's resolution from the task root (node_modules, NODE_PATH, ...).
  return requireHere(requireHere.resolve(moduleName, { paths: [taskRoot, dir] }));
}

/** Whether the nearest package.json above `dir` says "type": "module" (what Node does for .js). */
function typeModule(dir) {
  for (let d = dir; ; ) {
    if (path.basename(d) === 'node_modules') return false;
    const pj = path.join(d, 'package.json');
    if (existsSync(pj)) {
      try {
        return JSON.parse(readFileSync(pj, 'utf8'))?.type === 'module';
      } catch {
        return false;
      }
    }
    const parent = path.dirname(d);
    if (parent === d) return false;
    d = parent;
  }
}

// ---------------------------------------------------------------------------------------------
// Invocations

function buildContext(inv, callbacks) {
  const h = inv.headers;
  const deadline = Number(h['lambda-runtime-deadline-ms']);
  const context = {
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: h['lambda-runtime-invoked-function-arn'],
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: inv.id,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    identity: jsonHeader(h['lambda-runtime-cognito-identity']),
    clientContext: jsonHeader(h['lambda-runtime-client-context']),
    getRemainingTimeInMillis: () => deadline - Date.now(),
  };
  if (h['lambda-runtime-aws-tenant-id']) context.tenantId = h['lambda-runtime-aws-tenant-id'];
  // Copy accessors as accessors: callbackWaitsForEmptyEventLoop must stay live.
  if (callbacks) Object.defineProperties(context, Object.getOwnPropertyDescriptors(callbacks));
  return context;
}

function jsonHeader(value) {
  if (!value) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

/** Handles one event; resolves once its outcome has been posted. */
function invoke(handler, inv) {
  return new Promise((done) => {
    const state = { id: inv.id, posted: false };
    current = state;
    let decided = false;
    let waitForEmptyLoop = true;

    const send = (post) => {
      if (state.posted) return;
      state.posted = true;
      onDrain = undefined;
      let sending;
      try {
        sending = post();
      } catch (err) {
        // The result could not be serialized: report that instead.
        logError('Invoke Error', err);
        sending = postError(state.id, err);
      }
      sending.then(done, (err) => fatal(err, 1));
    };
    const succeed = (result) => send(() => postResponse(state.id, result));
    const fail = (err) => {
      logError('Invoke Error', err);
      send(() => postError(state.id, err));
    };
    const once =
      (fn) =>
      (...args) => {
        if (decided) return;
        decided = true;
        fn(...args);
      };

    const callback = once((err, result) => {
      if (err !== undefined && err !== null) fail(err);
      else if (waitForEmptyLoop && !modern) onDrain = () => succeed(result);
      else succeed(result);
    });
    const contextDone = (err, result) => (err !== undefined && err !== null ? fail(err) : succeed(result));
    const context = buildContext(
      inv,
      modern
        ? undefined
        : {
            get callbackWaitsForEmptyEventLoop() {
              return waitForEmptyLoop;
            },
            set callbackWaitsForEmptyEventLoop(value) {
              waitForEmptyLoop = value;
            },
            done: once(contextDone),
            succeed: once((result) => succeed(result)),
            fail: once((err) => fail(err === undefined || err === null ? 'handled' : err)),
          },
    );
    // A handler that neither returns a promise nor calls back answers null once the loop drains.
    onDrain = () => {
      decided = true;
      succeed(null);
    };

    if (handler[STREAMING] === 'response') {
      streamInvoke(handler, inv, context, state, done);
      return;
    }
    try {
      const event = JSON.parse(inv.body);
      const result = modern ? handler(event, context) : handler(event, context, callback);
      if (modern || isPromise(result)) {
        Promise.resolve(result).then(once(succeed), once(fail));
      }
    } catch (err) {
      once(fail)(err);
    }
  });
}

function isPromise(value) {
  return value !== null && typeof value === 'object' && typeof value.then === 'function';
}

/** A response-streaming handler: POST the body chunked as it is written (AWS "streaming" mode). */
function streamInvoke(handler, inv, context, state, done) {
  state.posted = true;
  onDrain = undefined;
  let wrote = false;
  const req = request({
    ...target,
    method: 'POST',
    path: `${api.base}/invocation/${encodeURIComponent(state.id)}/response`,
    agent,
    headers: {
      'Lambda-Runtime-Function-Response-Mode': 'streaming',
      'Content-Type': 'application/octet-stream',
      'Transfer-Encoding': 'chunked',
      Trailer: 'Lambda-Runtime-Function-Error-Type, Lambda-Runtime-Function-Error-Body',
    },
  });
  const answered = new Promise((resolve, reject) => {
    req.on('response', (res) => {
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', reject);
  });
  const rawWrite = req.write.bind(req);
  req.setContentType = (type) => {
    if (wrote) throw runtimeError('Runtime.InvalidStreamingOperation', 'Cannot set content-type, too late.');
    req.setHeader('Content-Type', type);
  };
  const beforeFirstWrite = () => {
    if (!wrote && typeof req._onBeforeFirstWrite === 'function') req._onBeforeFirstWrite((c) => rawWrite(c));
    wrote = true;
  };
  req.write = (chunk, encoding, cb) => {
    beforeFirstWrite();
    const data = typeof chunk === 'string' || chunk instanceof Uint8Array ? chunk : JSON.stringify(chunk);
    return rawWrite(data, encoding, cb);
  };
  // end(chunk) bypasses write() inside Node, so route a final chunk (and the prelude) through it.
  const rawEnd = req.end.bind(req);
  req.end = (...args) => {
    const cb = typeof args.at(-1) === 'function' ? args.pop() : undefined;
    const [chunk, encoding] = args;
    if (chunk !== undefined && chunk !== null) req.write(chunk, encoding);
    else beforeFirstWrite();
    return rawEnd(cb);
  };
  const failStream = (err) => {
    logError('Invoke Error', err);
    const body = rapidError(err);
    if (!req.writableEnded) {
      req.addTrailers({
        'Lambda-Runtime-Function-Error-Type': headerSafe(body.errorType),
        'Lambda-Runtime-Function-Error-Body': Buffer.from(JSON.stringify(body)).toString('base64'),
      });
      req.end();
    }
  };
  (async () => {
    try {
      const result = handler(JSON.parse(inv.body), req, context);
      if (!isPromise(result)) throw new Error('Streaming does not support non-async handlers.');
      if ((await result) !== undefined) console.warn('Streaming handlers ignore return values.');
      await answered;
      if (!req.writableFinished) throw new Error('Response stream is not finished.');
    } catch (err) {
      failStream(err);
    }
    answered.then(done, (err) => fatal(err, 1));
  })();
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  const taskRoot = env.LAMBDA_TASK_ROOT || process.cwd();
  if (env.LAMBDA_TASK_ROOT && process.cwd() !== taskRoot) {
    try {
      process.chdir(taskRoot);
    } catch {}
  }
  let handler;
  try {
    handler = await loadHandler(taskRoot, env._HANDLER ?? '');
  } catch (err) {
    // AWS reports a failed init as an uncaught exception: logged, posted to /init/error, exit 129.
    logError('Uncaught Exception', err);
    fatal(err, 129);
    return;
  }

  for (;;) {
    let res;
    try {
      res = await call('GET', '/invocation/next');
    } catch (err) {
      process.stderr.write(`local-cloud runtime: cannot reach the Runtime API: ${err.message}\n`);
      process.exit(1);
    }
    if (res.status !== 200) {
      process.stderr.write(`local-cloud runtime: /invocation/next answered ${res.status}: ${res.body}\n`);
      process.exit(1);
    }
    initialized = true;
    const id = res.headers['lambda-runtime-aws-request-id'];
    logRequestId = id;
    const trace = res.headers['lambda-runtime-trace-id'];
    if (trace) env._X_AMZN_TRACE_ID = trace;
    else delete env._X_AMZN_TRACE_ID;
    await invoke(handler, { id, headers: res.headers, body: res.body });
  }
}

main().catch((err) => {
  logError('Uncaught Exception', err);
  fatal(err, 129);
});
