import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetFunctionConfigurationCommand, InvokeCommand } from '@aws-sdk/client-lambda';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloud, ManualClock } from '../../src/index.js';
import { credentials, sqsClient, startManual } from '../helpers.js';
import { decode, lambdaClient } from '../lambda/helpers.js';
import { assetCode, BOOTSTRAP, writeAssembly } from './fixture.js';

const HANDLER = `export const handler = async (event) => ({ greeting: process.env.GREETING, got: event });`;

function template(opts: { visibility: number; greeting: string; withTable: boolean; alerts?: string }) {
  return {
    ...BOOTSTRAP,
    Parameters: { ...BOOTSTRAP.Parameters, AlertPhone: { Type: 'String', Default: opts.alerts ?? '' } },
    Conditions: { HasPhone: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'AlertPhone' }, ''] }] } },
    Resources: {
      Dlq: { Type: 'AWS::SQS::Queue', Properties: { MessageRetentionPeriod: 1209600 } },
      Work: {
        Type: 'AWS::SQS::Queue',
        Properties: {
          VisibilityTimeout: opts.visibility,
          RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['Dlq', 'Arn'] }, maxReceiveCount: 3 },
        },
      },
      Events: { Type: 'AWS::SNS::Topic' },
      EventsToWork: {
        Type: 'AWS::SNS::Subscription',
        Properties: {
          TopicArn: { Ref: 'Events' },
          Protocol: 'sqs',
          Endpoint: { 'Fn::GetAtt': ['Work', 'Arn'] },
          RawMessageDelivery: true,
        },
      },
      Sms: {
        Type: 'AWS::SNS::Subscription',
        Condition: 'HasPhone',
        Properties: { TopicArn: { Ref: 'Events' }, Protocol: 'sms', Endpoint: { Ref: 'AlertPhone' } },
      },
      FnRole: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: {
            Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } }],
          },
        },
      },
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Code: assetCode('abc123'),
          Handler: 'index.handler',
          Runtime: 'nodejs20.x',
          Role: { 'Fn::GetAtt': ['FnRole', 'Arn'] },
          Environment: { Variables: { GREETING: opts.greeting, QUEUE_URL: { Ref: 'Work' } } },
        },
        DependsOn: ['FnRole'],
      },
      Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
      ...(opts.withTable
        ? {
            Table: {
              Type: 'AWS::DynamoDB::Table',
              Properties: {
                KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
                AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
                BillingMode: 'PAY_PER_REQUEST',
              },
            },
          }
        : {}),
      CDKMetadata: { Type: 'AWS::CDK::Metadata', Properties: { Analytics: 'v2:deflate64:xyz' } },
    },
    Outputs: {
      QueueUrl: { Value: { Ref: 'Work' } },
      FunctionName: { Value: { Ref: 'Fn' } },
      Summary: {
        Value: {
          'Fn::Join': [
            '/',
            [{ Ref: 'AWS::Region' }, { 'Fn::Select': [1, { 'Fn::Split': [':', { 'Fn::GetAtt': ['Dlq', 'Arn'] }] }] }],
          ],
        },
      },
      Described: { Value: { 'Fn::Sub': 'topic ${Events} in ${AWS::AccountId}' } },
      ...(opts.withTable ? { TableName: { Value: { Ref: 'Table' } } } : {}),
    },
  };
}

describe('local-cloud deploys a cloud assembly', () => {
  let cloud: LocalCloud<ManualClock>;
  beforeAll(async () => {
    cloud = await startManual();
  });
  afterAll(() => cloud.stop());

  it('creates resources in dependency order, resolves intrinsics, prints outputs and skips what it cannot run', async () => {
    const dir = writeAssembly(template({ visibility: 30, greeting: 'hello', withTable: true }), {
      abc123: { 'index.mjs': HANDLER },
    });
    const lines: string[] = [];
    const { stacks } = await cloud.deploy(dir, { progress: (l) => lines.push(l) });
    const stack = stacks[0];
    expect(stack?.skipped).toEqual(['Vpc (AWS::EC2::VPC)']);
    expect(lines.some((l) => l.includes('SKIP Vpc: AWS::EC2::VPC is not supported'))).toBe(true);
    expect(stack?.created).not.toContain('Sms'); // condition false: no phone given
    const out = stack?.outputs ?? {};
    expect(out.QueueUrl).toMatch(/\/000000000000\/TestStack-Work-[A-Z0-9]{12}$/);
    expect(out.Summary).toBe('us-east-1/aws');
    expect(out.Described).toMatch(/^topic arn:aws:sns:us-east-1:000000000000:TestStack-Events-\w+ in 000000000000$/);

    // The function runs the asset's code with the environment the template gave it.
    const lambda = lambdaClient(cloud);
    const res = await lambda.send(
      new InvokeCommand({ FunctionName: out.FunctionName, Payload: Buffer.from('{"n":1}') }),
    );
    expect(decode(res.Payload)).toEqual({ greeting: 'hello', got: { n: 1 } });

    // SNS → SQS subscription with raw delivery, and the queue's redrive policy.
    const sqs = sqsClient(cloud);
    const sns = new SNSClient({ endpoint: cloud.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    const topic = (stack?.outputs.Described ?? '').split(' ')[1];
    await sns.send(new PublishCommand({ TopicArn: topic, Message: 'via sns' }));
    const got = await sqs.send(new ReceiveMessageCommand({ QueueUrl: out.QueueUrl, WaitTimeSeconds: 1 }));
    expect(got.Messages?.[0]?.Body).toBe('via sns');
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: out.QueueUrl, AttributeNames: ['All'] }));
    expect(JSON.parse(attrs.Attributes?.RedrivePolicy ?? '{}').maxReceiveCount).toBe(3);
  });

  it('redeploys in place: changed properties update, removed resources go, queued messages and items stay', async () => {
    const dir = writeAssembly(template({ visibility: 30, greeting: 'hello', withTable: true }), {
      abc123: { 'index.mjs': HANDLER },
    });
    const first = (await cloud.deploy(dir)).stacks[0];
    const queueUrl = first?.outputs.QueueUrl as string;
    const tableName = first?.outputs.TableName as string;
    const sqs = sqsClient(cloud);
    await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: 'keep me' }));
    const ddb = new DynamoDBClient({ endpoint: cloud.url, region: 'us-east-1', credentials, maxAttempts: 1 });
    await ddb.send(new PutItemCommand({ TableName: tableName, Item: { pk: { S: 'item-1' } } }));

    // The new template changes properties and points the function at a new asset.
    const t = template({ visibility: 120, greeting: 'bonjour', withTable: true, alerts: '+15555550100' });
    (t.Resources.Fn.Properties as { Code: unknown }).Code = assetCode('def456');
    const next = writeAssembly(t, { def456: { 'index.mjs': HANDLER.replace('greeting:', 'version: 2, greeting:') } });
    const second = (await cloud.deploy(next)).stacks[0];
    expect(second?.outputs.QueueUrl).toBe(queueUrl);
    expect(second?.updated).toEqual(expect.arrayContaining(['Work', 'Fn']));
    expect(second?.created).toContain('Sms');
    const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['All'] }));
    expect(attrs.Attributes?.VisibilityTimeout).toBe('120');
    expect(attrs.Attributes?.ApproximateNumberOfMessages).toBe('1');
    expect(
      (await ddb.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: 'item-1' } } }))).Item,
    ).toBeDefined();
    const lambda = lambdaClient(cloud);
    const res = await lambda.send(
      new InvokeCommand({ FunctionName: second?.outputs.FunctionName, Payload: Buffer.from('{}') }),
    );
    expect(decode(res.Payload)).toEqual({ version: 2, greeting: 'bonjour', got: {} });

    // Dropping the table from the template deletes it.
    const third = (
      await cloud.deploy(
        writeAssembly(template({ visibility: 120, greeting: 'bonjour', withTable: false }), {
          abc123: { 'index.mjs': HANDLER },
        }),
      )
    ).stacks[0];
    expect(third?.deleted).toEqual(expect.arrayContaining(['Table', 'Sms']));
    const cfg = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName: third?.outputs.FunctionName }));
    expect(cfg.Environment?.Variables?.GREETING).toBe('bonjour');
  });

  it('reports a template error with the resource that failed, without crashing', async () => {
    const bad = { Resources: { Q: { Type: 'AWS::SQS::Queue', Properties: { VisibilityTimeout: 999999 } } } };
    await expect(cloud.deploy(writeAssembly(bad, {}, undefined, 'BadStack'))).rejects.toThrow(
      /Q \(AWS::SQS::Queue\) failed: InvalidAttributeValue/,
    );
  });
});
