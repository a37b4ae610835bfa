import { createHash } from 'node:crypto';
import { crc32 as zlibCrc32 } from 'node:zlib';

/** The flexible-checksum algorithms S3 accepts, as they appear in `x-amz-checksum-<name>`. */
export const CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'] as const;
export type ChecksumAlgorithm = (typeof CHECKSUM_ALGORITHMS)[number];

export function isChecksumAlgorithm(s: string): s is ChecksumAlgorithm {
  return (CHECKSUM_ALGORITHMS as readonly string[]).includes(s);
}

const CRC32C_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** CRC32C of data, continuing from `previous` (the CRC of the bytes before). */
export function crc32c(data: Buffer, previous = 0): number {
  let c = (previous ^ 0xffffffff) >>> 0;
  for (let i = 0; i < data.length; i++) c = (CRC32C_TABLE[(c ^ (data[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// CRC-64/NVME, reflected polynomial 0x9a6c9329ac4bc9b5, kept as two 32-bit halves for speed.
const CRC64_HI = new Uint32Array(256);
const CRC64_LO = new Uint32Array(256);
(() => {
  const poly = 0x9a6c9329ac4bc9b5n;
  for (let i = 0; i < 256; i++) {
    let c = BigInt(i);
    for (let k = 0; k < 8; k++) c = c & 1n ? (c >> 1n) ^ poly : c >> 1n;
    CRC64_HI[i] = Number(c >> 32n);
    CRC64_LO[i] = Number(c & 0xffffffffn);
  }
})();

/** CRC-64/NVME state as two 32-bit halves (already inverted: start at 0xffffffff/0xffffffff). */
interface Crc64 {
  hi: number;
  lo: number;
}

function crc64Update(state: Crc64, data: Buffer): void {
  let { hi, lo } = state;
  for (let i = 0; i < data.length; i++) {
    const idx = (lo ^ (data[i] as number)) & 0xff;
    const nlo = (lo >>> 8) | ((hi & 0xff) << 24);
    const nhi = hi >>> 8;
    hi = (nhi ^ (CRC64_HI[idx] as number)) >>> 0;
    lo = (nlo ^ (CRC64_LO[idx] as number)) >>> 0;
  }
  state.hi = hi;
  state.lo = lo;
}

function crc64Digest(state: Crc64): Buffer {
  const out = Buffer.alloc(8);
  out.writeUInt32BE((state.hi ^ 0xffffffff) >>> 0, 0);
  out.writeUInt32BE((state.lo ^ 0xffffffff) >>> 0, 4);
  return out;
}

export function crc64nvme(data: Buffer): Buffer {
  const state = { hi: 0xffffffff, lo: 0xffffffff };
  crc64Update(state, data);
  return crc64Digest(state);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0, 0);
  return b;
}

/** A checksum fed piece by piece (uploads are hashed as they stream to disk). */
export interface Checksummer {
  update(data: Buffer): void;
  /** base64, as S3 sends it in `x-amz-checksum-<algorithm>`. */
  digest(): string;
}

export function checksummer(algorithm: ChecksumAlgorithm): Checksummer {
  switch (algorithm) {
    case 'crc32':
    case 'crc32c': {
      const fn = algorithm === 'crc32' ? zlibCrc32 : crc32c;
      let c = 0;
      return {
        update: (d) => {
          c = fn(d, c);
        },
        digest: () => u32(c).toString('base64'),
      };
    }
    case 'crc64nvme': {
      const state = { hi: 0xffffffff, lo: 0xffffffff };
      return { update: (d) => crc64Update(state, d), digest: () => crc64Digest(state).toString('base64') };
    }
    case 'sha1':
    case 'sha256': {
      const h = createHash(algorithm);
      return { update: (d) => void h.update(d), digest: () => h.digest('base64') };
    }
  }
}

/** The base64 checksum of data, as S3 sends it in `x-amz-checksum-<algorithm>`. */
export function checksum(algorithm: ChecksumAlgorithm, data: Buffer): string {
  const c = checksummer(algorithm);
  c.update(data);
  return c.digest();
}
