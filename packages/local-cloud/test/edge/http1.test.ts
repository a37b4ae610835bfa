import { connect } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBody } from '../../src/core/http.js';
import { type EdgeReply, type EdgeRequest, HttpTransport } from '../../src/edge/http1.js';

/** The raw HTTP/1.1 transport, spoken to over plain sockets. */
let transport: HttpTransport;
let port: number;
const seen: EdgeRequest[] = [];

beforeAll(async () => {
  transport = new HttpTransport(async (req): Promise<EdgeReply> => {
    seen.push(req);
    const body = req.stream ? await readBody(req.stream, 1024) : req.body;
    if (req.url === '/streamed-reply') {
      return {
        status: 200,
        headers: {},
        body: '',
        stream: { length: 6, open: () => Readable.from([Buffer.from('abc'), Buffer.from('def')]) },
      };
    }
    return {
      status: 200,
      headers: { 'content-type': 'text/plain' },
      body: `${req.method} ${req.url} ${body?.toString()}`,
    };
  });
  port = (await transport.listen(0, '127.0.0.1')).port;
});
afterAll(() => transport.close());

/** Sends raw bytes and collects the reply until the server has said `count` responses or closed. */
function exchange(raw: string | Buffer[], until: (text: string) => boolean): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (d) => {
      text += d.toString();
      if (until(text)) {
        socket.destroy();
        resolve(text);
      }
    });
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
    if (typeof raw === 'string') socket.write(raw);
    else
      raw.forEach((part, i) => {
        setTimeout(() => socket.write(part), i * 20);
      });
  });
}

describe('HTTP/1.1 transport', () => {
  it('answers pipelined requests in order on one connection', async () => {
    const req = (body: string) => `POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const text = await exchange(req('one') + req('two') + req('three'), (t) => t.includes('POST /p three'));
    const bodies = [...text.matchAll(/POST \/p (one|two|three)/g)].map((m) => m[1]);
    expect(bodies).toEqual(['one', 'two', 'three']);
  });

  it('waits for a body that arrives in pieces', async () => {
    const text = await exchange(
      [
        Buffer.from('POST /slow HTTP/1.1\r\nHost: x\r\nContent-Le'),
        Buffer.from('ngth: 10\r\n\r\nhello'),
        Buffer.from('world'),
      ],
      (t) => t.includes('helloworld'),
    );
    expect(text).toContain('content-length: 21');
    expect(text).toContain('POST /slow helloworld');
  });

  it('joins repeated headers with commas and lower-cases names', async () => {
    seen.length = 0;
    await exchange('GET /h HTTP/1.1\r\nHost: x\r\nX-Thing: a\r\nx-thing: b\r\n\r\n', (t) => t.includes('GET /h'));
    expect(seen[0]?.headers['x-thing']).toBe('a, b');
  });

  it('streams a reply body from its source and then serves the next request on the connection', async () => {
    const text = await exchange(
      'GET /streamed-reply HTTP/1.1\r\nHost: x\r\n\r\nGET /after HTTP/1.1\r\nHost: x\r\n\r\n',
      (t) => t.includes('GET /after'),
    );
    expect(text).toContain('content-length: 6');
    expect(text).toContain('\r\n\r\nabcdef');
    expect(text.indexOf('abcdef')).toBeLessThan(text.indexOf('GET /after'));
  });

  it('hands chunked requests to node:http, which passes the decoded body on as a stream', async () => {
    const text = await exchange(
      'POST /chunked HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n',
      (t) => t.includes('hello world'),
    );
    expect(text).toMatch(/^HTTP\/1\.1 200/);
    expect(text).toContain('POST /chunked hello world');
  });

  it('sends no body for HEAD but the length it would have', async () => {
    const text = await exchange('HEAD /x HTTP/1.1\r\nHost: x\r\n\r\n', (t) => t.endsWith('\r\n\r\n'));
    expect(text).toContain('content-length: 8'); // 'HEAD /x '
    expect(text.endsWith('\r\n\r\n')).toBe(true);
  });

  it('closes after answering a request that asks for Connection: close', async () => {
    const text = await exchange('GET /bye HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', () => false);
    expect(text).toContain('connection: close');
    expect(text).toContain('GET /bye');
  });

  it('rejects a malformed request line with 400', async () => {
    const text = await exchange('NONSENSE\r\n\r\n', () => false);
    expect(text).toMatch(/^HTTP\/1\.1 400/);
  });

  it('aborts the request signal when the client goes away', async () => {
    let aborted: Promise<boolean> | undefined;
    const slow = new HttpTransport(async (req) => {
      const signal = req.signal();
      aborted = new Promise((resolve) => signal.addEventListener('abort', () => resolve(true)));
      await aborted;
      return { status: 200, headers: {}, body: '' };
    });
    const p = (await slow.listen(0, '127.0.0.1')).port;
    const socket = connect(p, '127.0.0.1');
    socket.write('GET /wait HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise((r) => setTimeout(r, 50));
    socket.destroy();
    await expect(aborted).resolves.toBe(true);
    await slow.close();
  });
});
