import { InvalidArgument } from '../errors.js';
import type { ObjectRecord } from '../model/model.js';
import { el, iso, owner, requireBucket, type S3Env, type S3Op, type S3Request, xmlReply } from './common.js';

interface Page {
  objects: ObjectRecord[];
  prefixes: string[];
  truncated: boolean;
  /** The last key or common prefix returned. */
  last: string | undefined;
}

/** Walks keys after `after` (exclusive) in order, rolling keys up into common prefixes by delimiter. */
function listPage(env: S3Env, bucket: string, prefix: string, delimiter: string, after: string, max: number): Page {
  const page: Page = { objects: [], prefixes: [], truncated: false, last: undefined };
  const afterIsPrefix = delimiter !== '' && after.endsWith(delimiter);
  for (const key of env.model.sortedKeys(bucket)) {
    if (!key.startsWith(prefix)) continue;
    if (after && (key <= after || (afterIsPrefix && key.startsWith(after)))) continue;
    let item: string = key;
    let isPrefix = false;
    if (delimiter) {
      const i = key.indexOf(delimiter, prefix.length);
      if (i >= 0) {
        item = key.slice(0, i + delimiter.length);
        isPrefix = true;
        if (page.prefixes[page.prefixes.length - 1] === item) continue;
      }
    }
    if (page.objects.length + page.prefixes.length >= max) {
      page.truncated = true;
      break;
    }
    if (isPrefix) page.prefixes.push(item);
    else page.objects.push(env.model.object(bucket, key) as ObjectRecord);
    page.last = item;
  }
  return page;
}

function maxKeys(req: S3Request): number {
  const v = req.query.get('max-keys');
  if (v === null) return 1000;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0)
    throw new InvalidArgument('Provided max-keys not an integer or within integer range');
  return Math.min(n, 1000);
}

function contents(req: S3Request, page: Page, enc: (s: string) => string, withOwner: boolean): string {
  let out = '';
  for (const o of page.objects) {
    out +=
      `<Contents>${el('Key', enc(o.key))}${el('LastModified', iso(o.lastModified))}${el('ETag', o.etag)}` +
      `${Object.keys(o.checksums)
        .map((a) => el('ChecksumAlgorithm', a.toUpperCase()))
        .join('')}` +
      `${el('Size', o.size)}${withOwner ? owner(req) : ''}${el('StorageClass', 'STANDARD')}</Contents>`;
  }
  for (const p of page.prefixes) out += `<CommonPrefixes>${el('Prefix', enc(p))}</CommonPrefixes>`;
  return out;
}

function encoder(req: S3Request): { enc: (s: string) => string; type: string | undefined } {
  const type = req.query.get('encoding-type') ?? undefined;
  if (type !== undefined && type !== 'url') throw new InvalidArgument('Invalid Encoding Method specified in Request');
  return {
    type,
    enc: type === 'url' ? (s) => encodeURIComponent(s).replace(/%2F/g, '/') : (s) => s,
  };
}

export function listOperations(env: S3Env): Record<string, S3Op> {
  return {
    ListObjectsV2(req) {
      const b = requireBucket(env, req);
      const prefix = req.query.get('prefix') ?? '';
      const delimiter = req.query.get('delimiter') ?? '';
      const token = req.query.get('continuation-token');
      const startAfter = req.query.get('start-after') ?? '';
      let after = startAfter;
      if (token !== null) {
        after = Buffer.from(token, 'base64').toString('utf8');
        if (!token) throw new InvalidArgument('The continuation token provided is incorrect');
      }
      const max = maxKeys(req);
      const { enc, type } = encoder(req);
      const page = listPage(env, b.name, prefix, delimiter, after, max);
      const inner =
        `${el('Name', b.name)}${el('Prefix', enc(prefix))}${delimiter ? el('Delimiter', enc(delimiter)) : ''}` +
        `${el('MaxKeys', max)}${type ? el('EncodingType', type) : ''}${el('KeyCount', page.objects.length + page.prefixes.length)}` +
        `${el('IsTruncated', page.truncated)}${token !== null ? el('ContinuationToken', token) : ''}` +
        `${page.truncated && page.last !== undefined ? el('NextContinuationToken', Buffer.from(page.last).toString('base64')) : ''}` +
        `${startAfter ? el('StartAfter', enc(startAfter)) : ''}${contents(req, page, enc, req.query.get('fetch-owner') === 'true')}`;
      return xmlReply(req, 'ListBucketResult', inner);
    },

    ListObjects(req) {
      const b = requireBucket(env, req);
      const prefix = req.query.get('prefix') ?? '';
      const delimiter = req.query.get('delimiter') ?? '';
      const marker = req.query.get('marker') ?? '';
      const max = maxKeys(req);
      const { enc, type } = encoder(req);
      const page = listPage(env, b.name, prefix, delimiter, marker, max);
      const inner =
        `${el('Name', b.name)}${el('Prefix', enc(prefix))}${el('Marker', enc(marker))}${el('MaxKeys', max)}` +
        `${delimiter ? el('Delimiter', enc(delimiter)) : ''}${type ? el('EncodingType', type) : ''}${el('IsTruncated', page.truncated)}` +
        `${page.truncated && delimiter && page.last !== undefined ? el('NextMarker', enc(page.last)) : ''}` +
        contents(req, page, enc, true);
      return xmlReply(req, 'ListBucketResult', inner);
    },
  };
}
