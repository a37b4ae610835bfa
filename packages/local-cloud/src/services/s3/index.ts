import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../core/clock.js';
import { type EdgeReply, type EdgeRequest, readBody } from '../../core/http.js';
import type { IdGenerator } from '../../core/ids.js';
import type { RestContext, RestService } from '../../core/service.js';
import type { Store } from '../../core/storage.js';
import {
  AwsError,
  InternalError,
  MaxMessageLengthExceeded,
  MethodNotAllowed,
  NotImplemented,
  s3Error,
} from './errors.js';
import { S3Model } from './model/model.js';
import { bucketOperations } from './operations/buckets.js';
import type { S3Env, S3Op, S3Request } from './operations/common.js';
import { listOperations } from './operations/list.js';
import { multipartOperations } from './operations/multipart.js';
import { type NotificationSink, type Notifier, notificationOperations } from './operations/notifications.js';
import { objectOperations } from './operations/objects.js';
import { checkPresigned } from './presigned.js';

export type { NotificationSink } from './operations/notifications.js';

export interface S3Options {
  clock: Clock;
  ids: IdGenerator;
  store: Store;
  /** Where object bytes live. Omitted: a temp dir, removed on close. */
  dir?: string;
}

export type S3Service = RestService & {
  model: S3Model;
  /** Sets where event notifications go (the wiring); without it every destination is invalid. */
  connect(sink: NotificationSink): void;
};

/**
 * The bucket named by the Host header (`<bucket>.s3.localhost[:port]`, `<bucket>.localhost`,
 * `<bucket>.s3.<region>.amazonaws.com`), or undefined for path-style requests.
 */
export function virtualHostBucket(host: string): string | undefined {
  const name = host.replace(/:\d+$/, '').toLowerCase();
  const m =
    /^(.+)\.s3(?:[.-][a-z0-9-]+)?\.localhost$/.exec(name) ??
    /^(.+)\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com$/.exec(name) ??
    /^(.+)\.localhost$/.exec(name);
  if (!m) return undefined;
  const bucket = m[1] as string;
  return bucket === 's3' ? undefined : bucket;
}

/** Request documents (XML) are read whole up to this size. */
const MAX_DOCUMENT = 20 * 1024 * 1024;

const LIST_PARAMS = new Set([
  'prefix',
  'delimiter',
  'marker',
  'max-keys',
  'encoding-type',
  'list-type',
  'continuation-token',
  'start-after',
  'fetch-owner',
  'optional-object-attributes',
]);

/** Query parameters that name a sub-resource or a listing option (x-id and presigning parameters left out). */
function queryKeys(q: URLSearchParams): string[] {
  return [...q.keys()].filter((k) => k !== 'x-id' && !k.toLowerCase().startsWith('x-amz-'));
}

/** Chooses the operation from method, bucket/key presence, sub-resource query parameters and headers. */
export function s3Operation(
  method: string,
  bucket: string | undefined,
  key: string | undefined,
  q: URLSearchParams,
  headers: Record<string, string | undefined>,
): string | undefined {
  if (bucket === undefined) return method === 'GET' ? 'ListBuckets' : undefined;
  if (key === undefined || key === '') {
    switch (method) {
      case 'PUT':
        if (q.has('tagging')) return 'PutBucketTagging';
        if (q.has('policy')) return 'PutBucketPolicy';
        if (q.has('notification')) return 'PutBucketNotificationConfiguration';
        if (queryKeys(q).length > 0) return undefined;
        return 'CreateBucket';
      case 'GET':
        if (q.has('location')) return 'GetBucketLocation';
        if (q.has('tagging')) return 'GetBucketTagging';
        if (q.has('policy')) return 'GetBucketPolicy';
        if (q.has('notification')) return 'GetBucketNotificationConfiguration';
        if (q.has('uploads')) return 'ListMultipartUploads';
        if (queryKeys(q).some((k) => !LIST_PARAMS.has(k))) return undefined;
        if (q.get('list-type') === '2') return 'ListObjectsV2';
        return 'ListObjects';
      case 'HEAD':
        return 'HeadBucket';
      case 'DELETE':
        if (q.has('tagging')) return 'DeleteBucketTagging';
        if (q.has('policy')) return 'DeleteBucketPolicy';
        if (queryKeys(q).length > 0) return undefined;
        return 'DeleteBucket';
      case 'POST':
        if (q.has('delete')) return 'DeleteObjects';
        return undefined;
    }
    return undefined;
  }
  switch (method) {
    case 'PUT':
      if (q.has('uploadId') && q.has('partNumber')) return headers['x-amz-copy-source'] ? undefined : 'UploadPart';
      if (q.has('tagging') || q.has('acl') || q.has('retention') || q.has('legal-hold')) return undefined;
      return headers['x-amz-copy-source'] ? 'CopyObject' : 'PutObject';
    case 'GET':
      if (q.has('uploadId')) return 'ListParts';
      if (q.has('tagging') || q.has('acl') || q.has('attributes') || q.has('torrent')) return undefined;
      return 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    case 'DELETE':
      if (q.has('uploadId')) return 'AbortMultipartUpload';
      if (q.has('tagging')) return undefined;
      return 'DeleteObject';
    case 'POST':
      if (q.has('uploads')) return 'CreateMultipartUpload';
      if (q.has('uploadId')) return 'CompleteMultipartUpload';
      return undefined;
  }
  return undefined;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Amazon S3 over restXml: path-style and virtual-host-style addressing, objects kept as files. */
export function createS3Service(opts: S3Options): S3Service {
  const temp = opts.dir === undefined;
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'local-cloud-s3-'));
  const model = new S3Model(opts.store, dir, opts.clock, opts.ids);
  model.load();
  const notifier: Notifier = { sequence: 0n };
  const env: S3Env = { model, now: () => opts.clock.now(), notifier };
  const ops: Record<string, S3Op> = {
    ...bucketOperations(env),
    ...objectOperations(env),
    ...listOperations(env),
    ...multipartOperations(env),
    ...notificationOperations(env),
  };

  return {
    name: 's3',
    signingName: 's3',
    fallback: true,
    streamsBodies: true,
    model,
    connect(sink) {
      notifier.sink = sink;
    },
    async handle(req: EdgeRequest, ctx: RestContext): Promise<EdgeReply> {
      const hostId = Buffer.from(opts.ids.hex(24), 'hex').toString('base64');
      let bucket = virtualHostBucket(ctx.host);
      let key: string | undefined;
      if (bucket !== undefined) {
        key = ctx.path.length > 1 ? decode(ctx.path.slice(1)) : undefined;
      } else {
        const rest = ctx.path.slice(1);
        const slash = rest.indexOf('/');
        if (rest !== '') {
          bucket = decode(slash < 0 ? rest : rest.slice(0, slash));
          key = slash < 0 ? undefined : decode(rest.slice(slash + 1));
        }
      }
      const s3req: S3Request = {
        method: req.method,
        bucket,
        key,
        query: ctx.query,
        headers: req.headers,
        body: req.body,
        ...(req.stream ? { stream: req.stream } : {}),
        ctx,
        hostId,
      };
      try {
        checkPresigned(ctx.query, opts.clock.now());
        const opName = s3Operation(req.method, bucket, key, ctx.query, req.headers);
        const op = opName ? ops[opName] : undefined;
        if (!op) {
          if (!['GET', 'PUT', 'POST', 'DELETE', 'HEAD'].includes(req.method)) {
            const e = new MethodNotAllowed('The specified method is not allowed against this resource.');
            e.extra.Method = req.method;
            throw e;
          }
          throw new NotImplemented('A header or query you provided implies functionality that is not implemented.');
        }
        if (s3req.stream && opName !== 'PutObject' && opName !== 'UploadPart') {
          // Only object bytes stream to disk; XML documents (DeleteObjects, Complete...) are read whole.
          const body = await readBody(s3req.stream, MAX_DOCUMENT);
          if (!body) throw new MaxMessageLengthExceeded('Your request was too big.');
          s3req.body = body;
          s3req.stream = undefined;
        }
        return await op(s3req);
      } catch (err) {
        if (err instanceof AwsError) return s3Error(err, ctx.requestId, hostId);
        console.error('[local-cloud] s3 error:', err);
        return s3Error(new InternalError('We encountered an internal error. Please try again.'), ctx.requestId, hostId);
      }
    },
    reset() {
      model.reset();
    },
    close() {
      if (temp) rmSync(dir, { recursive: true, force: true });
    },
  };
}
