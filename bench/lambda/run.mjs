// Lambda benchmark: local-cloud (functions as local Node processes) vs @architect/sandbox vs a
// bare node:http server.
//
// Run from the repo root:
//   npm run bench:lambda            # = npm run build && node bench/lambda/run.mjs
//   node bench/lambda/run.mjs       # if dist/ is already built
//
// Every server runs in its own child process (forked from this file), bound to 127.0.0.1 on a
// free port. Server CPU per phase is read over IPC: the child's own process.cpuUsage(), and its
// whole process tree (the child plus the function processes it spawned, live or reaped, from
// /proc on Linux). Phases:
//   1. cold start (local-cloud): CreateFunction (zip, nodejs20.x, distinct code each time) ->
//      first Invoke response, wall ms; samples pooled over rounds for p50/p90.
//   2. warm call of an empty handler, sequential and with BENCH_CONC concurrent callers:
//        local-cloud  Invoke through @aws-sdk/client-lambda ("sdk"), and the same Invoke as a raw
//                     keep-alive HTTP POST /2015-03-31/functions/<fn>/invocations ("http")
//        sandbox      @architect/sandbox, raw HTTP GET / -> @http get / Lambda ("http")
//        bare         node:http answering {} ("http"): the ceiling for the same client
//   3. SQS -> handler latency (local-cloud): one message at a time through an event source
//      mapping; the handler takes performance.timeOrigin + performance.now() (Date.now() with
//      sub-ms resolution) first thing, subtracts the sentAt in the body (taken the same way just
//      before SendMessage), and appends the difference to a file in the OS temp dir whose path
//      comes in the BENCH_LAT_FILE environment variable.
//   4. sustained SQS -> Lambda throughput (local-cloud): BENCH_TPUT_MESSAGES pre-loaded with
//      SendMessageBatch, then a mapping (BatchSize 10) to a no-op handler is created; time until
//      ApproximateNumberOfMessages + ApproximateNumberOfMessagesNotVisible = 0. The function's
//      environments are warmed first through a side queue.
// Prints a table, the targets and the local-cloud/sandbox ratios; writes bench/lambda/last-run.json.
//
// Sizes (env vars, defaults in brackets):
//   BENCH_COLD_N [10]                       cold starts per round (distinct functions)
//   BENCH_WARM_WARMUP [200]  BENCH_WARM_N [2000]  BENCH_CONC [8]  BENCH_CONC_N [4000]
//   BENCH_SANDBOX_WARMUP [5]  BENCH_SANDBOX_N [60]  BENCH_SANDBOX_CONC_N [96]
//                                           (sandbox spawns a process per request: ~100 ms each)
//   BENCH_SQSLAT_WARMUP [20]  BENCH_SQSLAT_N [300]  BENCH_SQSLAT_GAP_MS [5]
//   BENCH_TPUT_MESSAGES [20000]  BENCH_TPUT_WARMUP [1000]  BENCH_SEND_CONCURRENCY [8]
//   BENCH_SERVERS [local-cloud,sandbox,bare]   which servers to run
//   BENCH_PHASES [cold,warm,sqslat,tput]       subset to run
//   BENCH_LC_PERSISTENCE [disk]  'memory' shows what persistence costs
//   BENCH_CPU_PROF [unset]  comma list of servers to run under --cpu-prof (profiles kept in bench/.tmp/profiles)
//   BENCH_ROUNDS [3]  rounds with alternating order; figures are means over rounds (cold: pooled)
//   BENCH_OUT [bench/lambda/last-run.json]

import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { pkgVersion } from '../lib/child.mjs';
import { clientOptions, httpCall, quietSdkWarnings } from '../lib/client.mjs';
import { ROOT, sharedConfig, TMP } from '../lib/config.mjs';
import { cpuReading, runRounds, runServers, serveServer, startServerChild, stopChildren } from '../lib/harness.mjs';
import { measured, measuredSeq } from '../lib/measure.mjs';
import { processTree, readStat } from '../lib/proc.mjs';
import { meanPhases, printMetricTable, writeRunJson } from '../lib/report.mjs';
import { sandboxEnv, startFixedReplyServer, startLocalCloudServer, startSandboxServer } from '../lib/servers.mjs';
import { sendMessageBatches } from '../lib/sqs.mjs';
import { envInt, latencyStats, log, perUnit, poolEach, round, sleep } from '../lib/stats.mjs';

const SELF = fileURLToPath(import.meta.url);

const CFG = {
  coldN: envInt('BENCH_COLD_N', 10),
  warmWarmup: envInt('BENCH_WARM_WARMUP', 200),
  warmN: envInt('BENCH_WARM_N', 2000),
  conc: envInt('BENCH_CONC', 8),
  concN: envInt('BENCH_CONC_N', 4000),
  sandboxWarmup: envInt('BENCH_SANDBOX_WARMUP', 5),
  sandboxN: envInt('BENCH_SANDBOX_N', 60),
  sandboxConcN: envInt('BENCH_SANDBOX_CONC_N', 96),
  sqsLatWarmup: envInt('BENCH_SQSLAT_WARMUP', 20),
  sqsLatN: envInt('BENCH_SQSLAT_N', 300),
  sqsLatGapMs: envInt('BENCH_SQSLAT_GAP_MS', 5),
  tputMessages: envInt('BENCH_TPUT_MESSAGES', 20000),
  tputWarmup: envInt('BENCH_TPUT_WARMUP', 1000),
  sendConcurrency: envInt('BENCH_SEND_CONCURRENCY', 8),
  ...sharedConfig('lambda', { servers: 'local-cloud,sandbox,bare', phases: 'cold,warm,sqslat,tput' }),
};

const ROLE = 'arn:aws:iam::000000000000:role/bench';
const EMPTY_HANDLER = 'export const handler = async () => ({});\n';
/** sentAt and the handler's clock: wall-clock ms with sub-ms resolution, comparable across processes. */
const LAT_HANDLER = `import { appendFileSync } from 'node:fs';
const file = process.env.BENCH_LAT_FILE;
export const handler = async (event) => {
  const now = performance.timeOrigin + performance.now();
  let out = '';
  for (const r of event.Records) {
    const m = JSON.parse(r.body);
    out += \`\${m.i} \${(now - m.sentAt).toFixed(3)}\\n\`;
  }
  appendFileSync(file, out);
  return {};
};
`;
const wallNow = () => performance.timeOrigin + performance.now();

// ---------------------------------------------------------------------------------------------
// Child process: one server, reporting its own CPU (and its process tree's) over IPC.
// ---------------------------------------------------------------------------------------------

const STARTERS = {
  'local-cloud': () => startLocalCloudServer({ persistence: CFG.lcPersistence }),
  sandbox: () =>
    startSandboxServer(
      'lambdabench',
      "export const handler = async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{}' });\n",
    ),
  bare: () => startFixedReplyServer('{}', { 'content-type': 'application/json', 'content-length': '2' }),
};

// ---------------------------------------------------------------------------------------------
// Parent: orchestration.
// ---------------------------------------------------------------------------------------------

/** Every process a server child was last seen to have spawned: killed if it outlives the child. */
const descendants = new Map();
let dataDir;
const tempFiles = [];

async function main() {
  quietSdkWarnings();
  const sdk = { lambda: await import('@aws-sdk/client-lambda'), sqs: await import('@aws-sdk/client-sqs') };
  const { writeZip } = await import(pathToFileURL(join(ROOT, 'packages/local-cloud/dist/core/zip.js')).href);
  sdk.writeZip = writeZip;
  const started = new Date();
  mkdirSync(TMP, { recursive: true });
  dataDir = join(TMP, `lambda-data-${process.pid}-${Date.now()}`);
  const frame = { names: CFG.servers, cfg: CFG, start: startServer, stop: stopAll, cleanup };
  const results = await runServers(frame, async (servers, results) => {
    const on = (p) => CFG.phases.includes(p);
    const lc = servers.find((s) => s.name === 'local-cloud');
    const lcCtx = lc ? makeLcContext(sdk, lc) : undefined;
    if (lcCtx && (on('warm') || on('tput') || on('sqslat'))) await lcCtx.setup();

    // Phase-major within each round; the warm phase alternates the server order between rounds
    // so that neither side always meets a colder client.
    const rounds = await runRounds(CFG.rounds, servers, async (res, order, r) => {
      log(`-- round ${r + 1}/${CFG.rounds}`);
      if (lcCtx && on('cold')) res['local-cloud'].cold = await phaseCold(sdk, lcCtx, r);
      if (on('warm')) {
        for (const s of order(servers)) {
          if (s.name === 'local-cloud') {
            res[s.name].warmSdk = await phaseWarm(s, 'sdk');
            res[s.name].warmHttp = await phaseWarm(s, 'http');
          } else {
            res[s.name].warmHttp = await phaseWarm(s, 'http');
          }
        }
      }
      if (lcCtx && on('sqslat')) res['local-cloud'].sqsLat = await phaseSqsLatency(sdk, lcCtx, r);
      if (lcCtx && on('tput')) res['local-cloud'].tput = await phaseThroughput(sdk, lcCtx, r);
    });
    meanPhases(results, rounds, ['warmSdk', 'warmHttp', 'sqsLat', 'tput']);
    for (const name of Object.keys(results)) {
      const cold = rounds.map((r) => r[name].cold).filter(Boolean);
      if (cold.length) results[name].cold = coldStats(cold);
    }
    for (const s of servers) results[s.name].rssMB = round((await s.cpu()).rss / 1048576, 1);
    lcCtx?.destroy();
  });
  if (!results) return;

  const targets = computeTargets(results);
  printTable(results, targets);
  writeRunJson(CFG.out, started, {
    machine: { node: process.version, platform: process.platform, cpus: cpus().length, cpuModel: cpus()[0]?.model },
    versions: {
      'local-cloud': pkgVersion(ROOT, 'local-cloud'),
      '@architect/sandbox': pkgVersion(ROOT, '@architect/sandbox'),
      '@aws-sdk/client-lambda': pkgVersion(ROOT, '@aws-sdk/client-lambda'),
      '@aws-sdk/client-sqs': pkgVersion(ROOT, '@aws-sdk/client-sqs'),
    },
    config: { ...CFG, out: undefined },
    results,
    targets,
  });
}

function cleanup() {
  rmSync(dataDir, { recursive: true, force: true });
  for (const f of tempFiles.splice(0)) rmSync(f, { force: true });
}

function startServer(name) {
  const env = { BENCH_DATA_DIR: dataDir };
  const seen = new Map();
  descendants.set(name, seen);
  return startServerChild(SELF, name, {
    env: name === 'sandbox' ? sandboxEnv(env) : env,
    cpuProfDir: CFG.cpuProf.includes(name) ? join(TMP, 'profiles') : undefined,
    profilePrefix: 'lambda-',
    // Sandbox prints a banner and its functions' output on stdout.
    stdout: name === 'sandbox' ? 'ignore' : 'inherit',
    readCpu: (m) => {
      for (const d of m.descendants ?? []) seen.set(d.pid, d.start);
      return cpuReading(m);
    },
  });
}

async function stopAll(all) {
  // One last look at each server's process tree, so that nothing it spawned can outlive it.
  await Promise.all(all.map((s) => Promise.race([s.cpu().catch(() => {}), sleep(2_000)])));
  await stopChildren(all);
  if (process.platform !== 'linux') return;
  await sleep(100);
  for (const [name, seen] of descendants) {
    for (const [pid, start] of seen) {
      const st = readStat(pid);
      if (!st || st.start !== start || st.state === 'Z') continue; // gone, a zombie, or the pid was reused
      try {
        process.kill(pid, 'SIGKILL');
        log(`(killed leftover process ${pid} of ${name})`);
      } catch {}
    }
  }
  descendants.clear();
}

// ---------------------------------------------------------------------------------------------
// Clients and helpers.
// ---------------------------------------------------------------------------------------------

/** Lambda + SQS clients for local-cloud, and the functions shared by the phases. */
function makeLcContext(sdk, server) {
  const { agent, options } = clientOptions(server.url, 64);
  const lambda = new sdk.lambda.LambdaClient(options);
  const sqs = new sdk.sqs.SQSClient(options);
  const ctx = {
    server,
    lambda,
    sqs,
    async createFunction(name, source, env) {
      return lambda.send(
        new sdk.lambda.CreateFunctionCommand({
          FunctionName: name,
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Role: ROLE,
          Code: { ZipFile: sdk.writeZip({ 'index.mjs': source }) },
          ...(env ? { Environment: { Variables: env } } : {}),
        }),
      );
    },
    async queue(name) {
      const { QueueUrl } = await sqs.send(new sdk.sqs.CreateQueueCommand({ QueueName: name }));
      const a = await sqs.send(new sdk.sqs.GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
      return { url: QueueUrl, arn: a.Attributes.QueueArn };
    },
    async depth(url) {
      const a = await sqs.send(
        new sdk.sqs.GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
        }),
      );
      return (
        Number(a.Attributes.ApproximateNumberOfMessages) + Number(a.Attributes.ApproximateNumberOfMessagesNotVisible)
      );
    },
    async setup() {
      await ctx.createFunction('bench-empty', EMPTY_HANDLER);
      await ctx.createFunction('bench-noop', EMPTY_HANDLER);
    },
    destroy() {
      lambda.destroy();
      sqs.destroy();
      agent.destroy();
    },
  };
  return ctx;
}

// ---------------------------------------------------------------------------------------------
// Phases.
// ---------------------------------------------------------------------------------------------

/** CreateFunction -> first Invoke response, each with distinct code (no shared code directory). */
async function phaseCold(sdk, ctx, round_) {
  const total = [];
  const create = [];
  const invoke = [];
  const names = [];
  try {
    for (let i = 0; i < CFG.coldN; i++) {
      const name = `bench-cold-${round_}-${i}`;
      names.push(name);
      const zip = sdk.writeZip({ 'index.mjs': `// ${name}\nexport const handler = async () => ({ ok: true });\n` });
      const t0 = performance.now();
      const created = await ctx.lambda.send(
        new sdk.lambda.CreateFunctionCommand({
          FunctionName: name,
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Role: ROLE,
          Code: { ZipFile: zip },
        }),
      );
      const t1 = performance.now();
      if (created.State && created.State !== 'Active') throw new Error(`${name} is ${created.State} after create`);
      const r = await ctx.lambda.send(new sdk.lambda.InvokeCommand({ FunctionName: name, Payload: '{}' }));
      const t2 = performance.now();
      const out = Buffer.from(r.Payload ?? []).toString('utf8');
      if (r.FunctionError || out !== '{"ok":true}')
        throw new Error(`cold invoke of ${name}: ${r.FunctionError} ${out}`);
      total.push(t2 - t0);
      create.push(t1 - t0);
      invoke.push(t2 - t1);
      await sleep(20); // let the new environment settle; the next create starts from an idle server
    }
  } finally {
    // Free the environments (one process each).
    for (const name of names) {
      await ctx.lambda.send(new sdk.lambda.DeleteFunctionCommand({ FunctionName: name })).catch(() => {});
    }
  }
  const s = latencyStats(total);
  log(
    `[local-cloud] 1 cold start x${CFG.coldN}: p50 ${s.p50Ms} ms, p90 ${s.p90Ms} ms ` +
      `(create p50 ${latencyStats(create).p50Ms} ms, first invoke p50 ${latencyStats(invoke).p50Ms} ms)`,
  );
  return { total, create, invoke };
}

function coldStats(list) {
  const all = (k) => list.flatMap((x) => x[k]);
  const t = latencyStats(all('total'));
  return {
    samples: all('total').length,
    ...t,
    createP50Ms: latencyStats(all('create')).p50Ms,
    firstInvokeP50Ms: latencyStats(all('invoke')).p50Ms,
    firstInvokeP90Ms: latencyStats(all('invoke')).p90Ms,
  };
}

/**
 * Warm trivial-function calls: sequential latency, then `conc` concurrent callers.
 * mode 'sdk' = LambdaClient InvokeCommand; 'http' = raw keep-alive HTTP (local-cloud: POST to the
 * Invoke path, unsigned; sandbox and bare: GET /).
 */
async function phaseWarm(server, mode) {
  const isSandbox = server.name === 'sandbox';
  const warmup = isSandbox ? CFG.sandboxWarmup : CFG.warmWarmup;
  const n = isSandbox ? CFG.sandboxN : CFG.warmN;
  const concN = isSandbox ? CFG.sandboxConcN : CFG.concN;
  const { agent, options } = clientOptions(server.url, CFG.conc * 2);
  const target = new URL(server.url);
  let call;
  let lambda;
  if (mode === 'sdk') {
    const { LambdaClient, InvokeCommand } = await import('@aws-sdk/client-lambda');
    lambda = new LambdaClient(options);
    call = async () => {
      const r = await lambda.send(new InvokeCommand({ FunctionName: 'bench-empty' }));
      if (r.StatusCode !== 200 || r.FunctionError) throw new Error(`Invoke failed: ${r.FunctionError}`);
    };
  } else {
    const isLc = server.name === 'local-cloud';
    const method = isLc ? 'POST' : 'GET';
    const path = isLc ? '/2015-03-31/functions/bench-empty/invocations' : '/';
    const body = isLc ? Buffer.from('{}') : undefined;
    call = async () => {
      const r = await httpCall(agent, target, method, path, body);
      if (r.status !== 200 || r.headers['x-amz-function-error'] || r.body.toString() !== '{}') {
        throw new Error(`${server.name} call failed: ${r.status} ${r.body.toString().slice(0, 200)}`);
      }
    };
  }
  try {
    for (let i = 0; i < warmup; i++) await call();
    const seq = await measuredSeq(server, n, call);
    // Concurrent: warm up so every caller has its own warm environment, then measure.
    const runConc = (total, samples) =>
      poolEach(CFG.conc, total, async (i) => {
        const t0 = performance.now();
        await call();
        if (samples) samples[i] = performance.now() - t0;
      });
    await runConc(Math.max(CFG.conc * 2, isSandbox ? CFG.conc * 2 : Math.min(CFG.warmWarmup, concN)));
    const concLat = new Array(concN);
    const conc = await measured(server, () => runConc(concN, concLat));
    const s = latencyStats(seq.lat);
    const c = latencyStats(concLat);
    const r = {
      mode,
      calls: n,
      ...s,
      perS: round(n / (seq.wallMs / 1000)),
      serverCpuUsPerCall: perUnit(seq.serverCpuMs, n),
      treeCpuUsPerCall: perUnit(seq.treeCpuMs, n),
      clientCpuUsPerCall: perUnit(seq.clientCpuMs, n),
      concCalls: concN,
      concurrency: CFG.conc,
      concPerS: round(concN / (conc.wallMs / 1000)),
      concP50Ms: c.p50Ms,
      concP99Ms: c.p99Ms,
      concServerCpuUsPerCall: perUnit(conc.serverCpuMs, concN),
      concTreeCpuUsPerCall: perUnit(conc.treeCpuMs, concN),
      concClientCpuUsPerCall: perUnit(conc.clientCpuMs, concN),
    };
    log(
      `[${server.name}] 2 warm ${mode}: seq p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, ${r.perS}/s; ` +
        `x${CFG.conc} ${r.concPerS}/s (p50 ${r.concP50Ms} ms)`,
    );
    return r;
  } finally {
    lambda?.destroy();
    agent.destroy();
  }
}

/** Reads a growing file of `<i> <latency>` lines; resolves when line i has arrived. */
function latencyFile(path) {
  writeFileSync(path, '');
  const got = new Map();
  let buffered = '';
  let offset = 0;
  const waiters = new Map();
  const poll = () => {
    const data = readFileSync(path);
    if (data.length <= offset) return;
    buffered += data.subarray(offset).toString('utf8');
    offset = data.length;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      const [i, ms] = line.split(' ');
      got.set(Number(i), Number(ms));
      waiters.get(Number(i))?.();
    }
  };
  return {
    got,
    async wait(i, timeoutMs) {
      const end = Date.now() + timeoutMs;
      while (!got.has(i)) {
        if (Date.now() > end) throw new Error(`SQS -> handler: message ${i} not handled within ${timeoutMs} ms`);
        await new Promise((ok) => {
          const t = setTimeout(ok, 1);
          waiters.set(i, () => {
            clearTimeout(t);
            ok();
          });
        });
        poll();
      }
      waiters.delete(i);
      return got.get(i);
    },
  };
}

async function phaseSqsLatency(sdk, ctx, round_) {
  const file = join(tmpdir(), `lc-bench-sqslat-${process.pid}-${round_}.txt`);
  tempFiles.push(file);
  const fnName = `bench-sqslat-${round_}`;
  await ctx.createFunction(fnName, LAT_HANDLER, { BENCH_LAT_FILE: file });
  const q = await ctx.queue(`bench-sqslat-${round_}`);
  const reader = latencyFile(file);
  const mapping = await ctx.lambda.send(
    new sdk.lambda.CreateEventSourceMappingCommand({ FunctionName: fnName, EventSourceArn: q.arn, BatchSize: 10 }),
  );
  try {
    const total = CFG.sqsLatWarmup + CFG.sqsLatN;
    const lat = [];
    for (let i = 0; i < total; i++) {
      const sentAt = wallNow();
      await ctx.sqs.send(
        new sdk.sqs.SendMessageCommand({ QueueUrl: q.url, MessageBody: JSON.stringify({ i, sentAt }) }),
      );
      const ms = await reader.wait(i, 15_000);
      if (i >= CFG.sqsLatWarmup) lat.push(ms);
      // Let the invocation finish (response, delete) so the next message meets an idle environment.
      await sleep(CFG.sqsLatGapMs);
    }
    const r = { messages: CFG.sqsLatN, ...latencyStats(lat) };
    log(`[local-cloud] 3 SQS -> handler start: p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms`);
    return r;
  } finally {
    await ctx.lambda.send(new sdk.lambda.DeleteEventSourceMappingCommand({ UUID: mapping.UUID })).catch(() => {});
    await ctx.lambda.send(new sdk.lambda.DeleteFunctionCommand({ FunctionName: fnName })).catch(() => {});
  }
}

function sendAll(sdk, ctx, queueUrl, total) {
  return sendMessageBatches(sdk.sqs, ctx.sqs, queueUrl, {
    total,
    concurrency: CFG.sendConcurrency,
    body: (i) => `{"n":${i},"pad":"${'x'.repeat(80)}"}`,
  });
}

/** Waits until the queue is empty (visible + in flight), polling every `everyMs`. */
async function drained(ctx, url, timeoutMs, everyMs = 25) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if ((await ctx.depth(url)) === 0) return;
    if (Date.now() > end)
      throw new Error(`queue ${url} not drained within ${timeoutMs} ms (${await ctx.depth(url)} left)`);
    await sleep(everyMs);
  }
}

async function phaseThroughput(sdk, ctx, round_) {
  const createMapping = (arn) =>
    ctx.lambda.send(
      new sdk.lambda.CreateEventSourceMappingCommand({
        FunctionName: 'bench-noop',
        EventSourceArn: arn,
        BatchSize: 10,
      }),
    );
  const deleteMapping = (m) =>
    ctx.lambda.send(new sdk.lambda.DeleteEventSourceMappingCommand({ UUID: m.UUID })).catch(() => {});
  // Warm the function's environments (one per poller) through a side queue.
  const warm = await ctx.queue(`bench-tput-warm-${round_}`);
  await sendAll(sdk, ctx, warm.url, CFG.tputWarmup);
  const wm = await createMapping(warm.arn);
  try {
    await drained(ctx, warm.url, 60_000);
  } finally {
    await deleteMapping(wm);
  }
  const q = await ctx.queue(`bench-tput-${round_}`);
  const t0 = performance.now();
  await sendAll(sdk, ctx, q.url, CFG.tputMessages);
  const preloadMs = performance.now() - t0;
  if ((await ctx.depth(q.url)) !== CFG.tputMessages) throw new Error('preload: queue depth mismatch');
  let mapping;
  try {
    const m = await measured(ctx.server, async () => {
      mapping = await createMapping(q.arn);
      await drained(ctx, q.url, 300_000);
    });
    const n = CFG.tputMessages;
    const r = {
      messages: n,
      msgsPerS: round(n / (m.wallMs / 1000)),
      serverCpuUsPerMsg: perUnit(m.serverCpuMs, n, 2),
      treeCpuUsPerMsg: perUnit(m.treeCpuMs, n, 2),
      serverCpuS: round(m.serverCpuMs / 1000, 3),
      treeCpuS: m.treeCpuMs === undefined ? undefined : round(m.treeCpuMs / 1000, 3),
      wallMs: round(m.wallMs),
      preloadMsgsPerS: round(n / (preloadMs / 1000)),
    };
    log(
      `[local-cloud] 4 SQS -> Lambda (BatchSize 10): ${r.msgsPerS} msg/s, server ${r.serverCpuUsPerMsg} us/msg ` +
        `(with function processes ${r.treeCpuUsPerMsg} us/msg)`,
    );
    return r;
  } finally {
    if (mapping) await deleteMapping(mapping);
  }
}

// ---------------------------------------------------------------------------------------------
// Report.
// ---------------------------------------------------------------------------------------------

function computeTargets(results) {
  const lc = results['local-cloud'] ?? {};
  const sb = results.sandbox;
  const bare = results.bare;
  const t = {};
  if (lc.cold) t.coldStartP50 = { valueMs: lc.cold.p50Ms, target: '< 150 ms', pass: lc.cold.p50Ms < 150 };
  // The emulator's overhead: Invoke over raw HTTP (the SDK adds ~1 ms of its own client CPU here).
  if (lc.warmHttp) {
    t.warmInvokeP50 = {
      valueMs: lc.warmHttp.p50Ms,
      sdkMs: lc.warmSdk?.p50Ms,
      overBareMs: bare?.warmHttp ? round(lc.warmHttp.p50Ms - bare.warmHttp.p50Ms, 3) : undefined,
      target: '< 1 ms',
      pass: lc.warmHttp.p50Ms < 1,
    };
  }
  if (lc.sqsLat) t.sqsToHandlerP50 = { valueMs: lc.sqsLat.p50Ms, target: '< 5 ms', pass: lc.sqsLat.p50Ms < 5 };
  if (lc.tput) t.sqsMappingMsgsPerS = { value: lc.tput.msgsPerS, target: '>= 5000', pass: lc.tput.msgsPerS >= 5000 };
  if (lc.warmHttp && sb?.warmHttp) {
    t.vsSandbox = {
      seqPerS: round(lc.warmHttp.perS / sb.warmHttp.perS, 1),
      concPerS: round(lc.warmHttp.concPerS / sb.warmHttp.concPerS, 1),
      p50: round(sb.warmHttp.p50Ms / lc.warmHttp.p50Ms, 1),
    };
  }
  if (lc.warmHttp && bare?.warmHttp) {
    t.vsBarePct = {
      seqPerS: round((100 * lc.warmHttp.perS) / bare.warmHttp.perS, 1),
      concPerS: round((100 * lc.warmHttp.concPerS) / bare.warmHttp.concPerS, 1),
    };
  }
  return t;
}

function fmt(v) {
  if (typeof v !== 'number') return '-';
  return (Math.abs(v) >= 100 ? Math.round(v) : round(v, 3)).toLocaleString('en-US');
}

function printTable(results, t) {
  const cols = ['local-cloud', 'sandbox', 'bare'].filter((c) => results[c]);
  const x = CFG.conc;
  const rows = [
    ['1 cold start p50 ms', (r) => r.cold?.p50Ms],
    ['1 cold start p90 ms', (r) => r.cold?.p90Ms],
    ['1   CreateFunction p50 ms', (r) => r.cold?.createP50Ms],
    ['1   first Invoke p50 ms', (r) => r.cold?.firstInvokeP50Ms],
    ['2 SDK Invoke seq p50 ms', (r) => r.warmSdk?.p50Ms],
    ['2 SDK Invoke seq p99 ms', (r) => r.warmSdk?.p99Ms],
    ['2 SDK Invoke seq /s', (r) => r.warmSdk?.perS],
    [`2 SDK Invoke x${x} /s`, (r) => r.warmSdk?.concPerS],
    ['2 HTTP call seq p50 ms', (r) => r.warmHttp?.p50Ms],
    ['2 HTTP call seq p99 ms', (r) => r.warmHttp?.p99Ms],
    ['2 HTTP call seq /s', (r) => r.warmHttp?.perS],
    [`2 HTTP call x${x} /s`, (r) => r.warmHttp?.concPerS],
    [`2 HTTP call x${x} p50 ms`, (r) => r.warmHttp?.concP50Ms],
    ['2 server CPU us/call seq', (r) => r.warmHttp?.serverCpuUsPerCall],
    ['2 +functions CPU us/call seq', (r) => r.warmHttp?.treeCpuUsPerCall],
    [`2 +functions CPU us/call x${x}`, (r) => r.warmHttp?.concTreeCpuUsPerCall],
    ['3 SQS->handler p50 ms', (r) => r.sqsLat?.p50Ms],
    ['3 SQS->handler p99 ms', (r) => r.sqsLat?.p99Ms],
    ['4 SQS->Lambda msg/s', (r) => r.tput?.msgsPerS],
    ['4 server CPU us/msg', (r) => r.tput?.serverCpuUsPerMsg],
    ['4 +functions CPU us/msg', (r) => r.tput?.treeCpuUsPerMsg],
    ['server RSS MB (end)', (r) => r.rssMB],
  ];
  printMetricTable(cols, rows, (get, c) => fmt(get(results[c])));
  const mark = (p) => (p ? 'PASS' : 'MISS');
  if (t.coldStartP50)
    log(`cold start p50            ${t.coldStartP50.valueMs} ms  (target < 150 ms)  ${mark(t.coldStartP50.pass)}`);
  if (t.warmInvokeP50) {
    const w = t.warmInvokeP50;
    const extra = [
      w.overBareMs === undefined ? '' : `${w.overBareMs} ms over bare node:http`,
      w.sdkMs === undefined ? '' : `via the SDK ${w.sdkMs} ms`,
    ].filter(Boolean);
    log(
      `warm Invoke p50 (HTTP)    ${w.valueMs} ms  (target < 1 ms)  ${mark(w.pass)}` +
        (extra.length ? `  [${extra.join('; ')}]` : ''),
    );
  }
  if (t.sqsToHandlerP50) {
    log(`SQS -> handler p50        ${t.sqsToHandlerP50.valueMs} ms  (target < 5 ms)  ${mark(t.sqsToHandlerP50.pass)}`);
  }
  if (t.sqsMappingMsgsPerS) {
    log(
      `SQS -> Lambda throughput  ${fmt(t.sqsMappingMsgsPerS.value)} msg/s  (target >= 5,000)  ${mark(t.sqsMappingMsgsPerS.pass)}`,
    );
  }
  if (t.vsSandbox) {
    log(
      `local-cloud vs sandbox    seq ${t.vsSandbox.seqPerS}x calls/s, x${x} ${t.vsSandbox.concPerS}x calls/s, ` +
        `p50 ${t.vsSandbox.p50}x lower`,
    );
  }
  if (t.vsBarePct) {
    log(`local-cloud vs bare       seq ${t.vsBarePct.seqPerS}% of calls/s, x${x} ${t.vsBarePct.concPerS}%`);
  }
  log(
    '(HTTP call = raw keep-alive HTTP from the same client: local-cloud POST Invoke, sandbox GET / -> @http Lambda, ' +
      'bare GET / -> {}; +functions = the server process plus the function processes it runs)',
  );
}

// Entry point (last, so every module-level binding above is initialised).
if (process.argv[2] === '--server') {
  // The tree's CPU, and its live processes, which the parent kills if they outlive this child.
  await serveServer(process.argv[3], STARTERS, { reading: () => processTree() });
} else {
  await main();
}
