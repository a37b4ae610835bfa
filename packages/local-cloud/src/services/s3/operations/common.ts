import type { Readable } from 'node:stream';
import type { EdgeReply } from '../../../core/http.js';
import type { RestContext } from '../../../core/service.js';
import { escapeXml } from '../../../protocols/xml.js';
import { MalformedXML, noSuchBucket } from '../errors.js';
import type { BucketRecord, S3Model } from '../model/model.js';
import type { Notifier } from './notifications.js';

export const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** One S3 request after bucket/key addressing (path or virtual-host style) is resolved. */
export interface S3Request {
  method: string;
  bucket: string | undefined;
  key: string | undefined;
  query: URLSearchParams;
  headers: Record<string, string | undefined>;
  body: Buffer;
  /** The unread body of a large or chunked request (then `body` is empty). */
  stream?: Readable;
  ctx: RestContext;
  hostId: string;
}

export type S3Op = (req: S3Request) => EdgeReply | Promise<EdgeReply>;

export interface S3Env {
  model: S3Model;
  now(): number;
  notifier: Notifier;
}

export function baseHeaders(req: S3Request): Record<string, string> {
  return { 'x-amz-request-id': req.ctx.requestId, 'x-amz-id-2': req.hostId };
}

export function reply(
  req: S3Request,
  status: number,
  headers: Record<string, string> = {},
  body: string | Buffer = '',
) {
  return { status, headers: { ...baseHeaders(req), ...headers }, body };
}

/** An XML document `<root xmlns=...>inner</root>`. */
export function xmlReply(req: S3Request, root: string, inner: string, headers: Record<string, string> = {}): EdgeReply {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="${S3_NS}">${inner}</${root}>`;
  return reply(req, 200, { 'content-type': 'application/xml', ...headers }, body);
}

export function el(name: string, value: string | number | boolean | undefined): string {
  if (value === undefined) return '';
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function requireBucket(env: S3Env, req: S3Request): BucketRecord {
  const b = req.bucket === undefined ? undefined : env.model.bucket(req.bucket);
  if (!b) throw noSuchBucket(req.bucket ?? '');
  return b;
}

export function owner(req: S3Request): string {
  return `<Owner><ID>${req.ctx.scope.accountId}</ID><DisplayName>local-cloud</DisplayName></Owner>`;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(Number.parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(Number.parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? m;
  });
}

/** The (unescaped) texts of every `<name>...</name>` element in xml. */
export function xmlAll(xml: string, name: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<${name}(?:\\s[^>]*)?>([\\s\\S]*?)</${name}>`, 'g');
  for (let m = re.exec(xml); m; m = re.exec(xml)) out.push(m[1] as string);
  return out;
}

export function xmlText(xml: string, name: string): string | undefined {
  const v = xmlAll(xml, name)[0];
  return v === undefined ? undefined : unescapeXml(v);
}

export function requireXml(body: Buffer, root: string): string {
  const xml = body.toString('utf8');
  if (!xml.includes(`<${root}`)) {
    throw new MalformedXML('The XML you provided was not well-formed or did not validate against our published schema');
  }
  return xml;
}
