// SQS benchmark: local-cloud (disk persistence) vs fauxqs vs a bare node:http server.
//
// Run from the repo root:
//   npm run bench:sqs            # = npm run build && node bench/sqs/run.mjs
//   node bench/sqs/run.mjs       # if dist/ is already built
//
// Every server runs in its own child process (forked from this file), bound to 127.0.0.1 on a
// free port; server CPU per phase is the child's process.cpuUsage() delta, read over IPC.
// The client is the real @aws-sdk/client-sqs with keep-alive agents. Phases:
//   1. sequential SendMessage latency + req/s (also against the bare server, via the SDK: it
//      answers every request with a fixed SendMessage JSON reply whose MD5 matches the body sent)
//   2. SendMessageBatch throughput (batches of 10, concurrent callers)
//   3. drain: ReceiveMessage(10) + DeleteMessageBatch with concurrent consumers until empty
//   4. send-to-receive latency with a long-polling consumer (WaitTimeSeconds 20)
// Prints a table and the target ratios; writes JSON to bench/sqs/last-run.json.
//
// Sizes (env vars, defaults in brackets):
//   BENCH_SEQ_WARMUP [200]  BENCH_SEQ_N [2000]
//   BENCH_BATCH_MESSAGES [30000]  BENCH_BATCH_CONCURRENCY [16]  BENCH_BODY_BYTES [100]
//   BENCH_DRAIN_CONCURRENCY [8]
//   BENCH_E2E_WARMUP [20]  BENCH_E2E_N [500]
//   BENCH_SERVERS [local-cloud,fauxqs,bare]   which servers to run
//   BENCH_LC_PERSISTENCE [disk]  'memory' shows what persistence costs (the targets are for disk)
//   BENCH_PHASES [seq,batch,drain,e2e]  subset to run (drain needs batch)
//   BENCH_CPU_PROF [unset]  comma list of servers to run under --cpu-prof (profiles kept in bench/.tmp/profiles)
//   BENCH_ROUNDS [3]  rounds with alternating server order; figures are means over rounds
//   BENCH_OUT [bench/sqs/last-run.json]

import { createHash } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { pkgVersion } from '../lib/child.mjs';
import { clientOptions, quietSdkWarnings } from '../lib/client.mjs';
import { ROOT, sharedConfig, TMP } from '../lib/config.mjs';
import { runRounds, runServers, serveServer, startServerChild } from '../lib/harness.mjs';
import { measured, measuredSeq } from '../lib/measure.mjs';
import { meanPhases, printMetricTable, writeRunJson } from '../lib/report.mjs';
import { startFauxqsServer, startFixedReplyServer, startLocalCloudServer } from '../lib/servers.mjs';
import { deleteBatch, longPollConsumer, receiveBatch, sendMessageBatches } from '../lib/sqs.mjs';
import { envInt, latencyStats, log, pool, round, sleep } from '../lib/stats.mjs';

const SELF = fileURLToPath(import.meta.url);

const CFG = {
  seqWarmup: envInt('BENCH_SEQ_WARMUP', 200),
  seqN: envInt('BENCH_SEQ_N', 2000),
  batchMessages: envInt('BENCH_BATCH_MESSAGES', 30000),
  batchConcurrency: envInt('BENCH_BATCH_CONCURRENCY', 16),
  bodyBytes: envInt('BENCH_BODY_BYTES', 100),
  drainConcurrency: envInt('BENCH_DRAIN_CONCURRENCY', 8),
  e2eWarmup: envInt('BENCH_E2E_WARMUP', 20),
  e2eN: envInt('BENCH_E2E_N', 500),
  ...sharedConfig('sqs', { servers: 'local-cloud,fauxqs,bare', phases: 'seq,batch,drain,e2e' }),
};

/** The one body used by phase 1 everywhere; the bare server's fixed reply carries its MD5. */
const SEQ_BODY = 'seq-'.padEnd(CFG.bodyBytes, 'x');
const SEQ_BODY_MD5 = createHash('md5').update(SEQ_BODY).digest('hex');

// ---------------------------------------------------------------------------------------------
// Child process: one server, reporting its own CPU over IPC.
// ---------------------------------------------------------------------------------------------

const STARTERS = {
  'local-cloud': () => startLocalCloudServer({ persistence: CFG.lcPersistence }),
  fauxqs: startFauxqsServer,
  bare: () => {
    const body = JSON.stringify({
      MessageId: '00000000-0000-4000-8000-000000000000',
      MD5OfMessageBody: process.env.BENCH_BARE_MD5,
    });
    return startFixedReplyServer(body, {
      'content-type': 'application/x-amz-json-1.0',
      'content-length': String(Buffer.byteLength(body)),
      'x-amzn-requestid': '00000000-0000-4000-8000-000000000000',
    });
  },
};

// ---------------------------------------------------------------------------------------------
// Parent: orchestration.
// ---------------------------------------------------------------------------------------------

let dataDir;

async function main() {
  quietSdkWarnings();
  const sqs = await import('@aws-sdk/client-sqs');
  const started = new Date();
  mkdirSync(TMP, { recursive: true });
  dataDir = join(TMP, `sqs-data-${process.pid}-${Date.now()}`);
  const frame = {
    names: CFG.servers,
    cfg: CFG,
    start: startServer,
    cleanup: () => rmSync(dataDir, { recursive: true, force: true }),
  };
  const results = await runServers(frame, async (servers, results) => {
    const sqsTargets = servers.filter((s) => s.name !== 'bare');
    // Phases run one server at a time (the other servers sit idle), phase-major so that slow
    // drift on the machine affects every server alike.
    const on = (p) => CFG.phases.includes(p);
    if (on('drain') && !on('batch')) throw new Error('BENCH_PHASES: drain needs batch');
    // Rounds alternate the server order, so that neither side always meets a colder client (the
    // SDK's JIT warms up as it runs); each figure is the mean over rounds.
    const rounds = await runRounds(CFG.rounds, servers, async (res, order) => {
      if (on('seq')) for (const s of order(servers)) res[s.name].seqSend = await phaseSeqSend(sqs, s);
      if (on('batch')) for (const s of order(sqsTargets)) res[s.name].batchSend = await phaseBatchSend(sqs, s);
      if (on('drain')) for (const s of order(sqsTargets)) res[s.name].drain = await phaseDrain(sqs, s);
      if (on('e2e')) for (const s of order(sqsTargets)) res[s.name].e2e = await phaseE2e(sqs, s);
    });
    meanPhases(results, rounds, ['seqSend', 'batchSend', 'drain', 'e2e']);
    for (const s of servers) results[s.name].rssMB = round((await s.cpu()).rss / 1048576, 1);
  });
  if (!results) return;

  const ratios = computeRatios(results);
  printTable(results, ratios);
  writeRunJson(CFG.out, started, {
    machine: { node: process.version, platform: process.platform, cpus: cpus().length, cpuModel: cpus()[0]?.model },
    versions: {
      fauxqs: pkgVersion(ROOT, 'fauxqs'),
      '@aws-sdk/client-sqs': pkgVersion(ROOT, '@aws-sdk/client-sqs'),
      'local-cloud': pkgVersion(ROOT, 'local-cloud'),
    },
    config: { ...CFG, out: undefined },
    results,
    ratios,
  });
}

function startServer(name) {
  return startServerChild(SELF, name, {
    env: { BENCH_DATA_DIR: dataDir, BENCH_BARE_MD5: SEQ_BODY_MD5 },
    cpuProfDir: CFG.cpuProf.includes(name) ? join(TMP, 'profiles') : undefined,
    timeoutMs: 30_000,
  });
}

// ---------------------------------------------------------------------------------------------
// Clients and helpers.
// ---------------------------------------------------------------------------------------------

function makeClient(sqs, url, maxSockets) {
  const { agent, options } = clientOptions(url, maxSockets);
  const client = new sqs.SQSClient(options);
  return {
    send: (cmd, opts) => client.send(cmd, opts),
    destroy() {
      client.destroy();
      agent.destroy();
    },
  };
}

async function createQueue(sqs, client, name) {
  const r = await client.send(new sqs.CreateQueueCommand({ QueueName: name }));
  return r.QueueUrl;
}

function body(i) {
  return `${String(i).padStart(8, '0')}:`.padEnd(CFG.bodyBytes, 'b');
}

// ---------------------------------------------------------------------------------------------
// Phases.
// ---------------------------------------------------------------------------------------------

async function phaseSeqSend(sqs, server) {
  const client = makeClient(sqs, server.url, 4);
  try {
    const queueUrl =
      server.name === 'bare' ? `${server.url}/000000000000/bench-seq` : await createQueue(sqs, client, 'bench-seq');
    const cmd = () => new sqs.SendMessageCommand({ QueueUrl: queueUrl, MessageBody: SEQ_BODY });
    for (let i = 0; i < CFG.seqWarmup; i++) await client.send(cmd());
    const m = await measuredSeq(server, CFG.seqN, () => client.send(cmd()));
    const r = {
      requests: CFG.seqN,
      ...latencyStats(m.lat),
      reqPerS: round(CFG.seqN / (m.wallMs / 1000)),
      serverCpuUsPerReq: round((m.serverCpuMs * 1000) / CFG.seqN, 1),
      clientCpuUsPerReq: round((m.clientCpuMs * 1000) / CFG.seqN, 1),
      wallMs: round(m.wallMs),
    };
    log(`[${server.name}] 1 sequential SendMessage: p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, ${r.reqPerS} req/s`);
    return r;
  } finally {
    client.destroy();
  }
}

async function phaseBatchSend(sqs, server) {
  const client = makeClient(sqs, server.url, CFG.batchConcurrency * 2);
  try {
    const queueUrl = await createQueue(sqs, client, 'bench-batch');
    // Warm the batch path on a side queue so JIT warm-up is not billed to the measurement.
    const warmUrl = await createQueue(sqs, client, 'bench-batch-warmup');
    await sendBatches(sqs, client, warmUrl, Math.min(2000, CFG.batchMessages), 0);
    const total = CFG.batchMessages;
    const m = await measured(server, () => sendBatches(sqs, client, queueUrl, total, 0));
    const r = {
      messages: m.value,
      concurrency: CFG.batchConcurrency,
      msgsPerS: round(m.value / (m.wallMs / 1000)),
      msgsPerServerCpuS: round(m.value / (m.serverCpuMs / 1000)),
      serverCpuUsPerMsg: round((m.serverCpuMs * 1000) / m.value, 2),
      clientCpuUsPerMsg: round((m.clientCpuMs * 1000) / m.value, 2),
      serverCpuS: round(m.serverCpuMs / 1000, 3),
      wallMs: round(m.wallMs),
    };
    log(
      `[${server.name}] 2 SendMessageBatch x${CFG.batchConcurrency}: ${r.msgsPerS} msg/s, ` +
        `${r.msgsPerServerCpuS} msg/server-CPU-s`,
    );
    return r;
  } finally {
    client.destroy();
  }
}

function sendBatches(sqs, client, queueUrl, total, offset) {
  return sendMessageBatches(sqs, client, queueUrl, {
    total,
    concurrency: CFG.batchConcurrency,
    body: (i) => body(offset + i),
  });
}

async function phaseDrain(sqs, server) {
  const client = makeClient(sqs, server.url, CFG.drainConcurrency * 2);
  try {
    const queueUrl = await createQueue(sqs, client, 'bench-batch');
    const expected = CFG.batchMessages;
    const seen = new Set();
    let deleted = 0;
    let receives = 0;
    let emptyReceives = 0;
    const m = await measured(server, () =>
      pool(CFG.drainConcurrency, async () => {
        let idle = 0;
        while (seen.size < expected) {
          const r = await receiveBatch(sqs, client, queueUrl, 0);
          receives++;
          const msgs = r.Messages ?? [];
          if (msgs.length === 0) {
            emptyReceives++;
            // Empty while others still hold in-flight batches, or the queue really is empty.
            if (++idle > 200) break;
            await sleep(2);
            continue;
          }
          idle = 0;
          for (const msg of msgs) seen.add(msg.MessageId);
          deleted += await deleteBatch(sqs, client, queueUrl, msgs);
        }
      }),
    );
    if (seen.size !== expected) throw new Error(`drain saw ${seen.size} distinct messages, expected ${expected}`);
    const r = {
      messages: deleted,
      concurrency: CFG.drainConcurrency,
      receives,
      emptyReceives,
      msgsPerS: round(deleted / (m.wallMs / 1000)),
      msgsPerServerCpuS: round(deleted / (m.serverCpuMs / 1000)),
      serverCpuUsPerMsg: round((m.serverCpuMs * 1000) / deleted, 2),
      clientCpuUsPerMsg: round((m.clientCpuMs * 1000) / deleted, 2),
      serverCpuS: round(m.serverCpuMs / 1000, 3),
      wallMs: round(m.wallMs),
    };
    log(
      `[${server.name}] 3 drain x${CFG.drainConcurrency}: ${r.msgsPerS} msg/s, ${r.msgsPerServerCpuS} msg/server-CPU-s`,
    );
    return r;
  } finally {
    client.destroy();
  }
}

async function phaseE2e(sqs, server) {
  const producer = makeClient(sqs, server.url, 4);
  const consumer = makeClient(sqs, server.url, 4);
  let poller;
  try {
    const queueUrl = await createQueue(sqs, producer, 'bench-e2e');
    poller = longPollConsumer(sqs, consumer, queueUrl);
    const lat = [];
    const total = CFG.e2eWarmup + CFG.e2eN;
    for (let i = 0; i < total; i++) {
      if (poller.error) throw poller.error;
      await poller.polling;
      await sleep(2); // let the long poll reach the server and park
      const b = `e2e-${i}-`.padEnd(CFG.bodyBytes, 'e');
      const got = poller.expect(b, i);
      const t0 = performance.now();
      await producer.send(new sqs.SendMessageCommand({ QueueUrl: queueUrl, MessageBody: b }));
      const t1 = await got;
      if (i >= CFG.e2eWarmup) lat.push(t1 - t0);
    }
    await poller.stop();
    const r = { messages: CFG.e2eN, ...latencyStats(lat) };
    log(`[${server.name}] 4 send->receive (long poll): p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms`);
    return r;
  } finally {
    poller?.stop();
    producer.destroy();
    consumer.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Report.
// ---------------------------------------------------------------------------------------------

function computeRatios(results) {
  const lc = results['local-cloud'];
  const fq = results.fauxqs;
  const bare = results.bare;
  const ratios = {};
  const perCpu = (key) => {
    const v = lc[key].msgsPerServerCpuS / fq[key].msgsPerServerCpuS;
    return { value: round(v, 2), target: '>= 2x', pass: v >= 2 };
  };
  const p50 = (key) => ({
    localCloudMs: lc[key].p50Ms,
    fauxqsMs: fq[key].p50Ms,
    value: round(lc[key].p50Ms / fq[key].p50Ms, 2),
    target: '<= 1x (no worse)',
    pass: lc[key].p50Ms <= fq[key].p50Ms,
  });
  if (lc && fq) {
    if (lc.batchSend && fq.batchSend) ratios.batchSendMsgsPerCpuS = perCpu('batchSend');
    if (lc.drain && fq.drain) ratios.drainMsgsPerCpuS = perCpu('drain');
    if (lc.seqSend && fq.seqSend) ratios.seqSendP50 = p50('seqSend');
    if (lc.e2e && fq.e2e) ratios.e2eP50 = p50('e2e');
  }
  if (lc?.seqSend && bare?.seqSend) {
    const p = (100 * lc.seqSend.reqPerS) / bare.seqSend.reqPerS;
    ratios.seqSendReqPerSVsBare = { valuePct: round(p, 1), target: '>= 40%', pass: p >= 40 };
  }
  return ratios;
}

function fmt(v) {
  return typeof v === 'number' ? v.toLocaleString('en-US') : '-';
}

function printTable(results, ratios) {
  const cols = ['local-cloud', 'fauxqs', 'bare'].filter((c) => results[c]);
  const rows = [
    ['1 SendMessage p50 ms', (r) => r.seqSend?.p50Ms],
    ['1 SendMessage p99 ms', (r) => r.seqSend?.p99Ms],
    ['1 SendMessage req/s', (r) => r.seqSend?.reqPerS],
    ['1 server CPU us/req', (r) => r.seqSend?.serverCpuUsPerReq],
    ['1 client CPU us/req', (r) => r.seqSend?.clientCpuUsPerReq],
    [`2 SendMessageBatch msg/s (x${CFG.batchConcurrency})`, (r) => r.batchSend?.msgsPerS],
    ['2 msgs per server CPU-s', (r) => r.batchSend?.msgsPerServerCpuS],
    ['2 server CPU us/msg', (r) => r.batchSend?.serverCpuUsPerMsg],
    ['2 client CPU us/msg', (r) => r.batchSend?.clientCpuUsPerMsg],
    [`3 drain msg/s (x${CFG.drainConcurrency})`, (r) => r.drain?.msgsPerS],
    ['3 msgs per server CPU-s', (r) => r.drain?.msgsPerServerCpuS],
    ['3 server CPU us/msg', (r) => r.drain?.serverCpuUsPerMsg],
    ['3 client CPU us/msg', (r) => r.drain?.clientCpuUsPerMsg],
    ['4 send->receive p50 ms', (r) => r.e2e?.p50Ms],
    ['4 send->receive p99 ms', (r) => r.e2e?.p99Ms],
    ['server RSS MB (end)', (r) => r.rssMB],
  ];
  printMetricTable(cols, rows, (get, c) => fmt(get(results[c])));
  const mark = (p) => (p ? 'PASS' : 'MISS');
  const r = ratios;
  if (r.batchSendMsgsPerCpuS) {
    const x = r.batchSendMsgsPerCpuS;
    log(`batch send msgs/CPU-s  local-cloud/fauxqs = ${x.value}x  (target >= 2x)  ${mark(x.pass)}`);
  }
  if (r.drainMsgsPerCpuS) {
    const x = r.drainMsgsPerCpuS;
    log(`drain msgs/CPU-s       local-cloud/fauxqs = ${x.value}x  (target >= 2x)  ${mark(x.pass)}`);
  }
  if (r.seqSendP50) {
    const x = r.seqSendP50;
    log(
      `SendMessage p50        local-cloud ${x.localCloudMs} ms vs fauxqs ${x.fauxqsMs} ms  (target: no worse)  ${mark(x.pass)}`,
    );
  }
  if (r.e2eP50) {
    const x = r.e2eP50;
    log(
      `send->receive p50      local-cloud ${x.localCloudMs} ms vs fauxqs ${x.fauxqsMs} ms  (target: no worse)  ${mark(x.pass)}`,
    );
  }
  if (r.seqSendReqPerSVsBare) {
    const x = r.seqSendReqPerSVsBare;
    log(`SendMessage req/s      local-cloud = ${x.valuePct}% of bare node:http  (target >= 40%)  ${mark(x.pass)}`);
  }
  log('(bare = node:http answering a fixed SendMessage JSON reply; driven by the same SDK SendMessageCommand)');
}

// Entry point (last, so every module-level binding above is initialised).
if (process.argv[2] === '--server') {
  await serveServer(process.argv[3], STARTERS);
} else {
  await main();
}
