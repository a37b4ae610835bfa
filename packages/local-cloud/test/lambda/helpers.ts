import { CreateFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { writeZip } from '../../src/core/zip.js';
import { credentials } from '../helpers.js';

export function lambdaClient(cloud: { url: string }): LambdaClient {
  return new LambdaClient({ endpoint: cloud.url, region: 'us-east-1', credentials, maxAttempts: 1 });
}

export const ROLE = 'arn:aws:iam::000000000000:role/lambda-role';

/** Creates a Node.js function whose index.mjs is `source`. */
export async function createNodeFunction(
  lambda: LambdaClient,
  name: string,
  source: string,
  extra: Partial<ConstructorParameters<typeof CreateFunctionCommand>[0]> = {},
) {
  return lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: 'nodejs20.x',
      Handler: 'index.handler',
      Role: ROLE,
      Code: { ZipFile: writeZip({ 'index.mjs': source }) },
      ...extra,
    }),
  );
}

export const decode = (payload: Uint8Array | undefined) => JSON.parse(Buffer.from(payload ?? []).toString('utf8'));
