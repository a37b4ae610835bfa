import { AwsError, errorClass } from '../../core/errors.js';
import type { EdgeReply } from '../../core/http.js';

/** API Gateway's control-plane errors (v1 and v2): X-Amzn-ErrorType names the code, the body is {"message"}. */
export const NotFoundException = errorClass({ code: 'NotFoundException', status: 404 });
export const BadRequestException = errorClass({ code: 'BadRequestException', status: 400 });
export const ConflictException = errorClass({ code: 'ConflictException', status: 409 });
export const TooManyRequestsException = errorClass({ code: 'TooManyRequestsException', status: 429 });
export const UnknownOperation = errorClass({ code: 'UnknownOperationException', status: 404 });
export const InternalError = errorClass({ code: 'InternalServerErrorException', status: 500 });

export const apiNotFound = (accountId: string, apiId: string) =>
  new NotFoundException(`Invalid API identifier specified ${accountId}:${apiId}`);

export function apigwError(err: AwsError, requestId: string): EdgeReply {
  return {
    status: err.status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-errortype': err.code,
      'x-amzn-requestid': requestId,
      ...err.headers,
    },
    body: JSON.stringify({ message: err.message }),
  };
}

export { AwsError };
