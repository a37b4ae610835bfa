// Client side: SDK client options, a raw keep-alive HTTP call, and quiet SDK warnings.
import http from 'node:http';

/** One keep-alive HTTP call; resolves with the status, headers and body (a Buffer). */
export function httpCall(agent, target, method, path, body) {
  return new Promise((ok, ko) => {
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        method,
        path,
        agent,
        headers: body ? { 'content-type': 'application/json', 'content-length': body.length } : {},
      },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => ok({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', ko);
      },
    );
    req.on('error', ko);
    req.end(body);
  });
}

/** SDK client options with a keep-alive agent and no hidden retries; call `agent.destroy()` after. */
export function clientOptions(url, maxSockets, { requestTimeout = 60_000 } = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: Math.max(32, maxSockets) });
  return {
    agent,
    options: {
      endpoint: url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
      maxAttempts: 1,
      requestHandler: { httpAgent: agent, connectionTimeout: 5_000, requestTimeout },
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
