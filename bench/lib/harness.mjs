// Shared orchestration for the side-by-side benchmarks: server children (forked from the bench
// script itself with `--server <name>`), CPU-measured phases and an orderly shutdown.
import { fork } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { connectServer } from './child.mjs';

/**
 * Forks `script --server name` and waits for it to report its URL. Options: extra env, a directory for
 * `--cpu-prof` (with a file-name prefix), the child's stdio for stdout, the start timeout, and how a CPU
 * reply maps to a reading (default: the child's own user+system ms and RSS).
 */
export function startServerChild(
  script,
  name,
  {
    env = {},
    cpuProfDir,
    profilePrefix = '',
    stdout = 'inherit',
    timeoutMs = 60_000,
    readCpu = (m) => ({ cpuMs: (m.usage.user + m.usage.system) / 1000, rss: m.rss }),
  } = {},
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

/** Runs fn and reports wall time, server CPU (the child) and client CPU (this process). */
export async function measured(server, fn) {
  const c0 = await server.cpu();
  const u0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const wallMs = performance.now() - t0;
  const u1 = process.cpuUsage(u0);
  const c1 = await server.cpu();
  return { value, wallMs, serverCpuMs: c1.cpuMs - c0.cpuMs, clientCpuMs: (u1.user + u1.system) / 1000 };
}

/** SDK client options with a keep-alive agent and no hidden retries; call `agent.destroy()` after. */
export function clientOptions(url, maxSockets) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(32, maxSockets) });
  return {
    agent,
    options: {
      endpoint: url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
      maxAttempts: 1,
      requestHandler: { httpAgent: agent, connectionTimeout: 5_000, requestTimeout: 60_000 },
    },
  };
}

/** The SDK warns about Node 20 support ending in 2027; keep reports readable. */
export function quietSdkWarnings() {
  const emit = process.emitWarning;
  process.emitWarning = (w, ...rest) =>
    String(w?.name ?? rest[0]?.type ?? rest[0]).includes('NodeVersionSupportWarning') ||
    String(w).includes('will require node >=22')
      ? undefined
      : emit.call(process, w, ...rest);
}

export const profileDir = (tmp) => join(tmp, 'profiles');
