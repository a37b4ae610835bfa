/**
 * The operations' view of the expression engine and value rules (expressions/ and values.ts,
 * maintained separately): one import point, so the operations do not depend on their layout.
 */
export { createScope } from './expressions/index.js';
export { itemSize, validatedItem } from './values.js';
