import { createServer as createHttpServer, type IncomingMessage, type Server, STATUS_CODES } from 'node:http';
import { type AddressInfo, createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { EdgeReply, EdgeRequest } from '../core/http.js';

/**
 * The HTTP/1.1 transport. node:http costs more CPU per request than everything SQS does with a
 * batch of messages, so ordinary requests (a Content-Length body up to 2 MiB, no Expect, no
 * chunked encoding, no upgrade) are parsed here on the raw socket, one request at a time per
 * connection. Anything else hands the connection, with the bytes already read, to node:http,
 * whose requests reach the edge with their body still unread (`EdgeRequest.stream`).
 */
export type { EdgeReply, EdgeRequest } from '../core/http.js';

export type EdgeHandler = (req: EdgeRequest) => Promise<EdgeReply>;

const MAX_HEAD = 64 * 1024;
// Larger bodies go through node:http as streams (S3 writes them to disk as they arrive).
const MAX_INLINE_BODY = 2 * 1024 * 1024;
const EMPTY = Buffer.alloc(0);
const IDLE_MS = 60_000;
const CRLFCRLF = Buffer.from('\r\n\r\n');

export class HttpTransport {
  private readonly server: NetServer;
  private readonly fallback: Server;
  private readonly connections = new Set<Connection>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(handler: EdgeHandler) {
    this.fallback = createHttpServer({ keepAliveTimeout: IDLE_MS }, (req, res) => {
      let controller: AbortController | undefined;
      const request: EdgeRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: flatten(req),
        rawHeaders: req.rawHeaders,
        remoteAddress: req.socket.remoteAddress,
        body: EMPTY,
        stream: req,
        signal: () => {
          if (!controller) {
            const c = new AbortController();
            controller = c;
            res.once('close', () => res.writableFinished || c.abort());
          }
          return controller.signal;
        },
      };
      handler(request).then(
        (reply) => {
          if (res.destroyed) return;
          const length = reply.stream ? reply.stream.length : Buffer.byteLength(reply.body);
          const headers: Record<string, string | string[]> = { ...reply.headers, 'content-length': String(length) };
          if (reply.cookies?.length) headers['set-cookie'] = reply.cookies;
          res.writeHead(reply.status, headers);
          if (req.method === 'HEAD') res.end();
          else if (reply.stream) pipeline(reply.stream.open(), res).catch(() => res.destroy());
          else res.end(reply.body);
        },
        () => res.destroy(),
      );
    });
    this.server = createNetServer({ noDelay: true }, (socket) => {
      const conn = new Connection(socket, handler, this.fallback);
      this.connections.add(conn);
      socket.once('close', () => this.connections.delete(conn));
    });
    // One sweep for idle keep-alive connections instead of a timer re-armed on every read.
    this.sweeper = setInterval(() => {
      const cutoff = Date.now() - IDLE_MS;
      for (const c of this.connections) c.closeIfIdleSince(cutoff);
    }, 5_000);
    this.sweeper.unref();
  }

  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      clearInterval(this.sweeper);
      this.server.close(() => resolve());
      for (const c of this.connections) c.destroy();
      this.fallback.closeAllConnections();
    });
  }
}

class Connection {
  private chunks: Buffer[] = [];
  private size = 0;
  /** Bytes the request being read needs before it can be parsed again (avoids re-joining chunks). */
  private need = 0;
  private busy = false;
  private closed = false;
  private controller: AbortController | undefined;
  private lastActive = Date.now();
  private readonly onData = (chunk: Buffer) => {
    this.lastActive = Date.now();
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (!this.busy && this.size >= this.need) this.next();
  };

  private get buf(): Buffer | undefined {
    if (this.chunks.length === 0) return undefined;
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.size)];
    return this.chunks[0];
  }

  private set buf(rest: Buffer | undefined) {
    this.chunks = rest ? [rest] : [];
    this.size = rest ? rest.length : 0;
  }

  constructor(
    private readonly socket: Socket,
    private readonly handler: EdgeHandler,
    private readonly fallback: Server,
  ) {
    socket.on('data', this.onData);
    socket.on('error', () => socket.destroy());
    socket.once('close', () => {
      this.closed = true;
      this.controller?.abort();
    });
  }

  closeIfIdleSince(cutoff: number): void {
    if (!this.busy && this.lastActive < cutoff) this.socket.destroy();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private next(): void {
    const req = this.parse();
    if (!req) return;
    this.busy = true;
    this.handler({ ...req, signal: () => this.signal() }).then(
      (reply) => this.respond(reply, req.method === 'HEAD', req.keepAlive),
      () => this.respond({ status: 500, headers: {}, body: '' }, false, false),
    );
  }

  /** The next complete request in the buffer, or undefined (need more bytes, rejected, handed off). */
  private parse(): (Omit<EdgeRequest, 'signal'> & { keepAlive: boolean }) | undefined {
    const buf = this.buf;
    if (!buf) return undefined;
    const end = buf.indexOf(CRLFCRLF);
    if (end < 0) {
      if (buf.length > MAX_HEAD) this.reject(431);
      this.need = buf.length + 1;
      return undefined;
    }
    const lines = buf.toString('latin1', 0, end).split('\r\n');
    const [method, url, version] = (lines[0] ?? '').split(' ');
    if (!method || !url || !version?.startsWith('HTTP/1.')) return this.reject(400);
    const headers: Record<string, string | undefined> = {};
    const rawHeaders: string[] = [];
    for (let i = 1; i < lines.length; i++) {
      const line = lines[i] as string;
      const colon = line.indexOf(':');
      if (colon <= 0) return this.reject(400);
      const rawName = line.slice(0, colon).trim();
      const name = rawName.toLowerCase();
      const value = line.slice(colon + 1).trim();
      rawHeaders.push(rawName, value);
      const prev = headers[name];
      headers[name] = prev === undefined ? value : `${prev}, ${value}`;
    }
    const declared = headers['content-length'];
    const length = declared === undefined ? 0 : Number(declared);
    if (!Number.isSafeInteger(length) || length < 0) return this.reject(400);
    if (headers['transfer-encoding'] || headers.expect || headers.upgrade || length > MAX_INLINE_BODY) {
      this.handOff();
      return undefined;
    }
    const total = end + 4 + length;
    if (buf.length < total) {
      this.need = total;
      return undefined;
    }
    this.need = 0;
    const body = buf.subarray(end + 4, total);
    this.buf = buf.length > total ? buf.subarray(total) : undefined;
    const connection = headers.connection?.toLowerCase();
    const keepAlive = version === 'HTTP/1.1' ? connection !== 'close' : connection === 'keep-alive';
    return { method, url, headers, rawHeaders, remoteAddress: this.socket.remoteAddress, body, keepAlive };
  }

  private signal(): AbortSignal {
    this.controller ??= new AbortController();
    if (this.closed) this.controller.abort();
    return this.controller.signal;
  }

  private respond(reply: EdgeReply, head: boolean, keepAlive: boolean): void {
    this.controller = undefined;
    if (this.closed) return;
    let out = `HTTP/1.1 ${reply.status} ${STATUS_CODES[reply.status] ?? 'Unknown'}\r\n`;
    for (const name in reply.headers) out += `${name}: ${reply.headers[name]}\r\n`;
    if (reply.cookies) for (const c of reply.cookies) out += `set-cookie: ${c}\r\n`;
    const length = reply.stream ? reply.stream.length : Buffer.byteLength(reply.body);
    out += `content-length: ${length}\r\ndate: ${httpDate()}\r\n`;
    if (!keepAlive) out += 'connection: close\r\n';
    out += '\r\n';
    if (head) this.socket.write(out);
    else if (reply.stream) {
      this.socket.write(out);
      this.pipe(reply.stream.open(), keepAlive);
      return;
    } else if (typeof reply.body === 'string') this.socket.write(out + reply.body);
    else {
      this.socket.cork();
      this.socket.write(out);
      this.socket.write(reply.body);
      this.socket.uncork();
    }
    this.finish(keepAlive);
  }

  private finish(keepAlive: boolean): void {
    if (!keepAlive) {
      this.socket.end();
      return;
    }
    this.busy = false;
    if (this.buf) this.next();
  }

  /** Streams a body to the socket with backpressure; the next request waits until it is sent. */
  private pipe(source: Readable, keepAlive: boolean): void {
    source.on('data', (chunk: Buffer) => {
      if (!this.socket.write(chunk)) {
        source.pause();
        this.socket.once('drain', () => source.resume());
      }
    });
    const onClose = () => source.destroy();
    this.socket.once('close', onClose);
    source.once('end', () => {
      this.socket.off('close', onClose);
      this.finish(keepAlive);
    });
    source.once('error', () => this.socket.destroy());
  }

  private reject(status: number): undefined {
    this.closed = true;
    this.socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
  }

  /** Gives the connection to node:http, replaying the bytes read so far. */
  private handOff(): void {
    this.socket.removeListener('data', this.onData);
    this.busy = true; // node:http owns the socket now; the sweep leaves it alone
    this.socket.pause();
    if (this.buf) this.socket.unshift(this.buf);
    this.buf = undefined;
    this.fallback.emit('connection', this.socket);
    this.socket.resume();
  }
}

let dateSecond = 0;
let dateString = '';
/** The Date header, formatted once a second (wall time: HTTP dates are real, whatever the Clock says). */
function httpDate(): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (second !== dateSecond) {
    dateSecond = second;
    dateString = new Date(now).toUTCString();
  }
  return dateString;
}

function flatten(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(req.headers)) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
