import { createHash } from 'node:crypto';
import {
  EntityTooSmall,
  InvalidArgument,
  InvalidPart,
  InvalidPartOrder,
  MalformedXML,
  noSuchUpload,
} from '../errors.js';
import type { ObjectRecord, UploadRecord } from '../model/model.js';
import {
  el,
  iso,
  owner,
  reply,
  requireBucket,
  requireXml,
  type S3Env,
  type S3Op,
  type S3Request,
  xmlAll,
  xmlReply,
  xmlText,
} from './common.js';
import { emitObjectEvent } from './notifications.js';
import { objectHeaders } from './objects.js';
import { storePayload } from './payload.js';

const MIN_PART = 5 * 1024 * 1024;

export function multipartOperations(env: S3Env): Record<string, S3Op> {
  const { model } = env;

  const findUpload = (req: S3Request): UploadRecord => {
    requireBucket(env, req);
    const id = req.query.get('uploadId') ?? '';
    const u = model.upload(id);
    if (!u || u.bucket !== req.bucket || u.key !== req.key) throw noSuchUpload(id);
    return u;
  };

  return {
    CreateMultipartUpload(req) {
      const b = requireBucket(env, req);
      const { headers, meta } = objectHeaders(req.headers);
      const id = `${model.ids.hex(16)}${model.ids.hex(16)}`;
      model.saveUpload({ id, bucket: b.name, key: req.key as string, initiated: env.now(), headers, meta, parts: {} });
      return xmlReply(
        req,
        'InitiateMultipartUploadResult',
        `${el('Bucket', b.name)}${el('Key', req.key)}${el('UploadId', id)}`,
      );
    },

    async UploadPart(req) {
      const u = findUpload(req);
      const n = Number(req.query.get('partNumber'));
      if (!Number.isInteger(n) || n < 1 || n > 10000) {
        throw new InvalidArgument('Part number must be an integer between 1 and 10000, inclusive');
      }
      const stored = await storePayload(req, model, { inline: false });
      if (model.upload(u.id) !== u) {
        model.discardFile(stored.file as string);
        throw noSuchUpload(u.id);
      }
      const etag = `"${stored.md5}"`;
      model.putPart(u, { number: n, etag, size: stored.size, lastModified: env.now(), file: stored.file as string });
      const out: Record<string, string> = { etag };
      for (const [a, v] of Object.entries(stored.checksums)) out[`x-amz-checksum-${a}`] = v;
      return reply(req, 200, out);
    },

    async CompleteMultipartUpload(req) {
      const u = findUpload(req);
      const xml = requireXml(req.body, 'CompleteMultipartUpload');
      const wanted = xmlAll(xml, 'Part').map((p) => ({
        number: Number(xmlText(p, 'PartNumber')),
        etag: (xmlText(p, 'ETag') ?? '').trim(),
      }));
      if (wanted.length === 0) {
        throw new MalformedXML(
          'The XML you provided was not well-formed or did not validate against our published schema',
        );
      }
      const files: string[] = [];
      let size = 0;
      const md5s: Buffer[] = [];
      let prev = 0;
      wanted.forEach((w, i) => {
        if (w.number <= prev)
          throw new InvalidPartOrder(
            'The list of parts was not in ascending order. Parts must be ordered by part number.',
          );
        prev = w.number;
        const part = u.parts[String(w.number)];
        const etag = w.etag.startsWith('"') ? w.etag : `"${w.etag}"`;
        if (!part || part.etag !== etag) {
          const e = new InvalidPart(
            "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.",
          );
          e.extra.UploadId = u.id;
          e.extra.PartNumber = w.number;
          e.extra.ETag = w.etag;
          throw e;
        }
        if (i < wanted.length - 1 && part.size < MIN_PART) {
          const e = new EntityTooSmall('Your proposed upload is smaller than the minimum allowed size');
          e.extra.ProposedSize = part.size;
          e.extra.MinSizeAllowed = MIN_PART;
          e.extra.PartNumber = w.number;
          e.extra.ETag = part.etag;
          throw e;
        }
        files.push(part.file);
        size += part.size;
        md5s.push(Buffer.from(part.etag.slice(1, -1), 'hex'));
      });
      const file = model.newFile();
      await model.concat(files, file);
      // Aborted (or completed by another request) while the parts were being joined.
      if (model.upload(u.id) !== u) {
        model.discardFile(file);
        throw noSuchUpload(u.id);
      }
      const etag = `"${createHash('md5').update(Buffer.concat(md5s)).digest('hex')}-${wanted.length}"`;
      const o: ObjectRecord = {
        bucket: u.bucket,
        key: u.key,
        size,
        etag,
        lastModified: env.now(),
        headers: u.headers,
        meta: u.meta,
        checksums: {},
        file,
      };
      model.putObject(o);
      model.abortUpload(u.id);
      const bucket = model.bucket(u.bucket);
      if (bucket) {
        const ev = { eventName: 'ObjectCreated:CompleteMultipartUpload', key: u.key, size: o.size, etag } as const;
        emitObjectEvent(env, req, bucket, ev);
      }
      const location = `${req.ctx.scheme}://${req.ctx.host}/${u.bucket}/${encodeURI(u.key)}`;
      return xmlReply(
        req,
        'CompleteMultipartUploadResult',
        `${el('Location', location)}${el('Bucket', u.bucket)}${el('Key', u.key)}${el('ETag', etag)}`,
      );
    },

    AbortMultipartUpload(req) {
      const u = findUpload(req);
      model.abortUpload(u.id);
      return reply(req, 204);
    },

    ListMultipartUploads(req) {
      const b = requireBucket(env, req);
      const prefix = req.query.get('prefix') ?? '';
      const uploads = model.uploadsOf(b.name).filter((u) => u.key.startsWith(prefix));
      const items = uploads
        .map(
          (u) =>
            `<Upload>${el('Key', u.key)}${el('UploadId', u.id)}${owner(req).replace(/Owner>/g, 'Initiator>')}${owner(req)}` +
            `${el('StorageClass', 'STANDARD')}${el('Initiated', iso(u.initiated))}</Upload>`,
        )
        .join('');
      return xmlReply(
        req,
        'ListMultipartUploadsResult',
        `${el('Bucket', b.name)}<KeyMarker></KeyMarker><UploadIdMarker></UploadIdMarker>${el('Prefix', prefix)}` +
          `${el('MaxUploads', 1000)}${el('IsTruncated', false)}${items}`,
      );
    },

    ListParts(req) {
      const u = findUpload(req);
      const marker = Number(req.query.get('part-number-marker') ?? '0');
      const max = Math.min(Number(req.query.get('max-parts') ?? '1000'), 1000);
      const parts = Object.values(u.parts)
        .sort((a, b) => a.number - b.number)
        .filter((p) => p.number > marker);
      const page = parts.slice(0, max);
      const truncated = parts.length > page.length;
      const items = page
        .map(
          (p) =>
            `<Part>${el('PartNumber', p.number)}${el('LastModified', iso(p.lastModified))}${el('ETag', p.etag)}${el('Size', p.size)}</Part>`,
        )
        .join('');
      return xmlReply(
        req,
        'ListPartsResult',
        `${el('Bucket', u.bucket)}${el('Key', u.key)}${el('UploadId', u.id)}${el('PartNumberMarker', marker)}` +
          `${truncated ? el('NextPartNumberMarker', page[page.length - 1]?.number) : ''}${el('MaxParts', max)}` +
          `${el('IsTruncated', truncated)}${items}${owner(req).replace(/Owner>/g, 'Initiator>')}${owner(req)}${el('StorageClass', 'STANDARD')}`,
      );
    },
  };
}
