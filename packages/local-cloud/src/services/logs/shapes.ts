import { bool, int, list, long, map, type OperationShape, str, struct } from '../../protocols/shapes.js';

/** CloudWatch Logs inputs and outputs (awsJson 1.1), from botocore's logs/2014-03-28 model. */
const strList = list(str);
const tags = map(str);
const none = struct({});
const group = { logGroupName: str };
const groupOrId = { logGroupName: str, logGroupIdentifier: str };

const logGroup = struct({
  logGroupName: str,
  creationTime: long,
  retentionInDays: int,
  metricFilterCount: int,
  arn: str,
  storedBytes: long,
  kmsKeyId: str,
  dataProtectionStatus: str,
  logGroupClass: str,
  logGroupArn: str,
  deletionProtectionEnabled: bool,
});

const logStream = struct({
  logStreamName: str,
  creationTime: long,
  firstEventTimestamp: long,
  lastEventTimestamp: long,
  lastIngestionTime: long,
  uploadSequenceToken: str,
  arn: str,
  storedBytes: long,
});

const outputEvent = struct({ timestamp: long, message: str, ingestionTime: long });
const filteredEvent = struct({ logStreamName: str, timestamp: long, message: str, ingestionTime: long, eventId: str });

export const LOGS_SHAPES: Record<string, OperationShape> = {
  CreateLogGroup: {
    input: struct({ ...group, kmsKeyId: str, tags, logGroupClass: str, deletionProtectionEnabled: bool }),
    output: none,
  },
  DeleteLogGroup: { input: struct(group), output: none },
  DescribeLogGroups: {
    input: struct({
      accountIdentifiers: strList,
      logGroupNamePrefix: str,
      logGroupNamePattern: str,
      nextToken: str,
      limit: int,
      includeLinkedAccounts: bool,
      logGroupClass: str,
      logGroupIdentifiers: strList,
    }),
    output: struct({ logGroups: list(logGroup), nextToken: str }),
  },
  CreateLogStream: { input: struct({ ...group, logStreamName: str }), output: none },
  DeleteLogStream: { input: struct({ ...group, logStreamName: str }), output: none },
  DescribeLogStreams: {
    input: struct({
      ...groupOrId,
      logStreamNamePrefix: str,
      orderBy: str,
      descending: bool,
      nextToken: str,
      limit: int,
    }),
    output: struct({ logStreams: list(logStream), nextToken: str }),
  },
  PutLogEvents: {
    input: struct({
      ...group,
      logStreamName: str,
      logEvents: list(struct({ timestamp: long, message: str })),
      sequenceToken: str,
    }),
    output: struct({
      nextSequenceToken: str,
      rejectedLogEventsInfo: struct({
        tooNewLogEventStartIndex: int,
        tooOldLogEventEndIndex: int,
        expiredLogEventEndIndex: int,
      }),
    }),
  },
  GetLogEvents: {
    input: struct({
      ...groupOrId,
      logStreamName: str,
      startTime: long,
      endTime: long,
      nextToken: str,
      limit: int,
      startFromHead: bool,
      unmask: bool,
    }),
    output: struct({ events: list(outputEvent), nextForwardToken: str, nextBackwardToken: str }),
  },
  FilterLogEvents: {
    input: struct({
      ...groupOrId,
      logStreamNames: strList,
      logStreamNamePrefix: str,
      startTime: long,
      endTime: long,
      filterPattern: str,
      nextToken: str,
      limit: int,
      interleaved: bool,
      unmask: bool,
    }),
    output: struct({
      events: list(filteredEvent),
      searchedLogStreams: list(struct({ logStreamName: str, searchedCompletely: bool })),
      nextToken: str,
    }),
  },
  PutRetentionPolicy: { input: struct({ ...group, retentionInDays: int }), output: none },
  DeleteRetentionPolicy: { input: struct(group), output: none },
  TagResource: { input: struct({ resourceArn: str, tags }), output: none },
  UntagResource: { input: struct({ resourceArn: str, tagKeys: strList }), output: none },
  ListTagsForResource: { input: struct({ resourceArn: str }), output: struct({ tags }) },
  TagLogGroup: { input: struct({ ...group, tags }), output: none },
  UntagLogGroup: { input: struct({ ...group, tags: strList }), output: none },
  ListTagsLogGroup: { input: struct(group), output: struct({ tags }) },
};
