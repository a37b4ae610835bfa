import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { cdkJsonContext } from './context.js';
import { FeedbackStack } from './feedback-stack.js';

// Run by the CDK CLI, the context arrives in CDK_CONTEXT_JSON; run directly (`npm run synth:app`), read cdk.json.
const app = new App(process.env.CDK_CONTEXT_JSON ? {} : { context: cdkJsonContext() });
new FeedbackStack(app, 'FeedbackPipeline', {
  description: 'Feedback pipeline: HTTP API → SQS → DynamoDB, S3 bulk import, DLQ alarms, queue canary',
});
// cdk-nag 3 is a policy-validation plugin: unacknowledged findings fail synthesis.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
