import { App, Stack, Validations } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { synthStack } from './synth.js';

function findings(stack: Stack): string[] {
  const report = new AwsSolutionsChecks().validateScope(stack);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} ${r.resourceLogicalId}`));
}

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing left unacknowledged in the stack', () => {
    const { stack } = synthStack();
    expect(findings(stack)).toEqual([]);
  });

  it('does report findings that were not acknowledged (the check can fail)', () => {
    const stack = new Stack(new App(), 'Probe');
    new Bucket(stack, 'Plain');
    expect(findings(stack).some((f) => f.startsWith('AwsSolutions-S1 '))).toBe(true);
    Validations.of(stack).acknowledge({ id: 'AwsSolutions-S1', reason: 'test' });
    expect(findings(stack).some((f) => f.startsWith('AwsSolutions-S1 '))).toBe(false);
  });
});
