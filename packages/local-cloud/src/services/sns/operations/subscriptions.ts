import type { RequestContext } from '../../../core/service.js';
import { checkSubscriptionAttribute, subscriptionAttributes } from '../attributes.js';
import { checkArn, InvalidParameter, invalid, subscriptionNotFound, topicNotFound } from '../errors.js';
import type { FilterScope } from '../filter-policy.js';
import { isFifoTopic, PROTOCOLS, type Protocol, type SubscriptionRecord, type TopicRecord } from '../model/records.js';
import type { SnsModel } from '../model/registry.js';
import { isE164 } from '../validation.js';
import { baseUrl, byKey, findTopic, paginate } from './common.js';

/** Subscribe, confirmation, Unsubscribe, subscription attributes and listings. */
function checkEndpoint(topic: TopicRecord, protocol: string, endpoint: string | undefined): string {
  if (!PROTOCOLS.includes(protocol)) {
    throw invalid(`Amazon SNS does not support this protocol string: ${protocol}`);
  }
  if (!endpoint) throw invalid('Endpoint');
  if (isFifoTopic(topic) && protocol !== 'sqs') throw invalid(`Invalid protocol type: ${protocol}`);
  switch (protocol) {
    case 'http':
    case 'https':
      if (!endpoint.startsWith(`${protocol}://`)) throw invalid('Endpoint must match the specified protocol');
      break;
    case 'sms':
      if (!isE164(endpoint)) throw new InvalidParameter(`Invalid SMS endpoint: ${endpoint}`);
      break;
    case 'email':
    case 'email-json':
      if (!/^[^@\s]+@[^@\s]+$/.test(endpoint)) throw invalid('Email address');
      break;
    case 'sqs':
      if (!/^arn:[^:]+:sqs:[^:]*:[^:]*:.+$/.test(endpoint)) throw invalid('SQS endpoint ARN');
      if (endpoint.endsWith('.fifo') && !isFifoTopic(topic)) {
        throw invalid(
          'Invalid parameter: Endpoint Reason: FIFO SQS Queues can not be subscribed to standard SNS topics',
        );
      }
      break;
    case 'lambda':
      if (!/^arn:[^:]+:lambda:[^:]*:[^:]*:function:.+$/.test(endpoint)) throw invalid('Lambda endpoint ARN');
      break;
    default:
      if (endpoint.split(':').length < 6) throw invalid(`${protocol} endpoint ARN`);
  }
  return endpoint;
}

function checkAttributes(
  attrs: Record<string, string>,
  ctx: { topicArn: string; protocol: string; endpoint: string; subscribing: boolean },
): Record<string, string> {
  const scope = (attrs.FilterPolicyScope ?? 'MessageAttributes') as FilterScope;
  const out: Record<string, string> = {};
  // The scope first: a FilterPolicy is validated against the scope it will be used with.
  const names = Object.keys(attrs).sort(
    (a, b) => Number(b === 'FilterPolicyScope') - Number(a === 'FilterPolicyScope'),
  );
  for (const name of names) out[name] = checkSubscriptionAttribute(name, attrs[name] as string, { ...ctx, scope });
  return out;
}

function findSubscription(model: SnsModel, arn: string | undefined): SubscriptionRecord {
  const sub = model.subscription(checkArn('SubscriptionArn', arn));
  if (!sub) throw subscriptionNotFound();
  return sub;
}

function listed(s: SubscriptionRecord) {
  return {
    SubscriptionArn: s.pending ? 'PendingConfirmation' : s.arn,
    Owner: s.owner,
    Protocol: s.protocol,
    Endpoint: s.endpoint,
    TopicArn: s.topicArn,
  };
}

export function subscriptionOperations(model: SnsModel) {
  return {
    Subscribe(
      input: {
        TopicArn?: string;
        Protocol?: string;
        Endpoint?: string;
        Attributes?: Record<string, string>;
        ReturnSubscriptionArn?: boolean;
      },
      ctx: RequestContext,
    ) {
      const topic = findTopic(model, input.TopicArn);
      const protocol = input.Protocol ?? '';
      const endpoint = checkEndpoint(topic, protocol, input.Endpoint);
      const attributes = checkAttributes(input.Attributes ?? {}, {
        topicArn: topic.arn,
        protocol,
        endpoint,
        subscribing: true,
      });
      const existing = model.findSubscription(topic.arn, protocol, endpoint);
      if (existing) {
        // Subscribe is idempotent unless the attributes differ.
        if (Object.entries(attributes).some(([k, v]) => (existing.attributes[k] ?? '') !== v)) {
          throw invalid('Attributes Reason: Subscription already exists with different attributes');
        }
        return {
          SubscriptionArn: existing.pending && !input.ReturnSubscriptionArn ? 'pending confirmation' : existing.arn,
        };
      }
      const sub = model.subscribe(
        topic,
        {
          protocol: protocol as Protocol,
          endpoint,
          owner: ctx.scope.accountId,
          principal: `arn:aws:iam::${ctx.scope.accountId}:user/${ctx.principal}`,
        },
        attributes,
        baseUrl(ctx),
      );
      // A person confirms email subscriptions: AWS answers "pending confirmation" even though
      // local-cloud confirms them at once.
      const awaitsPerson = sub.pending || sub.protocol === 'email' || sub.protocol === 'email-json';
      return { SubscriptionArn: awaitsPerson && !input.ReturnSubscriptionArn ? 'pending confirmation' : sub.arn };
    },

    ConfirmSubscription(input: { TopicArn?: string; Token?: string }, ctx: RequestContext) {
      const topicArn = input.TopicArn ?? '';
      if (topicArn.split(':').length < 6) throw invalid('Topic');
      const sub = input.Token ? model.subscriptionForToken(input.Token) : undefined;
      if (!sub) throw invalid('Token');
      if (sub.topicArn !== topicArn) throw invalid('Topic');
      if (!model.topic(topicArn)) throw topicNotFound();
      model.confirm(sub, ctx.principal !== 'anonymous');
      return { SubscriptionArn: sub.arn };
    },

    Unsubscribe(input: { SubscriptionArn?: string }, ctx: RequestContext) {
      const arn = checkArn('SubscriptionArn', input.SubscriptionArn);
      const sub = model.subscription(arn);
      if (!sub) {
        // A topic ARN (no subscription id) is malformed; an unknown subscription is already gone.
        if (arn.split(':').length === 6) throw invalid('SubscriptionId');
        return;
      }
      model.unsubscribe(sub, baseUrl(ctx));
    },

    GetSubscriptionAttributes(input: { SubscriptionArn?: string }) {
      const sub = findSubscription(model, input.SubscriptionArn);
      return { Attributes: subscriptionAttributes(sub, model.topic(sub.topicArn)) };
    },

    SetSubscriptionAttributes(input: { SubscriptionArn?: string; AttributeName?: string; AttributeValue?: string }) {
      const sub = findSubscription(model, input.SubscriptionArn);
      const name = input.AttributeName ?? '';
      const value = input.AttributeValue ?? '';
      const ctx = { topicArn: sub.topicArn, protocol: sub.protocol, endpoint: sub.endpoint, subscribing: false };
      const scope = (
        name === 'FilterPolicyScope' ? value : (sub.attributes.FilterPolicyScope ?? 'MessageAttributes')
      ) as FilterScope;
      const stored = checkSubscriptionAttribute(name, value, { ...ctx, scope });
      // A new scope must still accept the current filter policy.
      if (name === 'FilterPolicyScope' && sub.attributes.FilterPolicy) {
        checkSubscriptionAttribute('FilterPolicy', sub.attributes.FilterPolicy, { ...ctx, scope });
      }
      model.setSubscriptionAttribute(sub, name, stored);
    },

    ListSubscriptions(input: { NextToken?: string }, ctx: RequestContext) {
      const all = byKey(model.listSubscriptions(ctx.scope), (s) => s.arn);
      const { page, next } = paginate(all, (s) => s.arn, input.NextToken);
      return { Subscriptions: page.map(listed), NextToken: next };
    },

    ListSubscriptionsByTopic(input: { TopicArn?: string; NextToken?: string }) {
      const topic = findTopic(model, input.TopicArn);
      const all = byKey(model.subscriptionsOf(topic.arn), (s) => s.arn);
      const { page, next } = paginate(all, (s) => s.arn, input.NextToken);
      return { Subscriptions: page.map(listed), NextToken: next };
    },
  };
}
