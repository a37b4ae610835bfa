// The process tree of a benchmark server child, from /proc (Linux only): its CPU with every process
// it spawned (live or reaped), and the live descendants, so that the parent can kill any it leaves.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let clockTick;

/** /proc/<pid>/stat: state, ppid, CPU ticks (own + reaped children), start time; undefined if gone. */
export function readStat(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return {
      state: f[0],
      ppid: Number(f[1]),
      ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]),
      start: f[19],
    };
  } catch {
    return undefined;
  }
}

/**
 * CPU ms of this process, its reaped descendants and its live descendants (`treeMs`), and the live
 * descendants as `{pid, start}`; undefined off Linux.
 */
export function processTree() {
  if (process.platform !== 'linux') return undefined;
  if (clockTick === undefined) {
    try {
      clockTick = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTick = 100;
    }
  }
  const stats = new Map();
  for (const name of readdirSync('/proc')) {
    if (name.charCodeAt(0) > 57) continue; // not a pid
    const st = readStat(name);
    if (st) stats.set(Number(name), st);
  }
  const children = new Map();
  for (const [pid, st] of stats) {
    if (!children.has(st.ppid)) children.set(st.ppid, []);
    children.get(st.ppid).push(pid);
  }
  const descendants = [];
  const stack = [process.pid];
  while (stack.length) {
    for (const c of children.get(stack.pop()) ?? []) {
      descendants.push(c);
      stack.push(c);
    }
  }
  let ticks = stats.get(process.pid)?.ticks ?? 0;
  for (const pid of descendants) ticks += stats.get(pid).ticks;
  return {
    treeMs: (ticks * 1000) / clockTick,
    descendants: descendants.map((pid) => ({ pid, start: stats.get(pid).start })),
  };
}
