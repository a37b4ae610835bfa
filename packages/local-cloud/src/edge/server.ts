import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidAction, UnknownOperationException } from '../core/errors.js';
import type { IdGenerator } from '../core/ids.js';
import type { RequestContext, RpcService } from '../core/service.js';
import type { Store } from '../core/storage.js';
import { parseForm } from '../protocols/query.js';
import { dispatchRpc, errorReply, type WireReply } from './rpc.js';
import { readCredential, scopeOf } from './sigv4.js';

/**
 * The one HTTP server. Routes each request to a service by its SigV4 signing name, then
 * X-Amz-Target, then (for Query requests) the path; attributes it to a principal; and answers
 * only once the state it changed is durable.
 */
export type AdminHandler = (
  req: IncomingMessage,
  body: string,
  path: string,
  query: URLSearchParams,
) => Promise<WireReply>;

export interface EdgeOptions {
  services: RpcService[];
  ids: IdGenerator;
  store: Store;
  admin: AdminHandler;
  defaults: { region?: string; accountId?: string };
}

const MAX_BODY = 16 * 1024 * 1024;

export class Edge {
  readonly server: Server;
  private bySigning = new Map<string, RpcService>();
  private byTarget = new Map<string, RpcService>();

  constructor(private readonly opts: EdgeOptions) {
    for (const s of opts.services) {
      this.bySigning.set(s.signingName, s);
      this.byTarget.set(s.targetPrefix, s);
    }
    this.server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
      this.handle(req, res).catch((err) => {
        console.error('[local-cloud] request failed:', err);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end('{"message":"Internal error"}');
      });
    });
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
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const path = q < 0 ? raw : raw.slice(0, q);
    const search = q < 0 ? undefined : new URLSearchParams(raw.slice(q + 1));
    const body = await readBody(req);
    if (body === undefined) return send(res, { status: 413, headers: {}, body: '' });
    if (path.startsWith('/_local-cloud/')) {
      return send(res, await this.opts.admin(req, body, path, search ?? new URLSearchParams()));
    }
    const reply = await this.rpc(req, res, path, search, body);
    this.opts.store.afterCommit((err) => {
      if (err) {
        console.error('[local-cloud] storage commit failed:', err);
        return send(res, {
          status: 500,
          headers: { 'content-type': 'application/json' },
          body: '{"message":"storage failure"}',
        });
      }
      send(res, reply);
    });
  }

  private async rpc(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    search: URLSearchParams | undefined,
    body: string,
  ): Promise<WireReply> {
    const cred = readCredential(req, search);
    const contentType = req.headers['content-type'] ?? '';
    const target = header(req, 'x-amz-target');
    const isJson =
      contentType.startsWith('application/x-amz-json') || (target !== undefined && !contentType.includes('form'));
    const requestId = this.opts.ids.uuid();
    let params: Map<string, string> | undefined;
    if (!isJson) {
      params = parseForm(contentType.includes('x-www-form-urlencoded') ? body : '');
      for (const [k, v] of search ?? []) if (!params.has(k)) params.set(k, v);
    }
    const svc = this.route(cred?.service, target, path, params);
    const protocol = isJson ? 'json' : 'query';
    if (!svc) {
      const err = isJson
        ? new UnknownOperationException(`No service handles ${target ?? cred?.service ?? path}`)
        : new InvalidAction(`The action ${params?.get('Action') ?? ''} is not valid for this endpoint.`);
      return errorReply(undefined, protocol, err, { requestId });
    }
    let controller: AbortController | undefined;
    const ctx: RequestContext = {
      scope: scopeOf(cred, this.opts.defaults),
      principal: cred?.accessKeyId ?? 'anonymous',
      requestId,
      host: req.headers.host ?? '127.0.0.1',
      scheme: 'http',
      path,
      protocol,
      get signal() {
        if (!controller) {
          const c = new AbortController();
          controller = c;
          res.once('close', () => {
            if (!res.writableFinished) c.abort();
          });
        }
        return controller.signal;
      },
    };
    const operation = isJson ? jsonOperation(target, svc) : params?.get('Action');
    return dispatchRpc(svc, { protocol, operation, body, ...(params ? { params } : {}) }, ctx);
  }

  private route(
    signing: string | undefined,
    target: string | undefined,
    path: string,
    params: Map<string, string> | undefined,
  ): RpcService | undefined {
    const bySig = signing ? this.bySigning.get(signing) : undefined;
    if (bySig) return bySig;
    if (target) return this.byTarget.get(target.slice(0, target.indexOf('.')));
    if (params?.has('Action')) {
      const action = params.get('Action') as string;
      for (const s of this.opts.services) if (s.ownsPath?.(path)) return s;
      for (const s of this.opts.services) if (Object.hasOwn(s.operations, action)) return s;
    }
    return undefined;
  }
}

function jsonOperation(target: string | undefined, svc: RpcService): string | undefined {
  if (!target) return undefined;
  const dot = target.indexOf('.');
  return target.slice(0, dot) === svc.targetPrefix ? target.slice(dot + 1) : undefined;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () =>
      resolve(
        size > MAX_BODY
          ? undefined
          : chunks.length === 1
            ? (chunks[0] as Buffer).toString('utf8')
            : Buffer.concat(chunks).toString('utf8'),
      ),
    );
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: WireReply): void {
  if (res.destroyed) return;
  res.writeHead(reply.status, { ...reply.headers, 'content-length': Buffer.byteLength(reply.body) });
  res.end(reply.body);
}
