import type { AttributeValue } from './filter-policy.js';
import {
  type ControlMessage,
  contentFor,
  isFifoTopic,
  type PublishedMessage,
  type SubscriptionRecord,
} from './model/records.js';
import { signFields, signingCertPath, signNotification } from './signing.js';

// The bodies SNS delivers (aws-semantics §4.2, §4.3): the JSON envelope (SQS, HTTP/S, email-json),
// the Lambda event, confirmations and the plain-text email. Key order matters to code that compares
// bodies, so objects are built in AWS's order.

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
    env.SigningCertURL = `${msg.baseUrl}${signingCertPath()}`;
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
          SigningCertUrl: `${msg.baseUrl}${signingCertPath()}`,
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
    SigningCertURL: `${msg.baseUrl}${signingCertPath()}`,
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
