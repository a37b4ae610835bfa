import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { FieldErrors } from '../domain/errors.js';

export type HttpResult = APIGatewayProxyStructuredResultV2;

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) };
}

export function noContent(): HttpResult {
  return { statusCode: 204 };
}

export function invalid(message: string, errors: FieldErrors): HttpResult {
  return json(400, { message, errors });
}

export function notFound(message = 'Feedback not found'): HttpResult {
  return json(404, { message });
}

export function bodyBytes(event: APIGatewayProxyEventV2): Buffer {
  if (event.body === undefined || event.body === null) return Buffer.alloc(0);
  return Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
}

/** Parses a JSON body; `undefined` when it is missing or not JSON. */
export function parseJson(raw: Buffer): { value: unknown } | undefined {
  if (raw.length === 0) return undefined;
  try {
    return { value: JSON.parse(raw.toString('utf8')) };
  } catch {
    return undefined;
  }
}
