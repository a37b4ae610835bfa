import { generateKeyPair, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { keyFingerprint, selfSignedCertificate } from './certificate.js';
import type { PublishedMessage } from './model/records.js';

/**
 * The key SNS signs notifications and confirmations with, and the certificate `SigningCertURL` serves
 * for it (`GET /_local-cloud/sns/SimpleNotificationService-<fingerprint>.pem`).
 *
 * RSA-1024, where AWS uses 2048-bit certificates: a 2048-bit signature costs ~1 ms of CPU, six times a
 * 1024-bit one, and was half of the server's time on publish fan-out. The key is made in the background
 * at start-up and lives as long as the process: after a restart the old certificate URL answers 404, as
 * a rotated AWS certificate eventually does.
 */
const MODULUS_BITS = 1024;

let key: KeyObject | undefined;
let generating = false;
let certificate: { path: string; pem?: string } | undefined;
const signatures = new WeakMap<PublishedMessage, Map<string, string>>();

export function prepareSigningKey(): void {
  if (key || generating) return;
  generating = true;
  generateKeyPair('rsa', { modulusLength: MODULUS_BITS }, (err, _publicKey, privateKey) => {
    if (!err) key ??= privateKey;
  });
}

function signingKey(): KeyObject {
  key ??= generateKeyPairSync('rsa', { modulusLength: MODULUS_BITS }).privateKey;
  return key;
}

function currentCertificate(): { path: string; pem?: string } {
  certificate ??= { path: `/_local-cloud/sns/SimpleNotificationService-${keyFingerprint(signingKey())}.pem` };
  return certificate;
}

/** The path of the signing certificate on local-cloud. */
export function signingCertPath(): string {
  return currentCertificate().path;
}

/** The PEM certificate served at `path`, or undefined when that is not the current certificate. */
export function signingCertificate(path: string): string | undefined {
  const current = currentCertificate();
  if (path !== current.path) return undefined;
  current.pem ??= selfSignedCertificate(signingKey());
  return current.pem;
}

/** SHA1withRSA (version 1) or SHA256withRSA (version 2) over AWS's canonical string, once per message body. */
export function signNotification(msg: PublishedMessage, message: string, version: string): string {
  let cache = signatures.get(msg);
  if (!cache) {
    cache = new Map();
    signatures.set(msg, cache);
  }
  const cacheKey = `${version}\u0000${message}`;
  const hit = cache.get(cacheKey);
  if (hit) return hit;
  const fields: Array<[string, string | undefined]> = [
    ['Message', message],
    ['MessageId', msg.id],
    ['Subject', msg.subject],
    ['Timestamp', new Date(msg.timestamp).toISOString()],
    ['TopicArn', msg.topicArn],
    ['Type', msg.type],
  ];
  const sig = signFields(fields, version);
  cache.set(cacheKey, sig);
  return sig;
}

/** AWS's canonical string: each present field as `Name\nvalue\n`, in the order given. */
export function signFields(fields: Array<readonly [string, string | undefined]>, version: string): string {
  const canonical = fields
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}\n${v}\n`)
    .join('');
  return sign(version === '2' ? 'sha256' : 'sha1', Buffer.from(canonical, 'utf8'), signingKey()).toString('base64');
}
