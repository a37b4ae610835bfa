import {
  blob,
  bool,
  int,
  list,
  long,
  map,
  named,
  type OperationShape,
  type Shape,
  str,
  struct,
} from '../../protocols/shapes.js';

/**
 * SQS inputs and outputs, with their Query names (every Query list and map in SQS is flattened).
 * JSON names are the member names; `named()` gives the Query/XML name.
 */
const attrMap = named('Attribute', map(str, { flattened: true, keyName: 'Name', valueName: 'Value' }));
const tagMap = named('Tag', map(str, { flattened: true, keyName: 'Key', valueName: 'Value' }));
const strList = (q: string) => named(q, list(str, { flattened: true }));

const attributeValue = struct({
  StringValue: str,
  BinaryValue: blob,
  StringListValues: named('StringListValue', list(str, { flattened: true })),
  BinaryListValues: named('BinaryListValue', list(blob, { flattened: true })),
  DataType: str,
});
const messageAttributes = named(
  'MessageAttribute',
  map(attributeValue, { flattened: true, keyName: 'Name', valueName: 'Value' }),
);
const systemAttributes = named(
  'MessageSystemAttribute',
  map(attributeValue, { flattened: true, keyName: 'Name', valueName: 'Value' }),
);
const batchError = struct({ Id: str, SenderFault: bool, Code: str, Message: str });
const failed = named('BatchResultErrorEntry', list(batchError, { flattened: true }));
const queueUrl = { QueueUrl: str };
const none = struct({});

const sendFields = {
  MessageBody: str,
  DelaySeconds: int,
  MessageAttributes: messageAttributes,
  MessageSystemAttributes: systemAttributes,
  MessageDeduplicationId: str,
  MessageGroupId: str,
};
const sendResultFields = {
  MD5OfMessageBody: str,
  MD5OfMessageAttributes: str,
  MD5OfMessageSystemAttributes: str,
  MessageId: str,
  SequenceNumber: str,
};

const message = struct({
  MessageId: str,
  ReceiptHandle: str,
  MD5OfBody: str,
  Body: str,
  Attributes: attrMap,
  MD5OfMessageAttributes: str,
  MessageAttributes: messageAttributes,
});

const moveTask = struct({
  TaskHandle: str,
  Status: str,
  SourceArn: str,
  DestinationArn: str,
  MaxNumberOfMessagesPerSecond: int,
  ApproximateNumberOfMessagesMoved: long,
  ApproximateNumberOfMessagesToMove: long,
  FailureReason: str,
  StartedTimestamp: long,
});

const batchOf = (entry: string, fields: Record<string, Shape>) =>
  named(entry, list(struct({ Id: str, ...fields }), { flattened: true }));
const resultOf = (entry: string, fields: Record<string, Shape> = {}) =>
  named(entry, list(struct({ Id: str, ...fields }), { flattened: true }));

export const SQS_SHAPES: Record<string, OperationShape> = {
  AddPermission: {
    input: struct({ ...queueUrl, Label: str, AWSAccountIds: strList('AWSAccountId'), Actions: strList('ActionName') }),
    output: none,
  },
  CancelMessageMoveTask: {
    input: struct({ TaskHandle: str }),
    output: struct({ ApproximateNumberOfMessagesMoved: long }),
  },
  ChangeMessageVisibility: {
    input: struct({ ...queueUrl, ReceiptHandle: str, VisibilityTimeout: int }),
    output: none,
  },
  ChangeMessageVisibilityBatch: {
    input: struct({
      ...queueUrl,
      Entries: batchOf('ChangeMessageVisibilityBatchRequestEntry', { ReceiptHandle: str, VisibilityTimeout: int }),
    }),
    output: struct({ Successful: resultOf('ChangeMessageVisibilityBatchResultEntry'), Failed: failed }),
  },
  CreateQueue: {
    input: struct({ QueueName: str, Attributes: attrMap, tags: tagMap }),
    output: struct({ QueueUrl: str }),
  },
  DeleteMessage: { input: struct({ ...queueUrl, ReceiptHandle: str }), output: none },
  DeleteMessageBatch: {
    input: struct({ ...queueUrl, Entries: batchOf('DeleteMessageBatchRequestEntry', { ReceiptHandle: str }) }),
    output: struct({ Successful: resultOf('DeleteMessageBatchResultEntry'), Failed: failed }),
  },
  DeleteQueue: { input: struct(queueUrl), output: none },
  GetQueueAttributes: {
    input: struct({ ...queueUrl, AttributeNames: strList('AttributeName') }),
    output: struct({ Attributes: attrMap }),
  },
  GetQueueUrl: {
    input: struct({ QueueName: str, QueueOwnerAWSAccountId: str }),
    output: struct({ QueueUrl: str }),
  },
  ListDeadLetterSourceQueues: {
    input: struct({ ...queueUrl, NextToken: str, MaxResults: int }),
    output: struct({ queueUrls: strList('QueueUrl'), NextToken: str }),
  },
  ListMessageMoveTasks: {
    input: struct({ SourceArn: str, MaxResults: int }),
    output: struct({ Results: named('ListMessageMoveTasksResultEntry', list(moveTask, { flattened: true })) }),
  },
  ListQueueTags: { input: struct(queueUrl), output: struct({ Tags: tagMap }) },
  ListQueues: {
    input: struct({ QueueNamePrefix: str, NextToken: str, MaxResults: int }),
    output: struct({ QueueUrls: strList('QueueUrl'), NextToken: str }),
  },
  PurgeQueue: { input: struct(queueUrl), output: none },
  ReceiveMessage: {
    input: struct({
      ...queueUrl,
      AttributeNames: strList('AttributeName'),
      MessageSystemAttributeNames: strList('MessageSystemAttributeName'),
      MessageAttributeNames: strList('MessageAttributeName'),
      MaxNumberOfMessages: int,
      VisibilityTimeout: int,
      WaitTimeSeconds: int,
      ReceiveRequestAttemptId: str,
    }),
    output: struct({ Messages: named('Message', list(message, { flattened: true })) }),
  },
  RemovePermission: { input: struct({ ...queueUrl, Label: str }), output: none },
  SendMessage: { input: struct({ ...queueUrl, ...sendFields }), output: struct(sendResultFields) },
  SendMessageBatch: {
    input: struct({ ...queueUrl, Entries: batchOf('SendMessageBatchRequestEntry', sendFields) }),
    output: struct({
      Successful: resultOf('SendMessageBatchResultEntry', sendResultFields),
      Failed: failed,
    }),
  },
  SetQueueAttributes: { input: struct({ ...queueUrl, Attributes: attrMap }), output: none },
  StartMessageMoveTask: {
    input: struct({ SourceArn: str, DestinationArn: str, MaxNumberOfMessagesPerSecond: int }),
    output: struct({ TaskHandle: str }),
  },
  TagQueue: { input: struct({ ...queueUrl, Tags: tagMap }), output: none },
  UntagQueue: { input: struct({ ...queueUrl, TagKeys: strList('TagKey') }), output: none },
};
