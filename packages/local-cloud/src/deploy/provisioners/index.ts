import type { Provisioner } from '../types.js';
import { alarm, rule } from './alarms-events.js';
import * as v1 from './apigateway.js';
import * as v2 from './apigatewayv2.js';
import { table } from './dynamodb.js';
import { eventSourceMapping, lambdaFunction, permission } from './lambda.js';
import { logGroup, managedPolicy, policy, role } from './logs-iam.js';
import { bucket, bucketNotifications, bucketPolicy } from './s3.js';
import { subscription, topic, topicPolicy } from './sns.js';
import { queue, queuePolicy } from './sqs.js';

/** Every CloudFormation resource type local-cloud can deploy; anything else is reported and skipped. */
export const PROVISIONERS: Record<string, Provisioner> = {
  'AWS::SQS::Queue': queue,
  'AWS::SQS::QueuePolicy': queuePolicy,
  'AWS::SNS::Topic': topic,
  'AWS::SNS::Subscription': subscription,
  'AWS::SNS::TopicPolicy': topicPolicy,
  'AWS::S3::Bucket': bucket,
  'AWS::S3::BucketPolicy': bucketPolicy,
  'Custom::S3BucketNotifications': bucketNotifications,
  'AWS::DynamoDB::Table': table,
  'AWS::Lambda::Function': lambdaFunction,
  'AWS::Lambda::EventSourceMapping': eventSourceMapping,
  'AWS::Lambda::Permission': permission,
  'AWS::Logs::LogGroup': logGroup,
  'AWS::IAM::Role': role,
  'AWS::IAM::Policy': policy,
  'AWS::IAM::ManagedPolicy': managedPolicy,
  'AWS::ApiGatewayV2::Api': v2.api,
  'AWS::ApiGatewayV2::Integration': v2.integration,
  'AWS::ApiGatewayV2::Route': v2.route,
  'AWS::ApiGatewayV2::Stage': v2.stage,
  'AWS::ApiGatewayV2::Deployment': v2.deployment,
  'AWS::ApiGateway::RestApi': v1.restApi,
  'AWS::ApiGateway::Resource': v1.resource,
  'AWS::ApiGateway::Method': v1.method,
  'AWS::ApiGateway::Deployment': v1.deployment,
  'AWS::ApiGateway::Stage': v1.stage,
  'AWS::CloudWatch::Alarm': alarm,
  'AWS::Events::Rule': rule,
};
