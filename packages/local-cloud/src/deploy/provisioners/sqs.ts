import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
  TagQueueCommand,
} from '@aws-sdk/client-sqs';
import type { ProvisionContext, Provisioner, ResourceState } from '../types.js';
import { attributeString, changed, ignoreMissing, tagMap } from './util.js';

const ATTRIBUTES = [
  'DelaySeconds',
  'MaximumMessageSize',
  'MessageRetentionPeriod',
  'ReceiveMessageWaitTimeSeconds',
  'VisibilityTimeout',
  'RedrivePolicy',
  'RedriveAllowPolicy',
  'FifoQueue',
  'ContentBasedDeduplication',
  'DeduplicationScope',
  'FifoThroughputLimit',
  'KmsMasterKeyId',
  'KmsDataKeyReusePeriodSeconds',
  'SqsManagedSseEnabled',
];

function attributes(props: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of ATTRIBUTES) if (props[a] !== undefined) out[a] = attributeString(props[a]);
  return out;
}

async function describe(ctx: ProvisionContext, url: string) {
  const got = await ctx.clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }),
  );
  const arn = got.Attributes?.QueueArn as string;
  return { physicalId: url, attributes: { Arn: arn, QueueName: arn.split(':').pop(), QueueUrl: url } };
}

/** AWS::SQS::Queue: Ref is the queue URL. */
export const queue: Provisioner = {
  async create(props, ctx) {
    const fifo = props.FifoQueue === true || props.FifoQueue === 'true';
    const name = (props.QueueName as string | undefined) ?? ctx.physicalName(80, fifo ? { suffix: '.fifo' } : {});
    const tags = tagMap(props.Tags);
    const out = await ctx.clients.sqs.send(
      new CreateQueueCommand({ QueueName: name, Attributes: attributes(props), ...(tags ? { tags } : {}) }),
    );
    return describe(ctx, out.QueueUrl as string);
  },
  async update(old, props, ctx) {
    const diff = changed(old.properties, props);
    if (diff.has('QueueName') || diff.has('FifoQueue')) return 'replace';
    const attrs = attributes(props);
    // Attributes removed from the template go back to their defaults.
    const defaults: Record<string, string> = {
      DelaySeconds: '0',
      MaximumMessageSize: '1048576',
      MessageRetentionPeriod: '345600',
      ReceiveMessageWaitTimeSeconds: '0',
      VisibilityTimeout: '30',
      RedrivePolicy: '',
    };
    for (const [k, v] of Object.entries(defaults))
      if (old.properties[k] !== undefined && props[k] === undefined) attrs[k] = v;
    if (Object.keys(attrs).length) {
      await ctx.clients.sqs.send(new SetQueueAttributesCommand({ QueueUrl: old.physicalId, Attributes: attrs }));
    }
    const tags = tagMap(props.Tags);
    if (tags) await ctx.clients.sqs.send(new TagQueueCommand({ QueueUrl: old.physicalId, Tags: tags }));
    return describe(ctx, old.physicalId);
  },
  async delete(old: ResourceState, ctx) {
    await ignoreMissing(() => ctx.clients.sqs.send(new DeleteQueueCommand({ QueueUrl: old.physicalId })));
  },
};

/** AWS::SQS::QueuePolicy: sets the Policy attribute of each queue. */
export const queuePolicy: Provisioner = {
  async create(props, ctx) {
    const policy = JSON.stringify(props.PolicyDocument);
    for (const url of props.Queues as string[]) {
      await ctx.clients.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: policy } }));
    }
    return { physicalId: `${ctx.stackName}-${ctx.logicalId}` };
  },
  async update(old, props, ctx) {
    return queuePolicy.create(props, ctx).then((r) => ({ ...r, physicalId: old.physicalId }));
  },
  async delete(old, ctx) {
    for (const url of (old.properties.Queues as string[]) ?? []) {
      await ignoreMissing(() =>
        ctx.clients.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: '' } })),
      );
    }
  },
};
