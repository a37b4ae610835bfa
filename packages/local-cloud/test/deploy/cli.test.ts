import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deployCommand, parseParameters } from '../../src/cli/deploy.js';
import type { LocalCloud, ManualClock } from '../../src/index.js';
import { startManual } from '../helpers.js';
import { BOOTSTRAP, writeAssembly } from './fixture.js';

describe('local-cloud deploy <cdk.out>', () => {
  let cloud: LocalCloud<ManualClock>;
  beforeAll(async () => {
    cloud = await startManual();
  });
  afterAll(() => cloud.stop());

  const template = {
    ...BOOTSTRAP,
    Parameters: { ...BOOTSTRAP.Parameters, Env: { Type: 'String', AllowedValues: ['dev', 'prod'], Default: 'dev' } },
    Resources: { Q: { Type: 'AWS::SQS::Queue', Properties: { QueueName: { 'Fn::Sub': 'jobs-${Env}' } } } },
    Outputs: { QueueName: { Value: { 'Fn::GetAtt': ['Q', 'QueueName'] } } },
  };

  it('deploys through the running cloud and prints a summary and the outputs', async () => {
    const lines: string[] = [];
    await deployCommand({
      endpoint: cloud.url,
      assembly: writeAssembly(template),
      parameters: ['TestStack:Env=prod'],
      write: (l) => lines.push(l),
    });
    expect(lines[0]).toBe('✓ TestStack: 1 created, 0 updated, 0 deleted, 0 unchanged');
    expect(lines).toContain('  TestStack.QueueName = jobs-prod');
  });

  it('fails with the reason when a parameter value is not allowed', async () => {
    const run = deployCommand({
      endpoint: cloud.url,
      assembly: writeAssembly(template),
      parameters: ['Env=test'],
      write: () => {},
    });
    await expect(run).rejects.toThrow("Deploy failed: Parameter 'Env' must be one of AllowedValues");
  });

  it('fails clearly when the directory is not an assembly', async () => {
    const run = deployCommand({ endpoint: cloud.url, assembly: '/nonexistent', parameters: [], write: () => {} });
    await expect(run).rejects.toThrow(/is not a cloud assembly: manifest.json is missing/);
  });

  it('parses Name=value parameters, with or without a stack prefix', () => {
    expect(parseParameters(['A=1', 'Stack:B=x=y'])).toEqual({ A: '1', B: 'x=y' });
    expect(() => parseParameters(['novalue'])).toThrow('Invalid parameter novalue');
  });
});
