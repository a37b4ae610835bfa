// Servers a benchmark child runs, each on 127.0.0.1 and a free port; every starter resolves
// with `{ url, stop }` for serveServer (harness.mjs).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './config.mjs';
import { freePorts } from './harness.mjs';

/** local-cloud from the built dist/, its data in BENCH_DATA_DIR. */
export async function startLocalCloudServer({ persistence }) {
  const { startLocalCloud } = await import(pathToFileURL(join(ROOT, 'packages/local-cloud/dist/index.js')).href);
  const cloud = await startLocalCloud({
    port: 0,
    host: '127.0.0.1',
    persistence,
    dataDir: process.env.BENCH_DATA_DIR,
  });
  return { url: cloud.url, stop: () => cloud.stop() };
}

/** fauxqs: startFauxqs() always binds 0.0.0.0; buildApp() + listen() binds 127.0.0.1 only. */
export async function startFauxqsServer() {
  const { buildApp } = await import('fauxqs');
  const app = buildApp({ logger: false });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, stop: () => app.close() };
}

/** @architect/sandbox serving one `@http get /` function whose index.mjs is `handler`. */
export async function startSandboxServer(appName, handler) {
  const sandbox = createRequire(join(ROOT, 'package.json'))('@architect/sandbox');
  const app = mkdtempSync(join(tmpdir(), 'lc-bench-arc-'));
  mkdirSync(join(app, 'src/http/get-index'), { recursive: true });
  writeFileSync(join(app, 'app.arc'), `@app\n${appName}\n\n@http\nget /\n`);
  writeFileSync(join(app, 'src/http/get-index/index.mjs'), handler);
  const [httpPort, arcPort] = await freePorts(2);
  process.env.ARC_INTERNAL_PORT = String(arcPort); // its runtime API / internal services port
  await sandbox.start({ cwd: app, port: httpPort, host: '127.0.0.1', quiet: true, watcher: false });
  return {
    url: `http://127.0.0.1:${httpPort}`,
    stop: async () => {
      try {
        await sandbox.end();
      } finally {
        rmSync(app, { recursive: true, force: true });
      }
    },
  };
}

/**
 * The environment for a sandbox child: static credentials, so that Sandbox's credential loader
 * never looks for a metadata service; no CI / NODE_ENV=testing, which make it wait for each
 * function process to be killed before it answers.
 */
export function sandboxEnv(env) {
  const out = { ...process.env, ...env, AWS_ACCESS_KEY_ID: 'bench', AWS_SECRET_ACCESS_KEY: 'bench' };
  out.AWS_EC2_METADATA_DISABLED = 'true';
  // Set to undefined, not deleted: the child's env is merged over process.env, and fork drops undefined values.
  for (const k of [
    'CI',
    'NODE_ENV',
    'AWS_PROFILE',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  ]) {
    out[k] = undefined;
  }
  return out;
}

/** A keep-alive node:http server calling `respond(req, res)` once each request body has arrived. */
export async function startBareServer(respond) {
  const server = http.createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    req.on('data', () => {});
    req.on('end', () => respond(req, res));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    stop: () =>
      new Promise((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}

/** A bare server answering every request 200 with the same body and headers. */
export function startFixedReplyServer(body, headers) {
  return startBareServer((_req, res) => {
    res.writeHead(200, headers);
    res.end(body);
  });
}
