// SNS + S3 benchmark: local-cloud (disk persistence) vs fauxqs (in memory).
//
// Run from the repo root:
//   npm run bench:sns-s3            # = npm run build && node bench/sns-s3/run.mjs
//   node bench/sns-s3/run.mjs       # if dist/ is already built
//
// Every server runs in its own child process (forked from this file), bound to 127.0.0.1 on a
// free port; server CPU per phase is the child's process.cpuUsage() delta, read over IPC. Clients
// are the real @aws-sdk/client-sns, client-sqs, client-s3 and lib-storage with keep-alive agents;
// S3 is addressed path-style (forcePathStyle) on both servers. Phases:
//   fanout     SNS Publish (standard topic) -> 2 SQS queues (raw delivery off): BENCH_FANOUT_N
//              publishes from BENCH_FANOUT_CONCURRENCY publishers while both queues are drained
//              concurrently (ReceiveMessage 10 + DeleteMessageBatch, long polls); the clock stops
//              when both queues have received every message.
//   fanoutlat  one Publish at a time, both queues long-polling: p50/p99 of publish -> both received.
//   small      S3 PutObject / GetObject of BENCH_SMALL_BYTES objects: sequential latency, then
//              throughput with BENCH_SMALL_CONCURRENCY callers.
//   large      S3 PutObject / GetObject of BENCH_LARGE_MB objects with BENCH_LARGE_CONCURRENCY callers.
//   big        one BENCH_BIG_MB multipart upload (lib-storage Upload, 8 MiB parts, queueSize 4, body
//              streamed from a generated file in bench/.tmp), then a streamed GetObject, read and
//              discarded (byte count and ETag checked). The server child's RSS is sampled over IPC
//              every 50 ms; its kernel peak (VmHWM) is reset before and read after each half.
// Prints a table and the local-cloud/fauxqs ratios; writes JSON to bench/sns-s3/last-run.json.
// A phase a server fails is recorded (error message) instead of ending the run.
//
// Sizes (env vars, defaults in brackets):
//   BENCH_FANOUT_WARMUP [500]  BENCH_FANOUT_N [5000]  BENCH_FANOUT_CONCURRENCY [16]
//   BENCH_DRAIN_CONCURRENCY [4]  consumers per queue   BENCH_MSG_BYTES [100]
//   BENCH_LAT_WARMUP [20]  BENCH_LAT_N [300]
//   BENCH_SMALL_BYTES [1024]  BENCH_SMALL_WARMUP [200]  BENCH_SMALL_SEQ_N [1000]
//   BENCH_SMALL_N [5000]  BENCH_SMALL_CONCURRENCY [16]
//   BENCH_LARGE_MB [8]  BENCH_LARGE_N [32]  BENCH_LARGE_CONCURRENCY [4]
//   BENCH_BIG_MB [1024]  BENCH_BIG_PART_MB [8]  BENCH_BIG_QUEUE [4]
//   BENCH_S3_CHECKSUMS [when_supported]  the SDK's requestChecksumCalculation; 'when_required'
//                                        stops it sending (and the server verifying) a CRC32 per PUT
//   BENCH_SERVERS [local-cloud,fauxqs]  BENCH_PHASES [fanout,fanoutlat,small,large,big]
//   BENCH_LC_PERSISTENCE [disk]  'memory' shows what persistence costs (the targets are for disk)
//   BENCH_CPU_PROF [unset]  comma list of servers to run under --cpu-prof (profiles kept in bench/.tmp/profiles)
//   BENCH_ROUNDS [3]  rounds with alternating server order; figures are means over rounds
//   BENCH_OUT [bench/sns-s3/last-run.json]

import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { pkgVersion } from '../lib/child.mjs';
import { clientOptions, quietSdkWarnings } from '../lib/client.mjs';
import { ROOT, sharedConfig, TMP } from '../lib/config.mjs';
import { runRounds, runServers, serveServer, startServerChild } from '../lib/harness.mjs';
import { measured, measuredSeq } from '../lib/measure.mjs';
import { printMetricTable, writeRunJson } from '../lib/report.mjs';
import { startFauxqsServer, startLocalCloudServer } from '../lib/servers.mjs';
import { deleteBatch, longPollConsumer, receiveBatch } from '../lib/sqs.mjs';
import { envInt, latencyStats, log, meanOf, poolEach, round, sleep } from '../lib/stats.mjs';

const SELF = fileURLToPath(import.meta.url);
const MiB = 1048576;

const CFG = {
  fanoutWarmup: envInt('BENCH_FANOUT_WARMUP', 500),
  fanoutN: envInt('BENCH_FANOUT_N', 5000),
  fanoutConcurrency: envInt('BENCH_FANOUT_CONCURRENCY', 16),
  drainConcurrency: Math.max(1, envInt('BENCH_DRAIN_CONCURRENCY', 4)),
  msgBytes: envInt('BENCH_MSG_BYTES', 100),
  latWarmup: envInt('BENCH_LAT_WARMUP', 20),
  latN: envInt('BENCH_LAT_N', 300),
  smallBytes: envInt('BENCH_SMALL_BYTES', 1024),
  smallWarmup: envInt('BENCH_SMALL_WARMUP', 200),
  smallSeqN: envInt('BENCH_SMALL_SEQ_N', 1000),
  smallN: envInt('BENCH_SMALL_N', 5000),
  smallConcurrency: envInt('BENCH_SMALL_CONCURRENCY', 16),
  largeMB: envInt('BENCH_LARGE_MB', 8),
  largeN: envInt('BENCH_LARGE_N', 32),
  largeConcurrency: envInt('BENCH_LARGE_CONCURRENCY', 4),
  bigMB: envInt('BENCH_BIG_MB', 1024),
  bigPartMB: Math.max(5, envInt('BENCH_BIG_PART_MB', 8)),
  bigQueue: Math.max(1, envInt('BENCH_BIG_QUEUE', 4)),
  s3Checksums: process.env.BENCH_S3_CHECKSUMS ?? 'when_supported',
  ...sharedConfig('sns-s3', { servers: 'local-cloud,fauxqs', phases: 'fanout,fanoutlat,small,large,big' }),
};
const BUCKET = 'bench-sns-s3';
const RSS_SAMPLE_MS = 50;
const RSS_TARGET_MIB = 200;

// ---------------------------------------------------------------------------------------------
// Child process: one server, reporting its own CPU and RSS over IPC.
// ---------------------------------------------------------------------------------------------

const STARTERS = {
  'local-cloud': () => startLocalCloudServer({ persistence: CFG.lcPersistence }),
  fauxqs: startFauxqsServer,
};

// ---------------------------------------------------------------------------------------------
// Parent: orchestration.
// ---------------------------------------------------------------------------------------------

let dataDir;
let bigFile;

const PHASES = ['fanout', 'fanoutLat', 'small', 'large', 'big'];
const PHASE_FN = {
  fanout: (sdk, s, r) => phaseFanout(sdk, s, r),
  fanoutLat: (sdk, s, r) => phaseFanoutLatency(sdk, s, r),
  small: (sdk, s, r) => phaseSmall(sdk, s, r),
  large: (sdk, s, r) => phaseLarge(sdk, s, r),
  big: (sdk, s, r) => phaseBig(sdk, s, r),
};
const phaseOn = (p) => CFG.phases.map((x) => x.toLowerCase()).includes(p.toLowerCase());

async function main() {
  quietSdkWarnings();
  const sdk = {
    sns: await import('@aws-sdk/client-sns'),
    sqs: await import('@aws-sdk/client-sqs'),
    s3: await import('@aws-sdk/client-s3'),
    storage: await import('@aws-sdk/lib-storage'),
  };
  const started = new Date();
  mkdirSync(TMP, { recursive: true });
  dataDir = join(TMP, `sns-s3-data-${process.pid}-${Date.now()}`);
  const failures = [];
  const frame = {
    names: CFG.servers,
    cfg: CFG,
    start: startServer,
    cleanup,
    prepare: () => {
      if (phaseOn('big')) sdk.bigFile = makeBigFile();
    },
  };
  const results = await runServers(frame, async (servers, results) => {
    // Phase-major, one server at a time (the other sits idle); rounds alternate the server order
    // so that neither side always meets a colder client. Each figure is the mean over rounds.
    const rounds = await runRounds(CFG.rounds, servers, async (res, order, r) => {
      for (const phase of PHASES) {
        if (!phaseOn(phase)) continue;
        for (const s of order(servers)) {
          try {
            res[s.name][phase] = await PHASE_FN[phase](sdk, s, r);
          } catch (err) {
            const message = err?.message ?? String(err);
            res[s.name][phase] = { error: message };
            failures.push({ round: r, server: s.name, phase, error: message });
            log(`[${s.name}] ${phase} FAILED (round ${r}): ${message}`);
            if (s.child.exitCode !== null || s.child.signalCode !== null) {
              throw new Error(`${s.name} exited (code ${s.child.exitCode}, signal ${s.child.signalCode})`);
            }
          }
        }
      }
    });
    for (const name of Object.keys(results)) {
      for (const phase of PHASES) {
        const all = rounds.map((r) => r[name][phase]).filter(Boolean);
        const ok = all.filter((x) => !x.error);
        if (all.length === 0) continue;
        const failedRounds = all.length - ok.length;
        const error = all.find((x) => x.error)?.error;
        if (ok.length === 0) results[name][phase] = { error, failedRounds };
        else results[name][phase] = phase === 'big' ? meanOfBig(ok) : meanOf(ok);
        if (ok.length && failedRounds) Object.assign(results[name][phase], { error, failedRounds });
      }
    }
    for (const s of servers) {
      results[s.name].rssMB = round((await s.cpu()).rss / MiB, 1);
      results[s.name].lifetimeVmHwmMB = round((readProcStatus(s.child.pid).VmHWM ?? Number.NaN) / 1024, 1);
    }
  });
  if (!results) return;

  const ratios = computeRatios(results);
  printTable(results, ratios, failures);
  writeRunJson(CFG.out, started, {
    machine: { node: process.version, platform: process.platform, cpus: cpus().length, cpuModel: cpus()[0]?.model },
    versions: Object.fromEntries(
      [
        'local-cloud',
        'fauxqs',
        '@aws-sdk/client-sns',
        '@aws-sdk/client-sqs',
        '@aws-sdk/client-s3',
        '@aws-sdk/lib-storage',
      ].map((n) => [n, pkgVersion(ROOT, n)]),
    ),
    config: { ...CFG, out: undefined },
    results,
    ratios,
    failures,
  });
}

function cleanup() {
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (bigFile) rmSync(bigFile, { force: true });
}

function startServer(name) {
  return startServerChild(SELF, name, {
    env: { BENCH_DATA_DIR: dataDir },
    cpuProfDir: CFG.cpuProf.includes(name) ? join(TMP, 'profiles') : undefined,
    profilePrefix: 'sns-s3-',
    timeoutMs: 30_000,
  });
}

// ---------------------------------------------------------------------------------------------
// Clients and helpers.
// ---------------------------------------------------------------------------------------------

function makeClients(sdk, url, maxSockets) {
  const { agent, options: common } = clientOptions(url, maxSockets, { requestTimeout: 120_000 });
  const sns = new sdk.sns.SNSClient(common);
  const sqs = new sdk.sqs.SQSClient(common);
  const s3 = new sdk.s3.S3Client({
    ...common,
    forcePathStyle: true,
    requestChecksumCalculation: CFG.s3Checksums.toUpperCase(),
  });
  return {
    sns,
    sqs,
    s3,
    destroy() {
      sns.destroy();
      sqs.destroy();
      s3.destroy();
      agent.destroy();
    },
  };
}

/** A topic with two SQS queues subscribed (raw delivery off). */
async function setupFanout(sdk, c, name) {
  const { TopicArn } = await c.sns.send(new sdk.sns.CreateTopicCommand({ Name: name }));
  const queues = [];
  for (const q of ['a', 'b']) {
    const { QueueUrl } = await c.sqs.send(new sdk.sqs.CreateQueueCommand({ QueueName: `${name}-${q}` }));
    const attrs = await c.sqs.send(new sdk.sqs.GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    await c.sns.send(new sdk.sns.SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: attrs.Attributes.QueueArn }));
    queues.push(QueueUrl);
  }
  return { topicArn: TopicArn, queues };
}

async function withFanout(sdk, c, name, fn) {
  const f = await setupFanout(sdk, c, name);
  try {
    return await fn(f);
  } finally {
    await teardownFanout(sdk, c, f);
  }
}

async function teardownFanout(sdk, c, f) {
  await c.sns.send(new sdk.sns.DeleteTopicCommand({ TopicArn: f.topicArn })).catch(() => {});
  for (const q of f.queues) await c.sqs.send(new sdk.sqs.DeleteQueueCommand({ QueueUrl: q })).catch(() => {});
}

function msgBody(tag, i) {
  return `${tag}-${i}-`.padEnd(CFG.msgBytes, 'm');
}

function checkEnvelope(body, topicArn) {
  const env = JSON.parse(body);
  if (env.Type !== 'Notification' || env.TopicArn !== topicArn || typeof env.Message !== 'string') {
    throw new Error(`unexpected SNS envelope: ${body.slice(0, 200)}`);
  }
  return env;
}

async function ensureBucket(sdk, c) {
  try {
    await c.s3.send(new sdk.s3.CreateBucketCommand({ Bucket: BUCKET }));
  } catch (err) {
    if (err?.name !== 'BucketAlreadyOwnedByYou') throw err;
  }
}

async function deleteKeys(sdk, c, keys) {
  for (let i = 0; i < keys.length; i += 1000) {
    const Objects = keys.slice(i, i + 1000).map((Key) => ({ Key }));
    await c.s3.send(new sdk.s3.DeleteObjectsCommand({ Bucket: BUCKET, Delete: { Objects, Quiet: true } }));
  }
}

async function drainBody(body) {
  let n = 0;
  for await (const chunk of body) n += chunk.length;
  return n;
}

// ---------------------------------------------------------------------------------------------
// Phase 1: SNS -> SQS fan-out throughput and latency.
// ---------------------------------------------------------------------------------------------

async function phaseFanout(sdk, server, round_) {
  const c = makeClients(sdk, server.url, CFG.fanoutConcurrency + 2 * CFG.drainConcurrency + 4);
  // Warm-up (JIT, not measured) on its own topic and queues: the long polls it leaves parked when
  // it aborts them could otherwise swallow the first messages of the measured run (fauxqs hands a
  // message to a poll whose client has gone).
  try {
    await withFanout(sdk, c, `bench-fanwarm-r${round_}`, (f) => fanoutRun(sdk, c, f, CFG.fanoutWarmup, 'warm'));
    const n = CFG.fanoutN;
    const m = await withFanout(sdk, c, `bench-fanout-r${round_}`, (f) =>
      measured(server, () => fanoutRun(sdk, c, f, n, 'run')),
    );
    const delivered = 2 * n;
    const r = {
      publishes: n,
      delivered,
      concurrency: CFG.fanoutConcurrency,
      publishesPerS: round(n / (m.value.receivedMs / 1000)),
      publishOnlyPerS: round(n / (m.value.publishMs / 1000)),
      deliveredPerS: round(delivered / (m.value.receivedMs / 1000)),
      deliveredPerServerCpuS: round(delivered / (m.serverCpuMs / 1000)),
      serverCpuUsPerPublish: round((m.serverCpuMs * 1000) / n, 1),
      clientCpuUsPerPublish: round((m.clientCpuMs * 1000) / n, 1),
      receives: m.value.receives,
      duplicates: m.value.duplicates,
      serverCpuS: round(m.serverCpuMs / 1000, 3),
      receivedMs: round(m.value.receivedMs),
      wallMs: round(m.wallMs),
    };
    log(
      `[${server.name}] 1 SNS fan-out x${CFG.fanoutConcurrency}: ${r.publishesPerS} publishes/s delivered, ` +
        `${r.deliveredPerServerCpuS} deliveries/server-CPU-s`,
    );
    return r;
  } finally {
    c.destroy();
  }
}

/** Publishes n messages and drains both queues concurrently; resolves once both have all n. */
async function fanoutRun(sdk, c, f, n, tag) {
  if (n === 0) return { publishMs: 0, receivedMs: 0, receives: 0, duplicates: 0 };
  const abort = new AbortController();
  const seen = f.queues.map(() => new Set());
  let receives = 0;
  let duplicates = 0;
  let done;
  let fail;
  let receivedMs;
  const allIn = new Promise((ok, ko) => {
    done = () => {
      receivedMs ??= performance.now() - t0;
      ok();
    };
    fail = ko;
  });
  const t0 = performance.now();
  const timer = setTimeout(
    () => fail(new Error(`fan-out incomplete after 120s: ${seen.map((s) => s.size).join('/')} of ${n}`)),
    120_000,
  );
  const drainers = f.queues.flatMap((queueUrl, qi) =>
    Array.from({ length: CFG.drainConcurrency }, async () => {
      let checked = false;
      while (seen[qi].size < n && !abort.signal.aborted) {
        let r;
        try {
          r = await receiveBatch(sdk.sqs, c.sqs, queueUrl, 20, abort.signal);
        } catch (err) {
          if (abort.signal.aborted) return;
          throw err;
        }
        receives++;
        const msgs = r.Messages ?? [];
        if (msgs.length === 0) continue;
        if (!checked) {
          checkEnvelope(msgs[0].Body, f.topicArn);
          checked = true;
        }
        for (const msg of msgs) {
          if (seen[qi].has(msg.MessageId)) duplicates++;
          seen[qi].add(msg.MessageId);
        }
        if (seen.every((s) => s.size >= n)) done();
        await deleteBatch(sdk.sqs, c.sqs, queueUrl, msgs);
      }
    }),
  );
  for (const d of drainers) d.catch((err) => fail(err));
  let publishMs;
  const publishers = poolEach(CFG.fanoutConcurrency, n, (i) =>
    c.sns.send(new sdk.sns.PublishCommand({ TopicArn: f.topicArn, Message: msgBody(tag, i) })),
  ).then(() => {
    publishMs = performance.now() - t0;
  });
  publishers.catch((err) => fail(err));
  try {
    await Promise.all([allIn, publishers]);
  } finally {
    clearTimeout(timer);
    abort.abort();
    await Promise.allSettled(drainers);
  }
  for (const s of seen) if (s.size !== n) throw new Error(`a queue received ${s.size} of ${n} messages`);
  // The clock stops when both queues hold every message; the CPU reading also covers the last deletes.
  return { publishMs, receivedMs, receives, duplicates };
}

async function phaseFanoutLatency(sdk, server, round_) {
  const producer = makeClients(sdk, server.url, 4);
  const consumers = [makeClients(sdk, server.url, 4), makeClients(sdk, server.url, 4)];
  let loops = [];
  let f;
  try {
    f = await setupFanout(sdk, producer, `bench-fanlat-r${round_}`);
    // One long-polling consumer per queue, matching on the message inside the SNS envelope.
    loops = f.queues.map((queueUrl, qi) =>
      longPollConsumer(sdk.sqs, consumers[qi].sqs, queueUrl, (msg) => checkEnvelope(msg.Body, f.topicArn).Message),
    );
    const lat = [];
    const total = CFG.latWarmup + CFG.latN;
    const m = await measured(server, async () => {
      for (let i = 0; i < total; i++) {
        for (const st of loops) if (st.error) throw st.error;
        await Promise.all(loops.map((st) => st.polling));
        await sleep(2); // let the long polls reach the server and park
        const b = msgBody('lat', i);
        const got = loops.map((st) => st.expect(b, i));
        const t0 = performance.now();
        await producer.sns.send(new sdk.sns.PublishCommand({ TopicArn: f.topicArn, Message: b }));
        const times = await Promise.all(got);
        if (i >= CFG.latWarmup) lat.push(Math.max(...times) - t0);
      }
    });
    await Promise.all(loops.map((st) => st.stop()));
    const r = {
      publishes: CFG.latN,
      ...latencyStats(lat),
      serverCpuUsPerPublish: round((m.serverCpuMs * 1000) / total, 1),
    };
    log(`[${server.name}] 1b publish->both received (long poll): p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms`);
    return r;
  } finally {
    for (const st of loops) st.stop();
    if (f) await teardownFanout(sdk, producer, f);
    producer.destroy();
    for (const c of consumers) c.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Phases 2 and 3: S3 PutObject / GetObject.
// ---------------------------------------------------------------------------------------------

async function phaseSmall(sdk, server, round_) {
  const c = makeClients(sdk, server.url, CFG.smallConcurrency * 2);
  const body = randomBytes(CFG.smallBytes);
  const keys = [];
  try {
    await ensureBucket(sdk, c);
    const key = (kind, i) => `small/r${round_}/${kind}/${String(i).padStart(6, '0')}`;
    const put = async (k) => {
      await c.s3.send(new sdk.s3.PutObjectCommand({ Bucket: BUCKET, Key: k, Body: body }));
      keys.push(k);
    };
    const get = async (k) => {
      const r = await c.s3.send(new sdk.s3.GetObjectCommand({ Bucket: BUCKET, Key: k }));
      const got = await r.Body.transformToByteArray();
      if (got.length !== CFG.smallBytes)
        throw new Error(`GetObject ${k}: ${got.length} bytes, expected ${CFG.smallBytes}`);
    };
    for (let i = 0; i < CFG.smallWarmup; i++) await put(key('warm', i));
    for (let i = 0; i < CFG.smallWarmup; i++) await get(key('warm', i));

    const seq = async (op) => {
      const m = await measuredSeq(server, CFG.smallSeqN, (i) => op(key('seq', i)));
      return { stats: latencyStats(m.lat), m };
    };
    const conc = (op) => measured(server, () => poolEach(CFG.smallConcurrency, CFG.smallN, (i) => op(key('conc', i))));
    const sp = await seq(put);
    const sg = await seq(get);
    const cp = await conc(put);
    const cg = await conc(get);
    const n = CFG.smallN;
    const sn = CFG.smallSeqN;
    const r = {
      seqPutP50Ms: sp.stats.p50Ms,
      seqPutP99Ms: sp.stats.p99Ms,
      seqPutServerCpuUsPerOp: round((sp.m.serverCpuMs * 1000) / sn, 1),
      seqGetP50Ms: sg.stats.p50Ms,
      seqGetP99Ms: sg.stats.p99Ms,
      seqGetServerCpuUsPerOp: round((sg.m.serverCpuMs * 1000) / sn, 1),
      putOpsPerS: round(n / (cp.wallMs / 1000)),
      putOpsPerServerCpuS: round(n / (cp.serverCpuMs / 1000)),
      putServerCpuUsPerOp: round((cp.serverCpuMs * 1000) / n, 1),
      putClientCpuUsPerOp: round((cp.clientCpuMs * 1000) / n, 1),
      getOpsPerS: round(n / (cg.wallMs / 1000)),
      getOpsPerServerCpuS: round(n / (cg.serverCpuMs / 1000)),
      getServerCpuUsPerOp: round((cg.serverCpuMs * 1000) / n, 1),
      getClientCpuUsPerOp: round((cg.clientCpuMs * 1000) / n, 1),
    };
    log(
      `[${server.name}] 2 S3 ${CFG.smallBytes} B: seq put p50 ${r.seqPutP50Ms} ms, get p50 ${r.seqGetP50Ms} ms; ` +
        `x${CFG.smallConcurrency} put ${r.putOpsPerS} ops/s (${r.putOpsPerServerCpuS}/CPU-s), ` +
        `get ${r.getOpsPerS} ops/s (${r.getOpsPerServerCpuS}/CPU-s)`,
    );
    return r;
  } finally {
    await deleteKeys(sdk, c, keys).catch(() => {});
    c.destroy();
  }
}

async function phaseLarge(sdk, server, round_) {
  const c = makeClients(sdk, server.url, CFG.largeConcurrency * 2);
  const bytes = CFG.largeMB * MiB;
  const body = randomBytes(bytes);
  const keys = Array.from({ length: CFG.largeN }, (_, i) => `large/r${round_}/${String(i).padStart(4, '0')}`);
  try {
    await ensureBucket(sdk, c);
    // Warm-up: one put and get, not measured.
    await c.s3.send(new sdk.s3.PutObjectCommand({ Bucket: BUCKET, Key: 'large/warm', Body: body }));
    await drainBody((await c.s3.send(new sdk.s3.GetObjectCommand({ Bucket: BUCKET, Key: 'large/warm' }))).Body);
    const run = (op) => measured(server, () => poolEach(CFG.largeConcurrency, keys.length, (i) => op(keys[i])));
    const put = await run((k) => c.s3.send(new sdk.s3.PutObjectCommand({ Bucket: BUCKET, Key: k, Body: body })));
    const get = await run(async (k) => {
      const r = await c.s3.send(new sdk.s3.GetObjectCommand({ Bucket: BUCKET, Key: k }));
      const n = await drainBody(r.Body);
      if (n !== bytes) throw new Error(`GetObject ${k}: ${n} bytes, expected ${bytes}`);
    });
    const mb = (bytes * keys.length) / MiB;
    const r = {
      objects: keys.length,
      totalMB: mb,
      putMBPerS: round(mb / (put.wallMs / 1000), 1),
      putServerCpuMsPerMB: round(put.serverCpuMs / mb, 2),
      putClientCpuMsPerMB: round(put.clientCpuMs / mb, 2),
      getMBPerS: round(mb / (get.wallMs / 1000), 1),
      getServerCpuMsPerMB: round(get.serverCpuMs / mb, 2),
      getClientCpuMsPerMB: round(get.clientCpuMs / mb, 2),
    };
    log(
      `[${server.name}] 3 S3 ${CFG.largeMB} MiB x${CFG.largeConcurrency}: put ${r.putMBPerS} MB/s ` +
        `(${r.putServerCpuMsPerMB} server CPU ms/MB), get ${r.getMBPerS} MB/s (${r.getServerCpuMsPerMB} ms/MB)`,
    );
    return r;
  } finally {
    await deleteKeys(sdk, c, [...keys, 'large/warm']).catch(() => {});
    c.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Phase 4: one big multipart upload and a streamed download, with the server's peak RSS.
// ---------------------------------------------------------------------------------------------

/** Writes BENCH_BIG_MB of random bytes to bench/.tmp and returns the multipart ETag to expect. */
function makeBigFile() {
  bigFile = join(TMP, `sns-s3-big-${process.pid}.bin`);
  const partBytes = CFG.bigPartMB * MiB;
  const total = CFG.bigMB * MiB;
  const fd = openSync(bigFile, 'w');
  const partMd5s = [];
  try {
    for (let off = 0; off < total; off += partBytes) {
      const part = randomBytes(Math.min(partBytes, total - off));
      writeSync(fd, part);
      partMd5s.push(createHash('md5').update(part).digest());
    }
  } finally {
    closeSync(fd);
  }
  const etag =
    partMd5s.length === 1
      ? partMd5s[0].toString('hex')
      : `${createHash('md5').update(Buffer.concat(partMd5s)).digest('hex')}-${partMd5s.length}`;
  log(`generated ${bigFile}: ${CFG.bigMB} MiB, ${partMd5s.length} part(s), expected ETag ${etag}`);
  return { path: bigFile, bytes: total, etag, parts: partMd5s.length };
}

/** /proc/<pid>/status fields in kB (Linux only). */
function readProcStatus(pid) {
  const out = {};
  try {
    for (const line of readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')) {
      const m = /^(Vm\w+|Rss\w+):\s+(\d+) kB/.exec(line);
      if (m) out[m[1]] = Number(m[2]);
    }
  } catch {}
  return out;
}

/** Resets the kernel's peak-RSS mark (VmHWM) of a process; false if not possible. */
function resetHwm(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Asks the child for its RSS every RSS_SAMPLE_MS over IPC; stop() returns the peak and count. */
function sampleRss(server) {
  let nextId = 0;
  let peak = 0;
  let samples = 0;
  const onMessage = (m) => {
    if (m.type !== 'rss') return;
    samples++;
    if (m.rss > peak) peak = m.rss;
  };
  server.child.on('message', onMessage);
  const ask = () => {
    try {
      server.child.send({ type: 'rss', id: nextId++ });
    } catch {}
  };
  ask();
  const timer = setInterval(ask, RSS_SAMPLE_MS);
  return {
    async stop() {
      clearInterval(timer);
      ask();
      await sleep(RSS_SAMPLE_MS); // let the last replies arrive
      server.child.off('message', onMessage);
      return { peakMiB: round(peak / MiB, 1), samples };
    },
  };
}

async function phaseBig(sdk, server, round_) {
  const big = sdk.bigFile;
  const c = makeClients(sdk, server.url, CFG.bigQueue * 2);
  const key = `big/r${round_}`;
  let uploaded = false;
  try {
    await ensureBucket(sdk, c);
    const pid = server.child.pid;
    const rssBefore = (await server.cpu()).rss;

    const hwmReset = resetHwm(pid);
    let sampler = sampleRss(server);
    let up;
    let upRss;
    try {
      up = await measured(server, async () => {
        const upload = new sdk.storage.Upload({
          client: c.s3,
          params: { Bucket: BUCKET, Key: key, Body: createReadStream(big.path, { highWaterMark: MiB }) },
          partSize: CFG.bigPartMB * MiB,
          queueSize: CFG.bigQueue,
          leavePartsOnError: false,
        });
        return upload.done();
      });
    } finally {
      upRss = await sampler.stop();
    }
    const upHwm = readProcStatus(pid).VmHWM;
    uploaded = true;
    const etag = String(up.value.ETag ?? '').replaceAll('"', '');
    const suffix = big.parts > 1 ? `-${big.parts}` : '';
    if (!etag.endsWith(suffix) || etag !== big.etag) {
      throw new Error(`upload ETag ${etag}, expected ${big.etag} (ending ${suffix || 'without -N'})`);
    }

    resetHwm(pid);
    sampler = sampleRss(server);
    let downRss;
    let head;
    let down;
    try {
      down = await measured(server, async () => {
        const r = await c.s3.send(new sdk.s3.GetObjectCommand({ Bucket: BUCKET, Key: key }));
        head = { etag: String(r.ETag ?? '').replaceAll('"', ''), length: r.ContentLength };
        return drainBody(r.Body);
      });
    } finally {
      downRss = await sampler.stop();
    }
    const downHwm = readProcStatus(pid).VmHWM;
    if (down.value !== big.bytes) throw new Error(`GetObject read ${down.value} bytes, expected ${big.bytes}`);
    if (head.etag !== big.etag) throw new Error(`GetObject ETag ${head.etag}, expected ${big.etag}`);

    const mb = big.bytes / MiB;
    const r = {
      sizeMB: mb,
      parts: big.parts,
      etagOk: true,
      rssBeforeMiB: round(rssBefore / MiB, 1),
      uploadS: round(up.wallMs / 1000, 2),
      uploadMBPerS: round(mb / (up.wallMs / 1000), 1),
      uploadServerCpuMsPerMB: round(up.serverCpuMs / mb, 2),
      uploadPeakRssMiB: upRss.peakMiB,
      uploadRssSamples: upRss.samples,
      uploadVmHwmMiB: hwmReset && upHwm ? round(upHwm / 1024, 1) : undefined,
      downloadS: round(down.wallMs / 1000, 2),
      downloadMBPerS: round(mb / (down.wallMs / 1000), 1),
      downloadServerCpuMsPerMB: round(down.serverCpuMs / mb, 2),
      downloadPeakRssMiB: downRss.peakMiB,
      downloadRssSamples: downRss.samples,
      downloadVmHwmMiB: hwmReset && downHwm ? round(downHwm / 1024, 1) : undefined,
      lifetimeVmHwmMiB: hwmReset ? undefined : round((downHwm ?? Number.NaN) / 1024, 1),
    };
    r.peakRssMiB = Math.max(r.uploadPeakRssMiB, r.downloadPeakRssMiB, r.uploadVmHwmMiB ?? 0, r.downloadVmHwmMiB ?? 0);
    log(
      `[${server.name}] 4 ${mb} MiB multipart: upload ${r.uploadS} s (${r.uploadMBPerS} MB/s, peak RSS ` +
        `${r.uploadPeakRssMiB} MiB sampled / ${r.uploadVmHwmMiB ?? '-'} VmHWM), download ${r.downloadS} s ` +
        `(${r.downloadMBPerS} MB/s, peak RSS ${r.downloadPeakRssMiB} / ${r.downloadVmHwmMiB ?? '-'} MiB)`,
    );
    return r;
  } finally {
    if (uploaded) await c.s3.send(new sdk.s3.DeleteObjectCommand({ Bucket: BUCKET, Key: key })).catch(() => {});
    c.destroy();
  }
}

/** Means over rounds, but the peaks are the maximum over rounds. */
function meanOfBig(list) {
  const out = meanOf(list);
  for (const k of Object.keys(out)) {
    if (/Peak|Hwm|peak/.test(k) && typeof out[k] === 'number') out[k] = Math.max(...list.map((x) => x[k] ?? 0));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Report.
// ---------------------------------------------------------------------------------------------

function computeRatios(results) {
  const lc = results['local-cloud'];
  const fq = results.fauxqs;
  const ratios = {};
  const ok = (x) => x && !x.error;
  const higher = (phase, key, target) => {
    if (!ok(lc?.[phase]) || !ok(fq?.[phase])) return;
    const v = lc[phase][key] / fq[phase][key];
    ratios[`${phase}.${key}`] = target
      ? { value: round(v, 2), target: '>= 2x', pass: v >= 2 }
      : { value: round(v, 2), target: 'info (higher is better)' };
  };
  const lower = (phase, key) => {
    if (!ok(lc?.[phase]) || !ok(fq?.[phase])) return;
    ratios[`${phase}.${key}`] = { value: round(lc[phase][key] / fq[phase][key], 2), target: 'info (lower is better)' };
  };
  higher('fanout', 'deliveredPerServerCpuS', true);
  higher('fanout', 'publishesPerS', true);
  higher('small', 'putOpsPerServerCpuS', true);
  higher('small', 'putOpsPerS', true);
  higher('small', 'getOpsPerServerCpuS', true);
  higher('small', 'getOpsPerS', true);
  lower('fanoutLat', 'p50Ms');
  lower('small', 'seqPutP50Ms');
  lower('small', 'seqGetP50Ms');
  higher('large', 'putMBPerS');
  lower('large', 'putServerCpuMsPerMB');
  higher('large', 'getMBPerS');
  lower('large', 'getServerCpuMsPerMB');
  lower('big', 'uploadS');
  lower('big', 'downloadS');
  lower('big', 'peakRssMiB');
  if (ok(lc?.big)) {
    const p = lc.big.peakRssMiB;
    ratios['big.localCloudPeakRssMiB'] = { value: p, target: `< ${RSS_TARGET_MIB} MiB`, pass: p < RSS_TARGET_MIB };
  }
  return ratios;
}

function fmt(v) {
  if (typeof v === 'number') return v.toLocaleString('en-US');
  return v === undefined ? '-' : String(v);
}

function printTable(results, ratios, failures) {
  const cols = ['local-cloud', 'fauxqs'].filter((c) => results[c]);
  const F = CFG.fanoutConcurrency;
  const S = CFG.smallConcurrency;
  const L = CFG.largeConcurrency;
  const rows = [
    [`1 fan-out publishes/s, both queues drained (x${F})`, (r) => r.fanout?.publishesPerS],
    ['1 publish calls/s (publishers alone)', (r) => r.fanout?.publishOnlyPerS],
    ['1 deliveries per server CPU-s', (r) => r.fanout?.deliveredPerServerCpuS],
    ['1 server CPU us/publish (incl. 2 receives)', (r) => r.fanout?.serverCpuUsPerPublish],
    ['1 client CPU us/publish', (r) => r.fanout?.clientCpuUsPerPublish],
    ['1b publish->both received p50 ms', (r) => r.fanoutLat?.p50Ms],
    ['1b publish->both received p99 ms', (r) => r.fanoutLat?.p99Ms],
    [`2 seq PutObject ${CFG.smallBytes} B p50 ms`, (r) => r.small?.seqPutP50Ms],
    ['2 seq PutObject p99 ms', (r) => r.small?.seqPutP99Ms],
    ['2 seq GetObject p50 ms', (r) => r.small?.seqGetP50Ms],
    ['2 seq GetObject p99 ms', (r) => r.small?.seqGetP99Ms],
    [`2 PutObject ops/s (x${S})`, (r) => r.small?.putOpsPerS],
    ['2 PutObject ops per server CPU-s', (r) => r.small?.putOpsPerServerCpuS],
    ['2 PutObject server CPU us/op', (r) => r.small?.putServerCpuUsPerOp],
    [`2 GetObject ops/s (x${S})`, (r) => r.small?.getOpsPerS],
    ['2 GetObject ops per server CPU-s', (r) => r.small?.getOpsPerServerCpuS],
    ['2 GetObject server CPU us/op', (r) => r.small?.getServerCpuUsPerOp],
    [`3 PutObject ${CFG.largeMB} MiB MB/s (x${L})`, (r) => r.large?.putMBPerS],
    ['3 PutObject server CPU ms/MB', (r) => r.large?.putServerCpuMsPerMB],
    [`3 GetObject ${CFG.largeMB} MiB MB/s (x${L})`, (r) => r.large?.getMBPerS],
    ['3 GetObject server CPU ms/MB', (r) => r.large?.getServerCpuMsPerMB],
    [`4 ${CFG.bigMB} MiB multipart upload s`, (r) => r.big?.uploadS],
    ['4 upload MB/s', (r) => r.big?.uploadMBPerS],
    ['4 upload server CPU ms/MB', (r) => r.big?.uploadServerCpuMsPerMB],
    ['4 upload peak RSS MiB (50 ms samples)', (r) => r.big?.uploadPeakRssMiB],
    ['4 upload peak RSS MiB (VmHWM)', (r) => r.big?.uploadVmHwmMiB],
    ['4 streamed download s', (r) => r.big?.downloadS],
    ['4 download MB/s', (r) => r.big?.downloadMBPerS],
    ['4 download server CPU ms/MB', (r) => r.big?.downloadServerCpuMsPerMB],
    ['4 download peak RSS MiB (50 ms samples)', (r) => r.big?.downloadPeakRssMiB],
    ['4 download peak RSS MiB (VmHWM)', (r) => r.big?.downloadVmHwmMiB],
    ['4 RSS before the upload MiB', (r) => r.big?.rssBeforeMiB],
    ['server RSS MB (end)', (r) => r.rssMB],
    ['server lifetime VmHWM MB', (r) => r.lifetimeVmHwmMB],
  ];
  const failedCell = (r, label) => {
    const phase = { 1: 'fanout', '1b': 'fanoutLat', 2: 'small', 3: 'large', 4: 'big' }[label.split(' ')[0]];
    return phase && r[phase]?.error && r[phase].rounds === undefined ? 'FAILED' : undefined;
  };
  printMetricTable(cols, rows, (get, c, label) => failedCell(results[c], label) ?? fmt(get(results[c])));
  log('ratios local-cloud / fauxqs:');
  for (const [k, x] of Object.entries(ratios)) {
    const mark = x.pass === undefined ? '' : x.pass ? '  PASS' : '  MISS';
    log(`  ${k.padEnd(36)} ${String(x.value).padStart(9)}  (target ${x.target})${mark}`);
  }
  if (failures.length) {
    log('\nfailures (recorded, run continued):');
    for (const f of failures) log(`  round ${f.round} ${f.server} ${f.phase}: ${f.error}`);
  }
  log(
    `(local-cloud persistence: ${CFG.lcPersistence}; fauxqs keeps everything in memory. ` +
      `S3 request checksums: ${CFG.s3Checksums}. Client and servers share this machine's ${cpus().length} CPUs.)`,
  );
}

// Entry point (last, so every module-level binding above is initialised).
if (process.argv[2] === '--server') {
  await serveServer(process.argv[3], STARTERS);
} else {
  await main();
}
