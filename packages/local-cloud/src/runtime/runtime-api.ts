import type { AddressInfo } from 'node:net';
import type { EdgeReply, EdgeRequest } from '../core/http.js';
import { HttpTransport } from '../edge/http1.js';

/**
 * The Lambda Runtime API (2018-06-01), one server for every execution environment. Each
 * environment's AWS_LAMBDA_RUNTIME_API carries a path prefix naming it: `127.0.0.1:<port>/<envId>`.
 */
export interface RuntimeApiHandlers {
  /** The environment asks for its next event; resolve when there is one. */
  next(envId: string, signal: AbortSignal): Promise<EdgeReply>;
  response(envId: string, requestId: string, body: Buffer): void;
  error(envId: string, requestId: string, body: Buffer, errorType: string | undefined): void;
  initError(envId: string, body: Buffer, errorType: string | undefined): void;
}

const ROUTE =
  /^\/([^/]+)\/2018-06-01\/runtime\/(?:(invocation\/next)|invocation\/([^/]+)\/(response|error)|(init\/error))$/;
const ACCEPTED: EdgeReply = { status: 202, headers: { 'content-type': 'application/json' }, body: '{"status":"OK"}' };

export class RuntimeApi {
  private readonly transport: HttpTransport;
  private port = 0;

  constructor(handlers: RuntimeApiHandlers) {
    this.transport = new HttpTransport((req) => route(req, handlers));
  }

  async start(): Promise<void> {
    const addr: AddressInfo = await this.transport.listen(0, '127.0.0.1');
    this.port = addr.port;
  }

  /** The AWS_LAMBDA_RUNTIME_API value for one environment. */
  endpointFor(envId: string): string {
    return `127.0.0.1:${this.port}/${envId}`;
  }

  close(): Promise<void> {
    return this.transport.close();
  }
}

async function route(req: EdgeRequest, h: RuntimeApiHandlers): Promise<EdgeReply> {
  const m = ROUTE.exec(req.url);
  if (!m) return notFound();
  const envId = m[1] as string;
  const errorType = req.headers['lambda-runtime-function-error-type'];
  if (m[2] && req.method === 'GET') return h.next(envId, req.signal());
  if (req.method !== 'POST') return notFound();
  if (m[4] === 'response') h.response(envId, m[3] as string, req.body);
  else if (m[4] === 'error') h.error(envId, m[3] as string, req.body, errorType);
  else if (m[5]) h.initError(envId, req.body, errorType);
  return ACCEPTED;
}

function notFound(): EdgeReply {
  return { status: 404, headers: { 'content-type': 'application/json' }, body: '{"errorMessage":"Not found"}' };
}
