import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { cdkJsonContext } from '../../infra/context.js';
import { FeedbackStack } from '../../infra/feedback-stack.js';

/**
 * The stack as `cdk synth` builds it (same feature flags) but without esbuild bundling: asset bundling is
 * what `npm run synth` verifies, and skipping it keeps these tests at a few seconds.
 */
export function synthStack(): { app: App; stack: FeedbackStack; template: Template } {
  process.env.CDK_VALIDATION = 'false';
  const app = new App({ context: { ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [] } });
  const stack = new FeedbackStack(app, 'FeedbackPipeline');
  return { app, stack, template: Template.fromStack(stack) };
}
