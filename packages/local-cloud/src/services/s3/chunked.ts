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

const MAX_LINE = 8 * 1024;

/**
 * Removes aws-chunked framing as bytes arrive: `<hex-size>[;chunk-signature=..]\r\n<bytes>\r\n` ...
 * `0[;..]\r\n`, then optional trailer lines and a blank line. Chunk signatures are not verified.
 * Pieces of the payload are passed to `sink` in order; nothing is held back beyond one framing line.
 */
export class AwsChunkedDecoder {
  private state: 'size' | 'data' | 'crlf' | 'trailers' = 'size';
  private line = '';
  private remaining = 0;
  private skip = 0;
  private tail: Buffer[] = [];
  total = 0;

  constructor(private readonly sink: (piece: Buffer) => void) {}

  write(chunk: Buffer): void {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.state === 'data') {
        const n = Math.min(this.remaining, chunk.length - pos);
        this.sink(chunk.subarray(pos, pos + n));
        this.total += n;
        this.remaining -= n;
        pos += n;
        if (this.remaining === 0) {
          this.state = 'crlf';
          this.skip = 2;
        }
      } else if (this.state === 'crlf') {
        // Tolerates a missing CRLF after the data, as the buffered decoder always did.
        if (chunk[pos] === 0x0d || chunk[pos] === 0x0a) {
          pos++;
          if (--this.skip > 0) continue;
        }
        this.state = 'size';
      } else if (this.state === 'size') {
        pos = this.readSizeLine(chunk, pos);
      } else {
        this.tail.push(chunk.subarray(pos));
        pos = chunk.length;
      }
    }
  }

  /** Checks the body ended where the framing says it should; returns the trailers. */
  end(decodedLength: number | undefined): Record<string, string> {
    if (this.state !== 'trailers') throw new IncompleteBody('The request body terminated unexpectedly');
    if (decodedLength !== undefined && decodedLength !== this.total) {
      throw new IncompleteBody('You did not provide the number of bytes specified by the Content-Length HTTP header');
    }
    const trailers: Record<string, string> = {};
    for (const line of Buffer.concat(this.tail).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    return trailers;
  }

  private readSizeLine(chunk: Buffer, pos: number): number {
    const eol = chunk.indexOf(0x0a, pos);
    const stop = eol < 0 ? chunk.length : eol + 1;
    this.line += chunk.toString('latin1', pos, stop);
    if (this.line.length > MAX_LINE) throw new InvalidArgument('Invalid chunk size in aws-chunked body');
    if (eol < 0) return stop;
    const size = Number.parseInt(this.line.trim().split(';')[0] as string, 16);
    this.line = '';
    if (!Number.isFinite(size) || size < 0) throw new InvalidArgument('Invalid chunk size in aws-chunked body');
    if (size === 0) this.state = 'trailers';
    else {
      this.state = 'data';
      this.remaining = size;
    }
    return stop;
  }
}

/** Decodes a whole buffered aws-chunked body. */
export function decodeAwsChunked(body: Buffer, decodedLength: number | undefined): DecodedBody {
  const parts: Buffer[] = [];
  const decoder = new AwsChunkedDecoder((p) => parts.push(p));
  decoder.write(body);
  const trailers = decoder.end(decodedLength);
  return { data: Buffer.concat(parts, decoder.total), trailers };
}
