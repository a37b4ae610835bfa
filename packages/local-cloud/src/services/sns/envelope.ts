import { generateKeyPair, generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import type { AttributeValue } from './filter-policy.js';
import {
  type ControlMessage,
  contentFor,
  isFifoTopic,
  type PublishedMessage,
  type SubscriptionRecord,
} from './model/records.js';

/**
 * The bodies SNS delivers (aws-semantics §4.2, §4.3): the JSON envelope (SQS, HTTP/S, email-json),
 * the Lambda event, confirmations and the plain-text email. Key order matters to code that compares
 * bodies, so objects are built in AWS's order.
 */
export const SIGNING_CERT_PATH = '/_local-cloud/sns/SimpleNotificationService-local-cloud.pem';

export function unsubscribeUrl(baseUrl: string, subscriptionArn: string): string {
  return `${baseUrl}/?Action=Unsubscribe&SubscriptionArn=${subscriptionArn}`;
}

export function subscribeUrl(msg: ControlMessage): string {
  return `${msg.baseUrl}/?Action=ConfirmSubscription&TopicArn=${msg.topicArn}&Token=${msg.token}`;
}

/** Message attributes as envelopes carry them: `{Type, Value}`, binary values in base64. */
export function envelopeAttributes(
  attributes: Record<string, AttributeValue> | undefined,
): Record<string, { Type: string; Value: string }> {
  const out: Record<string, { Type: string; Value: string }> = {};
  for (const [name, v] of Object.entries(attributes ?? {})) {
    out[name] = {
      Type: v.DataType,
      Value: v.BinaryValue !== undefined ? v.BinaryValue.toString('base64') : (v.StringValue ?? ''),
    };
  }
  return out;
}

/** Attributes travel only with plain messages, not with MessageStructure=json. */
export function deliveredAttributes(msg: PublishedMessage): Record<string, AttributeValue> | undefined {
  return msg.perProtocol || !msg.attributes || Object.keys(msg.attributes).length === 0 ? undefined : msg.attributes;
}

/** The notification as SQS, HTTP/S and email-json receive it (or the bare message with raw delivery). */
export function notificationBody(msg: PublishedMessage, sub: SubscriptionRecord): string {
  const message = contentFor(msg, sub.protocol);
  if (sub.attributes.RawMessageDelivery === 'true') return message;
  const fifo = isFifoTopic({ arn: msg.topicArn });
  const env: Record<string, unknown> = { Type: msg.type, MessageId: msg.id };
  if (fifo) env.SequenceNumber = msg.sequenceNumber;
  env.TopicArn = msg.topicArn;
  if (msg.subject !== undefined) env.Subject = msg.subject;
  env.Message = message;
  env.Timestamp = iso(msg.timestamp);
  // FIFO topics do not sign their notifications.
  if (!fifo) {
    env.SignatureVersion = msg.signatureVersion;
    env.Signature = signNotification(msg, message, msg.signatureVersion);
    env.SigningCertURL = `${msg.baseUrl}${SIGNING_CERT_PATH}`;
  }
  env.UnsubscribeURL = unsubscribeUrl(msg.baseUrl, sub.arn);
  const attrs = deliveredAttributes(msg);
  if (attrs) env.MessageAttributes = envelopeAttributes(attrs);
  return JSON.stringify(env);
}

/** The asynchronous-invoke payload for a Lambda subscription: other URL spellings, Subject null. */
export function lambdaEvent(msg: PublishedMessage, sub: SubscriptionRecord): string {
  const message = contentFor(msg, sub.protocol);
  return JSON.stringify({
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: sub.arn,
        Sns: {
          Type: msg.type,
          MessageId: msg.id,
          TopicArn: msg.topicArn,
          Subject: msg.subject ?? null,
          Message: message,
          Timestamp: iso(msg.timestamp),
          // AWS always says 1 here, whatever the topic's SignatureVersion.
          SignatureVersion: '1',
          Signature: signNotification(msg, message, '1'),
          SigningCertUrl: `${msg.baseUrl}${SIGNING_CERT_PATH}`,
          UnsubscribeUrl: unsubscribeUrl(msg.baseUrl, sub.arn),
          MessageAttributes: envelopeAttributes(deliveredAttributes(msg)),
        },
      },
    ],
  });
}

export function controlBody(msg: ControlMessage): string {
  const env = {
    Type: msg.type,
    MessageId: msg.id,
    Token: msg.token,
    TopicArn: msg.topicArn,
    Message: msg.message,
    SubscribeURL: subscribeUrl(msg),
    Timestamp: iso(msg.timestamp),
    SignatureVersion: msg.signatureVersion,
    Signature: '',
    SigningCertURL: `${msg.baseUrl}${SIGNING_CERT_PATH}`,
  };
  const fields = ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'] as const;
  env.Signature = signFields(
    fields.map((f) => [f, env[f]]),
    msg.signatureVersion,
  );
  return JSON.stringify(env);
}

/** What an `email` subscriber reads: the message and the unsubscribe footer. */
export function emailText(msg: PublishedMessage, sub: SubscriptionRecord): string {
  return (
    `${contentFor(msg, sub.protocol)}\n\n--\n` +
    'If you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:\n' +
    `${unsubscribeUrl(msg.baseUrl, sub.arn)}\n\n` +
    'Please do not reply directly to this email. If you have any questions or comments regarding this email, ' +
    'please contact us at https://aws.amazon.com/support'
  );
}

export function confirmationText(msg: ControlMessage): string {
  return (
    `You have chosen to subscribe to the topic: \n${msg.topicArn}\n\n` +
    'To confirm this subscription, click or visit the link below (If this was in error no action is necessary): \n' +
    `${subscribeUrl(msg)}\n\n(local-cloud confirmed this subscription automatically.)`
  );
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

// ---- signatures --------------------------------------------------------------------------------

let key: KeyObject | undefined;
let generating = false;
const signatures = new WeakMap<PublishedMessage, Map<string, string>>();

/**
 * RSA-1024, where AWS uses 2048-bit certificates: a 2048-bit signature costs ~1 ms of CPU, six times
 * a 1024-bit one, and was half of the server's time on publish fan-out. The certificate is not served
 * (GAPS.md), so the signature's strength is not observable. Generated in the background at start-up.
 */
const MODULUS_BITS = 1024;

export function prepareSigningKey(): void {
  if (key || generating) return;
  generating = true;
  generateKeyPair('rsa', { modulusLength: MODULUS_BITS }, (err, _publicKey, privateKey) => {
    if (!err) key ??= privateKey;
  });
}

/** SHA1withRSA (version 1) or SHA256withRSA (version 2) over AWS's canonical string, once per message body. */
function signNotification(msg: PublishedMessage, message: string, version: string): string {
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
    ['Timestamp', iso(msg.timestamp)],
    ['TopicArn', msg.topicArn],
    ['Type', msg.type],
  ];
  const sig = signFields(fields, version);
  cache.set(cacheKey, sig);
  return sig;
}

function signFields(fields: Array<readonly [string, string | undefined]>, version: string): string {
  key ??= generateKeyPairSync('rsa', { modulusLength: MODULUS_BITS }).privateKey;
  const canonical = fields
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}\n${v}\n`)
    .join('');
  return sign(version === '2' ? 'sha256' : 'sha1', Buffer.from(canonical, 'utf8'), key).toString('base64');
}
