import { InvalidParameter, invalid } from './errors.js';
import { type FilterScope, parseFilterPolicy } from './filter-policy.js';
import { isFifoTopic, type SubscriptionRecord, type TopicRecord } from './model/records.js';

/** Topic and subscription attributes: which names exist, their checks, and what Get*Attributes shows. */
const FEEDBACK = ['HTTP', 'Firehose', 'Lambda', 'Application', 'SQS'].flatMap((p) => [
  `${p}SuccessFeedbackRoleArn`,
  `${p}SuccessFeedbackSampleRate`,
  `${p}FailureFeedbackRoleArn`,
]);
const TOPIC_SETTABLE = new Set([
  'DeliveryPolicy',
  'DisplayName',
  'Policy',
  'TracingConfig',
  'KmsMasterKeyId',
  'SignatureVersion',
  'ContentBasedDeduplication',
  'ArchivePolicy',
  'FifoThroughputScope',
  ...FEEDBACK,
]);
const SUBSCRIPTION_SETTABLE = new Set([
  'DeliveryPolicy',
  'FilterPolicy',
  'FilterPolicyScope',
  'RawMessageDelivery',
  'RedrivePolicy',
  'SubscriptionRoleArn',
  'ReplayPolicy',
]);
const RAW_PROTOCOLS = new Set(['sqs', 'http', 'https', 'firehose']);

/** The HTTP/S retry policy SNS applies when none is set: 3 retries, 20 seconds apart. */
export const DEFAULT_HEALTHY_RETRY_POLICY = {
  minDelayTarget: 20,
  maxDelayTarget: 20,
  numRetries: 3,
  numMaxDelayRetries: 0,
  numNoDelayRetries: 0,
  numMinDelayRetries: 0,
  backoffFunction: 'linear',
};

/** Validates one topic attribute; `creating` allows FifoTopic. */
export function checkTopicAttribute(name: string, value: string, fifo: boolean, creating: boolean): void {
  if (name === 'FifoTopic') {
    if (!creating) throw invalid('AttributeName');
    if (value !== 'true' && value !== 'false') throw invalid('FifoTopic');
    return;
  }
  if (!TOPIC_SETTABLE.has(name)) throw invalid('AttributeName');
  switch (name) {
    case 'Policy':
    case 'DeliveryPolicy':
    case 'ArchivePolicy':
      if (value !== '' && !isJsonObject(value)) throw invalid(`${name}: failed to parse JSON.`);
      return;
    case 'SignatureVersion':
      if (value !== '1' && value !== '2') throw invalid('SignatureVersion');
      return;
    case 'TracingConfig':
      if (value !== 'PassThrough' && value !== 'Active') throw invalid('TracingConfig');
      return;
    case 'ContentBasedDeduplication':
      if (!fifo) {
        throw invalid('ContentBasedDeduplication Reason: Content-based deduplication can only be set for FIFO topics');
      }
      if (value !== 'true' && value !== 'false') throw invalid('ContentBasedDeduplication');
      return;
    case 'FifoThroughputScope':
      if (!fifo) throw invalid('FifoThroughputScope Reason: FifoThroughputScope can only be set for FIFO topics');
      if (value !== 'Topic' && value !== 'MessageGroup') throw invalid('FifoThroughputScope');
      return;
  }
}

export function defaultPolicy(topic: Pick<TopicRecord, 'arn' | 'accountId'>): string {
  return JSON.stringify({
    Version: '2008-10-17',
    Id: '__default_policy_ID',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'SNS:GetTopicAttributes',
          'SNS:SetTopicAttributes',
          'SNS:AddPermission',
          'SNS:RemovePermission',
          'SNS:DeleteTopic',
          'SNS:Subscribe',
          'SNS:ListSubscriptionsByTopic',
          'SNS:Publish',
        ],
        Resource: topic.arn,
        Condition: { StringEquals: { 'AWS:SourceOwner': topic.accountId } },
      },
    ],
  });
}

/** Everything GetTopicAttributes returns: stored attributes over derived ones and defaults. */
export function topicAttributes(topic: TopicRecord, subs: SubscriptionRecord[]): Record<string, string> {
  const out: Record<string, string> = {
    Policy: defaultPolicy(topic),
    Owner: topic.accountId,
    SubscriptionsPending: String(subs.filter((s) => s.pending).length),
    TopicArn: topic.arn,
    SubscriptionsConfirmed: String(subs.filter((s) => !s.pending).length),
    DisplayName: '',
    SubscriptionsDeleted: String(topic.deleted),
  };
  if (isFifoTopic(topic)) {
    out.FifoTopic = 'true';
    out.ContentBasedDeduplication = 'false';
  } else {
    out.EffectiveDeliveryPolicy = effectiveTopicDeliveryPolicy(topic);
  }
  for (const [k, v] of Object.entries(topic.attributes)) if (k !== 'FifoTopic') out[k] = v;
  return out;
}

function effectiveTopicDeliveryPolicy(topic: TopicRecord): string {
  const set = parseJson(topic.attributes.DeliveryPolicy) as { http?: Record<string, unknown> } | undefined;
  return JSON.stringify({
    http: {
      defaultHealthyRetryPolicy: DEFAULT_HEALTHY_RETRY_POLICY,
      disableSubscriptionOverrides: false,
      defaultRequestPolicy: { headerContentType: 'text/plain; charset=UTF-8' },
      ...(set?.http ?? {}),
    },
  });
}

/**
 * Validates one subscription attribute and returns the value to store. `subscribing` selects
 * AWS's wording (`Invalid parameter: Attributes Reason: ...` on Subscribe).
 */
export function checkSubscriptionAttribute(
  name: string,
  value: string,
  ctx: { topicArn: string; protocol: string; endpoint: string; scope: FilterScope; subscribing: boolean },
): string {
  const prefix = ctx.subscribing ? 'Invalid parameter: Attributes Reason: ' : 'Invalid parameter: ';
  const fail = (reason: string) => new InvalidParameter(`${prefix}${reason}`);
  if (!SUBSCRIPTION_SETTABLE.has(name)) throw fail('AttributeName');
  switch (name) {
    case 'FilterPolicy':
      parseFilterPolicy(value, ctx.scope, prefix);
      return value;
    case 'FilterPolicyScope':
      if (value !== 'MessageAttributes' && value !== 'MessageBody') {
        throw fail(`FilterPolicyScope: Invalid value [${value}]. Please use either MessageBody or MessageAttributes`);
      }
      return value;
    case 'RawMessageDelivery': {
      const v = value.toLowerCase();
      if (v !== 'true' && v !== 'false')
        throw fail(`RawMessageDelivery: Invalid value [${value}]. Must be true or false.`);
      if (v === 'true' && !RAW_PROTOCOLS.has(ctx.protocol)) {
        throw fail(`Delivery protocol [${ctx.protocol}] does not support raw message delivery.`);
      }
      return v;
    }
    case 'RedrivePolicy': {
      if (value === '') return value;
      const policy = parseJson(value) as { deadLetterTargetArn?: unknown } | undefined;
      if (!policy) throw fail('RedrivePolicy: failed to parse JSON.');
      const target = typeof policy.deadLetterTargetArn === 'string' ? policy.deadLetterTargetArn : '';
      const parts = target.split(':');
      if (parts.length < 6 || parts[0] !== 'arn') throw fail('RedrivePolicy: deadLetterTargetArn is an invalid arn');
      if (ctx.topicArn.endsWith('.fifo') && ctx.endpoint.endsWith('.fifo') && !target.endsWith('.fifo')) {
        throw fail('RedrivePolicy: must use a FIFO queue as DLQ for a FIFO Subscription to a FIFO Topic.');
      }
      return value;
    }
    case 'DeliveryPolicy':
      if (value !== '' && !isJsonObject(value)) throw fail('DeliveryPolicy: failed to parse JSON.');
      return value;
    default:
      return value;
  }
}

/** Everything GetSubscriptionAttributes returns. */
export function subscriptionAttributes(
  sub: SubscriptionRecord,
  topic: TopicRecord | undefined,
): Record<string, string> {
  const out: Record<string, string> = {
    Owner: sub.owner,
    RawMessageDelivery: 'false',
    TopicArn: sub.topicArn,
    Endpoint: sub.endpoint,
    Protocol: sub.protocol,
    PendingConfirmation: String(sub.pending),
    ConfirmationWasAuthenticated: String(sub.authenticated),
    SubscriptionArn: sub.arn,
    SubscriptionPrincipal: sub.principal,
  };
  for (const [k, v] of Object.entries(sub.attributes)) out[k] = v;
  if (sub.attributes.FilterPolicy) out.FilterPolicyScope = sub.attributes.FilterPolicyScope ?? 'MessageAttributes';
  else delete out.FilterPolicyScope;
  if (sub.protocol === 'http' || sub.protocol === 'https') {
    out.EffectiveDeliveryPolicy = JSON.stringify({
      healthyRetryPolicy: healthyRetryPolicy(sub, topic),
      sicklyRetryPolicy: null,
      throttlePolicy: null,
      guaranteed: false,
    });
  }
  return out;
}

export interface RetryPolicy {
  minDelayTarget: number;
  maxDelayTarget: number;
  numRetries: number;
  numNoDelayRetries: number;
  numMinDelayRetries: number;
  numMaxDelayRetries: number;
  backoffFunction: string;
}

/** The subscription's healthyRetryPolicy, else the topic's http default, else SNS's default. */
export function healthyRetryPolicy(sub: SubscriptionRecord, topic: TopicRecord | undefined): RetryPolicy {
  const topicHttp = (parseJson(topic?.attributes.DeliveryPolicy) as { http?: Record<string, unknown> } | undefined)
    ?.http;
  const own = (parseJson(sub.attributes.DeliveryPolicy) as { healthyRetryPolicy?: object } | undefined)
    ?.healthyRetryPolicy;
  const fromTopic = topicHttp?.defaultHealthyRetryPolicy as object | undefined;
  const chosen = topicHttp?.disableSubscriptionOverrides === true ? fromTopic : (own ?? fromTopic);
  return { ...DEFAULT_HEALTHY_RETRY_POLICY, ...(chosen ?? {}) };
}

export function parseJson(value: string | undefined): unknown {
  if (!value) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function isJsonObject(value: string): boolean {
  const v = parseJson(value);
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
