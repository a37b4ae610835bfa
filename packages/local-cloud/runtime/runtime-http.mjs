// A small keep-alive HTTP/1.1 client for the Runtime API, used by node-client.mjs for its
// next/response/error calls. The server is always local-cloud's own Runtime API, which answers
// every request with a Content-Length body. node:http's client spends several times more CPU per
// request, and every invocation makes two of them, so on a small machine it showed up as a large
// share of each warm invocation. Streaming responses still go through node:http.
import { connect } from 'node:net';

const CRLFCRLF = Buffer.from('\r\n\r\n');

function resetError(message) {
  return Object.assign(new Error(message), { code: 'ECONNRESET' });
}

/** One socket, one request at a time. */
class Connection {
  constructor(host, port) {
    this.closed = false;
    this.buf = undefined;
    this.head = undefined;
    this.pending = undefined;
    this.socket = connect({ host, port, noDelay: true });
    this.socket.on('data', (chunk) => this.onData(chunk));
    this.socket.on('error', (err) => this.fail(err));
    this.socket.on('close', () => {
      this.closed = true;
      this.fail(resetError('socket hang up'));
    });
  }

  send(request) {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.buf = undefined;
      this.head = undefined;
      this.socket.ref();
      this.socket.write(request);
    });
  }

  /** An idle keep-alive socket must not keep the process alive (callback handlers wait for an empty loop). */
  park() {
    this.socket.unref();
  }

  destroy() {
    this.closed = true;
    this.socket.destroy();
  }

  onData(chunk) {
    this.buf = this.buf ? Buffer.concat([this.buf, chunk]) : chunk;
    if (!this.head) {
      const end = this.buf.indexOf(CRLFCRLF);
      if (end < 0) return;
      this.head = parseHead(this.buf.toString('latin1', 0, end));
      this.buf = this.buf.subarray(end + 4);
    }
    let body;
    try {
      body = this.head.chunked ? dechunk(this.buf) : bodyOf(this.buf, this.head.length);
    } catch (err) {
      this.fail(err);
      this.destroy();
      return;
    }
    if (body === undefined) return;
    const { status, headers } = this.head;
    const pending = this.pending;
    this.pending = undefined;
    this.buf = undefined;
    this.head = undefined;
    pending?.resolve({ status, headers, body });
  }

  fail(err) {
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(err);
  }
}

function parseHead(text) {
  const lines = text.split('\r\n');
  const status = Number(lines[0].split(' ')[1]);
  const headers = {};
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i];
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  const length = Number(headers['content-length'] ?? 0);
  const chunked = /\bchunked\b/i.test(headers['transfer-encoding'] ?? '');
  return { status, headers, chunked, length: Number.isSafeInteger(length) && length > 0 ? length : 0 };
}

function bodyOf(buf, length) {
  return buf.length < length ? undefined : buf.toString('utf8', 0, length);
}

/** A whole chunked body (trailers ignored), or undefined while it is incomplete. */
function dechunk(buf) {
  const parts = [];
  let at = 0;
  for (;;) {
    const eol = buf.indexOf('\r\n', at);
    if (eol < 0) return undefined;
    const size = Number.parseInt(buf.toString('latin1', at, eol), 16);
    if (!(size >= 0)) throw resetError('malformed chunked response from the Runtime API');
    if (size === 0) return buf.indexOf(CRLFCRLF, eol) < 0 ? undefined : Buffer.concat(parts).toString('utf8');
    if (buf.length < eol + 2 + size + 2) return undefined;
    parts.push(buf.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
}

/**
 * Returns `call(method, path, headers, payload?)` → `{ status, headers, body }` (lower-case header
 * names, body as UTF-8). Keeps one idle connection; a call made while another is in flight (a
 * fatal error reported during a long poll) opens its own.
 */
export function runtimeHttpClient(host, port) {
  const hostHeader = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  let idle;
  const call = async (method, path, headers, payload, retried = false) => {
    let head = `${method} ${path} HTTP/1.1\r\nhost: ${hostHeader}\r\n`;
    for (const name in headers) head += `${name}: ${headers[name]}\r\n`;
    if (payload) head += `content-length: ${payload.length}\r\n`;
    head += '\r\n';
    const request = payload ? Buffer.concat([Buffer.from(head, 'latin1'), payload]) : head;
    const conn = idle && !idle.closed ? idle : new Connection(host, port);
    const reused = conn === idle;
    idle = undefined;
    try {
      const res = await conn.send(request);
      if (res.headers.connection?.toLowerCase() === 'close' || conn.closed) conn.destroy();
      else if (idle) conn.destroy();
      else {
        conn.park();
        idle = conn;
      }
      return res;
    } catch (err) {
      conn.destroy();
      // The server may close an idle keep-alive socket just as we reuse it: retry once.
      if (reused && !retried && err.code === 'ECONNRESET') return call(method, path, headers, payload, true);
      throw err;
    }
  };
  return call;
}
