import {
  CreateTopicCommand,
  DeleteTopicCommand,
  SetSubscriptionAttributesCommand,
  SetTopicAttributesCommand,
  SubscribeCommand,
  UnsubscribeCommand,
} from '@aws-sdk/client-sns';
import type { Provisioner } from '../types.js';
import { attributeString, changed, ignoreMissing } from './util.js';

const TOPIC_ATTRIBUTES = [
  'DisplayName',
  'FifoTopic',
  'ContentBasedDeduplication',
  'KmsMasterKeyId',
  'TracingConfig',
  'SignatureVersion',
  'ArchivePolicy',
  'FifoThroughputScope',
];

function topicAttributes(props: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of TOPIC_ATTRIBUTES) if (props[a] !== undefined) out[a] = attributeString(props[a]);
  return out;
}

const tagList = (tags: unknown) =>
  Array.isArray(tags) && tags.length ? (tags as Array<{ Key: string; Value: string }>) : undefined;

/** AWS::SNS::Topic: Ref is the topic ARN; inline Subscription entries are subscribed too. */
export const topic: Provisioner = {
  async create(props, ctx) {
    const fifo = props.FifoTopic === true || props.FifoTopic === 'true';
    const name = (props.TopicName as string | undefined) ?? ctx.physicalName(256, fifo ? { suffix: '.fifo' } : {});
    const tags = tagList(props.Tags);
    const out = await ctx.clients.sns.send(
      new CreateTopicCommand({ Name: name, Attributes: topicAttributes(props), ...(tags ? { Tags: tags } : {}) }),
    );
    const arn = out.TopicArn as string;
    for (const s of (props.Subscription as Array<{ Protocol: string; Endpoint: string }> | undefined) ?? []) {
      await ctx.clients.sns.send(new SubscribeCommand({ TopicArn: arn, Protocol: s.Protocol, Endpoint: s.Endpoint }));
    }
    return { physicalId: arn, attributes: { TopicArn: arn, TopicName: name } };
  },
  async update(old, props, ctx) {
    const diff = changed(old.properties, props);
    if (diff.has('TopicName') || diff.has('FifoTopic') || diff.has('Subscription')) return 'replace';
    for (const [k, v] of Object.entries(topicAttributes(props))) {
      await ctx.clients.sns.send(
        new SetTopicAttributesCommand({ TopicArn: old.physicalId, AttributeName: k, AttributeValue: v }),
      );
    }
    return { physicalId: old.physicalId, attributes: old.attributes };
  },
  async delete(old, ctx) {
    await ignoreMissing(() => ctx.clients.sns.send(new DeleteTopicCommand({ TopicArn: old.physicalId })));
  },
};

const SUBSCRIPTION_ATTRIBUTES = [
  'FilterPolicy',
  'FilterPolicyScope',
  'RawMessageDelivery',
  'RedrivePolicy',
  'DeliveryPolicy',
  'SubscriptionRoleArn',
  'ReplayPolicy',
];

function subscriptionAttributes(props: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of SUBSCRIPTION_ATTRIBUTES) if (props[a] !== undefined) out[a] = attributeString(props[a]);
  return out;
}

/** AWS::SNS::Subscription: Ref is the subscription ARN. */
export const subscription: Provisioner = {
  async create(props, ctx) {
    const out = await ctx.clients.sns.send(
      new SubscribeCommand({
        TopicArn: props.TopicArn as string,
        Protocol: props.Protocol as string,
        Endpoint: props.Endpoint as string,
        Attributes: subscriptionAttributes(props),
        ReturnSubscriptionArn: true,
      }),
    );
    return { physicalId: out.SubscriptionArn as string, attributes: { Arn: out.SubscriptionArn } };
  },
  async update(old, props, ctx) {
    const diff = changed(old.properties, props);
    if (diff.has('TopicArn') || diff.has('Protocol') || diff.has('Endpoint')) return 'replace';
    const attrs = subscriptionAttributes(props);
    for (const k of SUBSCRIPTION_ATTRIBUTES)
      if (old.properties[k] !== undefined && attrs[k] === undefined)
        attrs[k] = k === 'RawMessageDelivery' ? 'false' : '';
    for (const [k, v] of Object.entries(attrs)) {
      await ctx.clients.sns.send(
        new SetSubscriptionAttributesCommand({ SubscriptionArn: old.physicalId, AttributeName: k, AttributeValue: v }),
      );
    }
    return { physicalId: old.physicalId, attributes: old.attributes };
  },
  async delete(old, ctx) {
    await ignoreMissing(() => ctx.clients.sns.send(new UnsubscribeCommand({ SubscriptionArn: old.physicalId })));
  },
};

/** AWS::SNS::TopicPolicy: the Policy attribute of each topic. */
export const topicPolicy: Provisioner = {
  async create(props, ctx) {
    for (const arn of props.Topics as string[]) {
      await ctx.clients.sns.send(
        new SetTopicAttributesCommand({
          TopicArn: arn,
          AttributeName: 'Policy',
          AttributeValue: JSON.stringify(props.PolicyDocument),
        }),
      );
    }
    return { physicalId: `${ctx.stackName}-${ctx.logicalId}` };
  },
  async update(old, props, ctx) {
    await topicPolicy.create(props, ctx);
    return { physicalId: old.physicalId };
  },
  async delete() {
    // The topic's policy stays as it was; the topic itself is deleted with its own resource.
  },
};
