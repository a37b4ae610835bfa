import { errorClass } from '../../core/errors.js';

/** SQS wire errors: JSON name, legacy Query code and status as AWS sends them (aws-semantics §1.1). */
const NS = 'com.amazonaws.sqs';
const sqs = (code: string, status: number, queryCode?: string) =>
  errorClass({ code, status, namespace: NS, queryCode: queryCode ?? `AWS.SimpleQueueService.${code}` });
const plain = (code: string, status: number, queryCode = code) =>
  errorClass({ code, status, namespace: NS, queryCode });
const coral = (code: string, queryCode: string, status = 400) =>
  errorClass({ code, status, namespace: 'com.amazon.coral.service', queryCode });

export const QueueDoesNotExist = sqs('QueueDoesNotExist', 400, 'AWS.SimpleQueueService.NonExistentQueue');
export const QueueNameExists = plain('QueueNameExists', 400, 'QueueAlreadyExists');
export const QueueDeletedRecently = sqs('QueueDeletedRecently', 400);
export const PurgeQueueInProgress = sqs('PurgeQueueInProgress', 403);
export const ReceiptHandleIsInvalid = plain('ReceiptHandleIsInvalid', 404);
export const MessageNotInflight = sqs('MessageNotInflight', 400);
export const TooManyEntriesInBatchRequest = sqs('TooManyEntriesInBatchRequest', 400);
export const EmptyBatchRequest = sqs('EmptyBatchRequest', 400);
export const BatchEntryIdsNotDistinct = sqs('BatchEntryIdsNotDistinct', 400);
export const InvalidBatchEntryId = sqs('InvalidBatchEntryId', 400);
export const BatchRequestTooLong = sqs('BatchRequestTooLong', 400);
export const UnsupportedOperation = sqs('UnsupportedOperation', 400);
export const OverLimit = plain('OverLimit', 403);
export const InvalidAttributeName = plain('InvalidAttributeName', 400);
export const InvalidAttributeValue = plain('InvalidAttributeValue', 400);
export const InvalidMessageContents = plain('InvalidMessageContents', 400);
export const InvalidIdFormat = plain('InvalidIdFormat', 400);
export const ResourceNotFoundException = plain('ResourceNotFoundException', 404);
export const InvalidParameterValue = coral('InvalidParameterValueException', 'InvalidParameterValue');
export const MissingParameter = coral('MissingRequiredParameterException', 'MissingParameter');
export const InvalidAddress = plain('InvalidAddress', 404);

export const queueDoesNotExist = () => {
  const err = new QueueDoesNotExist('The specified queue does not exist.');
  err.queryMessage = 'The specified queue does not exist for this wsdl version.';
  return err;
};
export const missing = (param: string) => new MissingParameter(`The request must contain the parameter ${param}.`);
export const invalidValue = (param: string, value: unknown, reason: string) =>
  new InvalidParameterValue(`Value ${value} for parameter ${param} is invalid. Reason: ${reason}`);
