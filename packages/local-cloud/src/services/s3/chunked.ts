import { IncompleteBody, InvalidArgument } from './errors.js';

export interface DecodedBody {
  data: Buffer;
  /** Trailing headers (lower-case names), e.g. x-amz-checksum-crc32. */
  trailers: Record<string, string>;
}

/** True when the body is aws-chunked framed (SigV4 streaming, signed or unsigned, with or without trailers). */
export function isAwsChunked(headers: Record<string, string | undefined>): boolean {
  const sha = headers['x-amz-content-sha256'] ?? '';
  const enc = headers['content-encoding'] ?? '';
  return sha.startsWith('STREAMING-') || enc.split(',').some((e) => e.trim() === 'aws-chunked');
}

/**
 * Removes aws-chunked framing: `<hex-size>[;chunk-signature=..]\r\n<bytes>\r\n` ... `0[;..]\r\n`
 * followed by optional trailer lines and a blank line. Chunk signatures are not verified.
 */
export function decodeAwsChunked(body: Buffer, decodedLength: number | undefined): DecodedBody {
  const parts: Buffer[] = [];
  let pos = 0;
  let total = 0;
  for (;;) {
    const eol = body.indexOf('\r\n', pos);
    if (eol < 0) throw new IncompleteBody('The request body terminated unexpectedly');
    const line = body.toString('latin1', pos, eol);
    const size = Number.parseInt(line.split(';')[0] as string, 16);
    if (!Number.isFinite(size) || size < 0) throw new InvalidArgument('Invalid chunk size in aws-chunked body');
    pos = eol + 2;
    if (size === 0) break;
    if (pos + size > body.length) throw new IncompleteBody('The request body terminated unexpectedly');
    parts.push(body.subarray(pos, pos + size));
    total += size;
    pos += size;
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
  }
  const trailers: Record<string, string> = {};
  while (pos < body.length) {
    let eol = body.indexOf('\r\n', pos);
    if (eol < 0) eol = body.length;
    const line = body.toString('latin1', pos, eol);
    pos = eol + 2;
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  if (decodedLength !== undefined && decodedLength !== total) {
    throw new IncompleteBody('You did not provide the number of bytes specified by the Content-Length HTTP header');
  }
  return { data: Buffer.concat(parts, total), trailers };
}
