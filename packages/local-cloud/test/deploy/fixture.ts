import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes a cloud assembly as `cdk synth` lays it out: manifest, template, asset manifest, asset dirs. */
export function writeAssembly(
  template: Record<string, unknown>,
  assets: Record<string, Record<string, string>> = {},
  dir = mkdtempSync(join(tmpdir(), 'cdk-out-')),
  stackName = 'TestStack',
): string {
  const files: Record<string, unknown> = {};
  for (const [hash, sources] of Object.entries(assets)) {
    const assetDir = join(dir, `asset.${hash}`);
    mkdirSync(assetDir, { recursive: true });
    for (const [name, text] of Object.entries(sources)) writeFileSync(join(assetDir, name), text);
    files[hash] = {
      source: { path: `asset.${hash}`, packaging: 'zip' },
      destinations: {
        'current_account-current_region': {
          bucketName: 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}',
          objectKey: `${hash}.zip`,
        },
      },
    };
  }
  writeFileSync(join(dir, `${stackName}.template.json`), JSON.stringify(template));
  writeFileSync(join(dir, `${stackName}.assets.json`), JSON.stringify({ version: '36.0.0', files, dockerImages: {} }));
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({
      version: '36.0.0',
      artifacts: {
        [`${stackName}.assets`]: { type: 'cdk:asset-manifest', properties: { file: `${stackName}.assets.json` } },
        [stackName]: {
          type: 'aws:cloudformation:stack',
          environment: 'aws://unknown-account/unknown-region',
          properties: { templateFile: `${stackName}.template.json` },
          dependencies: [`${stackName}.assets`],
        },
      },
    }),
  );
  return dir;
}

/** The parts of a CDK-style template the tests share. */
export const BOOTSTRAP = {
  Parameters: {
    BootstrapVersion: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/hnb659fds/version' },
  },
};

export const assetCode = (hash: string) => ({
  S3Bucket: { 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' },
  S3Key: `${hash}.zip`,
});
