// DynamoDB benchmark: local-cloud (disk persistence) vs dynalite (its default in-memory store).
//
// Run from the repo root:
//   npm run bench:dynamodb          # = npm run build && node bench/dynamodb/run.mjs
//
// Each server runs in its own child (forked from this file) on 127.0.0.1; server CPU per phase is
// the child's process.cpuUsage() delta, read over IPC. Client: @aws-sdk/client-dynamodb with
// keep-alive agents. Phases:
//   1. sequential PutItem, then sequential GetItem (strongly consistent) of the items just put:
//      latency p50/p99 (target: local-cloud p50 no worse than dynalite's)
//   2. BatchWriteItem of 25 items per call with BENCH_CALLERS concurrent callers: items/s and items
//      per server CPU-second (target ≥ 3× dynalite)
//   3. Query of one partition holding BENCH_QUERY_ITEMS items (all pages), repeated: items/s and items
//      per server CPU-second (target ≥ 3× dynalite)
// Rounds alternate server order; figures are means over rounds. Writes bench/dynamodb/last-run.json.
//
// Sizes (env vars, defaults in brackets):
//   BENCH_SEQ_WARMUP [200]  BENCH_SEQ_N [2000]  BENCH_ITEM_BYTES [200]
//   BENCH_BATCH_ITEMS [40000]  BENCH_CALLERS [16]
//   BENCH_QUERY_ITEMS [1000]  BENCH_QUERY_N [100]
//   BENCH_SERVERS [local-cloud,dynalite]  BENCH_PHASES [seq,batch,query]  BENCH_ROUNDS [3]
//   BENCH_LC_PERSISTENCE [disk]  BENCH_CPU_PROF [unset: comma list of servers to profile]
//   BENCH_OUT [bench/dynamodb/last-run.json]

import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { pkgVersion } from '../lib/child.mjs';
import { clientOptions, quietSdkWarnings } from '../lib/client.mjs';
import { ROOT, sharedConfig, TMP } from '../lib/config.mjs';
import { onSignals, profileDir, runRounds, serveServer, startServerChild, stopChildren } from '../lib/harness.mjs';
import { measured, measuredSeq } from '../lib/measure.mjs';
import { meanPhases, writeRunJson } from '../lib/report.mjs';
import { startLocalCloudServer } from '../lib/servers.mjs';
import { envInt, latencyStats, log, meanOf, poolEach, round } from '../lib/stats.mjs';

const SELF = fileURLToPath(import.meta.url);

const CFG = {
  seqWarmup: envInt('BENCH_SEQ_WARMUP', 200),
  seqN: envInt('BENCH_SEQ_N', 2000),
  itemBytes: envInt('BENCH_ITEM_BYTES', 200),
  batchItems: envInt('BENCH_BATCH_ITEMS', 40000),
  callers: envInt('BENCH_CALLERS', 16),
  queryItems: envInt('BENCH_QUERY_ITEMS', 1000),
  queryN: envInt('BENCH_QUERY_N', 100),
  ...sharedConfig('dynamodb', { servers: 'local-cloud,dynalite', phases: 'seq,batch,query' }),
};

// ---------------------------------------------------------------------------------------------
// Child: one server.
// ---------------------------------------------------------------------------------------------

const STARTERS = {
  'local-cloud': () => startLocalCloudServer({ persistence: CFG.lcPersistence }),
  async dynalite() {
    const require = createRequire(join(ROOT, 'packages/local-cloud/package.json'));
    const server = require('dynalite')({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
    return { url: `http://127.0.0.1:${server.address().port}`, stop: () => new Promise((ok) => server.close(ok)) };
  },
};

// ---------------------------------------------------------------------------------------------
// Phases.
// ---------------------------------------------------------------------------------------------

const pad = (i) => String(i).padStart(8, '0');
const payload = (i) => `${pad(i)}:`.padEnd(CFG.itemBytes, 'd');

function client(ddb, server, sockets) {
  const { agent, options } = clientOptions(server.url, sockets);
  const c = new ddb.DynamoDBClient(options);
  return {
    send: (cmd) => c.send(cmd),
    destroy() {
      c.destroy();
      agent.destroy();
    },
  };
}

async function createTable(ddb, c, name) {
  try {
    await c.send(new ddb.DeleteTableCommand({ TableName: name }));
  } catch {}
  await c.send(
    new ddb.CreateTableCommand({
      TableName: name,
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
}

async function phaseSeq(ddb, server, n) {
  const c = client(ddb, server, 4);
  try {
    const table = `seq-${n}`;
    await createTable(ddb, c, table);
    const put = (i) =>
      c.send(
        new ddb.PutItemCommand({
          TableName: table,
          Item: { pk: { S: `user-${i}` }, sk: { S: 'profile' }, data: { S: payload(i) }, n: { N: String(i) } },
        }),
      );
    const get = (i) =>
      c.send(
        new ddb.GetItemCommand({
          TableName: table,
          Key: { pk: { S: `user-${i}` }, sk: { S: 'profile' } },
          ConsistentRead: true,
        }),
      );
    for (let i = 0; i < CFG.seqWarmup; i++) await put(-i - 1).then(() => get(-i - 1));
    const timed = async (fn) => {
      const m = await measuredSeq(server, CFG.seqN, fn);
      return {
        ...latencyStats(m.lat),
        reqPerS: round(CFG.seqN / (m.wallMs / 1000)),
        serverCpuUsPerReq: round((m.serverCpuMs * 1000) / CFG.seqN, 1),
      };
    };
    const putR = await timed(put);
    const getR = await timed(async (i) => {
      const r = await get(i);
      if (r.Item?.n?.N !== String(i)) throw new Error(`GetItem ${i} returned ${JSON.stringify(r.Item)}`);
    });
    log(
      `[${server.name}] 1 PutItem p50 ${putR.p50Ms} ms p99 ${putR.p99Ms} | GetItem p50 ${getR.p50Ms} ms p99 ${getR.p99Ms}`,
    );
    return { put: putR, get: getR };
  } finally {
    c.destroy();
  }
}

async function batchWrite(ddb, c, table, total, pk) {
  let written = 0;
  await poolEach(CFG.callers, Math.ceil(total / 25), async (b) => {
    const requests = [];
    for (let i = b * 25; i < Math.min(total, b * 25 + 25); i++) {
      requests.push({ PutRequest: { Item: { pk: { S: pk(i) }, sk: { S: pad(i) }, data: { S: payload(i) } } } });
    }
    let pending = { [table]: requests };
    while (Object.keys(pending).length) {
      const r = await c.send(new ddb.BatchWriteItemCommand({ RequestItems: pending }));
      written += pending[table].length - (r.UnprocessedItems?.[table]?.length ?? 0);
      pending = r.UnprocessedItems && Object.keys(r.UnprocessedItems).length ? r.UnprocessedItems : {};
    }
  });
  if (written !== total) throw new Error(`wrote ${written} of ${total}`);
  return written;
}

async function phaseBatch(ddb, server, n) {
  const c = client(ddb, server, CFG.callers * 2);
  try {
    const table = `batch-${n}`;
    await createTable(ddb, c, table);
    await batchWrite(ddb, c, table, Math.min(5000, CFG.batchItems), (i) => `warm-${i % 100}`);
    const m = await measured(server, () => batchWrite(ddb, c, table, CFG.batchItems, (i) => `user-${i % 1000}`));
    const r = {
      items: m.value,
      callers: CFG.callers,
      itemsPerS: round(m.value / (m.wallMs / 1000)),
      itemsPerServerCpuS: round(m.value / (m.serverCpuMs / 1000)),
      serverCpuUsPerItem: round((m.serverCpuMs * 1000) / m.value, 2),
    };
    log(
      `[${server.name}] 2 BatchWriteItem x${CFG.callers}: ${r.itemsPerS} items/s, ${r.itemsPerServerCpuS} items/server-CPU-s`,
    );
    return r;
  } finally {
    c.destroy();
  }
}

async function phaseQuery(ddb, server, n) {
  const c = client(ddb, server, 4);
  try {
    const table = `query-${n}`;
    await createTable(ddb, c, table);
    await batchWrite(ddb, c, table, CFG.queryItems, () => 'hot-partition');
    const queryAll = async () => {
      let count = 0;
      let start;
      do {
        const r = await c.send(
          new ddb.QueryCommand({
            TableName: table,
            KeyConditionExpression: 'pk = :p',
            ExpressionAttributeValues: { ':p': { S: 'hot-partition' } },
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        count += r.Count ?? 0;
        start = r.LastEvaluatedKey;
      } while (start);
      if (count !== CFG.queryItems) throw new Error(`Query returned ${count} of ${CFG.queryItems}`);
      return count;
    };
    for (let i = 0; i < 5; i++) await queryAll();
    const lat = [];
    const m = await measured(server, async () => {
      let items = 0;
      for (let i = 0; i < CFG.queryN; i++) {
        const t0 = performance.now();
        items += await queryAll();
        lat.push(performance.now() - t0);
      }
      return items;
    });
    const r = {
      itemsPerQuery: CFG.queryItems,
      ...latencyStats(lat),
      itemsPerS: round(m.value / (m.wallMs / 1000)),
      itemsPerServerCpuS: round(m.value / (m.serverCpuMs / 1000)),
    };
    log(
      `[${server.name}] 3 Query ${CFG.queryItems} items: p50 ${r.p50Ms} ms, ${r.itemsPerServerCpuS} items/server-CPU-s`,
    );
    return r;
  } finally {
    c.destroy();
  }
}

// ---------------------------------------------------------------------------------------------
// Orchestration.
// ---------------------------------------------------------------------------------------------

async function main() {
  quietSdkWarnings();
  const ddb = await import('@aws-sdk/client-dynamodb');
  const started = new Date();
  mkdirSync(TMP, { recursive: true });
  const dataDir = join(TMP, `ddb-data-${process.pid}-${Date.now()}`);
  const servers = [];
  const stop = () => stopChildren(servers.splice(0));
  onSignals(stop);
  let rounds = [];
  let failed;
  try {
    for (const name of CFG.servers) {
      const cpuProfDir = CFG.cpuProf.includes(name) ? profileDir(TMP) : undefined;
      servers.push(await startServerChild(SELF, name, { env: { BENCH_DATA_DIR: dataDir }, cpuProfDir }));
    }
    log(
      `servers: ${servers.map((s) => `${s.name}=${s.url}`).join(', ')}\nconfig: ${JSON.stringify({ ...CFG, out: undefined })}`,
    );
    const on = (p) => CFG.phases.includes(p);
    rounds = await runRounds(CFG.rounds, servers, async (res, order, r) => {
      if (on('seq')) for (const s of order(servers)) res[s.name].seq = await phaseSeq(ddb, s, r);
      if (on('batch')) for (const s of order(servers)) res[s.name].batch = await phaseBatch(ddb, s, r);
      if (on('query')) for (const s of order(servers)) res[s.name].query = await phaseQuery(ddb, s, r);
    });
    for (const s of servers) s.rssMB = round((await s.cpu()).rss / 1048576, 1);
  } catch (err) {
    failed = err;
  } finally {
    const rss = Object.fromEntries(servers.map((s) => [s.name, s.rssMB]));
    await stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (!failed) report(rounds, rss, started);
  }
  if (failed) {
    console.error('benchmark failed:', failed);
    process.exitCode = 1;
  }
}

function report(rounds, rss, started) {
  const results = Object.fromEntries(Object.keys(rounds[0] ?? {}).map((name) => [name, { rssMB: rss[name] }]));
  meanPhases(results, rounds, ['batch', 'query']);
  for (const name of Object.keys(results)) {
    const seq = rounds.map((r) => r[name].seq).filter(Boolean);
    if (seq.length) results[name].seq = { put: meanOf(seq.map((s) => s.put)), get: meanOf(seq.map((s) => s.get)) };
  }
  const lc = results['local-cloud'];
  const dl = results.dynalite;
  const ratio = (a, b) => (a && b ? round(a / b, 2) : undefined);
  const ratios = {
    putP50: ratio(dl?.seq?.put.p50Ms, lc?.seq?.put.p50Ms),
    getP50: ratio(dl?.seq?.get.p50Ms, lc?.seq?.get.p50Ms),
    batchItemsPerCpuS: ratio(lc?.batch?.itemsPerServerCpuS, dl?.batch?.itemsPerServerCpuS),
    batchItemsPerS: ratio(lc?.batch?.itemsPerS, dl?.batch?.itemsPerS),
    queryItemsPerCpuS: ratio(lc?.query?.itemsPerServerCpuS, dl?.query?.itemsPerServerCpuS),
    queryItemsPerS: ratio(lc?.query?.itemsPerS, dl?.query?.itemsPerS),
  };
  log('\n| measure | local-cloud | dynalite | ratio (lc vs dynalite) | target |');
  log('|---|---|---|---|---|');
  const row = (name, a, b, r, target) => log(`| ${name} | ${a ?? '-'} | ${b ?? '-'} | ${r ?? '-'} | ${target} |`);
  row(
    'PutItem p50 / p99 ms',
    lc?.seq && `${lc.seq.put.p50Ms} / ${lc.seq.put.p99Ms}`,
    dl?.seq && `${dl.seq.put.p50Ms} / ${dl.seq.put.p99Ms}`,
    ratios.putP50 && `${ratios.putP50}× faster`,
    'p50 no worse',
  );
  row(
    'GetItem p50 / p99 ms',
    lc?.seq && `${lc.seq.get.p50Ms} / ${lc.seq.get.p99Ms}`,
    dl?.seq && `${dl.seq.get.p50Ms} / ${dl.seq.get.p99Ms}`,
    ratios.getP50 && `${ratios.getP50}× faster`,
    'p50 no worse',
  );
  row(
    'BatchWriteItem items/server-CPU-s',
    lc?.batch?.itemsPerServerCpuS,
    dl?.batch?.itemsPerServerCpuS,
    ratios.batchItemsPerCpuS && `${ratios.batchItemsPerCpuS}×`,
    '≥ 3×',
  );
  row(
    'BatchWriteItem items/s',
    lc?.batch?.itemsPerS,
    dl?.batch?.itemsPerS,
    ratios.batchItemsPerS && `${ratios.batchItemsPerS}×`,
    '',
  );
  row(
    `Query ${CFG.queryItems} items: items/server-CPU-s`,
    lc?.query?.itemsPerServerCpuS,
    dl?.query?.itemsPerServerCpuS,
    ratios.queryItemsPerCpuS && `${ratios.queryItemsPerCpuS}×`,
    '≥ 3×',
  );
  row(
    'Query p50 ms',
    lc?.query?.p50Ms,
    dl?.query?.p50Ms,
    ratios.queryItemsPerS && `${ratios.queryItemsPerS}× items/s`,
    '',
  );
  row('server RSS MB at end', lc?.rssMB, dl?.rssMB, '', '');
  writeRunJson(CFG.out, started, {
    machine: { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model },
    versions: { dynalite: pkgVersion(ROOT, 'dynalite'), 'local-cloud': pkgVersion(ROOT, 'local-cloud') },
    config: { ...CFG, out: undefined },
    results,
    ratios,
  });
}

if (process.argv[2] === '--server') await serveServer(process.argv[3], STARTERS);
else await main();
