import { errorClass } from '../../core/errors.js';

/**
 * CloudWatch wire errors. The service is awsQueryCompatible: the JSON `__type` names the modeled
 * shape, `x-amzn-query-error` (and the Query protocol) carry the legacy code, which SDKs map back.
 */
const NS = 'com.amazonaws.cloudwatch';
const cw = (code: string, queryCode: string, status = 400) => errorClass({ code, queryCode, status, namespace: NS });

export const InvalidParameterValueException = cw('InvalidParameterValueException', 'InvalidParameterValue');
export const InvalidParameterCombinationException = cw(
  'InvalidParameterCombinationException',
  'InvalidParameterCombination',
);
export const MissingRequiredParameterException = cw('MissingRequiredParameterException', 'MissingParameter');
export const ResourceNotFound = cw('ResourceNotFound', 'ResourceNotFound', 404);
export const ResourceNotFoundException = cw('ResourceNotFoundException', 'ResourceNotFoundException', 404);
export const InvalidNextToken = cw('InvalidNextToken', 'InvalidNextToken');
export const InvalidFormatFault = cw('InvalidFormatFault', 'InvalidFormat');
export const LimitExceededFault = cw('LimitExceededFault', 'LimitExceeded');
/** Constraint violations caught by the service framework (bad enum, range, length). */
export const ValidationError = errorClass({
  code: 'ValidationException',
  queryCode: 'ValidationError',
  status: 400,
  namespace: 'com.amazon.coral.validate',
});

export const invalidValue = (message: string) => new InvalidParameterValueException(message);
export const missing = (name: string) => new MissingRequiredParameterException(`The parameter ${name} is required.`);
export const invalidToken = () => new InvalidNextToken('The service returned an invalid next token.');
