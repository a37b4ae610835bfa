// Wall time and CPU of a stretch of benchmark work: the server child's (over IPC) and this process's.
import { performance } from 'node:perf_hooks';

/**
 * Runs fn and reports wall time, server CPU (the child; `treeCpuMs`: with its process tree, if the
 * child reports one) and client CPU (this process).
 */
export async function measured(server, fn) {
  const c0 = await server.cpu();
  const u0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const wallMs = performance.now() - t0;
  const u1 = process.cpuUsage(u0);
  const c1 = await server.cpu();
  return {
    value,
    wallMs,
    serverCpuMs: c1.cpuMs - c0.cpuMs,
    treeCpuMs: c1.treeMs === undefined ? undefined : c1.treeMs - c0.treeMs,
    clientCpuMs: (u1.user + u1.system) / 1000,
  };
}

/** `measured` over n sequential calls of `fn(i)`; `lat` holds each call's ms. */
export async function measuredSeq(server, n, fn) {
  const lat = new Array(n);
  const m = await measured(server, async () => {
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      await fn(i);
      lat[i] = performance.now() - t0;
    }
  });
  return { ...m, lat };
}
