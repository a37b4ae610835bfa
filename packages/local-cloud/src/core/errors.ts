/**
 * Base of every wire error. Each AWS error code gets its own subclass that fixes
 * the code, HTTP status, fault and the legacy Query code; the message is AWS's own text.
 */
export type Fault = 'Sender' | 'Receiver';

export interface AwsErrorSpec {
  /** The JSON/REST error name, e.g. QueueDoesNotExist. */
  code: string;
  status: number;
  fault?: Fault;
  /** The awsQuery code (`x-amzn-query-error`), when it differs from code. */
  queryCode?: string;
  /** Shape namespace for awsJson `__type`, e.g. com.amazonaws.sqs. */
  namespace?: string;
}

export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  readonly fault: Fault;
  readonly queryCode: string;
  readonly namespace: string | undefined;
  /** Extra members serialised with the error (e.g. Lambda's Reason). */
  readonly extra: Record<string, unknown> = {};
  /** Extra response headers (e.g. Retry-After). */
  readonly headers: Record<string, string> = {};
  /** Wording the Query protocol uses where it differs from JSON (SQS's "...for this wsdl version."). */
  queryMessage?: string;

  constructor(spec: AwsErrorSpec, message: string) {
    super(message);
    this.name = spec.code;
    this.code = spec.code;
    this.status = spec.status;
    this.fault = spec.fault ?? (spec.status >= 500 ? 'Receiver' : 'Sender');
    this.queryCode = spec.queryCode ?? spec.code;
    this.namespace = spec.namespace;
  }
}

/** Declares an error class for one wire code. */
export function errorClass(spec: AwsErrorSpec) {
  return class extends AwsError {
    static readonly spec = spec;
    constructor(message: string) {
      super(spec, message);
    }
  };
}

const CORAL = 'com.amazon.coral.service';

export const UnknownOperationException = errorClass({
  code: 'UnknownOperationException',
  status: 400,
  namespace: CORAL,
});
export const SerializationException = errorClass({
  code: 'SerializationException',
  status: 400,
  namespace: CORAL,
});
/** Query protocol: unknown or missing Action. */
export const InvalidAction = errorClass({ code: 'InvalidAction', status: 400 });
export const MalformedQueryString = errorClass({ code: 'MalformedQueryString', status: 400 });
export const InternalFailure = errorClass({
  code: 'InternalFailure',
  status: 500,
  namespace: CORAL,
  queryCode: 'InternalFailure',
});
export const UnrecognizedClientException = errorClass({
  code: 'UnrecognizedClientException',
  status: 400,
  namespace: CORAL,
});
