import { blob, bool, list, map, type OperationShape, str, struct } from '../../protocols/shapes.js';

/**
 * SNS inputs and outputs (botocore sns/2010-03-31). Unlike SQS, no SNS list or map is flattened:
 * lists are `Name.member.N`, maps `Name.entry.N.key/value`, and message attributes
 * `MessageAttributes.entry.N.Name/Value.*`.
 */
const attributes = map(str);
const tags = list(struct({ Key: str, Value: str }));
const messageAttributes = map(struct({ DataType: str, StringValue: str, BinaryValue: blob }), {
  keyName: 'Name',
  valueName: 'Value',
});
const subscription = struct({ SubscriptionArn: str, Owner: str, Protocol: str, Endpoint: str, TopicArn: str });
const none = struct({});
const topicArn = { TopicArn: str };
const subscriptionArn = { SubscriptionArn: str };
const publishFields = {
  Message: str,
  Subject: str,
  MessageStructure: str,
  MessageAttributes: messageAttributes,
  MessageDeduplicationId: str,
  MessageGroupId: str,
};

export const SNS_SHAPES: Record<string, OperationShape> = {
  AddPermission: {
    input: struct({ ...topicArn, Label: str, AWSAccountId: list(str), ActionName: list(str) }),
    output: none,
  },
  CheckIfPhoneNumberIsOptedOut: { input: struct({ phoneNumber: str }), output: struct({ isOptedOut: bool }) },
  ConfirmSubscription: {
    input: struct({ ...topicArn, Token: str, AuthenticateOnUnsubscribe: str }),
    output: struct(subscriptionArn),
  },
  CreateTopic: {
    input: struct({ Name: str, Attributes: attributes, Tags: tags, DataProtectionPolicy: str }),
    output: struct(topicArn),
  },
  DeleteTopic: { input: struct(topicArn), output: none },
  GetDataProtectionPolicy: { input: struct({ ResourceArn: str }), output: struct({ DataProtectionPolicy: str }) },
  GetSMSAttributes: { input: struct({ attributes: list(str) }), output: struct({ attributes }) },
  GetSMSSandboxAccountStatus: { input: none, output: struct({ IsInSandbox: bool }) },
  GetSubscriptionAttributes: { input: struct(subscriptionArn), output: struct({ Attributes: attributes }) },
  GetTopicAttributes: { input: struct(topicArn), output: struct({ Attributes: attributes }) },
  ListOriginationNumbers: {
    input: struct({ NextToken: str, MaxResults: { type: 'integer' } }),
    output: struct({ NextToken: str, PhoneNumbers: list(struct({ PhoneNumber: str, Status: str })) }),
  },
  ListPhoneNumbersOptedOut: {
    input: struct({ nextToken: str }),
    output: struct({ phoneNumbers: list(str), nextToken: str }),
  },
  ListSMSSandboxPhoneNumbers: {
    input: struct({ NextToken: str, MaxResults: { type: 'integer' } }),
    output: struct({ PhoneNumbers: list(struct({ PhoneNumber: str, Status: str })), NextToken: str }),
  },
  ListSubscriptions: {
    input: struct({ NextToken: str }),
    output: struct({ Subscriptions: list(subscription), NextToken: str }),
  },
  ListSubscriptionsByTopic: {
    input: struct({ ...topicArn, NextToken: str }),
    output: struct({ Subscriptions: list(subscription), NextToken: str }),
  },
  ListTagsForResource: { input: struct({ ResourceArn: str }), output: struct({ Tags: tags }) },
  ListTopics: {
    input: struct({ NextToken: str }),
    output: struct({ Topics: list(struct(topicArn)), NextToken: str }),
  },
  OptInPhoneNumber: { input: struct({ phoneNumber: str }), output: none },
  Publish: {
    input: struct({ ...topicArn, TargetArn: str, PhoneNumber: str, ...publishFields }),
    output: struct({ MessageId: str, SequenceNumber: str }),
  },
  PublishBatch: {
    input: struct({ ...topicArn, PublishBatchRequestEntries: list(struct({ Id: str, ...publishFields })) }),
    output: struct({
      Successful: list(struct({ Id: str, MessageId: str, SequenceNumber: str })),
      Failed: list(struct({ Id: str, Code: str, Message: str, SenderFault: bool })),
    }),
  },
  PutDataProtectionPolicy: { input: struct({ ResourceArn: str, DataProtectionPolicy: str }), output: none },
  RemovePermission: { input: struct({ ...topicArn, Label: str }), output: none },
  SetSMSAttributes: { input: struct({ attributes }), output: none },
  SetSubscriptionAttributes: {
    input: struct({ ...subscriptionArn, AttributeName: str, AttributeValue: str }),
    output: none,
  },
  SetTopicAttributes: { input: struct({ ...topicArn, AttributeName: str, AttributeValue: str }), output: none },
  Subscribe: {
    input: struct({ ...topicArn, Protocol: str, Endpoint: str, Attributes: attributes, ReturnSubscriptionArn: bool }),
    output: struct(subscriptionArn),
  },
  TagResource: { input: struct({ ResourceArn: str, Tags: tags }), output: none },
  Unsubscribe: { input: struct(subscriptionArn), output: none },
  UntagResource: { input: struct({ ResourceArn: str, TagKeys: list(str) }), output: none },
};
