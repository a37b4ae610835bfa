import { request } from 'node:http';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { credentials } from '../helpers.js';

export function v2Client(cloud: { url: string }): ApiGatewayV2Client {
  return new ApiGatewayV2Client({ endpoint: cloud.url, region: 'us-east-1', credentials, maxAttempts: 1 });
}

export function v1Client(cloud: { url: string }): APIGatewayClient {
  return new APIGatewayClient({ endpoint: cloud.url, region: 'us-east-1', credentials, maxAttempts: 1 });
}

export const fnArn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:${name}`;
export const proxyUri = (name: string) =>
  `arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/${fnArn(name)}/invocations`;

/** Returns the event it was given (as the body of a 200 reply) so tests can read what API Gateway sent. */
export const ECHO = `export const handler = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(event),
});`;

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request with a Host header of our choosing (fetch may not set Host), for the host-style URL. */
export function rawRequest(
  port: number,
  opts: { method?: string; path: string; host: string; headers?: Record<string, string | string[]>; body?: Buffer },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: opts.method ?? 'GET',
        path: opts.path,
        headers: { host: opts.host, ...opts.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Moves the manual clock forward in steps until the request settles. */
export async function settleWithClock<T>(
  clock: { advance(ms: number): Promise<number> },
  pending: Promise<T>,
  stepMs: number,
): Promise<T> {
  let done = false;
  const watched = pending.finally(() => {
    done = true;
  });
  for (let i = 0; i < 200 && !done; i++) {
    await new Promise((r) => setTimeout(r, 25));
    if (!done) await clock.advance(stepMs);
  }
  return watched;
}
