import { Readable } from 'node:stream';
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';

export class ObjectSource {
  constructor(private readonly s3: S3Client) {}

  /** The object's body as a Node stream: callers read it incrementally, never as one buffer. */
  async open(bucket: string, key: string): Promise<Readable> {
    const out = await this.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    if (!(out.Body instanceof Readable)) throw new Error(`GetObject for s3://${bucket}/${key} returned no Node stream`);
    return out.Body;
  }
}
