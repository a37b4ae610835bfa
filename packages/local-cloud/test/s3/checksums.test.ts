import { describe, expect, it } from 'vitest';
import { checksum, crc32c, crc64nvme } from '../../src/services/s3/checksums.js';
import { decodeAwsChunked } from '../../src/services/s3/chunked.js';

const CHECK = Buffer.from('123456789');

describe('S3 checksums', () => {
  it('matches the standard check values', () => {
    expect(crc32c(CHECK)).toBe(0xe3069283);
    expect(crc64nvme(CHECK).toString('hex')).toBe('ae8b14860a799888');
    expect(Buffer.from(checksum('crc32', CHECK), 'base64').toString('hex')).toBe('cbf43926');
  });

  it('decodes aws-chunked bodies with trailers', () => {
    const body = Buffer.from('5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n');
    const out = decodeAwsChunked(body, 11);
    expect(out.data.toString()).toBe('hello world');
    expect(out.trailers).toEqual({ 'x-amz-checksum-crc32': 'DUoRhQ==' });
    expect(() => decodeAwsChunked(body, 12)).toThrow();
  });
});
