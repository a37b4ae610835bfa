import { bool, doc, int, type OperationShape, str, struct } from '../../protocols/shapes.js';

/**
 * DynamoDB inputs (awsJson 1.0), from botocore's dynamodb/2012-08-10 model. AttributeValues and the
 * structures around them pass through as `doc` (B stays a base64 string) and are validated by the
 * operations; outputs hold no blobs, so they are written as they are.
 */
const none = struct({});
const table = { TableName: str };
const capacity = { ReturnConsumedCapacity: str };
const expr = { ExpressionAttributeNames: doc, ExpressionAttributeValues: doc };
const itemWrite = {
  ...table,
  ...capacity,
  ...expr,
  ReturnValues: str,
  ReturnItemCollectionMetrics: str,
  ReturnValuesOnConditionCheckFailure: str,
  ConditionExpression: str,
  Expected: doc,
  ConditionalOperator: str,
};
const read = {
  ...table,
  ...capacity,
  ...expr,
  ConsistentRead: bool,
  ProjectionExpression: str,
  AttributesToGet: doc,
  Select: str,
  Limit: int,
  ExclusiveStartKey: doc,
  FilterExpression: str,
  ConditionalOperator: str,
};

export const DYNAMODB_SHAPES: Record<string, OperationShape> = {
  CreateTable: {
    input: struct({
      ...table,
      AttributeDefinitions: doc,
      KeySchema: doc,
      LocalSecondaryIndexes: doc,
      GlobalSecondaryIndexes: doc,
      BillingMode: str,
      ProvisionedThroughput: doc,
      StreamSpecification: doc,
      SSESpecification: doc,
      Tags: doc,
      TableClass: str,
      DeletionProtectionEnabled: bool,
      OnDemandThroughput: doc,
      ResourcePolicy: str,
      WarmThroughput: doc,
    }),
    output: none,
  },
  DescribeTable: { input: struct(table), output: none },
  UpdateTable: {
    input: struct({
      ...table,
      AttributeDefinitions: doc,
      BillingMode: str,
      ProvisionedThroughput: doc,
      GlobalSecondaryIndexUpdates: doc,
      StreamSpecification: doc,
      SSESpecification: doc,
      ReplicaUpdates: doc,
      TableClass: str,
      DeletionProtectionEnabled: bool,
      OnDemandThroughput: doc,
      WarmThroughput: doc,
    }),
    output: none,
  },
  DeleteTable: { input: struct(table), output: none },
  ListTables: { input: struct({ ExclusiveStartTableName: str, Limit: int }), output: none },
  TagResource: { input: struct({ ResourceArn: str, Tags: doc }), output: none },
  UntagResource: { input: struct({ ResourceArn: str, TagKeys: doc }), output: none },
  ListTagsOfResource: { input: struct({ ResourceArn: str, NextToken: str }), output: none },
  UpdateTimeToLive: { input: struct({ ...table, TimeToLiveSpecification: doc }), output: none },
  DescribeTimeToLive: { input: struct(table), output: none },
  DescribeContinuousBackups: { input: struct(table), output: none },
  UpdateContinuousBackups: { input: struct({ ...table, PointInTimeRecoverySpecification: doc }), output: none },
  DescribeEndpoints: { input: none, output: none },
  DescribeLimits: { input: none, output: none },
  PutItem: { input: struct({ ...itemWrite, Item: doc }), output: none },
  DeleteItem: { input: struct({ ...itemWrite, Key: doc }), output: none },
  UpdateItem: {
    input: struct({ ...itemWrite, Key: doc, UpdateExpression: str, AttributeUpdates: doc }),
    output: none,
  },
  GetItem: { input: struct({ ...read, Key: doc }), output: none },
  Query: {
    input: struct({
      ...read,
      IndexName: str,
      KeyConditionExpression: str,
      KeyConditions: doc,
      QueryFilter: doc,
      ScanIndexForward: bool,
    }),
    output: none,
  },
  Scan: {
    input: struct({ ...read, IndexName: str, ScanFilter: doc, Segment: int, TotalSegments: int }),
    output: none,
  },
  BatchGetItem: { input: struct({ RequestItems: doc, ...capacity }), output: none },
  BatchWriteItem: {
    input: struct({ RequestItems: doc, ...capacity, ReturnItemCollectionMetrics: str }),
    output: none,
  },
  TransactWriteItems: {
    input: struct({ TransactItems: doc, ...capacity, ReturnItemCollectionMetrics: str, ClientRequestToken: str }),
    output: none,
  },
  TransactGetItems: { input: struct({ TransactItems: doc, ...capacity }), output: none },
};
