import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import {
  CHECKSUM_ALGORITHMS,
  type ChecksumAlgorithm,
  type Checksummer,
  checksummer,
  isChecksumAlgorithm,
} from '../checksums.js';
import { AwsChunkedDecoder, isAwsChunked } from '../chunked.js';
import { BadDigest } from '../errors.js';
import { INLINE_MAX, type ObjectContent, type S3Model } from '../model/model.js';
import type { S3Request } from './common.js';

/** An upload written to its file (or kept inline when small), with what was computed on the way. */
export type StoredPayload = ObjectContent & {
  size: number;
  md5: string;
  /** algorithm → base64 checksum: the ones the client sent (verified) or asked for. */
  checksums: Record<string, string>;
};

/** Algorithms to compute: those sent as headers, named by x-amz-trailer, or asked for by the SDK. */
function wantedAlgorithms(h: Record<string, string | undefined>): ChecksumAlgorithm[] {
  const out = new Set<ChecksumAlgorithm>();
  for (const alg of CHECKSUM_ALGORITHMS) if (h[`x-amz-checksum-${alg}`] !== undefined) out.add(alg);
  for (const t of (h['x-amz-trailer'] ?? '').split(',')) {
    const alg = t.trim().toLowerCase().replace('x-amz-checksum-', '');
    if (isChecksumAlgorithm(alg)) out.add(alg);
  }
  const asked = (h['x-amz-sdk-checksum-algorithm'] ?? h['x-amz-checksum-algorithm'])?.toLowerCase();
  if (asked && isChecksumAlgorithm(asked)) out.add(asked);
  return [...out];
}

/** Hashes payload pieces as they pass, then checks them against what the client declared. */
class Digests {
  private readonly md5 = createHash('md5');
  private readonly sums: Map<ChecksumAlgorithm, Checksummer>;
  size = 0;

  constructor(private readonly headers: Record<string, string | undefined>) {
    this.sums = new Map(wantedAlgorithms(headers).map((a) => [a, checksummer(a)]));
  }

  update(piece: Buffer): void {
    this.md5.update(piece);
    for (const c of this.sums.values()) c.update(piece);
    this.size += piece.length;
  }

  finish(content: ObjectContent, decoder: AwsChunkedDecoder | undefined): StoredPayload {
    const declared = this.headers['x-amz-decoded-content-length'];
    const trailers = decoder?.end(declared === undefined ? undefined : Number(declared)) ?? {};
    const payload = { ...content, size: this.size, md5: this.md5.digest('hex'), checksums: {} };
    verify(this.headers, trailers, this.sums, payload);
    return payload;
  }
}

/**
 * Receives a PutObject/UploadPart body into a new object file: aws-chunked framing removed, MD5 and
 * flexible checksums computed on the way, then checked against what the client declared. A body
 * the edge streamed is written as it arrives and never held in memory whole.
 */
export async function storePayload(req: S3Request, model: S3Model, opts: { inline: boolean }): Promise<StoredPayload> {
  const digests = new Digests(req.headers);
  if (!req.stream) {
    const pieces: Buffer[] = [];
    const decoder = isAwsChunked(req.headers) ? new AwsChunkedDecoder((p) => pieces.push(p)) : undefined;
    if (decoder) decoder.write(req.body);
    else pieces.push(req.body);
    for (const p of pieces) digests.update(p);
    const data = pieces.length === 1 ? (pieces[0] as Buffer) : Buffer.concat(pieces);
    if (opts.inline && data.length <= INLINE_MAX) return digests.finish({ inline: data.toString('base64') }, decoder);
    const file = model.newFile();
    const payload = digests.finish({ file }, decoder);
    model.writeFile(file, data);
    return payload;
  }
  return streamPayload(req.stream, req.headers, digests, model, model.newFile());
}

async function streamPayload(
  stream: AsyncIterable<unknown>,
  headers: Record<string, string | undefined>,
  digests: Digests,
  model: S3Model,
  file: string,
): Promise<StoredPayload> {
  const out = createWriteStream(model.path(file));
  let full = false;
  const write = (piece: Buffer) => {
    digests.update(piece);
    if (!out.write(piece)) full = true;
  };
  const decoder = isAwsChunked(headers) ? new AwsChunkedDecoder(write) : undefined;
  try {
    for await (const chunk of stream) {
      if (decoder) decoder.write(chunk as Buffer);
      else write(chunk as Buffer);
      if (full) {
        await once(out, 'drain');
        full = false;
      }
    }
    out.end();
    await once(out, 'finish');
    return digests.finish({ file }, decoder);
  } catch (err) {
    out.destroy();
    model.discardFile(file);
    throw err;
  }
}

function verify(
  headers: Record<string, string | undefined>,
  trailers: Record<string, string>,
  sums: Map<ChecksumAlgorithm, Checksummer>,
  payload: StoredPayload,
): void {
  for (const [alg, c] of sums) {
    const actual = c.digest();
    const given = trailers[`x-amz-checksum-${alg}`] ?? headers[`x-amz-checksum-${alg}`];
    if (given !== undefined && given !== actual) {
      throw new BadDigest(`The ${alg.toUpperCase()} you specified did not match the calculated checksum.`);
    }
    payload.checksums[alg] = actual;
  }
  const md5 = headers['content-md5'];
  if (md5 !== undefined && Buffer.from(payload.md5, 'hex').toString('base64') !== md5) {
    throw new BadDigest('The Content-MD5 you specified did not match what we received.');
  }
}
