import { errorClass } from '../../core/errors.js';

/** SNS wire errors (Query protocol only): code and status as botocore's model declares them (aws-semantics §4.1). */
const NS = 'com.amazonaws.sns';
const sns = (code: string, status: number) => errorClass({ code, status, namespace: NS });

export const InvalidParameter = sns('InvalidParameter', 400);
export const InvalidParameterValue = sns('ParameterValueInvalid', 400);
export const NotFound = sns('NotFound', 404);
export const ResourceNotFound = sns('ResourceNotFound', 404);
export const ValidationError = sns('ValidationError', 400);
export const BatchEntryIdsNotDistinct = sns('BatchEntryIdsNotDistinct', 400);
export const TooManyEntriesInBatchRequest = sns('TooManyEntriesInBatchRequest', 400);
export const BatchRequestTooLong = sns('BatchRequestTooLong', 400);
export const InvalidBatchEntryId = sns('InvalidBatchEntryId', 400);
export const EmptyBatchRequest = sns('EmptyBatchRequest', 400);
export const TagLimitExceeded = sns('TagLimitExceeded', 400);

export const invalid = (what: string) => new InvalidParameter(`Invalid parameter: ${what}`);
export const topicNotFound = () => new NotFound('Topic does not exist');
export const subscriptionNotFound = () => new NotFound('Subscription does not exist');

/** `Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not 1` */
export function checkArn(param: string, value: string | undefined): string {
  const arn = value ?? '';
  const count = arn.split(':').length;
  if (count < 6) throw invalid(`${param} Reason: An ARN must have at least 6 elements, not ${count}`);
  return arn;
}
