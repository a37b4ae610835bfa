import { verify, X509Certificate } from 'node:crypto';
import { SNSClient } from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { credentials } from '../helpers.js';

export function snsClient(cloud: { url: string }, region = 'us-east-1'): SNSClient {
  return new SNSClient({ endpoint: cloud.url, region, credentials, maxAttempts: 1 });
}

export async function queue(sqs: SQSClient, name: string, Attributes: Record<string, string> = {}) {
  const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: name, Attributes }));
  const a = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  return { url: QueueUrl as string, arn: a.Attributes?.QueueArn as string };
}

/** Every message now in the queue (received and deleted), with attributes. */
export async function drain(sqs: SQSClient, url: string): Promise<Message[]> {
  const out: Message[] = [];
  for (;;) {
    const r = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: url,
        MaxNumberOfMessages: 10,
        MessageAttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
      }),
    );
    if (!r.Messages?.length) return out;
    out.push(...r.Messages);
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: url,
        Entries: r.Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle as string })),
      }),
    );
  }
}

export interface OutboxMessage {
  time: string;
  protocol: string;
  endpoint: string;
  subject?: string;
  body: string;
  type: string;
  topicArn?: string;
  subscriptionArn?: string;
  messageId?: string;
}

export async function outbox(cloud: { url: string }, query = ''): Promise<OutboxMessage[]> {
  const res = await fetch(`${cloud.url}/_local-cloud/outbox${query}`);
  return ((await res.json()) as { messages: OutboxMessage[] }).messages;
}

/** Waits (in real time) until check passes: deliveries over HTTP and to functions are asynchronous. */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not met in time');
}

/**
 * Verifies an SNS message's signature the way AWS documents it: fetch the certificate at
 * SigningCertURL, rebuild the canonical string for the message type, check SHA1withRSA (version 1)
 * or SHA256withRSA (version 2).
 */
export async function verifySnsSignature(msg: Record<string, string>): Promise<boolean> {
  const res = await fetch(msg.SigningCertURL as string);
  if (res.status !== 200) throw new Error(`certificate: HTTP ${res.status}`);
  const cert = new X509Certificate(await res.text());
  const fields =
    msg.Type === 'Notification'
      ? ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type']
      : ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'];
  const canonical = fields
    .filter((f) => msg[f] !== undefined)
    .map((f) => `${f}\n${msg[f]}\n`)
    .join('');
  const algorithm = msg.SignatureVersion === '2' ? 'sha256' : 'sha1';
  return verify(algorithm, Buffer.from(canonical), cert.publicKey, Buffer.from(msg.Signature as string, 'base64'));
}
