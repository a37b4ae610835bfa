import type { APIGatewayProxyEventV2, Context, ScheduledEvent, SQSEvent, SQSRecord } from 'aws-lambda';

export function lambdaContext(name = 'test-function'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    memoryLimitInMB: '256',
    awsRequestId: 'req-1',
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'stream',
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

export interface HttpEventOptions {
  body?: unknown;
  rawBody?: string;
  isBase64Encoded?: boolean;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  id?: string;
}

/** A payload 2.0 event as API Gateway sends it for `routeKey` (e.g. 'PUT /feedback/{id}'). */
export function httpEvent(routeKey: string, options: HttpEventOptions = {}): APIGatewayProxyEventV2 {
  const [method = 'GET', path = '/'] = routeKey.split(' ');
  const rawPath = options.id === undefined ? path : path.replace('{id}', options.id);
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers: { 'content-type': 'application/json', ...options.headers },
    ...(options.query && { queryStringParameters: options.query }),
    ...(options.id !== undefined && { pathParameters: { id: options.id } }),
    requestContext: {
      accountId: '000000000000',
      apiId: 'api',
      domainName: 'api.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'api',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'vitest' },
      requestId: 'r1',
      routeKey,
      stage: '$default',
      time: '23/Nov/2026:08:00:00 +0000',
      timeEpoch: 1_795_420_800_000,
    },
    ...(body !== undefined && { body }),
    isBase64Encoded: options.isBase64Encoded ?? false,
  };
}

export function sqsRecord(body: string, messageId: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `rh-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1795420800000',
      SenderId: 'AIDA',
      ApproximateFirstReceiveTimestamp: '1795420800000',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:queue',
    awsRegion: 'us-east-1',
  };
}

export function sqsEvent(...bodies: string[]): SQSEvent {
  return { Records: bodies.map((body, i) => sqsRecord(body, `m${i + 1}`)) };
}

export interface S3ObjectEvent {
  bucket?: string;
  key: string;
  size?: number;
  etag?: string;
  eventName?: string;
  eventTime?: string;
  sequencer?: string;
}

/** An SQS message body carrying an SNS notification (raw delivery off) whose Message is an S3 event. */
export function snsWrappedS3Body(...objects: S3ObjectEvent[]): string {
  const records = objects.map((o) => ({
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventTime: o.eventTime ?? '2026-11-23T08:00:00.000Z',
    eventName: o.eventName ?? 'ObjectCreated:Put',
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'cfg',
      bucket: { name: o.bucket ?? 'imports-bucket', arn: `arn:aws:s3:::${o.bucket ?? 'imports-bucket'}` },
      object: {
        key: o.key,
        size: o.size ?? 100,
        eTag: o.etag ?? 'etag-1',
        sequencer: o.sequencer ?? '0055AED6DCD90281E5',
      },
    },
  }));
  return snsEnvelope(JSON.stringify({ Records: records }));
}

export function snsEnvelope(message: string): string {
  return JSON.stringify({
    Type: 'Notification',
    MessageId: 'sns-1',
    TopicArn: 'arn:aws:sns:us-east-1:000000000000:uploads',
    Subject: 'Amazon S3 Notification',
    Message: message,
    Timestamp: '2026-11-23T08:00:00.000Z',
    SignatureVersion: '1',
    Signature: 'sig',
    SigningCertURL: 'https://sns.us-east-1.amazonaws.com/cert.pem',
    UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/unsubscribe',
  });
}

export function scheduledEvent(): ScheduledEvent {
  return {
    version: '0',
    id: 'evt-1',
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '000000000000',
    time: '2026-11-23T08:00:00Z',
    region: 'us-east-1',
    resources: ['arn:aws:events:us-east-1:000000000000:rule/canary'],
    detail: {},
  };
}
