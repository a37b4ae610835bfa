import type { AttributeValue } from '../filter-policy.js';

/** What SNS stores and what it hands to the delivery wiring. */
export interface Tag {
  Key: string;
  Value: string;
}

export interface TopicRecord {
  arn: string;
  name: string;
  region: string;
  accountId: string;
  /** Settable attributes as given (DisplayName, Policy, DeliveryPolicy, FifoTopic, ...). */
  attributes: Record<string, string>;
  tags: Tag[];
  dataProtectionPolicy?: string;
  /** SubscriptionsDeleted. */
  deleted: number;
  createdAt: number;
}

export type Protocol =
  | 'http'
  | 'https'
  | 'email'
  | 'email-json'
  | 'sms'
  | 'sqs'
  | 'application'
  | 'lambda'
  | 'firehose';

export const PROTOCOLS: readonly string[] = [
  'http',
  'https',
  'email',
  'email-json',
  'sms',
  'sqs',
  'application',
  'lambda',
  'firehose',
];

export interface SubscriptionRecord {
  arn: string;
  topicArn: string;
  protocol: Protocol;
  endpoint: string;
  /** The subscriber's account. */
  owner: string;
  principal: string;
  /** DeliveryPolicy, FilterPolicy, FilterPolicyScope, RawMessageDelivery, RedrivePolicy, SubscriptionRoleArn... */
  attributes: Record<string, string>;
  pending: boolean;
  authenticated: boolean;
  token?: string;
  createdAt: number;
}

export interface PublishedMessage {
  type: 'Notification';
  id: string;
  topicArn: string;
  message: string;
  /** MessageStructure=json: the text for each protocol (always has `default`). */
  perProtocol?: Record<string, string>;
  subject?: string;
  attributes?: Record<string, AttributeValue>;
  groupId?: string;
  dedupId?: string;
  sequenceNumber?: string;
  timestamp: number;
  /** scheme://host the publisher used: SubscribeURL and UnsubscribeURL point back here. */
  baseUrl: string;
  signatureVersion: string;
}

/** SubscriptionConfirmation / UnsubscribeConfirmation. */
export interface ControlMessage {
  type: 'SubscriptionConfirmation' | 'UnsubscribeConfirmation';
  id: string;
  topicArn: string;
  token: string;
  message: string;
  timestamp: number;
  baseUrl: string;
  signatureVersion: string;
}

/** Where published messages go: the wiring layer fills this in. */
export interface DeliverySink {
  deliver(msg: PublishedMessage, sub: SubscriptionRecord): void;
  control(msg: ControlMessage, sub: SubscriptionRecord): void;
  /** A Publish with PhoneNumber (no topic). */
  sms(msg: PublishedMessage, phoneNumber: string): void;
}

export function contentFor(msg: PublishedMessage, protocol: string): string {
  return msg.perProtocol?.[protocol] ?? msg.perProtocol?.default ?? msg.message;
}

export function isFifoTopic(topic: { arn: string }): boolean {
  return topic.arn.endsWith('.fifo');
}

export function subscriptionRegion(sub: SubscriptionRecord): string {
  return sub.topicArn.split(':')[3] ?? '';
}
