import { AwsError, errorClass } from '../../core/errors.js';
import type { EdgeReply } from '../../core/http.js';
import { escapeXml } from '../../protocols/xml.js';

/** S3 errors: one class per wire code, AWS's status and wording. Extra members go in `extra`. */
const s3 = (code: string, status: number) => errorClass({ code, status });

export const NoSuchBucket = s3('NoSuchBucket', 404);
export const NoSuchKey = s3('NoSuchKey', 404);
export const NoSuchUpload = s3('NoSuchUpload', 404);
export const NoSuchTagSet = s3('NoSuchTagSet', 404);
export const NoSuchBucketPolicy = s3('NoSuchBucketPolicy', 404);
export const BucketNotEmpty = s3('BucketNotEmpty', 409);
export const BucketAlreadyOwnedByYou = s3('BucketAlreadyOwnedByYou', 409);
export const BucketAlreadyExists = s3('BucketAlreadyExists', 409);
export const InvalidBucketName = s3('InvalidBucketName', 400);
export const InvalidRange = s3('InvalidRange', 416);
export const PreconditionFailed = s3('PreconditionFailed', 412);
export const InvalidArgument = s3('InvalidArgument', 400);
export const InvalidRequest = s3('InvalidRequest', 400);
export const MalformedXML = s3('MalformedXML', 400);
export const MalformedPolicy = s3('MalformedPolicy', 400);
export const InvalidPart = s3('InvalidPart', 400);
export const InvalidPartOrder = s3('InvalidPartOrder', 400);
export const EntityTooSmall = s3('EntityTooSmall', 400);
export const BadDigest = s3('BadDigest', 400);
export const IncompleteBody = s3('IncompleteBody', 400);
export const MethodNotAllowed = s3('MethodNotAllowed', 405);
export const NotImplemented = s3('NotImplemented', 501);
export const InternalError = s3('InternalError', 500);
export const AccessDenied = s3('AccessDenied', 403);
export const MaxMessageLengthExceeded = s3('MaxMessageLengthExceeded', 400);
export const AuthorizationQueryParametersError = s3('AuthorizationQueryParametersError', 400);

export function noSuchBucket(bucket: string): AwsError {
  const e = new NoSuchBucket('The specified bucket does not exist');
  e.extra.BucketName = bucket;
  return e;
}

export function noSuchKey(key: string): AwsError {
  const e = new NoSuchKey('The specified key does not exist.');
  e.extra.Key = key;
  return e;
}

export function noSuchUpload(uploadId: string): AwsError {
  const e = new NoSuchUpload(
    'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.',
  );
  e.extra.UploadId = uploadId;
  return e;
}

/** `<Error><Code>..</Code><Message>..</Message>...<RequestId>..</RequestId><HostId>..</HostId></Error>` */
export function s3Error(err: AwsError, requestId: string, hostId: string): EdgeReply {
  let extra = '';
  for (const [k, v] of Object.entries(err.extra)) extra += `<${k}>${escapeXml(String(v))}</${k}>`;
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<Error><Code>${err.code}</Code><Message>${escapeXml(err.message)}</Message>${extra}` +
    `<RequestId>${requestId}</RequestId><HostId>${hostId}</HostId></Error>`;
  return {
    status: err.status,
    headers: {
      'content-type': 'application/xml',
      'x-amz-request-id': requestId,
      'x-amz-id-2': hostId,
      ...err.headers,
    },
    body,
  };
}

export { AwsError };
