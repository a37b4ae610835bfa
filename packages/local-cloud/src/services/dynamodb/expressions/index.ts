/** The DynamoDB expression engine: parse once per request, evaluate per item. */

export { formatPath, getPath } from './paths.js';
export { isReserved, RESERVED_WORDS } from './reserved.js';
export { createScope } from './scope.js';
export type * from './types.js';
