/**
 * A small, hand-written description of operation inputs and outputs: enough for the
 * protocol codecs to turn JSON bodies and Query forms into typed input, and output into
 * JSON or XML. `q` is the member's Query/XML name where it differs from its JSON name.
 */
export type Shape =
  | { type: 'string' | 'integer' | 'long' | 'boolean' | 'blob' | 'timestamp' }
  /** Any JSON value, passed through as is (DynamoDB AttributeValues: the service validates them itself). */
  | { type: 'document' }
  | { type: 'list'; member: Shape; flattened?: boolean; memberName?: string }
  | {
      type: 'map';
      key: Shape;
      value: Shape;
      flattened?: boolean;
      keyName?: string;
      valueName?: string;
    }
  | StructureShape;

export interface StructureShape {
  type: 'structure';
  members: Record<string, Member>;
}

export type Member = Shape & { q?: string };

export const str: Shape = { type: 'string' };
export const int: Shape = { type: 'integer' };
export const long: Shape = { type: 'long' };
export const bool: Shape = { type: 'boolean' };
export const blob: Shape = { type: 'blob' };
export const doc: Shape = { type: 'document' };

export function struct(members: Record<string, Member>): StructureShape {
  return { type: 'structure', members };
}
export function list(member: Shape, opts: { flattened?: boolean; memberName?: string } = {}): Shape {
  return { type: 'list', member, ...opts };
}
export function map(value: Shape, opts: { flattened?: boolean; keyName?: string; valueName?: string } = {}): Shape {
  return { type: 'map', key: str, value, ...opts };
}
/** Gives a member its Query/XML name. */
export function named(q: string, shape: Shape): Member {
  return { ...shape, q };
}

export interface OperationShape {
  input: StructureShape;
  output: StructureShape;
}
