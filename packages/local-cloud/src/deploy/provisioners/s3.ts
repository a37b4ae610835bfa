import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketPolicyCommand,
  type NotificationConfiguration,
  PutBucketNotificationConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
} from '@aws-sdk/client-s3';
import type { ProvisionContext, Provisioner } from '../types.js';
import { changed, ignoreMissing } from './util.js';

interface CfnRules {
  Filter?: { S3Key?: { Rules?: Array<{ Name: string; Value: string }> } };
  Event: string;
}

/** The CloudFormation spelling of a bucket's NotificationConfiguration → the S3 API's. */
function notificationConfig(cfn: Record<string, unknown> | undefined): NotificationConfiguration {
  const filter = (c: CfnRules) =>
    c.Filter?.S3Key?.Rules
      ? {
          Filter: {
            Key: { FilterRules: c.Filter.S3Key.Rules.map((r) => ({ Name: r.Name as 'prefix', Value: r.Value })) },
          },
        }
      : {};
  const list = <T>(k: string) => (cfn?.[k] as Array<CfnRules & T> | undefined) ?? [];
  return {
    QueueConfigurations: list<{ Queue: string }>('QueueConfigurations').map((c) => ({
      QueueArn: c.Queue,
      Events: [c.Event as 's3:ObjectCreated:*'],
      ...filter(c),
    })),
    TopicConfigurations: list<{ Topic: string }>('TopicConfigurations').map((c) => ({
      TopicArn: c.Topic,
      Events: [c.Event as 's3:ObjectCreated:*'],
      ...filter(c),
    })),
    LambdaFunctionConfigurations: list<{ Function: string }>('LambdaConfigurations').map((c) => ({
      LambdaFunctionArn: c.Function,
      Events: [c.Event as 's3:ObjectCreated:*'],
      ...filter(c),
    })),
  };
}

async function configure(name: string, props: Record<string, unknown>, ctx: ProvisionContext): Promise<void> {
  const tags = props.Tags as Array<{ Key: string; Value: string }> | undefined;
  if (tags?.length) await ctx.clients.s3.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: tags } }));
  if (props.NotificationConfiguration) {
    await ctx.clients.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: name,
        NotificationConfiguration: notificationConfig(props.NotificationConfiguration as Record<string, unknown>),
      }),
    );
  }
}

function bucketAttributes(name: string, region: string) {
  return {
    Arn: `arn:aws:s3:::${name}`,
    DomainName: `${name}.s3.amazonaws.com`,
    RegionalDomainName: `${name}.s3.${region}.amazonaws.com`,
    DualStackDomainName: `${name}.s3.dualstack.${region}.amazonaws.com`,
    WebsiteURL: `http://${name}.s3-website-${region}.amazonaws.com`,
  };
}

/** AWS::S3::Bucket: Ref is the bucket name. Encryption, versioning, lifecycle, CORS are accepted and ignored. */
export const bucket: Provisioner = {
  async create(props, ctx) {
    const name = (props.BucketName as string | undefined) ?? ctx.physicalName(63, { lowercase: true });
    await ctx.clients.s3.send(
      new CreateBucketCommand({
        Bucket: name,
        ...(ctx.region === 'us-east-1'
          ? {}
          : { CreateBucketConfiguration: { LocationConstraint: ctx.region as 'eu-west-1' } }),
      }),
    );
    await configure(name, props, ctx);
    return { physicalId: name, attributes: bucketAttributes(name, ctx.region) };
  },
  async update(old, props, ctx) {
    if (changed(old.properties, props).has('BucketName')) return 'replace';
    await configure(old.physicalId, props, ctx);
    return { physicalId: old.physicalId, attributes: old.attributes };
  },
  async delete(old, ctx) {
    // As on AWS, a bucket that still holds objects is not deleted (CloudFormation would fail; we keep it).
    try {
      await ignoreMissing(() => ctx.clients.s3.send(new DeleteBucketCommand({ Bucket: old.physicalId })));
    } catch (err) {
      if ((err as { name?: string }).name !== 'BucketNotEmpty') throw err;
    }
  },
};

/** AWS::S3::BucketPolicy. */
export const bucketPolicy: Provisioner = {
  async create(props, ctx) {
    await ctx.clients.s3.send(
      new PutBucketPolicyCommand({ Bucket: props.Bucket as string, Policy: JSON.stringify(props.PolicyDocument) }),
    );
    return { physicalId: props.Bucket as string };
  },
  async update(_old, props, ctx) {
    return bucketPolicy.create(props, ctx);
  },
  async delete(old, ctx) {
    await ignoreMissing(() => ctx.clients.s3.send(new DeleteBucketPolicyCommand({ Bucket: old.physicalId })));
  },
};

/**
 * Custom::S3BucketNotifications: CDK's custom resource (a Lambda on AWS) that puts a bucket's
 * notification configuration. local-cloud does its job directly; the handler function is not run.
 */
export const bucketNotifications: Provisioner = {
  async create(props, ctx) {
    await ctx.clients.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: props.BucketName as string,
        NotificationConfiguration: (props.NotificationConfiguration as NotificationConfiguration) ?? {},
      }),
    );
    return { physicalId: `${props.BucketName}-notifications` };
  },
  async update(_old, props, ctx) {
    return bucketNotifications.create(props, ctx);
  },
  async delete(old, ctx) {
    await ignoreMissing(() =>
      ctx.clients.s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket: old.properties.BucketName as string,
          NotificationConfiguration: {},
        }),
      ),
    );
  },
};
