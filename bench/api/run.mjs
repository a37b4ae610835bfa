// API Gateway benchmark: GET through local-cloud's API Gateway to a trivial Lambda handler, against
// the same handler behind @architect/sandbox (@http get /) and behind a bare node:http server that
// calls it in process (the ceiling for this client).
//
// Run from the repo root:
//   npm run bench:api               # = npm run build && node bench/api/run.mjs
//   node bench/api/run.mjs          # if dist/ is already built
//
// Every server runs in its own child process (forked from this file) on 127.0.0.1. Server CPU per
// request is read over IPC: the child's own process.cpuUsage(), and its whole process tree (with
// the function processes it spawned) from /proc on Linux. For each server: warm-up, then N
// sequential keep-alive GETs (p50/p99 latency, req/s), then BENCH_CONC concurrent callers.
// Servers:
//   local-cloud-http   HTTP API (quick create, payload 2.0, $default stage): GET /_aws/execute-api/<id>/
//   local-cloud-rest   REST API, ANY on / with a Lambda proxy integration:  GET /_aws/execute-api/<id>/prod/
//   sandbox            @architect/sandbox, GET / -> @http get / (a process per request)
//   bare               node:http calling the handler in process
// Both local-cloud APIs share one server child. Rounds alternate the server order.
//
// Sizes (env vars, defaults in brackets):
//   BENCH_WARMUP [200]  BENCH_N [2000]  BENCH_CONC [8]  BENCH_CONC_N [4000]
//   BENCH_SANDBOX_WARMUP [5]  BENCH_SANDBOX_N [60]  BENCH_SANDBOX_CONC_N [96]
//   BENCH_SERVERS [local-cloud-http,local-cloud-rest,sandbox,bare]
//   BENCH_LC_PERSISTENCE [disk]  BENCH_ROUNDS [2]  BENCH_OUT [bench/api/last-run.json]
//   BENCH_CPU_PROF=1 writes each server child's CPU profile to bench/.tmp/profiles (api-<server>-*.cpuprofile)

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { pkgVersion } from '../lib/child.mjs';
import { httpCall, quietSdkWarnings } from '../lib/client.mjs';
import { envList, ROOT, TMP } from '../lib/config.mjs';
import { profileDir, serveServer, startServerChild, stopChildren } from '../lib/harness.mjs';
import { measured, measuredSeq } from '../lib/measure.mjs';
import { processTree } from '../lib/proc.mjs';
import { writeRunJson } from '../lib/report.mjs';
import { sandboxEnv, startBareServer, startLocalCloudServer, startSandboxServer } from '../lib/servers.mjs';
import { envInt, latencyStats, log, meanOf, perUnit, poolEach, round } from '../lib/stats.mjs';

const SELF = fileURLToPath(import.meta.url);

const CFG = {
  warmup: envInt('BENCH_WARMUP', 200),
  n: envInt('BENCH_N', 2000),
  conc: envInt('BENCH_CONC', 8),
  concN: envInt('BENCH_CONC_N', 4000),
  sandboxWarmup: envInt('BENCH_SANDBOX_WARMUP', 5),
  sandboxN: envInt('BENCH_SANDBOX_N', 60),
  sandboxConcN: envInt('BENCH_SANDBOX_CONC_N', 96),
  servers: envList('BENCH_SERVERS', 'local-cloud-http,local-cloud-rest,sandbox,bare'),
  lcPersistence: process.env.BENCH_LC_PERSISTENCE ?? 'disk',
  rounds: Math.max(1, envInt('BENCH_ROUNDS', 2)),
  out: resolve(ROOT, process.env.BENCH_OUT ?? 'bench/api/last-run.json'),
};
const CPU_PROF = process.env.BENCH_CPU_PROF === '1';

const HANDLER =
  "export const handler = async () => ({ statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{\"ok\":true}' });\n";
const EXPECTED = '{"ok":true}';

// ---------------------------------------------------------------------------------------------
// Child process: one server, reporting its own CPU (and its process tree's) over IPC.
// ---------------------------------------------------------------------------------------------

/** node:http calling the handler in process. */
async function startBare() {
  const dir = mkdtempSync(join(tmpdir(), 'lc-bench-bare-'));
  writeFileSync(join(dir, 'index.mjs'), HANDLER);
  const { handler } = await import(pathToFileURL(join(dir, 'index.mjs')).href);
  const bare = await startBareServer(async (req, res) => {
    const r = await handler({ rawPath: req.url, headers: req.headers });
    res.writeHead(r.statusCode, { ...r.headers, 'content-length': Buffer.byteLength(r.body) });
    res.end(r.body);
  });
  return {
    url: bare.url,
    stop: () => {
      rmSync(dir, { recursive: true, force: true });
      return bare.stop();
    },
  };
}

const STARTERS = {
  'local-cloud': () => startLocalCloudServer({ persistence: CFG.lcPersistence }),
  sandbox: () => startSandboxServer('apibench', HANDLER),
  bare: startBare,
};

// ---------------------------------------------------------------------------------------------
// Parent: orchestration.
// ---------------------------------------------------------------------------------------------

function startServer(kind, dataDir) {
  const env = { BENCH_DATA_DIR: dataDir };
  return startServerChild(SELF, kind, {
    env: kind === 'sandbox' ? sandboxEnv(env) : env,
    stdout: kind === 'sandbox' ? 'ignore' : 'inherit',
    cpuProfDir: CPU_PROF ? profileDir(TMP) : undefined,
    profilePrefix: 'api-',
  });
}

/** Creates the function and both APIs on local-cloud; returns the invoke paths. */
async function setupLocalCloud(url) {
  quietSdkWarnings();
  const { LambdaClient, CreateFunctionCommand } = await import('@aws-sdk/client-lambda');
  const v2 = await import('@aws-sdk/client-apigatewayv2');
  const v1 = await import('@aws-sdk/client-api-gateway');
  const { writeZip } = await import(pathToFileURL(join(ROOT, 'packages/local-cloud/dist/core/zip.js')).href);
  const cfg = { endpoint: url, region: 'us-east-1', credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } };
  const lambda = new LambdaClient(cfg);
  const fn = await lambda.send(
    new CreateFunctionCommand({
      FunctionName: 'bench-api',
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: 'arn:aws:iam::000000000000:role/bench',
      Code: { ZipFile: writeZip({ 'index.mjs': HANDLER }) },
    }),
  );
  const gw2 = new v2.ApiGatewayV2Client(cfg);
  const httpApi = await gw2.send(
    new v2.CreateApiCommand({ Name: 'bench', ProtocolType: 'HTTP', Target: fn.FunctionArn }),
  );
  const gw1 = new v1.APIGatewayClient(cfg);
  const rest = await gw1.send(new v1.CreateRestApiCommand({ name: 'bench' }));
  const root = (await gw1.send(new v1.GetResourcesCommand({ restApiId: rest.id }))).items[0].id;
  const m = { restApiId: rest.id, resourceId: root, httpMethod: 'ANY' };
  await gw1.send(new v1.PutMethodCommand({ ...m, authorizationType: 'NONE' }));
  const uri = `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fn.FunctionArn}/invocations`;
  await gw1.send(new v1.PutIntegrationCommand({ ...m, type: 'AWS_PROXY', integrationHttpMethod: 'POST', uri }));
  await gw1.send(new v1.CreateDeploymentCommand({ restApiId: rest.id, stageName: 'prod' }));
  for (const c of [lambda, gw2, gw1]) c.destroy();
  return { http: `/_aws/execute-api/${httpApi.ApiId}/`, rest: `/_aws/execute-api/${rest.id}/prod/` };
}

async function phase(name, server, path) {
  const sandbox = name === 'sandbox';
  const [warmup, n, concN] = sandbox
    ? [CFG.sandboxWarmup, CFG.sandboxN, CFG.sandboxConcN]
    : [CFG.warmup, CFG.n, CFG.concN];
  const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(32, CFG.conc * 2) });
  const target = new URL(server.url);
  const call = async () => {
    const r = await httpCall(agent, target, 'GET', path);
    const body = r.body.toString();
    if (r.status !== 200 || body !== EXPECTED) throw new Error(`${name}: ${r.status} ${body.slice(0, 200)}`);
  };
  try {
    for (let i = 0; i < warmup; i++) await call();
    const seq = await measuredSeq(server, n, call);
    const concLat = new Array(concN);
    const conc = await measured(server, () =>
      poolEach(CFG.conc, concN, async (i) => {
        const t0 = performance.now();
        await call();
        concLat[i] = performance.now() - t0;
      }),
    );
    const s = latencyStats(seq.lat);
    const c = latencyStats(concLat);
    const r = {
      calls: n,
      perS: round(n / (seq.wallMs / 1000)),
      p50Ms: s.p50Ms,
      p99Ms: s.p99Ms,
      serverCpuUsPerCall: perUnit(seq.serverCpuMs, n),
      treeCpuUsPerCall: perUnit(seq.treeCpuMs, n),
      concCalls: concN,
      concPerS: round(concN / (conc.wallMs / 1000)),
      concP50Ms: c.p50Ms,
      concP99Ms: c.p99Ms,
      concTreeCpuUsPerCall: perUnit(conc.treeCpuMs, concN),
    };
    log(
      `[${name}] seq ${r.perS}/s p50 ${r.p50Ms} ms p99 ${r.p99Ms} ms, server ${r.serverCpuUsPerCall} us/call ` +
        `(tree ${r.treeCpuUsPerCall}); x${CFG.conc}: ${r.concPerS}/s p50 ${r.concP50Ms} ms p99 ${r.concP99Ms} ms`,
    );
    return r;
  } finally {
    agent.destroy();
  }
}

async function main() {
  const started = new Date();
  mkdirSync(TMP, { recursive: true });
  const dataDir = join(TMP, `api-data-${process.pid}-${Date.now()}`);
  const servers = new Map();
  const results = {};
  let failed;
  try {
    const wantLc = CFG.servers.some((s) => s.startsWith('local-cloud'));
    const kinds = [...(wantLc ? ['local-cloud'] : []), ...CFG.servers.filter((s) => !s.startsWith('local-cloud'))];
    for (const k of kinds) servers.set(k, await startServer(k, dataDir));
    const paths = { sandbox: '/', bare: '/' };
    if (wantLc) {
      const lc = await setupLocalCloud(servers.get('local-cloud').url);
      paths['local-cloud-http'] = lc.http;
      paths['local-cloud-rest'] = lc.rest;
    }
    log(`config: ${JSON.stringify({ ...CFG, out: undefined })}`);
    const rounds = [];
    for (let r = 0; r < CFG.rounds; r++) {
      log(`-- round ${r + 1}/${CFG.rounds}`);
      const order = r % 2 === 0 ? CFG.servers : [...CFG.servers].reverse();
      const res = {};
      for (const name of order) {
        res[name] = await phase(name, servers.get(name.startsWith('local-cloud') ? 'local-cloud' : name), paths[name]);
      }
      rounds.push(res);
    }
    for (const name of CFG.servers) results[name] = meanOf(rounds.map((x) => x[name]));
  } catch (err) {
    failed = err;
  } finally {
    await stopChildren([...servers.values()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
  if (failed) {
    console.error('benchmark failed:', failed);
    process.exitCode = 1;
    return;
  }
  const bare = results.bare?.perS;
  const sandbox = results.sandbox?.perS;
  const targets = {};
  for (const name of ['local-cloud-http', 'local-cloud-rest']) {
    const lc = results[name];
    if (!lc) continue;
    targets[name] = {
      ofBare: bare ? round(lc.perS / bare, 3) : undefined,
      meetsQuarterOfBare: bare ? lc.perS >= 0.25 * bare : undefined,
      xSandbox: sandbox ? round(lc.perS / sandbox, 1) : undefined,
      meets3xSandbox: sandbox ? lc.perS >= 3 * sandbox : undefined,
    };
  }
  log('\nserver             seq req/s   p50 ms   p99 ms  cpu us/req (tree)   conc req/s  conc p99 ms');
  for (const [name, r] of Object.entries(results)) {
    log(
      `${name.padEnd(18)} ${String(r.perS).padStart(9)} ${String(r.p50Ms).padStart(8)} ${String(r.p99Ms).padStart(8)}  ` +
        `${String(r.serverCpuUsPerCall).padStart(8)} (${r.treeCpuUsPerCall})  ${String(r.concPerS).padStart(10)} ${String(r.concP99Ms).padStart(11)}`,
    );
  }
  log(`targets (seq req/s): ${JSON.stringify(targets)}`);
  writeRunJson(CFG.out, started, {
    machine: { node: process.version, platform: process.platform, cpus: cpus().length, cpuModel: cpus()[0]?.model },
    versions: {
      'local-cloud': pkgVersion(ROOT, 'local-cloud'),
      '@architect/sandbox': pkgVersion(ROOT, '@architect/sandbox'),
    },
    config: { ...CFG, out: undefined },
    results,
    targets,
  });
}

if (process.argv[2] === '--server') {
  serveServer(process.argv[3], STARTERS, { reading: () => ({ treeMs: processTree()?.treeMs }) }).catch((err) => {
    console.error(err);
    process.exit(1);
  });
} else {
  await main();
}
