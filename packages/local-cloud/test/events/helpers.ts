import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { credentials } from '../helpers.js';

export function eventsClient(cloud: { url: string }, region = 'us-east-1'): EventBridgeClient {
  return new EventBridgeClient({ endpoint: cloud.url, region, credentials, maxAttempts: 1 });
}
