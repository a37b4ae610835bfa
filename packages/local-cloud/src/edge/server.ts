import type { AddressInfo } from 'node:net';
import { InvalidAction, UnknownOperationException } from '../core/errors.js';
import { readBody } from '../core/http.js';
import type { IdGenerator } from '../core/ids.js';
import { isRest, type RequestContext, type RestService, type RpcService, type Service } from '../core/service.js';
import type { Store } from '../core/storage.js';
import { parseForm } from '../protocols/query.js';
import { type EdgeReply, type EdgeRequest, HttpTransport } from './http1.js';
import { dispatchRpc, errorReply } from './rpc.js';
import { readCredential, scopeOf } from './sigv4.js';

/**
 * The one endpoint. Routes each request to a service by its SigV4 signing name, then
 * X-Amz-Target, then (for Query requests) the path; attributes it to a principal; and answers
 * only once the state it changed is durable.
 */
/** Bodies buffered for services that do not stream (Lambda's 6 MiB payloads fit; SQS needs 1 MiB). */
const MAX_BUFFERED_BODY = 64 * 1024 * 1024;

export type AdminHandler = (req: EdgeRequest, path: string, query: URLSearchParams) => Promise<EdgeReply>;

export interface EdgeOptions {
  services: Service[];
  ids: IdGenerator;
  store: Store;
  admin: AdminHandler;
  defaults: { region?: string; accountId?: string };
  /** Claims requests before any other routing, whatever their signature (API Gateway invoke URLs). */
  intercept?(req: EdgeRequest, path: string): Promise<EdgeReply> | undefined;
}

export class Edge {
  private readonly transport = new HttpTransport((req) => this.dispatch(req));
  private readonly bySigning = new Map<string, Service>();
  private readonly byTarget = new Map<string, RpcService>();
  private readonly rpc: RpcService[] = [];
  private readonly rest: RestService[] = [];

  constructor(private readonly opts: EdgeOptions) {
    for (const s of opts.services) {
      this.bySigning.set(s.signingName, s);
      if (isRest(s)) this.rest.push(s);
      else {
        this.rpc.push(s);
        this.byTarget.set(s.targetPrefix, s);
      }
    }
  }

  listen(port: number, host: string): Promise<AddressInfo> {
    return this.transport.listen(port, host);
  }

  close(): Promise<void> {
    return this.transport.close();
  }

  async dispatch(incoming: EdgeRequest): Promise<EdgeReply> {
    let req = incoming;
    const q = req.url.indexOf('?');
    const path = q < 0 ? req.url : req.url.slice(0, q);
    const search = q < 0 ? undefined : new URLSearchParams(req.url.slice(q + 1));
    const intercepted = this.opts.intercept?.(req, path);
    if (intercepted) return intercepted;
    let reply: EdgeReply;
    try {
      const cred = readCredential(req.headers.authorization, search);
      const admin = path.startsWith('/_local-cloud/');
      const rest = admin ? undefined : this.restService(req, cred?.service, path, search);
      if (req.stream && !rest?.streamsBodies) {
        const body = await readBody(req.stream, MAX_BUFFERED_BODY);
        if (!body) return { status: 413, headers: {}, body: '' };
        req = { ...req, body, stream: undefined };
      }
      if (admin) return this.opts.admin(req, path, search ?? new URLSearchParams());
      reply = rest
        ? await rest.handle(req, {
            scope: scopeOf(cred, this.opts.defaults),
            principal: cred?.accessKeyId ?? 'anonymous',
            requestId: this.opts.ids.uuid(),
            host: req.headers.host ?? '127.0.0.1',
            scheme: 'http',
            path,
            query: search ?? new URLSearchParams(),
            get signal() {
              return req.signal();
            },
          })
        : await this.rpcRequest(req, path, search);
    } catch (err) {
      console.error('[local-cloud] request failed:', err);
      reply = { status: 500, headers: { 'content-type': 'application/json' }, body: '{"message":"Internal error"}' };
    }
    return new Promise((resolve) => {
      this.opts.store.afterCommit((err) => {
        if (!err) return resolve(reply);
        console.error('[local-cloud] storage commit failed:', err);
        resolve({
          status: 500,
          headers: { 'content-type': 'application/json' },
          body: '{"message":"storage failure"}',
        });
      });
    });
  }

  /** The REST service for a request: by signing name, by path, or (unsigned, not RPC-shaped) the fallback. */
  private restService(
    req: EdgeRequest,
    signing: string | undefined,
    path: string,
    search: URLSearchParams | undefined,
  ): RestService | undefined {
    const signed = signing ? this.bySigning.get(signing) : undefined;
    if (signed) return isRest(signed) ? signed : undefined;
    const owner = this.rest.find((s) => s.ownsPath?.(path));
    if (owner) return owner;
    const type = req.headers['content-type'] ?? '';
    const rpcShaped =
      req.headers['x-amz-target'] !== undefined ||
      type.startsWith('application/x-amz-json') ||
      type.includes('x-www-form-urlencoded') ||
      search?.has('Action');
    return rpcShaped || signing ? undefined : this.rest.find((s) => s.fallback);
  }

  private rpcRequest(
    req: EdgeRequest,
    path: string,
    search: URLSearchParams | undefined,
  ): Promise<EdgeReply> | EdgeReply {
    const cred = readCredential(req.headers.authorization, search);
    const contentType = req.headers['content-type'] ?? '';
    const target = req.headers['x-amz-target'];
    const isJson =
      contentType.startsWith('application/x-amz-json') || (target !== undefined && !contentType.includes('form'));
    const requestId = this.opts.ids.uuid();
    const body = req.body.toString('utf8');
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
    const ctx: RequestContext = {
      scope: scopeOf(cred, this.opts.defaults),
      principal: cred?.accessKeyId ?? 'anonymous',
      requestId,
      host: req.headers.host ?? '127.0.0.1',
      scheme: 'http',
      path,
      protocol,
      get signal() {
        return req.signal();
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
    if (bySig && !isRest(bySig)) return bySig;
    if (target) return this.byTarget.get(target.slice(0, target.indexOf('.')));
    if (params?.has('Action')) {
      const action = params.get('Action') as string;
      for (const s of this.rpc) if (s.ownsPath?.(path)) return s;
      for (const s of this.rpc) if (Object.hasOwn(s.operations, action)) return s;
    }
    return undefined;
  }
}

function jsonOperation(target: string | undefined, svc: RpcService): string | undefined {
  if (!target) return undefined;
  const dot = target.indexOf('.');
  return target.slice(0, dot) === svc.targetPrefix ? target.slice(dot + 1) : undefined;
}
