import { Readable } from 'node:stream';
import type { EdgeReply, EdgeRequest } from '../core/http.js';

/** What the SDK hands a request handler (the @smithy/protocol-http HttpRequest fields we need). */
interface SdkRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * An SDK v3 request handler that calls the edge directly: the deployer's clients speak the real
 * wire protocols (so every validation and error applies) without opening a socket.
 */
export class InProcessHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };

  constructor(private readonly dispatch: (req: EdgeRequest) => Promise<EdgeReply>) {}

  async handle(request: SdkRequest): Promise<{ response: unknown }> {
    const body = await bodyBuffer(request.body);
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = v;
    const controller = new AbortController();
    const reply = await this.dispatch({
      method: request.method,
      url: request.path + queryString(request.query),
      headers,
      body,
      signal: () => controller.signal,
    });
    const bytes = reply.stream
      ? Buffer.concat(await reply.stream.open().toArray())
      : Buffer.isBuffer(reply.body)
        ? reply.body
        : Buffer.from(reply.body);
    return {
      response: {
        statusCode: reply.status,
        reason: undefined,
        headers: { ...reply.headers, 'content-length': String(bytes.length) },
        body: Readable.from([bytes]),
      },
    };
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {}
}

function queryString(query: SdkRequest['query']): string {
  if (!query) return '';
  const parts: string[] = [];
  for (const [k, v] of Object.entries(query)) {
    if (v === null || v === undefined) parts.push(encodeURIComponent(k));
    else
      for (const one of Array.isArray(v) ? v : [v]) parts.push(`${encodeURIComponent(k)}=${encodeURIComponent(one)}`);
  }
  return parts.length ? `?${parts.join('&')}` : '';
}

async function bodyBuffer(body: unknown): Promise<Buffer> {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body);
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof Readable || (typeof body === 'object' && Symbol.asyncIterator in (body as object))) {
    const chunks: Buffer[] = [];
    for await (const c of body as AsyncIterable<Buffer | string>) chunks.push(Buffer.from(c));
    return Buffer.concat(chunks);
  }
  throw new Error(`Unsupported request body type ${typeof body}`);
}
