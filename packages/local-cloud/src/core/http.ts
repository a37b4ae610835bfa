import type { Readable } from 'node:stream';

/** The request and reply every service sees, independent of the transport. */
export interface EdgeRequest {
  method: string;
  url: string;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string | undefined>;
  /** The headers as sent: [name, value, name, value, ...], names in the client's case, repeats kept. */
  rawHeaders?: string[];
  /** The client's IP address, as the socket reports it. */
  remoteAddress?: string;
  /** The whole body; empty while `stream` is set. */
  body: Buffer;
  /**
   * Large or chunked bodies arrive unread, as a stream. The edge reads them into `body` for every
   * service except those that declare `streamsBodies` (S3), which consume the stream themselves.
   */
  stream?: Readable;
  /** Aborted when the client goes away before the answer (ends long polls). */
  signal(): AbortSignal;
}

/** A body sent from a source opened only when the reply is written (large S3 downloads). */
export interface StreamBody {
  length: number;
  open(): Readable;
}

export interface EdgeReply {
  status: number;
  headers: Record<string, string>;
  /** Ignored when `stream` is set. */
  body: string | Buffer;
  stream?: StreamBody;
  /** One Set-Cookie header line each (a header map holds one value per name). */
  cookies?: string[];
}

/** Reads a streamed body whole; undefined when it is larger than max bytes. */
export async function readBody(stream: Readable, max: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size <= max) chunks.push(chunk as Buffer);
  }
  return size > max ? undefined : Buffer.concat(chunks, size);
}
