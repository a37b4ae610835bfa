import { bool, doc, int, list, map, type OperationShape, str, struct } from '../../protocols/shapes.js';

/** EventBridge inputs and outputs (awsJson 1.1), from botocore's events/2015-10-07 model. */
const strList = list(str);
const none = struct({});
const tags = list(struct({ Key: str, Value: str }));
const ruleRef = { Name: str, EventBusName: str };
const page = { NextToken: str, Limit: int };
const failed = list(struct({ TargetId: str, ErrorCode: str, ErrorMessage: str }));

const rule = {
  Name: str,
  Arn: str,
  EventPattern: str,
  State: str,
  Description: str,
  ScheduleExpression: str,
  RoleArn: str,
  ManagedBy: str,
  EventBusName: str,
};

const target = struct({
  Id: str,
  Arn: str,
  RoleArn: str,
  Input: str,
  InputPath: str,
  InputTransformer: struct({ InputPathsMap: map(str), InputTemplate: str }),
  SqsParameters: struct({ MessageGroupId: str }),
  RetryPolicy: struct({ MaximumRetryAttempts: int, MaximumEventAgeInSeconds: int }),
  DeadLetterConfig: struct({ Arn: str }),
  KinesisParameters: doc,
  RunCommandParameters: doc,
  EcsParameters: doc,
  BatchParameters: doc,
  HttpParameters: doc,
  RedshiftDataParameters: doc,
  SageMakerPipelineParameters: doc,
  AppSyncParameters: doc,
});

export const EVENTS_SHAPES: Record<string, OperationShape> = {
  PutRule: {
    input: struct({
      ...ruleRef,
      ScheduleExpression: str,
      EventPattern: str,
      State: str,
      Description: str,
      RoleArn: str,
      Tags: tags,
    }),
    output: struct({ RuleArn: str }),
  },
  DescribeRule: { input: struct(ruleRef), output: struct({ ...rule, CreatedBy: str }) },
  ListRules: {
    input: struct({ NamePrefix: str, EventBusName: str, ...page }),
    output: struct({ Rules: list(struct(rule)), NextToken: str }),
  },
  DeleteRule: { input: struct({ ...ruleRef, Force: bool }), output: none },
  EnableRule: { input: struct(ruleRef), output: none },
  DisableRule: { input: struct(ruleRef), output: none },
  PutTargets: {
    input: struct({ Rule: str, EventBusName: str, Targets: list(target) }),
    output: struct({ FailedEntryCount: int, FailedEntries: failed }),
  },
  RemoveTargets: {
    input: struct({ Rule: str, EventBusName: str, Ids: strList, Force: bool }),
    output: struct({ FailedEntryCount: int, FailedEntries: failed }),
  },
  ListTargetsByRule: {
    input: struct({ Rule: str, EventBusName: str, ...page }),
    output: struct({ Targets: list(target), NextToken: str }),
  },
  ListRuleNamesByTarget: {
    input: struct({ TargetArn: str, EventBusName: str, ...page }),
    output: struct({ RuleNames: strList, NextToken: str }),
  },
  TagResource: { input: struct({ ResourceARN: str, Tags: tags }), output: none },
  UntagResource: { input: struct({ ResourceARN: str, TagKeys: strList }), output: none },
  ListTagsForResource: { input: struct({ ResourceARN: str }), output: struct({ Tags: tags }) },
  PutEvents: {
    input: struct({
      Entries: list(
        struct({
          Time: doc,
          Source: str,
          Resources: strList,
          DetailType: str,
          Detail: str,
          EventBusName: str,
          TraceHeader: str,
        }),
      ),
      EndpointId: str,
    }),
    output: struct({
      FailedEntryCount: int,
      Entries: list(struct({ EventId: str, ErrorCode: str, ErrorMessage: str })),
    }),
  },
  TestEventPattern: { input: struct({ EventPattern: str, Event: str }), output: struct({ Result: bool }) },
  DescribeEventBus: {
    input: struct({ Name: str }),
    output: struct({ Name: str, Arn: str, Description: str, Policy: str }),
  },
  ListEventBuses: {
    input: struct({ NamePrefix: str, ...page }),
    output: struct({
      EventBuses: list(struct({ Name: str, Arn: str, Description: str, Policy: str })),
      NextToken: str,
    }),
  },
};
