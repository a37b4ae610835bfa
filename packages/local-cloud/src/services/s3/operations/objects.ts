import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import {
  InvalidArgument,
  InvalidRange,
  InvalidRequest,
  noSuchBucket,
  noSuchKey,
  PreconditionFailed,
} from '../errors.js';
import type { ObjectRecord } from '../model/model.js';
import {
  el,
  iso,
  reply,
  requireBucket,
  requireXml,
  type S3Env,
  type S3Op,
  type S3Request,
  unescapeXml,
  xmlAll,
  xmlReply,
} from './common.js';
import { emitObjectEvent } from './notifications.js';
import { storePayload } from './payload.js';

/** Objects up to this size are read whole; larger ones are streamed from their file. */
const INLINE_READ = 1024 * 1024;

/** Headers stored with an object and returned on GET/HEAD. */
const STORED_HEADERS = [
  'content-type',
  'content-disposition',
  'content-encoding',
  'content-language',
  'cache-control',
  'expires',
];

/** Content-* headers and x-amz-meta-* of a request, as stored with an object. */
export function objectHeaders(headers: Record<string, string | undefined>): {
  headers: Record<string, string>;
  meta: Record<string, string>;
} {
  const out: Record<string, string> = {};
  const meta: Record<string, string> = {};
  for (const h of STORED_HEADERS) {
    let v = headers[h];
    if (v === undefined) continue;
    if (h === 'content-encoding') {
      v = v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s && s !== 'aws-chunked')
        .join(', ');
      if (!v) continue;
    }
    out[h] = v;
  }
  for (const [k, v] of Object.entries(headers)) {
    if (k.startsWith('x-amz-meta-') && v !== undefined) meta[k.slice('x-amz-meta-'.length)] = v;
  }
  return { headers: out, meta };
}

function objectReplyHeaders(o: ObjectRecord, withChecksums: boolean): Record<string, string> {
  const h: Record<string, string> = {
    etag: o.etag,
    'last-modified': new Date(o.lastModified).toUTCString(),
    'accept-ranges': 'bytes',
    'content-type': 'binary/octet-stream',
    ...o.headers,
  };
  for (const [k, v] of Object.entries(o.meta)) h[`x-amz-meta-${k}`] = v;
  if (withChecksums) for (const [alg, v] of Object.entries(o.checksums)) h[`x-amz-checksum-${alg}`] = v;
  return h;
}

function etagMatches(header: string, etag: string): boolean {
  return header.split(',').some((t) => {
    const s = t.trim();
    return s === '*' || s === etag || `"${s}"` === etag;
  });
}

/** 304/412 per RFC 7232 as S3 applies it (If-Match beats If-Unmodified-Since, If-None-Match beats If-Modified-Since). */
function checkConditions(req: S3Request, o: ObjectRecord): 'not-modified' | undefined {
  const h = req.headers;
  const modifiedSec = Math.floor(o.lastModified / 1000) * 1000;
  const ifMatch = h['if-match'];
  const ius = h['if-unmodified-since'];
  if (ifMatch !== undefined) {
    if (!etagMatches(ifMatch, o.etag)) throw preconditionFailed('If-Match');
  } else if (ius !== undefined) {
    const t = Date.parse(ius);
    if (!Number.isNaN(t) && modifiedSec > t) throw preconditionFailed('If-Unmodified-Since');
  }
  const inm = h['if-none-match'];
  const ims = h['if-modified-since'];
  if (inm !== undefined) {
    if (etagMatches(inm, o.etag)) return 'not-modified';
  } else if (ims !== undefined) {
    const t = Date.parse(ims);
    if (!Number.isNaN(t) && modifiedSec <= t) return 'not-modified';
  }
  return undefined;
}

/** Conditional writes: `If-None-Match: *` (create only) and `If-Match: <etag>` (replace only that version). */
function checkWriteConditions(req: S3Request, existing: ObjectRecord | undefined): void {
  const inm = req.headers['if-none-match'];
  if (inm !== undefined && existing) throw preconditionFailed('If-None-Match');
  const im = req.headers['if-match'];
  if (im !== undefined) {
    if (!existing) throw noSuchKey(req.key as string);
    if (!etagMatches(im, existing.etag)) throw preconditionFailed('If-Match');
  }
}

function preconditionFailed(condition: string) {
  const e = new PreconditionFailed('At least one of the pre-conditions you specified did not hold');
  e.extra.Condition = condition;
  return e;
}

/** Parses `bytes=a-b`, `bytes=a-`, `bytes=-n`; undefined when the header is absent or not understood. */
function parseRange(header: string | undefined, size: number): [number, number] | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0) throw invalidRange(size);
    start = Math.max(0, size - n);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
    if (m[2] !== '' && Number(m[2]) < start) return undefined;
  }
  if (start >= size) throw invalidRange(size);
  return [start, end];
}

function invalidRange(size: number) {
  const e = new InvalidRange('The requested range is not satisfiable');
  e.extra.RangeRequested = '';
  e.extra.ActualObjectSize = size;
  return e;
}

export function objectOperations(env: S3Env): Record<string, S3Op> {
  const { model } = env;

  const find = (req: S3Request): ObjectRecord => {
    requireBucket(env, req);
    const o = model.object(req.bucket as string, req.key as string);
    if (!o) throw noSuchKey(req.key as string);
    return o;
  };

  const getOrHead = (req: S3Request, head: boolean) => {
    let o: ObjectRecord;
    try {
      o = find(req);
    } catch (e) {
      // HEAD errors have no body; S3 still sends the status.
      if (head && e instanceof Error && 'status' in e) return reply(req, (e as unknown as { status: number }).status);
      throw e;
    }
    if (checkConditions(req, o) === 'not-modified') {
      return reply(req, 304, { etag: o.etag, 'last-modified': new Date(o.lastModified).toUTCString() });
    }
    const range = parseRange(req.headers.range, o.size);
    const wantChecksums = req.headers['x-amz-checksum-mode'] === 'ENABLED' && !range;
    const headers = objectReplyHeaders(o, wantChecksums);
    for (const [q, h] of [
      ['response-content-type', 'content-type'],
      ['response-content-disposition', 'content-disposition'],
      ['response-content-encoding', 'content-encoding'],
      ['response-content-language', 'content-language'],
      ['response-cache-control', 'cache-control'],
      ['response-expires', 'expires'],
    ] as const) {
      const v = req.query.get(q);
      if (v !== null) headers[h] = v;
    }
    const [start, end] = range ?? [0, o.size - 1];
    if (range) headers['content-range'] = `bytes ${start}-${end}/${o.size}`;
    const status = range ? 206 : 200;
    const length = end - start + 1;
    // HEAD goes the stream way too: the transport sends its length and never opens it.
    if (!head && length <= INLINE_READ) {
      const data = model.readObject(o);
      return reply(req, status, headers, range ? data.subarray(start, end + 1) : data);
    }
    const open = () =>
      o.file === undefined
        ? Readable.from([model.readObject(o).subarray(start, end + 1)])
        : createReadStream(model.path(o.file), { start, end });
    return { ...reply(req, status, headers), stream: { length, open } };
  };

  return {
    async PutObject(req) {
      const bucket = requireBucket(env, req);
      checkWriteConditions(req, model.object(req.bucket as string, req.key as string));
      const { headers, meta } = objectHeaders(req.headers);
      const stored = await storePayload(req, model, { inline: true });
      const o: ObjectRecord = {
        bucket: req.bucket as string,
        key: req.key as string,
        size: stored.size,
        etag: `"${stored.md5}"`,
        lastModified: env.now(),
        headers,
        meta,
        checksums: stored.checksums,
        ...(stored.file !== undefined ? { file: stored.file } : { inline: stored.inline }),
      };
      if (!model.bucket(o.bucket)) {
        if (o.file) model.discardFile(o.file);
        throw noSuchBucket(o.bucket);
      }
      model.putObject(o);
      emitObjectEvent(env, req, bucket, { eventName: 'ObjectCreated:Put', key: o.key, size: o.size, etag: o.etag });
      const out: Record<string, string> = { etag: o.etag };
      for (const [a, v] of Object.entries(stored.checksums)) out[`x-amz-checksum-${a}`] = v;
      return reply(req, 200, out);
    },

    GetObject: (req) => getOrHead(req, false),
    HeadObject: (req) => getOrHead(req, true),

    DeleteObject(req) {
      const bucket = requireBucket(env, req);
      if (model.deleteObject(bucket.name, req.key as string)) {
        emitObjectEvent(env, req, bucket, { eventName: 'ObjectRemoved:Delete', key: req.key as string });
      }
      return reply(req, 204);
    },

    DeleteObjects(req) {
      const b = requireBucket(env, req);
      const xml = requireXml(req.body, 'Delete');
      const quiet = /<Quiet>\s*true\s*<\/Quiet>/i.test(xml);
      const keys = xmlAll(xml, 'Object').map((o) => unescapeXml(xmlAll(o, 'Key')[0] ?? ''));
      if (keys.length > 1000) throw new InvalidArgument('The request must contain no more than 1000 keys');
      let inner = '';
      for (const key of keys) {
        if (model.deleteObject(b.name, key)) emitObjectEvent(env, req, b, { eventName: 'ObjectRemoved:Delete', key });
        if (!quiet) inner += `<Deleted>${el('Key', key)}</Deleted>`;
      }
      return xmlReply(req, 'DeleteResult', inner);
    },

    CopyObject(req) {
      const dest = requireBucket(env, req);
      const raw = req.headers['x-amz-copy-source'] as string;
      let source = raw;
      const q = source.indexOf('?');
      if (q >= 0) source = source.slice(0, q);
      source = decodeURIComponent(source.replace(/^\//, ''));
      const slash = source.indexOf('/');
      if (slash <= 0)
        throw new InvalidArgument('Copy Source must mention the source bucket and key: sourcebucket/sourcekey');
      const srcBucket = source.slice(0, slash);
      const srcKey = source.slice(slash + 1);
      if (!model.bucket(srcBucket)) throw noSuchBucket(srcBucket);
      const src = model.object(srcBucket, srcKey);
      if (!src) throw noSuchKey(srcKey);
      // x-amz-copy-source-if-* preconditions
      const h = req.headers;
      const cond: Record<string, string | undefined> = {
        'if-match': h['x-amz-copy-source-if-match'],
        'if-none-match': h['x-amz-copy-source-if-none-match'],
        'if-modified-since': h['x-amz-copy-source-if-modified-since'],
        'if-unmodified-since': h['x-amz-copy-source-if-unmodified-since'],
      };
      if (checkConditions({ ...req, headers: cond }, src) === 'not-modified')
        throw preconditionFailed('x-amz-copy-source-If-None-Match');
      const replace = (h['x-amz-metadata-directive'] ?? 'COPY').toUpperCase() === 'REPLACE';
      if (srcBucket === dest.name && srcKey === req.key && !replace) {
        throw new InvalidRequest(
          "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
        );
      }
      const fresh = objectHeaders(h);
      const content = model.copyContent(src);
      const o: ObjectRecord = {
        bucket: dest.name,
        key: req.key as string,
        size: src.size,
        etag: src.etag,
        lastModified: env.now(),
        headers: replace ? fresh.headers : { ...src.headers },
        meta: replace ? fresh.meta : { ...src.meta },
        checksums: { ...src.checksums },
        ...content,
      };
      model.putObject(o);
      emitObjectEvent(env, req, dest, { eventName: 'ObjectCreated:Copy', key: o.key, size: o.size, etag: o.etag });
      return xmlReply(req, 'CopyObjectResult', `${el('LastModified', iso(o.lastModified))}${el('ETag', o.etag)}`);
    },
  };
}
