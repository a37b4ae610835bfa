import { Match, type Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FeedbackStack } from '../../infra/feedback-stack.js';
import { synthStack } from './synth.js';

let template: Template;
let stack: FeedbackStack;

beforeAll(() => {
  ({ template, stack } = synthStack());
});

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are untyped JSON.
type Resource = { Type: string; Properties: Record<string, any>; Condition?: string };

function resources(type: string): [string, Resource][] {
  return Object.entries(template.findResources(type) as Record<string, Resource>);
}

function logicalId(construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as never);
}

const OUR_HANDLERS = [
  'submit-feedback',
  'store-feedback',
  'feedback-api',
  'import-file',
  'audit-upload',
  'queue-canary',
];

describe('functions', () => {
  it('has the six handlers on nodejs20.x with active tracing and Powertools settings', () => {
    const ours = resources('AWS::Lambda::Function').filter(
      ([, r]) => r.Properties.Environment?.Variables?.POWERTOOLS_SERVICE_NAME,
    );
    expect(ours.map(([, r]) => r.Properties.Environment.Variables.POWERTOOLS_SERVICE_NAME).sort()).toEqual(
      [...OUR_HANDLERS].sort(),
    );
    for (const [, fn] of ours) {
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogGroup: { Ref: expect.any(String) } },
      });
      expect(fn.Properties.Environment.Variables.POWERTOOLS_METRICS_NAMESPACE).toBe('FeedbackPipeline');
    }
  });

  it('keeps stable construct ids for the functions', () => {
    const paths = [
      stack.api.submit,
      stack.storage.store,
      stack.api.crud,
      stack.imports.importFile,
      stack.imports.auditUpload,
      stack.canary.canary,
    ].map((f) => f.node.id);
    expect(paths).toEqual([
      'SubmitFeedback',
      'StoreFeedback',
      'FeedbackApi',
      'ImportFile',
      'AuditUpload',
      'QueueCanary',
    ]);
  });

  it('gives every log group a one-week retention', () => {
    const groups = resources('AWS::Logs::LogGroup');
    expect(groups).toHaveLength(7);
    for (const [, group] of groups) expect(group.Properties.RetentionInDays).toBe(7);
  });
});

describe('queues', () => {
  it('dead-letters after 3 receives on feedback-queue, import-queue and audit-queue', () => {
    const redriven = resources('AWS::SQS::Queue').filter(([, q]) => q.Properties.RedrivePolicy);
    expect(redriven.map(([id]) => id).sort()).toEqual(
      [stack.storage.intake.queue, stack.imports.importQueue.queue, stack.imports.auditQueue.queue]
        .map(logicalId)
        .sort(),
    );
    for (const [, queue] of redriven) expect(queue.Properties.RedrivePolicy.maxReceiveCount).toBe(3);
  });

  it('gives the import queue a visibility timeout longer than the import function timeout', () => {
    const queue = template.toJSON().Resources[logicalId(stack.imports.importQueue.queue)];
    const fn = template.toJSON().Resources[logicalId(stack.imports.importFile.fn)];
    expect(queue.Properties.VisibilityTimeout).toBeGreaterThan(fn.Properties.Timeout);
  });

  it('maps feedback-queue to store-feedback in batches of ten with partial batch responses', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalId(stack.storage.intake.queue), 'Arn'] },
      FunctionName: { Ref: logicalId(stack.storage.store.fn) },
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
    const mappings = resources('AWS::Lambda::EventSourceMapping');
    expect(mappings).toHaveLength(3);
    for (const [, m] of mappings) expect(m.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
  });
});

describe('alerts', () => {
  it('alarms on visible messages in feedback-dlq and notifies ops-alerts', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [logicalId(stack.storage.intake.dlq), 'QueueName'] } }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      Period: 60,
      EvaluationPeriods: 1,
      AlarmActions: [{ Ref: logicalId(stack.alerts.topic) }],
    });
  });

  it('subscribes OpsEmail, and OpsPhone by SMS only when it is set', () => {
    const topic = { Ref: logicalId(stack.alerts.topic) };
    template.hasResourceProperties('AWS::SNS::Subscription', {
      TopicArn: topic,
      Protocol: 'email',
      Endpoint: { Ref: 'OpsEmail' },
    });
    const [sms] = resources('AWS::SNS::Subscription').filter(([, s]) => s.Properties.Protocol === 'sms');
    expect(sms?.[1]).toMatchObject({ Condition: expect.any(String), Properties: { Endpoint: { Ref: 'OpsPhone' } } });
    expect(template.toJSON().Conditions[sms![1].Condition!]).toEqual({
      'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'OpsPhone' }, ''] }],
    });
    template.hasParameter('OpsPhone', { Default: '' });
    template.hasParameter('SupportEmail', { Default: 'support@example.com' });
  });

  it('emails negative feedback to SupportEmail', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      TopicArn: { Ref: logicalId(stack.storage.events) },
      Protocol: 'email',
      Endpoint: { Ref: 'SupportEmail' },
    });
  });
});

describe('bulk import', () => {
  it('sends ObjectCreated notifications of the imports bucket to the uploads topic', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      BucketName: { Ref: logicalId(stack.imports.bucket) },
      NotificationConfiguration: {
        TopicConfigurations: [{ Events: ['s3:ObjectCreated:*'], TopicArn: { Ref: logicalId(stack.imports.uploads) } }],
      },
    });
  });

  it('fans the uploads topic out to import-queue and audit-queue', () => {
    const subs = resources('AWS::SNS::Subscription').filter(([, s]) => s.Properties.Protocol === 'sqs');
    expect(subs.map(([, s]) => s.Properties.Endpoint['Fn::GetAtt'][0]).sort()).toEqual(
      [stack.imports.importQueue.queue, stack.imports.auditQueue.queue].map(logicalId).sort(),
    );
    for (const [, s] of subs) expect(s.Properties.TopicArn).toEqual({ Ref: logicalId(stack.imports.uploads) });
  });

  it('blocks public access, encrypts and requires TLS on the bucket', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });
});

describe('HTTP API', () => {
  it('routes intake publicly and the management routes through IAM auth, all payload 2.0', () => {
    const routes = Object.fromEntries(
      resources('AWS::ApiGatewayV2::Route').map(([, r]) => [r.Properties.RouteKey, r.Properties.AuthorizationType]),
    );
    expect(routes).toEqual({
      'POST /feedback': 'NONE',
      'GET /feedback': 'AWS_IAM',
      'GET /feedback/{id}': 'AWS_IAM',
      'PUT /feedback/{id}': 'AWS_IAM',
      'DELETE /feedback/{id}': 'AWS_IAM',
    });
    for (const [, i] of resources('AWS::ApiGatewayV2::Integration')) {
      expect(i.Properties).toMatchObject({ IntegrationType: 'AWS_PROXY', PayloadFormatVersion: '2.0' });
    }
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { StageName: '$default', AutoDeploy: true });
  });
});

describe('queue canary', () => {
  it('runs every five minutes', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [logicalId(stack.canary.canary.fn), 'Arn'] } })],
    });
  });
});

describe('least privilege', () => {
  it('uses a wildcard resource only for X-Ray, which has no resource-level permissions', () => {
    for (const [id, policy] of resources('AWS::IAM::Policy')) {
      for (const statement of policy.Properties.PolicyDocument.Statement) {
        if (statement.Resource !== '*') continue;
        expect({ id, actions: statement.Action }).toEqual({
          id,
          actions: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'],
        });
      }
    }
  });

  it('grants no action wildcards to our functions', () => {
    for (const [, policy] of resources('AWS::IAM::Policy')) {
      for (const statement of policy.Properties.PolicyDocument.Statement) {
        for (const action of [statement.Action].flat()) expect(action).not.toContain('*');
      }
    }
  });

  it('lets store-feedback put, get and update items on the table only', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('StoreFeedback') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [logicalId(stack.storage.table), 'Arn'] },
          },
        ]),
      },
    });
  });
});

describe('outputs', () => {
  it('exports what the README and the local deployer use', () => {
    const outputs = Object.keys(template.toJSON().Outputs);
    expect(outputs).toEqual(
      expect.arrayContaining([
        'ApiUrl',
        'ImportsBucketName',
        'FeedbackTableName',
        'OpsAlertsTopicArn',
        'QueueCanaryFunctionName',
      ]),
    );
  });
});
