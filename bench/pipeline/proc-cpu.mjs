// Samples the CPU time of the benchmark's processes from /proc every 250 ms until SIGINT, then prints it by
// process: the local-cloud server, each function's environments (by code directory) and the bench client.
// Usage (Linux): start bench/pipeline/run.mjs, run this once it prints "measuring", stop it with Ctrl-C.
// Processes that exist when sampling starts count from then; later ones count from their start.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const HZ = 100;
const seen = new Map(); // pid -> {cat, first, last}
function sample() {
  for (const p of readdirSync('/proc')) {
    if (!/^\d+$/.test(p)) continue;
    try {
      const cmd = readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').join(' ');
      if (!cmd.includes('node')) continue;
      const stat = readFileSync(`/proc/${p}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const cpu = (Number(f[11]) + Number(f[12])) / HZ;
      let cat;
      if (cmd.includes('node-client.mjs')) {
        let cwd = '';
        try {
          cwd = readlinkSync(`/proc/${p}/cwd`);
        } catch {}
        cat = `fn:${cwd.split('/').pop()}`;
      } else if (cmd.includes('--server')) cat = 'server';
      else if (cmd.includes('bench/pipeline/run.mjs')) cat = 'bench-client';
      else continue;
      const s = seen.get(p);
      if (!s) seen.set(p, { cat, first: cpu, last: cpu, startedInWindow: started });
      else s.last = cpu;
    } catch {}
  }
}
let started = false;
const iv = setInterval(sample, 250);
sample();
started = true;
function done() {
  clearInterval(iv);
  sample();
  const by = new Map();
  for (const s of seen.values()) {
    const d = s.startedInWindow ? s.last : s.last - s.first;
    const c = by.get(s.cat) ?? { cpu: 0, n: 0 };
    c.cpu += d;
    c.n++;
    by.set(s.cat, c);
  }
  for (const [k, v] of [...by].sort((a, b) => b[1].cpu - a[1].cpu))
    console.log(`${k.padEnd(60)} ${v.cpu.toFixed(2)} s  (${v.n} procs)`);
  process.exit(0);
}
process.on('SIGINT', done);
process.on('SIGTERM', done);
