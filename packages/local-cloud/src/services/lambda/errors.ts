import { errorClass } from '../../core/errors.js';

/** Lambda's restJson errors: X-Amzn-ErrorType is the code; the body says Type and message. */
export const ResourceNotFoundException = errorClass({ code: 'ResourceNotFoundException', status: 404 });
export const ResourceConflictException = errorClass({ code: 'ResourceConflictException', status: 409 });
export const InvalidParameterValueException = errorClass({ code: 'InvalidParameterValueException', status: 400 });
export const ValidationException = errorClass({ code: 'ValidationException', status: 400 });
export const RequestTooLargeException = errorClass({ code: 'RequestTooLargeException', status: 413 });
export const InvalidRequestContentException = errorClass({ code: 'InvalidRequestContentException', status: 400 });
export const UnsupportedMediaTypeException = errorClass({ code: 'UnsupportedMediaTypeException', status: 415 });
export const TooManyRequestsException = errorClass({ code: 'TooManyRequestsException', status: 429 });
export const PreconditionFailedException = errorClass({ code: 'PreconditionFailedException', status: 412 });
export const ServiceException = errorClass({ code: 'ServiceException', status: 500 });
export const UnknownOperation = errorClass({ code: 'UnknownOperationException', status: 404 });

export const functionNotFound = (arn: string) => new ResourceNotFoundException(`Function not found: ${arn}`);

/** `1 validation error detected: Value 'x' at 'field' failed to satisfy constraint: ...` */
export function validation(field: string, value: unknown, constraint: string) {
  const shown = value === undefined || value === null ? 'null' : `'${String(value)}'`;
  return new ValidationException(
    `1 validation error detected: Value ${shown} at '${field}' failed to satisfy constraint: ${constraint}`,
  );
}

/** Throttles name their cause in Reason and carry Retry-After. */
export function throttled(reason: string, message = 'Rate Exceeded.') {
  const err = new TooManyRequestsException(message);
  err.extra.Reason = reason;
  err.extra.retryAfterSeconds = '1';
  err.headers['retry-after'] = '1';
  return err;
}
