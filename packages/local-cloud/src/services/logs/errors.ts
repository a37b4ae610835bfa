import { errorClass } from '../../core/errors.js';

/**
 * CloudWatch Logs wire errors. AWS sends a bare `__type` (e.g. `ResourceNotFoundException`); the edge
 * prefixes a namespace, which every SDK strips (see GAPS.md).
 */
// CloudWatch Logs sends a bare __type (no namespace).
const NS = '';
const logs = (code: string, status = 400) => errorClass({ code, status, namespace: NS });

export const ResourceNotFoundException = logs('ResourceNotFoundException');
export const ResourceAlreadyExistsException = logs('ResourceAlreadyExistsException');
export const InvalidParameterException = logs('InvalidParameterException');
export const TooManyTagsException = logs('TooManyTagsException');
export const LimitExceededException = logs('LimitExceededException');

export const groupNotFound = () => new ResourceNotFoundException('The specified log group does not exist.');
export const streamNotFound = () => new ResourceNotFoundException('The specified log stream does not exist.');
export const groupExists = () => new ResourceAlreadyExistsException('The specified log group already exists');
export const streamExists = () => new ResourceAlreadyExistsException('The specified log stream already exists');
export const invalidToken = () => new InvalidParameterException('The specified nextToken is invalid.');
export const invalid = (message: string) => new InvalidParameterException(message);
