// Pipeline benchmark: the feedback pipeline deployed on local-cloud (persistence on), end to end.
//
// Run from the repo root:
//   npm run bench:pipeline          # = npm run build && node bench/pipeline/run.mjs
//
// 1. `npm start` readiness: the time until packages/feedback-pipeline/scripts/start.mjs prints that it is
//    watching, with the build cached and (BENCH_FIRST_RUN=1) after deleting the synth stamp.
// 2. Sustained load: BENCH_POSTERS callers POST /feedback through the HTTP API for BENCH_SECONDS;
//    submit-feedback queues each one, store-feedback writes it to DynamoDB in batches. Every
//    BENCH_SAMPLE_EVERY-th feedback is followed by a GetItem (ConsistentRead) poll every 2 ms until the
//    item is readable: POST-to-readable latency. After the run, the table is scanned: every accepted id
//    must be stored exactly once (nothing lost, nothing duplicated).
// Targets (issue 6): ≥ 1,000 feedback/s sustained; p50 ≤ 15 ms, p99 ≤ 100 ms; zero lost or duplicated;
// npm start ready in ≤ 10 s first run, ≤ 3 s cached. Writes bench/pipeline/last-run.json.
//
// Env: BENCH_SECONDS [60]  BENCH_WARMUP_SECONDS [5]  BENCH_POSTERS [32]  BENCH_SAMPLE_EVERY [20]
//      BENCH_FIRST_RUN [0]  BENCH_OUT [bench/pipeline/last-run.json]
//      BENCH_CPU_PROF=1 writes the server's CPU profile to bench/.tmp/profiles

import { spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { clientOptions, quietSdkWarnings } from '../lib/client.mjs';
import { ROOT, TMP } from '../lib/config.mjs';
import { serveServer, startServerChild, stopChildren } from '../lib/harness.mjs';
import { measured } from '../lib/measure.mjs';
import { startLocalCloudServer } from '../lib/servers.mjs';
import { latencyStats, log, pool, round, sleep } from '../lib/stats.mjs';

const SELF = fileURLToPath(import.meta.url);
const APP = join(ROOT, 'packages/feedback-pipeline');
const num = (name, dflt) => Number(process.env[name] ?? dflt);
const CFG = {
  seconds: num('BENCH_SECONDS', 60),
  warmupSeconds: num('BENCH_WARMUP_SECONDS', 5),
  posters: num('BENCH_POSTERS', 32),
  sampleEvery: num('BENCH_SAMPLE_EVERY', 20),
  firstRun: process.env.BENCH_FIRST_RUN === '1',
  out: resolve(ROOT, process.env.BENCH_OUT ?? 'bench/pipeline/last-run.json'),
};

const STARTERS = { 'local-cloud': () => startLocalCloudServer({ persistence: 'disk' }) };

/** Spawns scripts/start.mjs on a free port and times it until it says it is watching. */
function timeStart(dataDir) {
  return new Promise((ok, fail) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [join(APP, 'scripts/start.mjs'), '--quiet'], {
      env: { ...process.env, LOCAL_CLOUD_PORT: '0', LOCAL_CLOUD_DATA_DIR: dataDir },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      if (out.includes('Watching')) {
        const ms = performance.now() - t0;
        child.once('exit', () => ok(round(ms)));
        child.kill('SIGINT');
      }
    });
    child.once('exit', (code) =>
      out.includes('Watching') ? undefined : fail(new Error(`start exited ${code}: ${out}`)),
    );
  });
}

async function main() {
  quietSdkWarnings();
  const started = new Date();
  mkdirSync(TMP, { recursive: true });
  const { synth, ASSEMBLY } = await import(pathToFileURL(join(APP, 'scripts/local.mjs')).href);
  const readiness = {};
  if (CFG.firstRun) {
    rmSync(join(ASSEMBLY, '.source-stamp'), { force: true });
    readiness.firstRunMs = await timeStart(join(TMP, `start-first-${process.pid}`));
  } else await synth({ log });
  readiness.cachedMs = await timeStart(join(TMP, `start-cached-${process.pid}`));
  log(`npm start ready: ${JSON.stringify(readiness)} ms`);

  const dataDir = join(TMP, `pipeline-data-${process.pid}`);
  const server = await startServerChild(SELF, 'local-cloud', {
    env: { BENCH_DATA_DIR: dataDir },
    cpuProfDir: process.env.BENCH_CPU_PROF ? join(TMP, 'profiles') : undefined,
  });
  let result;
  try {
    const res = await fetch(`${server.url}/_local-cloud/deploy`, {
      method: 'POST',
      body: JSON.stringify({ assembly: ASSEMBLY, parameters: {} }),
    });
    const deployed = await res.json();
    if (!res.ok) throw new Error(deployed.message);
    const out = deployed.stacks.at(-1).outputs;
    result = await load(server, out);
  } finally {
    await stopChildren([server]);
    for (const d of [dataDir, join(TMP, `start-first-${process.pid}`), join(TMP, `start-cached-${process.pid}`)]) {
      rmSync(d, { recursive: true, force: true });
    }
  }
  report({ readiness, ...result }, started);
}

async function load(server, out) {
  const ddb = await import('@aws-sdk/client-dynamodb');
  const { agent, options } = clientOptions(server.url, CFG.posters * 2);
  const dynamo = new ddb.DynamoDBClient(options);
  const api = out.ApiUrl.replace(/\/$/, '');
  const accepted = new Set();
  const samples = [];
  let failures = 0;
  let seq = 0;
  const post = (body) =>
    new Promise((ok, fail) => {
      const data = JSON.stringify(body);
      const req = http.request(
        `${api}/feedback`,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) },
        },
        (res) => {
          let text = '';
          res.on('data', (d) => {
            text += d;
          });
          res.on('end', () => ok({ status: res.statusCode, text }));
        },
      );
      req.on('error', fail);
      req.end(data);
    });
  const readable = async (id, t0) => {
    for (;;) {
      const r = await dynamo.send(
        new ddb.GetItemCommand({ TableName: out.FeedbackTableName, Key: { pk: { S: id } }, ConsistentRead: true }),
      );
      if (r.Item) return performance.now() - t0;
      await sleep(2);
    }
  };
  const run = async (seconds, record) => {
    const until = performance.now() + seconds * 1000;
    const waits = [];
    await pool(CFG.posters, async () => {
      while (performance.now() < until) {
        const n = seq++;
        const t0 = performance.now();
        const r = await post({ rating: (n % 5) + 1, message: `bench feedback ${n}`, source: 'web' });
        if (r.status !== 202) {
          failures++;
          continue;
        }
        const { id } = JSON.parse(r.text);
        if (!record) continue;
        accepted.add(id);
        if (n % CFG.sampleEvery === 0) waits.push(readable(id, t0).then((ms) => samples.push(ms)));
      }
    });
    await Promise.all(waits);
  };
  log(`warming up for ${CFG.warmupSeconds} s…`);
  await run(CFG.warmupSeconds, false);
  const before = await countItems(ddb, dynamo, out.FeedbackTableName);
  log(`measuring for ${CFG.seconds} s with ${CFG.posters} posters…`);
  const m = await measured(server, async () => {
    const t0 = performance.now();
    await run(CFG.seconds, true);
    const postedMs = performance.now() - t0;
    // Drained when the table holds everything accepted (or nothing changed for 10 s).
    let last = -1;
    let still = performance.now();
    for (;;) {
      const n = (await countItems(ddb, dynamo, out.FeedbackTableName)) - before;
      if (n >= accepted.size) break;
      if (n !== last) {
        last = n;
        still = performance.now();
      } else if (performance.now() - still > 10_000) break;
      await sleep(100);
    }
    return { postedMs, storedMs: performance.now() - t0 };
  });
  const stored = await storedIds(ddb, dynamo, out.FeedbackTableName, accepted);
  agent.destroy();
  dynamo.destroy();
  return {
    accepted: accepted.size,
    failures,
    acceptedPerS: round(accepted.size / (m.value.postedMs / 1000)),
    storedPerS: round(stored.unique / (m.value.storedMs / 1000)),
    readable: latencyStats(samples),
    samples: samples.length,
    lost: accepted.size - stored.unique,
    duplicated: stored.duplicates,
    serverCpuUsPerFeedback: round((m.serverCpuMs * 1000) / Math.max(1, accepted.size), 1),
  };
}

async function countItems(ddb, dynamo, table) {
  let n = 0;
  let start;
  do {
    const r = await dynamo.send(
      new ddb.ScanCommand({ TableName: table, Select: 'COUNT', ...(start ? { ExclusiveStartKey: start } : {}) }),
    );
    n += r.Count ?? 0;
    start = r.LastEvaluatedKey;
  } while (start);
  return n;
}

async function storedIds(ddb, dynamo, table, accepted) {
  const seen = new Map();
  let start;
  do {
    const r = await dynamo.send(
      new ddb.ScanCommand({
        TableName: table,
        ProjectionExpression: 'id',
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    for (const item of r.Items ?? []) {
      const id = item.id?.S;
      if (accepted.has(id)) seen.set(id, (seen.get(id) ?? 0) + 1);
    }
    start = r.LastEvaluatedKey;
  } while (start);
  return { unique: seen.size, duplicates: [...seen.values()].filter((c) => c > 1).length };
}

function report(r, started) {
  const ok = (b) => (b ? 'met' : 'MISSED');
  log('\n| measure | value | target |');
  log('|---|---|---|');
  log(
    `| feedback accepted/s (${CFG.posters} posters, ${CFG.seconds} s) | ${r.acceptedPerS} | ≥ 1,000 — ${ok(r.acceptedPerS >= 1000)} |`,
  );
  log(
    `| feedback stored/s (until the table holds them all) | ${r.storedPerS} | ≥ 1,000 — ${ok(r.storedPerS >= 1000)} |`,
  );
  log(
    `| POST → readable p50 / p99 ms (${r.samples} samples) | ${r.readable.p50Ms} / ${r.readable.p99Ms} | ≤ 15 / ≤ 100 — ${ok(r.readable.p50Ms <= 15 && r.readable.p99Ms <= 100)} |`,
  );
  log(
    `| lost / duplicated | ${r.lost} / ${r.duplicated} (of ${r.accepted}; ${r.failures} rejected POSTs) | 0 / 0 — ${ok(r.lost === 0 && r.duplicated === 0)} |`,
  );
  log(`| server CPU µs per feedback (local-cloud process, functions excluded) | ${r.serverCpuUsPerFeedback} | |`);
  if (r.readiness.firstRunMs !== undefined)
    log(
      `| npm start ready, first run | ${r.readiness.firstRunMs} ms | ≤ 10 s — ${ok(r.readiness.firstRunMs <= 10_000)} |`,
    );
  log(`| npm start ready, cached build | ${r.readiness.cachedMs} ms | ≤ 3 s — ${ok(r.readiness.cachedMs <= 3_000)} |`);
  const json = {
    startedAt: started.toISOString(),
    machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model },
    config: { ...CFG, out: undefined },
    results: r,
  };
  mkdirSync(dirname(CFG.out), { recursive: true });
  writeFileSync(CFG.out, `${JSON.stringify(json, null, 2)}\n`);
  log(`\nwrote ${CFG.out}`);
}

if (process.argv[2] === '--server') await serveServer(process.argv[3], STARTERS);
else await main();
