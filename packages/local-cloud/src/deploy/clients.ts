import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { EdgeReply, EdgeRequest } from '../core/http.js';
import { InProcessHandler } from './in-process.js';

export interface Clients {
  sqs: SQSClient;
  sns: SNSClient;
  s3: S3Client;
  dynamodb: DynamoDBClient;
  lambda: LambdaClient;
  logs: CloudWatchLogsClient;
  apigatewayv2: ApiGatewayV2Client;
  apigateway: APIGatewayClient;
  cloudwatch: CloudWatchClient;
  events: EventBridgeClient;
}

/**
 * SDK clients that reach the edge in process. The access key is the account id, which the edge
 * reads as the caller's account (its local convention for 12-digit keys).
 */
export function inProcessClients(
  dispatch: (req: EdgeRequest) => Promise<EdgeReply>,
  /** The cloud's URL: resources' URLs (queue URLs, API endpoints) are built from its host. */
  endpoint: string,
  region: string,
  accountId: string,
): Clients {
  const config = {
    region,
    endpoint,
    credentials: { accessKeyId: accountId, secretAccessKey: 'local-cloud' },
    requestHandler: new InProcessHandler(dispatch),
    maxAttempts: 1,
  };
  return {
    sqs: new SQSClient(config),
    sns: new SNSClient(config),
    s3: new S3Client({ ...config, forcePathStyle: true }),
    dynamodb: new DynamoDBClient(config),
    lambda: new LambdaClient(config),
    logs: new CloudWatchLogsClient(config),
    apigatewayv2: new ApiGatewayV2Client(config),
    apigateway: new APIGatewayClient(config),
    cloudwatch: new CloudWatchClient(config),
    events: new EventBridgeClient(config),
  };
}
