// Server children of the side-by-side benchmarks (forked from the bench script itself with
// `--server <name>`): start, CPU readings over IPC, an orderly shutdown.
import { fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { connectServer } from './child.mjs';
import { log } from './stats.mjs';

/** A child's CPU reply as a reading: its own user+system ms, its process tree's ms (if sent), RSS. */
export const cpuReading = (m) => ({ cpuMs: (m.usage.user + m.usage.system) / 1000, treeMs: m.treeMs, rss: m.rss });

/**
 * Forks `script --server name` and waits for it to report its URL. Options: extra env, a directory for
 * `--cpu-prof` (with a file-name prefix), the child's stdio for stdout, the start timeout, and how a CPU
 * reply maps to a reading (default: cpuReading).
 */
export function startServerChild(
  script,
  name,
  { env = {}, cpuProfDir, profilePrefix = '', stdout = 'inherit', timeoutMs = 60_000, readCpu = cpuReading } = {},
) {
  const execArgv = [];
  if (cpuProfDir) {
    mkdirSync(cpuProfDir, { recursive: true });
    execArgv.push(
      '--cpu-prof',
      `--cpu-prof-dir=${cpuProfDir}`,
      `--cpu-prof-name=${profilePrefix}${name}-${Date.now()}.cpuprofile`,
    );
  }
  const child = fork(script, ['--server', name], {
    execArgv,
    env: { ...process.env, ...env },
    stdio: ['ignore', stdout, 'inherit', 'ipc'],
  });
  return connectServer(name, child, { timeoutMs, readCpu });
}

/**
 * Child side: answer `{type:'cpu'}` (own CPU `usage`, `rss`, plus whatever `reading()` returns) and
 * `{type:'rss'}` over IPC, then announce readiness. A stop request or the parent's disconnect runs
 * `stop` once and exits (code 1 if it has not finished within 8 s).
 */
export function serveChild(url, stop, { reading } = {}) {
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(1), 8_000);
    try {
      await stop();
    } finally {
      clearTimeout(force);
      process.exit(0);
    }
  };
  process.on('message', (m) => {
    if (m.type === 'cpu') {
      const extra = reading?.();
      process.send({ type: 'cpu', id: m.id, usage: process.cpuUsage(), rss: process.memoryUsage.rss(), ...extra });
    } else if (m.type === 'rss') {
      process.send({ type: 'rss', id: m.id, rss: process.memoryUsage.rss() });
    } else if (m.type === 'stop') {
      void shutdown();
    }
  });
  process.on('disconnect', () => void shutdown()); // parent went away: still stop what the server runs
  process.send({ type: 'ready', url });
}

/** Child side: starts `starters[kind]()` (resolving with `{ url, stop }`) and serves it (serveChild). */
export async function serveServer(kind, starters, options) {
  const start = starters[kind];
  if (!start) throw new Error(`unknown server kind ${kind}`);
  const { url, stop } = await start();
  serveChild(url, stop, options);
}

/** `n` ports free on 127.0.0.1 right now (listened on, then released). */
export async function freePorts(n) {
  const servers = [];
  for (let i = 0; i < n; i++) {
    const s = http.createServer();
    await new Promise((ok) => s.listen(0, '127.0.0.1', ok));
    servers.push(s);
  }
  const ports = servers.map((s) => s.address().port);
  await Promise.all(servers.map((s) => new Promise((ok) => s.close(ok))));
  return ports;
}

export async function stopChildren(children) {
  await Promise.all(
    children.map(
      ({ child }) =>
        new Promise((ok) => {
          if (child.exitCode !== null || child.signalCode !== null) return ok();
          const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
          child.once('exit', () => {
            clearTimeout(kill);
            ok();
          });
          try {
            child.send({ type: 'stop' });
          } catch {
            child.kill('SIGKILL');
          }
        }),
    ),
  );
}

/**
 * The frame of a run: `prepare()`, then a server child per name (`start(name)`), logged with `cfg`,
 * then `body(servers, results)` with an empty results[name] per server; `stop(servers)` and
 * `cleanup()` run whatever happens, also on SIGINT / SIGTERM. Resolves with the results, or with
 * undefined after logging the failure (exit code 1).
 */
export async function runServers({ names, cfg, start, stop = stopChildren, cleanup, prepare }, body) {
  const servers = [];
  const stopAll = async () => {
    await stop(servers.splice(0));
    await cleanup?.();
  };
  onSignals(stopAll);
  const results = {};
  let failed;
  try {
    await prepare?.();
    for (const name of names) servers.push(await start(name));
    logServers(servers, cfg);
    for (const s of servers) results[s.name] = {};
    await body(servers, results);
  } catch (err) {
    failed = err;
  } finally {
    await stopAll();
  }
  if (failed) {
    console.error('benchmark failed:', failed);
    process.exitCode = 1;
    return undefined;
  }
  return results;
}

/**
 * Runs `fn(res, order, r)` for each round r < n, with res[name] = {} per server and `order(list)`
 * reversing the list on odd rounds; resolves with every round's res.
 */
export async function runRounds(n, servers, fn) {
  const rounds = [];
  for (let r = 0; r < n; r++) {
    const order = (list) => (r % 2 === 0 ? list : [...list].reverse());
    const res = Object.fromEntries(servers.map((s) => [s.name, {}]));
    await fn(res, order, r);
    rounds.push(res);
  }
  return rounds;
}

/** On SIGINT / SIGTERM: run `cleanup`, then exit 130 / 143. */
export function onSignals(cleanup) {
  const onSignal = (sig) => {
    void cleanup().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
}

/** Logs each server's URL and pid, and the config (without `out`). */
function logServers(servers, cfg) {
  log(
    `servers: ${servers.map((s) => `${s.name}=${s.url} (pid ${s.child.pid})`).join(', ')}\n` +
      `config: ${JSON.stringify({ ...cfg, out: undefined })}`,
  );
}

export const profileDir = (tmp) => join(tmp, 'profiles');
