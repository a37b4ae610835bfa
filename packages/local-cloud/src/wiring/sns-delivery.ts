import type { Clock } from '../core/clock.js';
import type { IdGenerator } from '../core/ids.js';
import type { Store } from '../core/storage.js';
import type { LambdaService } from '../services/lambda/index.js';
import { healthyRetryPolicy, parseJson } from '../services/sns/attributes.js';
import {
  confirmationText,
  controlBody,
  deliveredAttributes,
  emailText,
  lambdaEvent,
  notificationBody,
} from '../services/sns/envelope.js';
import type { ControlMessage, PublishedMessage, SnsModel, SubscriptionRecord } from '../services/sns/index.js';
import { contentFor } from '../services/sns/model/records.js';
import { type Attributes, messageSize } from '../services/sqs/model/message.js';
import type { SqsModel } from '../services/sqs/model/registry.js';
import { HttpDeliverer, retrySchedule } from './sns-http.js';

/**
 * Delivers SNS messages in process, as they are published: SQS queues and Lambda functions through
 * their models, HTTP/S endpoints by POST (sns-http.ts), and email, email-json, sms and the protocols
 * local-cloud has no target for into the outbox. Undeliverable messages go to the subscription's
 * RedrivePolicy queue.
 */
const SNS_SENDER_ID = 'AIDAIT2UOQQY3AUEKVGXU';
const DEFAULT_CONTENT_TYPE = 'text/plain; charset=UTF-8';
/** A raw SQS delivery carries at most this many message attributes; more and the message is dropped. */
const MAX_RAW_ATTRIBUTES = 10;

export function wireSnsDeliveries(deps: {
  clock: Clock;
  ids: IdGenerator;
  store: Store;
  sns: SnsModel;
  sqs: SqsModel;
  lambda: LambdaService;
}): () => void {
  const { sns, sqs, lambda, store } = deps;
  const web = new HttpDeliverer(deps.clock);

  /** Client errors and exhausted retries: to the DLQ if the subscription has one, else dropped. */
  const deadLetter = (msg: PublishedMessage, sub: SubscriptionRecord, body: string, attributes?: Attributes) => {
    const policy = parseJson(sub.attributes.RedrivePolicy) as { deadLetterTargetArn?: string } | undefined;
    const target = policy?.deadLetterTargetArn;
    if (!target) return;
    const q = sqs.getByArn(target);
    if (!q || (q.fifo && !msg.groupId)) {
      return console.error(`[local-cloud] SNS dead-letter queue ${target} does not exist; the message was dropped`);
    }
    q.send({
      body,
      senderId: SNS_SENDER_ID,
      ...(attributes ? { attributes } : {}),
      ...(q.fifo ? { groupId: msg.groupId, dedupId: msg.dedupId } : {}),
    });
    store.afterCommit(() => {});
  };

  const toSqs = (msg: PublishedMessage, sub: SubscriptionRecord) => {
    const body = notificationBody(msg, sub);
    const raw = sub.attributes.RawMessageDelivery === 'true';
    const attrs = raw ? deliveredAttributes(msg) : undefined;
    if (attrs && Object.keys(attrs).length > MAX_RAW_ATTRIBUTES) return deadLetter(msg, sub, body);
    const attributes = attrs as Attributes | undefined;
    const q = sqs.getByArn(sub.endpoint);
    if (!q || messageSize(body, attributes) > Number(q.rec.attributes.MaximumMessageSize ?? 1_048_576)) {
      return deadLetter(msg, sub, body, attributes);
    }
    q.send({
      body,
      senderId: SNS_SENDER_ID,
      ...(attributes ? { attributes } : {}),
      ...(q.fifo && msg.groupId ? { groupId: msg.groupId, dedupId: msg.dedupId } : {}),
    });
  };

  const toLambda = (msg: PublishedMessage, sub: SubscriptionRecord) => {
    const fn = lambda.functions.byArn(sub.endpoint);
    if (!fn) return deadLetter(msg, sub, notificationBody(msg, sub));
    lambda.async.enqueue(fn, Buffer.from(lambdaEvent(msg, sub)), deps.ids.uuid());
  };

  const headersFor = (sub: SubscriptionRecord, type: string, id: string): Record<string, string> => {
    const own = parseJson(sub.attributes.DeliveryPolicy) as { requestPolicy?: { headerContentType?: string } };
    const topic = parseJson(sns.topic(sub.topicArn)?.attributes.DeliveryPolicy) as {
      http?: { defaultRequestPolicy?: { headerContentType?: string } };
    };
    return {
      'content-type':
        own?.requestPolicy?.headerContentType ??
        topic?.http?.defaultRequestPolicy?.headerContentType ??
        DEFAULT_CONTENT_TYPE,
      'user-agent': 'Amazon Simple Notification Service Agent',
      'x-amz-sns-message-type': type,
      'x-amz-sns-message-id': id,
      'x-amz-sns-topic-arn': sub.topicArn,
    };
  };

  const schedule = (sub: SubscriptionRecord) => retrySchedule(healthyRetryPolicy(sub, sns.topic(sub.topicArn)));

  const toHttp = (msg: PublishedMessage, sub: SubscriptionRecord) => {
    const body = notificationBody(msg, sub);
    const headers: Record<string, string> = {
      ...headersFor(sub, msg.type, msg.id),
      'x-amz-sns-subscription-arn': sub.arn,
    };
    if (sub.attributes.RawMessageDelivery === 'true') headers['x-amz-sns-rawdelivery'] = 'true';
    web.send({
      url: sub.endpoint,
      body,
      headers,
      schedule: schedule(sub),
      alive: () => sns.subscription(sub.arn) !== undefined,
      exhausted: () => deadLetter(msg, sub, body),
    });
  };

  const toOutbox = (msg: PublishedMessage, sub: SubscriptionRecord) => {
    const email = sub.protocol === 'email';
    const json = sub.protocol === 'email-json' || sub.protocol === 'firehose';
    sns.outbox.add({
      type: msg.type,
      protocol: sub.protocol,
      endpoint: sub.endpoint,
      ...(sub.protocol === 'sms' ? {} : { subject: msg.subject ?? 'AWS Notification Message' }),
      body: email ? emailText(msg, sub) : json ? notificationBody(msg, sub) : contentFor(msg, sub.protocol),
      topicArn: msg.topicArn,
      subscriptionArn: sub.arn,
      messageId: msg.id,
    });
  };

  const control = (msg: ControlMessage, sub: SubscriptionRecord) => {
    if (sub.protocol === 'http' || sub.protocol === 'https') {
      const id = msg.id;
      return web.send({
        url: sub.endpoint,
        body: controlBody(msg),
        headers: headersFor(sub, msg.type, id),
        schedule: schedule(sub),
        alive: () => msg.type === 'UnsubscribeConfirmation' || sns.subscription(sub.arn) !== undefined,
      });
    }
    if (sub.protocol !== 'email' && sub.protocol !== 'email-json' && sub.protocol !== 'sms') return;
    sns.outbox.add({
      type: msg.type,
      protocol: sub.protocol,
      endpoint: sub.endpoint,
      ...(sub.protocol === 'sms' ? {} : { subject: 'AWS Notification - Subscription Confirmation' }),
      body:
        sub.protocol === 'email'
          ? confirmationText(msg)
          : sub.protocol === 'email-json'
            ? controlBody(msg)
            : `You are now subscribed to ${msg.topicArn}. (local-cloud confirmed this subscription automatically.)`,
      topicArn: msg.topicArn,
      subscriptionArn: sub.arn,
      messageId: msg.id,
    });
  };

  sns.connect({
    deliver(msg, sub) {
      switch (sub.protocol) {
        case 'sqs':
          return toSqs(msg, sub);
        case 'lambda':
          return toLambda(msg, sub);
        case 'http':
        case 'https':
          return toHttp(msg, sub);
        default:
          return toOutbox(msg, sub);
      }
    },
    control,
    sms(msg, phoneNumber) {
      sns.outbox.add({
        type: msg.type,
        protocol: 'sms',
        endpoint: phoneNumber,
        body: contentFor(msg, 'sms'),
        messageId: msg.id,
      });
    },
  });
  return () => web.stop();
}
