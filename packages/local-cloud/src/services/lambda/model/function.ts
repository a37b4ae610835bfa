import { createHash } from 'node:crypto';

/** A function as stored: its configuration and where its code lives. */
export interface FunctionRecord {
  name: string;
  region: string;
  accountId: string;
  runtime: string;
  handler: string;
  role: string;
  description: string;
  timeout: number;
  memorySize: number;
  environment: Record<string, string>;
  /** A zip we hold (content-addressed by sha256), or a local directory used in place. */
  code: { kind: 'zip'; sha256: string; size: number } | { kind: 'dir'; path: string };
  lastModified: string;
  revisionId: string;
  tags: Record<string, string>;
  reservedConcurrency?: number;
  deadLetterArn?: string;
  tracingMode: 'PassThrough' | 'Active';
  architectures: string[];
  ephemeralStorage: number;
  logGroup?: string;
  eventInvokeConfig?: EventInvokeConfig;
  policy: PolicyStatement[];
}

export interface EventInvokeConfig {
  MaximumRetryAttempts?: number;
  MaximumEventAgeInSeconds?: number;
  DestinationConfig?: { OnSuccess?: { Destination?: string }; OnFailure?: { Destination?: string } };
  LastModified: number;
}

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: unknown;
  Action: string;
  Resource: string;
  Condition?: Record<string, unknown>;
}

export const RUNTIMES = [
  'nodejs20.x',
  'nodejs22.x',
  'nodejs24.x',
  'python3.9',
  'python3.10',
  'python3.11',
  'python3.12',
  'python3.13',
];

export function functionArn(f: Pick<FunctionRecord, 'region' | 'accountId' | 'name'>): string {
  return `arn:aws:lambda:${f.region}:${f.accountId}:function:${f.name}`;
}

/** CodeSha256 as Lambda reports it: base64 of the SHA-256 of the deployment package. */
export function codeSha256(zip: Buffer): string {
  return createHash('sha256').update(zip).digest('base64');
}

/** Lambda's LastModified format: 2026-01-01T00:00:00.000+0000. */
export function lambdaTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** FunctionConfiguration as GetFunctionConfiguration returns it. */
export function configuration(f: FunctionRecord) {
  return {
    FunctionName: f.name,
    FunctionArn: functionArn(f),
    Runtime: f.runtime,
    Role: f.role,
    Handler: f.handler,
    CodeSize: f.code.kind === 'zip' ? f.code.size : 0,
    Description: f.description,
    Timeout: f.timeout,
    MemorySize: f.memorySize,
    LastModified: f.lastModified,
    CodeSha256: f.code.kind === 'zip' ? f.code.sha256 : 'local-directory',
    Version: '$LATEST',
    ...(Object.keys(f.environment).length ? { Environment: { Variables: f.environment } } : {}),
    ...(f.deadLetterArn ? { DeadLetterConfig: { TargetArn: f.deadLetterArn } } : {}),
    TracingConfig: { Mode: f.tracingMode },
    RevisionId: f.revisionId,
    State: 'Active',
    LastUpdateStatus: 'Successful',
    PackageType: 'Zip',
    Architectures: f.architectures,
    EphemeralStorage: { Size: f.ephemeralStorage },
    SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
    LoggingConfig: { LogFormat: 'Text', LogGroup: f.logGroup ?? `/aws/lambda/${f.name}` },
  };
}
