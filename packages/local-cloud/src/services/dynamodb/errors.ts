import { errorClass } from '../../core/errors.js';

/** DynamoDB wire errors (AWS JSON 1.0, `__type` = `<namespace>#<code>`), aws-semantics §7. */
const NS = 'com.amazonaws.dynamodb.v20120810';
const ddb = (code: string, status = 400) => errorClass({ code, status, namespace: NS });

export const ValidationException = errorClass({
  code: 'ValidationException',
  status: 400,
  namespace: 'com.amazon.coral.validate',
});
export const ConditionalCheckFailedException = ddb('ConditionalCheckFailedException');
export const ResourceNotFoundException = ddb('ResourceNotFoundException');
export const ResourceInUseException = ddb('ResourceInUseException');
export const TransactionCanceledException = ddb('TransactionCanceledException');
export const TransactionConflictException = ddb('TransactionConflictException');
export const IdempotentParameterMismatchException = ddb('IdempotentParameterMismatchException');
export const TransactionInProgressException = ddb('TransactionInProgressException');
export const ItemCollectionSizeLimitExceededException = ddb('ItemCollectionSizeLimitExceededException');
export const LimitExceededException = ddb('LimitExceededException');
export const ProvisionedThroughputExceededException = ddb('ProvisionedThroughputExceededException');
export const InternalServerError = ddb('InternalServerError', 500);

/** `ValidationException` with AWS's text. */
export const validation = (message: string) => new ValidationException(message);
/** Data-plane "table not found" (PutItem, Query, BatchWriteItem...). */
export const tableNotFound = () => new ResourceNotFoundException('Requested resource not found');
/** DescribeContinuousBackups / UpdateContinuousBackups on a missing table. */
export const TableNotFoundException = ddb('TableNotFoundException');
