/**
 * The contract between the DynamoDB operations and the expression engine.
 * Values travel in their wire form: B/BS members are base64 strings, N/NS are decimal strings.
 */
export interface AttributeValue {
  S?: string;
  N?: string;
  B?: string;
  SS?: string[];
  NS?: string[];
  BS?: string[];
  M?: Record<string, AttributeValue>;
  L?: AttributeValue[];
  NULL?: boolean;
  BOOL?: boolean;
}

export type Item = Record<string, AttributeValue>;

export interface KeySchemaElement {
  AttributeName: string;
  KeyType: 'HASH' | 'RANGE';
}

/** A compiled ConditionExpression or FilterExpression. */
export interface Condition {
  /** `item` is undefined when no item exists (attribute_not_exists(...) is then true). */
  evaluate(item: Item | undefined): boolean;
  /** The top-level attribute names the condition reads, in order of appearance. */
  attributes(): string[];
}

/** A compiled UpdateExpression. */
export interface Update {
  /** Returns a new item (the input is not mutated). Throws ValidationException for type errors. */
  apply(item: Item): Item;
  /** Top-level attribute names the expression touches (to reject updates of key attributes). */
  readonly topLevelNames: ReadonlySet<string>;
}

/** A compiled ProjectionExpression. */
export interface Projection {
  apply(item: Item): Item;
}

export type RangeCondition =
  | { op: '=' | '<' | '<=' | '>' | '>='; value: AttributeValue }
  | { op: 'BETWEEN'; low: AttributeValue; high: AttributeValue }
  | { op: 'begins_with'; prefix: AttributeValue };

/** A compiled KeyConditionExpression, resolved against the key schema of the table or index queried. */
export interface KeyCondition {
  hashName: string;
  hashValue: AttributeValue;
  rangeName?: string;
  range?: RangeCondition;
}

/**
 * One request's expressions share one scope: every `#name` and `:value` must be defined, and
 * every one defined must be used by some expression of the request (else ValidationException,
 * checked by finish()).
 */
export interface ExpressionScope {
  condition(expression: string, kind: 'ConditionExpression' | 'FilterExpression'): Condition;
  update(expression: string): Update;
  projection(expression: string): Projection;
  keyCondition(expression: string, keySchema: KeySchemaElement[]): KeyCondition;
  /** Throws ValidationException naming unused ExpressionAttributeNames / ExpressionAttributeValues. */
  finish(): void;
}
