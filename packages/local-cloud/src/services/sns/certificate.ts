import { createHash, createPublicKey, type KeyObject, sign } from 'node:crypto';

/**
 * A self-signed X.509 v3 certificate (PEM) for an RSA key, so that SNS signatures can be verified
 * against the certificate `SigningCertURL` serves. Node can parse certificates but not make them, hence
 * this small DER encoder. Subject and issuer: CN=sns.amazonaws.com, O=local-cloud; valid 2020–2049
 * (fixed, so no clock is involved); sha256WithRSAEncryption.
 */
export function selfSignedCertificate(privateKey: KeyObject): string {
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  const algorithm = seq(oid('1.2.840.113549.1.1.11'), Buffer.from([0x05, 0x00]));
  const name = seq(set(seq(oid('2.5.4.10'), utf8('local-cloud'))), set(seq(oid('2.5.4.3'), utf8('sns.amazonaws.com'))));
  // The serial comes from the key (no randomness): 16 bytes, positive and never zero.
  const serial = createHash('sha256').update(spki).digest().subarray(0, 16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x01;
  const tbs = seq(
    tlv(0xa0, integer(Buffer.from([2]))),
    integer(serial),
    algorithm,
    name,
    seq(utcTime('200101000000Z'), utcTime('491231235959Z')),
    name,
    spki,
  );
  const der = seq(tbs, algorithm, bitString(sign('sha256', tbs, privateKey)));
  const base64 = der.toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${base64}${base64.endsWith('\n') ? '' : '\n'}-----END CERTIFICATE-----\n`;
}

/** A short fingerprint of the key's public half, to name its certificate. */
export function keyFingerprint(privateKey: KeyObject): string {
  const spki = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('hex').slice(0, 32);
}

function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  const length =
    n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
  return Buffer.concat([Buffer.from([tag]), length, content]);
}

const seq = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => tlv(0x31, Buffer.concat(parts));
const utf8 = (s: string) => tlv(0x0c, Buffer.from(s, 'utf8'));
const utcTime = (s: string) => tlv(0x17, Buffer.from(s, 'latin1'));
const bitString = (bytes: Buffer) => tlv(0x03, Buffer.concat([Buffer.from([0]), bytes]));

/** DER INTEGER of unsigned big-endian bytes (a leading zero keeps it positive). */
function integer(bytes: Buffer): Buffer {
  return tlv(0x02, (bytes[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const n of rest) {
    const base128 = [n & 0x7f];
    for (let v = n >> 7; v > 0; v >>= 7) base128.unshift((v & 0x7f) | 0x80);
    out.push(...base128);
  }
  return tlv(0x06, Buffer.from(out));
}
