import { Duration, Validations } from 'aws-cdk-lib';
import { HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { grantTable } from './grants.js';
import { ObservedFunction } from './observed-function.js';

export interface FeedbackApiProps {
  table: ITable;
  feedbackQueue: IQueue;
}

/** The HTTP API: POST /feedback → submit-feedback; the CRUD routes → feedback-api. */
export class FeedbackApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly submit: ObservedFunction;
  readonly crud: ObservedFunction;

  constructor(scope: Construct, id: string, props: FeedbackApiProps) {
    super(scope, id);
    this.submit = new ObservedFunction(this, 'SubmitFeedback', {
      handler: 'submit-feedback',
      description: 'Validates feedback and queues it',
      timeout: Duration.seconds(10),
      environment: { FEEDBACK_QUEUE_URL: props.feedbackQueue.queueUrl },
    });
    props.feedbackQueue.grantSendMessages(this.submit.fn);

    this.crud = new ObservedFunction(this, 'FeedbackApi', {
      handler: 'feedback-api',
      description: 'Lists, reads, updates and deletes stored feedback',
      timeout: Duration.seconds(10),
      environment: { FEEDBACK_TABLE_NAME: props.table.tableName },
    });
    grantTable(props.table, this.crud.fn, ['GetItem', 'UpdateItem', 'DeleteItem'], {
      indexes: ['byStatus', 'byCreatedAt'],
    });

    this.api = new HttpApi(this, 'HttpApi', {
      description: 'Feedback intake and management',
      createDefaultStage: false,
    });
    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_WEEK });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: { destination: new LogGroupLogDestination(accessLogs) },
    });

    const submit = new HttpLambdaIntegration('SubmitIntegration', this.submit.fn);
    const crud = new HttpLambdaIntegration('CrudIntegration', this.crud.fn);
    const [intake] = this.api.addRoutes({ path: '/feedback', methods: [HttpMethod.POST], integration: submit });
    Validations.of(intake!).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason: 'Feedback intake is public by design; it is validated, size-limited and stage-throttled.',
    });
    // Management routes need SigV4-signed requests from principals allowed execute-api:Invoke.
    const authorizer = new HttpIamAuthorizer();
    this.api.addRoutes({ path: '/feedback', methods: [HttpMethod.GET], integration: crud, authorizer });
    this.api.addRoutes({
      path: '/feedback/{id}',
      methods: [HttpMethod.GET, HttpMethod.PUT, HttpMethod.DELETE],
      integration: crud,
      authorizer,
    });
  }

  /** The $default stage is served at the API's endpoint itself: `${url}/feedback`. */
  get url(): string {
    return this.api.apiEndpoint;
  }
}
