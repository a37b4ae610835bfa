// Parent side of a benchmark server child: wait for its 'ready' message, then ask it for CPU
// readings over IPC ({type:'cpu', id} → {type:'cpu', id, ...}); `readCpu` maps each reply.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export function connectServer(name, child, { timeoutMs, readCpu }) {
  let nextId = 0;
  const pending = new Map();
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${timeoutMs / 1000}s`)), timeoutMs);
    child.once('exit', (code, sig) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before it was ready (code ${code}, signal ${sig})`));
      for (const p of pending.values()) p.reject(new Error(`${name} exited`));
    });
    child.on('message', (m) => {
      if (m.type === 'ready') {
        clearTimeout(timer);
        resolvePromise({
          name,
          child,
          url: m.url,
          cpu: () =>
            new Promise((ok, ko) => {
              const id = nextId++;
              pending.set(id, { resolve: ok, reject: ko });
              child.send({ type: 'cpu', id });
            }),
        });
      } else if (m.type === 'cpu') {
        const p = pending.get(m.id);
        pending.delete(m.id);
        p?.resolve(readCpu(m));
      }
    });
  });
}

/** The installed version of a package (local-cloud's own from its workspace). */
export function pkgVersion(root, name) {
  const dir = name === 'local-cloud' ? 'packages/local-cloud' : `node_modules/${name}`;
  try {
    return JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}
