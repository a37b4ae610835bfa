import { randomFillSync, randomUUID } from 'node:crypto';

/** The one source of randomness for services, injectable so tests can make it predictable. */
export interface IdGenerator {
  uuid(): string;
  /** n random bytes as lowercase hex (2n characters). */
  hex(bytes: number): string;
}

/** Random bytes are drawn from a pool refilled 8 KiB at a time: one getrandom call per ~1000 ids. */
const POOL_SIZE = 8192;
const pool = Buffer.alloc(POOL_SIZE);
let offset = POOL_SIZE;

function take(bytes: number): string {
  if (offset + bytes > POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  const s = pool.toString('hex', offset, offset + bytes);
  offset += bytes;
  return s;
}

export const cryptoIds: IdGenerator = {
  uuid: () => randomUUID(),
  hex: (bytes) => (bytes > POOL_SIZE ? randomFillSync(Buffer.alloc(bytes)).toString('hex') : take(bytes)),
};

/** Deterministic ids for tests: uuid-shaped, counting up from a seed. */
export function sequentialIds(seed = 0): IdGenerator {
  let n = seed;
  const next = () => (n++).toString(16).padStart(12, '0');
  return {
    uuid: () => `00000000-0000-4000-8000-${next()}`,
    hex: (bytes) =>
      next()
        .padStart(bytes * 2, '0')
        .slice(-bytes * 2),
  };
}
