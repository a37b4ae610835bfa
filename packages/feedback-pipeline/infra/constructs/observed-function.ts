import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Function as LambdaFunction, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { bundledCode } from './bundled-code.js';

export const METRICS_NAMESPACE = 'FeedbackPipeline';
// AWS deprecated nodejs20.x on 2026-04-30; creating functions on it stops on 2027-02-01 (see README).
export const RUNTIME = Runtime.NODEJS_20_X;

export interface ObservedFunctionProps {
  /** File name under src/handlers, without extension; also the Powertools service name. */
  handler: string;
  description: string;
  environment?: Record<string, string>;
  timeout?: Duration;
  memorySize?: number;
}

/** A Node.js function with its own one-week log group, active tracing and Powertools settings. */
export class ObservedFunction extends Construct {
  readonly fn: LambdaFunction;
  readonly logGroup: LogGroup;

  constructor(scope: Construct, id: string, props: ObservedFunctionProps) {
    super(scope, id);
    this.logGroup = new LogGroup(this, 'LogGroup', {
      retention: RetentionDays.ONE_WEEK,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.fn = new LambdaFunction(this, 'Function', {
      code: bundledCode(fileURLToPath(new URL(`../../src/handlers/${props.handler}.ts`, import.meta.url)), RUNTIME),
      handler: 'index.handler',
      description: props.description,
      runtime: RUNTIME,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(15),
      tracing: Tracing.ACTIVE,
      logGroup: this.logGroup,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.handler,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
    });
    const nag = Validations.of(this);
    nag.acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: 'AWSLambdaBasicExecutionRole only allows writing this function’s own logs.',
    });
    nag.acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'X-Ray PutTraceSegments/PutTelemetryRecords support no resource-level permissions.',
    });
    nag.acknowledge({
      id: 'AwsSolutions-L1',
      reason: 'Pinned to nodejs20.x, the runtime the bundle targets and the local emulator runs.',
    });
    nag.acknowledge({
      id: 'CloudFormation-Validate::W2531',
      reason: 'nodejs20.x is deprecated; kept on purpose until the move to a newer runtime (README).',
    });
  }
}
