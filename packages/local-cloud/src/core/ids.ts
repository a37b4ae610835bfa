import { randomBytes, randomUUID } from 'node:crypto';

/** The one source of randomness for services, injectable so tests can make it predictable. */
export interface IdGenerator {
  uuid(): string;
  /** n random bytes as lowercase hex (2n characters). */
  hex(bytes: number): string;
}

export const cryptoIds: IdGenerator = {
  uuid: () => randomUUID(),
  hex: (bytes) => randomBytes(bytes).toString('hex'),
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
